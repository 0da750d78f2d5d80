package emu

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/snn-gpu/snn-gpu/siegert"
)

// The kernels' Siegert function equals package siegert's to 1e-14 relative
// (both are accurate to about 1e-14; they differ only where the two math
// libraries' erfc, exp and log round differently), on the regimes of the
// quadrature test and 20,000 random points of mu in [-50, 100] mV and
// log-uniform sigma in [1e-4, 1e3] mV; zeros (the cut-off) exactly.
func TestSiegertMatchesGo(t *testing.T) {
	neurons := []siegert.Neuron{
		{TauM: 5, TauSyn: 0, TRef: 2, Theta: 15, VReset: 0},
		{TauM: 20, TauSyn: 0, TRef: 2, Theta: 20, VReset: 10},
		{TauM: 20, TauSyn: 0.5, TRef: 2, Theta: 20, VReset: 0},
		{TauM: 10, TauSyn: 10, TRef: 0, Theta: 20, VReset: 10},
		{TauM: 1, TauSyn: 30, TRef: 1, Theta: 20, VReset: 10}, // a shift of 5.7: Dawson's expansion
	}
	s := rand.New(rand.NewPCG(7, 0))
	worst, exact, n := 0.0, 0, 0
	for _, p := range neurons {
		k := [5]float64{p.TauM, p.TauSyn, p.TRef, p.Theta, p.VReset}
		check := func(mu, sigma float64) {
			got, want := kernelSiegert(k, mu, sigma), p.Rate(mu, sigma)
			n++
			if got == want {
				exact++
				return
			}
			rel := math.Abs(got-want) / math.Abs(want)
			worst = math.Max(worst, rel)
			if !(rel <= 1e-14) {
				t.Errorf("%+v mu %g sigma %g: kernel %.17g, Go %.17g", p, mu, sigma, got, want)
			}
		}
		for _, sigma := range []float64{0, 1e-9, 1e-4, 1e-2, 0.3, 1, 3, 7, 20, 100} {
			for _, mu := range []float64{-50, -5, 0, 5, 10, 14, 15, 17, 20, 25, 40, 100, 1e3, 1e6} {
				check(mu, sigma)
			}
		}
		for i := 0; i < 4000; i++ {
			check(-50+150*s.Float64(), math.Pow(10, -4+7*s.Float64()))
		}
	}
	t.Logf("%d points: %d bit-identical, largest relative difference %.2g", n, exact, worst)
}
