package backendtest

import (
	"context"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// wfrCount is an engine.Sink that counts spikes and keeps the waveform-
// relaxation iteration counts a backend reports.
type wfrCount struct {
	spikeCount
	stats []engine.WFRStats
}

func (w *wfrCount) WFR(_ int, s engine.WFRStats) { w.stats = append(w.stats, s) }

// GapPoint is the sweep point of configs/gap_junctions_inhibitory_network.toml
// at the example's gap weight (0.3 nS); GapSweep is all seven weights.
var (
	GapPoint = []int{2}
	GapSweep = []int{0, 1, 2, 3, 4, 5, 6}
)

// BenchGapNetwork runs configs/gap_junctions_inhibitory_network.toml (500
// hh_psc_alpha_gap, 15,000 gap junctions, waveform relaxation) at the sweep
// points given, as one batch, on be; o.Sets shortens it (t_sim), o.WarmUp
// and o.Work as for BenchBrunel. Reported: neuron-steps per wall second
// (every member's), wall seconds per simulated second and point (NEST 3.10
// takes 62–176 of them on one thread, issue 9: the goal is a tenth of
// that), the mean and largest iterations per window, and launches/step.
func BenchGapNetwork(b *testing.B, be engine.Backend, points []int, o BenchOptions) {
	f, err := configs.Load("gap_junctions_inhibitory_network", configs.Options{Sets: o.Sets})
	if err != nil {
		b.Fatal(err)
	}
	var specs []spec.Network
	for _, p := range points {
		specs = append(specs, f.Points[p].Net)
	}
	net, err := network.Build(specs, points, o.Threads)
	if err != nil {
		b.Fatal(err)
	}
	run := func() *wfrCount {
		c := &wfrCount{}
		if err := be.Run(context.Background(), net, c, nil); err != nil {
			b.Fatal(err)
		}
		return c
	}
	if o.WarmUp {
		run()
	}
	var launches0 int64
	if o.Work != nil {
		launches0 = o.Work()
	}
	var c *wfrCount
	for b.Loop() {
		c = run()
	}
	if c.n == 0 {
		b.Fatalf("%s: no spikes", be.Name())
	}
	per := b.Elapsed().Seconds() / float64(b.N)
	simS := float64(net.Steps) * net.Dt / 1000
	b.ReportMetric(float64(net.Steps)*float64(net.Pops[0].N*len(points))/per, "neuron-steps/s")
	b.ReportMetric(per/simS/float64(len(points)), "wall_s/sim_s/point")
	sum, windows, most := 0, 0, 0
	for _, s := range c.stats {
		sum, windows, most = sum+s.Sum, windows+s.Windows, max(most, s.Max)
	}
	if windows == 0 {
		b.Fatalf("%s reported no waveform-relaxation windows", be.Name())
	}
	b.ReportMetric(float64(sum)/float64(windows), "iterations/window")
	b.ReportMetric(float64(most), "max_iterations/window")
	if o.Work != nil {
		b.ReportMetric(float64(o.Work()-launches0)/float64(int64(b.N)*net.Steps), "launches/step")
	}
}
