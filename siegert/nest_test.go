package siegert

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/snn-gpu/snn-gpu/internal/nesttest"
)

// Our rate equals NEST 3.10's siegert_neuron stationary rate, within NEST's
// own quadrature tolerance (GSL QAGS, 1.49e-8 relative on the integral;
// bound 5e-8 on the rate), wherever NEST's quadrature succeeds: sigma from
// 0.1 mV up (below about 1e-3 mV NEST aborts in GSL or returns wrong
// values, e.g. 7.5e-12 1/s at mu 20, sigma 1e-12, where the deterministic
// rate is 112 1/s). The test skips where NEST is not importable
// (internal/nesttest).
func TestRateAgainstNEST(t *testing.T) {
	if testing.Short() {
		t.Skip("runs NEST: not in -short")
	}
	python := nesttest.Python(t)
	neurons := []Neuron{
		{TauM: 5, TauSyn: 0, TRef: 2, Theta: 15, VReset: 0},
		{TauM: 20, TauSyn: 0, TRef: 2, Theta: 20, VReset: 10},
		{TauM: 20, TauSyn: 0.5, TRef: 2, Theta: 20, VReset: 0},
		{TauM: 10, TauSyn: 10, TRef: 0, Theta: 20, VReset: 10},
	}
	type point struct {
		p         Neuron
		mu, sigma float64
	}
	var pts []point
	var in bytes.Buffer
	for _, p := range neurons {
		for _, sigma := range []float64{0.1, 0.5, 1, 2, 5, 10, 30} {
			for _, mu := range []float64{-10, 0, 5, 10, 14, 15, 16, 20, 30, 50, 100} {
				pts = append(pts, point{p, mu, sigma})
				fmt.Fprintf(&in, "%v %v %v %v %v %v %v\n", p.TauM, p.TauSyn, p.TRef, p.Theta, p.VReset, mu, sigma)
			}
		}
	}
	cmd := python("testdata/nest_rates.py")
	cmd.Stdin = &in
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("NEST: %v\n%s", err, stderr.String())
	}
	lines := nesttest.Values(stdout.String(), "rate ")
	if len(lines) != len(pts) {
		t.Fatalf("NEST gave %d rates for %d points", len(lines), len(pts))
	}
	worst, nonzero := 0.0, 0
	for i, pt := range pts {
		want, err := strconv.ParseFloat(lines[i][0], 64)
		if err != nil {
			t.Fatal(err)
		}
		got := pt.p.Rate(pt.mu, pt.sigma)
		if want == 0 || got == 0 {
			if got != want {
				t.Errorf("%+v mu %g sigma %g: rate %.10g, NEST %.10g", pt.p, pt.mu, pt.sigma, got, want)
			}
			continue
		}
		nonzero++
		rel := math.Abs(got-want) / want
		worst = math.Max(worst, rel)
		if !(rel <= 5e-8) {
			t.Errorf("%+v mu %g sigma %g: rate %.15g, NEST %.15g (rel. %.2g)", pt.p, pt.mu, pt.sigma, got, want, rel)
		}
	}
	t.Logf("%d points (%d nonzero), largest relative difference from NEST %.2g", len(pts), nonzero, worst)
}
