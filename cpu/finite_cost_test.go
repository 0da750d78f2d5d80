package cpu

import (
	"testing"
	"time"

	"github.com/snn-gpu/snn-gpu/engine"
)

// BenchmarkFiniteScanCost runs the Brunel network of configs/brunel.toml
// (12,500 neurons) on one thread, window by window, timing the 100 steps of
// a window and the scan for non-finite state that ends it: check_% is the
// scan's share of the run. The two are timed back to back, so that load
// from other jobs on the machine, which swamps a 1 % difference between
// whole runs, falls on both alike.
func BenchmarkFiniteScanCost(b *testing.B) {
	s := brunelSim(b)
	defer s.pool.Close()
	w := engine.NewWatch(s.net, engine.Sinks{})
	var steps, scans time.Duration
	step := int64(0)
	for b.Loop() {
		t0 := time.Now()
		for range engine.CheckSteps {
			s.step(step, w)
			step++
		}
		t1 := time.Now()
		s.checkFinite(w, step-engine.CheckSteps, step)
		scans += time.Since(t1)
		steps += t1.Sub(t0)
	}
	if w.Failed(0) {
		b.Fatal(w.Err())
	}
	b.ReportMetric(100*scans.Seconds()/steps.Seconds(), "check_%")
	b.ReportMetric(scans.Seconds()*1e6/float64(b.N), "us/scan")
	b.ReportMetric(steps.Seconds()*1e3/float64(b.N), "ms/window")
}
