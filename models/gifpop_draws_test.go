package models

import (
	"math"
	"testing"

	"github.com/snn-gpu/snn-gpu/rng"
)

// The spike-count draws of gif_pop_psc_exp have the right distributions:
// the frequency of every count over 200,000 draws is its probability within
// five standard errors (sqrt(p(1-p)/draws) and at least 1e-4): the binomial
// on both sides of p = 1/2 (the draw counts failures above it), and the
// Poisson below N and clipped to N, as NEST clips it.
func TestGifPopCountDistributions(t *testing.T) {
	const draws = 200000
	logFact := func(k int) float64 { v, _ := math.Lgamma(float64(k) + 1); return v }
	binomial := func(n int, p float64) func(k int) float64 {
		return func(k int) float64 {
			return math.Exp(logFact(n) - logFact(k) - logFact(n-k) + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
		}
	}
	poisson := func(n int, l float64) func(k int) float64 {
		return func(k int) float64 {
			if k < n {
				return math.Exp(float64(k)*math.Log(l) - l - logFact(k))
			}
			tail := 1.0 // P(X >= n): clipped to n
			for j := 0; j < n; j++ {
				tail -= math.Exp(float64(j)*math.Log(l) - l - logFact(j))
			}
			return tail
		}
	}
	cases := []struct {
		name string
		n    int
		draw func(st *rng.Stream) int
		pmf  func(k int) float64
	}{
		{"binomial(500, 0.01)", 500, func(st *rng.Stream) int { return gifPopBinomial(st, 500, 0.01) }, binomial(500, 0.01)},
		{"binomial(40, 0.3)", 40, func(st *rng.Stream) int { return gifPopBinomial(st, 40, 0.3) }, binomial(40, 0.3)},
		{"binomial(30, 0.8)", 30, func(st *rng.Stream) int { return gifPopBinomial(st, 30, 0.8) }, binomial(30, 0.8)},
		{"poisson(3.5), N 1000", 1000, func(st *rng.Stream) int { return gifPopPoisson(st, 1000, 3.5) }, poisson(1000, 3.5)},
		{"poisson(4.5) clipped to 5", 5, func(st *rng.Stream) int { return gifPopPoisson(st, 5, 4.5) }, poisson(5, 4.5)},
	}
	for ci, c := range cases {
		freq := make([]float64, c.n+1)
		for i := range draws {
			st := rng.NewStream(rng.NewKey(9, uint32(ci)), rng.PurposeNeuron, 0, uint32(i), 0)
			freq[c.draw(&st)]++
		}
		for k, f := range freq {
			p := c.pmf(k)
			se := math.Max(math.Sqrt(p*(1-p)/draws), 1e-4)
			if math.Abs(f/draws-p) > 5*se {
				t.Errorf("%s: P(%d) = %.5f, want %.5f ± %.5f", c.name, k, f/draws, p, 5*se)
			}
		}
	}
	// The ends are exact.
	st := rng.NewStream(rng.NewKey(1, 1), rng.PurposeNeuron, 0, 0, 0)
	for _, x := range []struct{ got, want int }{
		{gifPopBinomial(&st, 7, 0), 0}, {gifPopBinomial(&st, 7, 1), 7}, {gifPopBinomial(&st, 7, 1.5), 7},
		{gifPopBinomial(&st, 7, math.NaN()), 0}, {gifPopPoisson(&st, 7, 0), 0}, {gifPopPoisson(&st, 7, 8), 7},
	} {
		if x.got != x.want {
			t.Errorf("an exact end gave %d, want %d", x.got, x.want)
		}
	}
}
