package emu

import (
	"math"
	"testing"

	"github.com/snn-gpu/snn-gpu/rng"
)

// The kernels' portable exponential, logarithm and power give rng's bits: over
// the escape rates' range, the whole normal range, and the edges.
func TestPortableFunctionsMatchGo(t *testing.T) {
	s := rng.NewStream(rng.NewKey(7, 8), rng.PurposeNoise, 0, 0, 0)
	xs := []float64{0, 1, -1, 708, -708, 709, -709, 709.5, -745, math.Inf(1), math.Inf(-1), math.NaN(), 1e-300, 5e-324}
	for range 200000 {
		xs = append(xs, (s.Float64()-0.5)*60, (s.Float64()-0.5)*1420)
	}
	for _, x := range xs {
		if got, want := kernelExp(x), rng.Exp(x); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("exp(%v): kernel %v, Go %v", x, got, want)
		}
		y := math.Abs(x)
		if got, want := kernelLog(y), rng.Log(y); math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("log(%v): kernel %v, Go %v", y, got, want)
		}
		for _, e := range []float64{0, 1, 0.4, 2, x / 7} {
			for _, b := range []float64{y / 700, x / 700, y} {
				if got, want := kernelPow(b, e), rng.Pow(b, e); math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Fatalf("pow(%v, %v): kernel %v, Go %v", b, e, got, want)
				}
			}
		}
	}
}
