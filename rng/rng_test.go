package rng

import (
	"math"
	"testing"
)

// Known-answer vectors of Philox4x32-10 from Random123's kat_vectors.
func TestPhiloxKnownAnswers(t *testing.T) {
	cases := []struct {
		ctr  Counter
		key  Key
		want [4]uint32
	}{
		{Counter{0, 0, 0, 0}, Key{0, 0}, [4]uint32{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
		{Counter{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, Key{0xffffffff, 0xffffffff},
			[4]uint32{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
		{Counter{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, Key{0xa4093822, 0x299f31d0},
			[4]uint32{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
	}
	for _, c := range cases {
		if got := Philox(c.key, c.ctr); got != c.want {
			t.Errorf("Philox(%x, %x) = %x, want %x", c.key, c.ctr, got, c.want)
		}
	}
}

// The stream layout is part of the contract with the GPU kernels: pin it.
func TestStreamLayout(t *testing.T) {
	k := NewKey(7, 3)
	s := NewStream(k, PurposePoisson, 5, 11, 13)
	first := Philox(k, Counter{11, 13, 0, 2<<24 | 5})
	second := Philox(k, Counter{11, 13, 1, 2<<24 | 5})
	want := append(first[:], second[:]...)
	for i, w := range want {
		if got := s.Uint32(); got != w {
			t.Fatalf("word %d = %x, want %x", i, got, w)
		}
	}
}

// checkMoments fails when the sample mean or variance is further than z
// standard errors from the true values (the variance's standard error uses
// the fourth central moment mu4).
func checkMoments(t *testing.T, name string, xs []float64, mean, variance, mu4 float64) {
	t.Helper()
	n := float64(len(xs))
	var m float64
	for _, x := range xs {
		m += x
	}
	m /= n
	var v float64
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	v /= n - 1
	const z = 5 // a false alarm has probability below 1e-6 per check
	if se := math.Sqrt(variance / n); math.Abs(m-mean) > z*se {
		t.Errorf("%s: mean %g, want %g ± %g", name, m, mean, z*se)
	}
	if se := math.Sqrt((mu4 - variance*variance) / n); math.Abs(v-variance) > z*se {
		t.Errorf("%s: variance %g, want %g ± %g", name, v, variance, z*se)
	}
}

func TestUniformAndIntn(t *testing.T) {
	const n = 200000
	s := NewStream(NewKey(1, 0), PurposeInit, 0, 0, 0)
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = s.Float64()
	}
	checkMoments(t, "Float64", xs, 0.5, 1.0/12, 1.0/80)

	// Chi-squared over 10 bins of Intn(10): 9 degrees of freedom,
	// P(chi2 > 33.7) = 1e-4.
	var counts [10]float64
	for i := 0; i < n; i++ {
		counts[s.Intn(10)]++
	}
	var chi2 float64
	for _, c := range counts {
		chi2 += (c - n/10) * (c - n/10) / (n / 10)
	}
	if chi2 > 33.7 {
		t.Errorf("Intn(10) chi2 = %g over 9 dof", chi2)
	}
}

func TestIntnRejectsBias(t *testing.T) {
	// n = 3·2^30 makes the plain multiply-shift biased by a factor 2 between
	// [0, 2^30) and the rest; with rejection each third of the range gets 1/3.
	const n = 3 << 30
	s := NewStream(NewKey(2, 0), PurposeInit, 0, 0, 0)
	var low float64
	const draws = 300000
	for i := 0; i < draws; i++ {
		if s.Intn(n) < 1<<30 {
			low++
		}
	}
	p := low / draws
	if se := math.Sqrt((1.0 / 3) * (2.0 / 3) / draws); math.Abs(p-1.0/3) > 5*se {
		t.Errorf("P(Intn < n/3) = %g, want 1/3 ± %g", p, 5*se)
	}
}

func TestNormalAndExponential(t *testing.T) {
	const n = 200000
	s := NewStream(NewKey(3, 0), PurposeInit, 0, 0, 0)
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = s.Normal()
	}
	checkMoments(t, "Normal", xs, 0, 1, 3)
	for i := range xs {
		xs[i] = s.Exponential()
	}
	checkMoments(t, "Exponential", xs, 1, 1, 9)
}

func TestPoisson(t *testing.T) {
	for _, lambda := range []float64{0.05, 2, 9.5, 10, 37, 500} {
		const n = 100000
		xs := make([]float64, n)
		for i := range xs {
			s := NewStream(NewKey(4, 0), PurposePoisson, 0, uint32(i), 0)
			xs[i] = float64(s.Poisson(lambda))
		}
		// Poisson: variance lambda, fourth central moment lambda(1+3 lambda).
		checkMoments(t, "Poisson", xs, lambda, lambda, lambda*(1+3*lambda))
	}
}

func TestPoissonInversionIsExactOnTheGrid(t *testing.T) {
	// The count is the smallest k with u < F(k): check at the edges of k = 0.
	lambda := 2.0
	e := math.Exp(-lambda)
	edge := uint32(math.Ceil(e * (1 << 32))) // first word with u >= exp(-lambda)
	if got := PoissonInversion(edge-1, lambda, e); got != 0 {
		t.Errorf("below F(0): got %d, want 0", got)
	}
	if got := PoissonInversion(edge, lambda, e); got != 1 {
		t.Errorf("at F(0): got %d, want 1", got)
	}
	if got := PoissonInversion(math.MaxUint32, lambda, e); got < 10 {
		t.Errorf("top of the range gave %d, want a far-tail count", got)
	}
}

func TestPoissonThresholdsMatchInversion(t *testing.T) {
	for _, lambda := range []float64{1e-4, 0.3, 2, 7.9, 9.99} {
		e := math.Exp(-lambda)
		tab := PoissonThresholds(lambda, e)
		s := NewStream(NewKey(6, 0), PurposePoisson, 0, 0, 0)
		words := []uint32{0, math.MaxUint32}
		for _, th := range tab[:len(tab)-1] { // both sides of every edge
			words = append(words, uint32(th), uint32(th)-1)
		}
		for i := 0; i < 100000; i++ {
			words = append(words, s.Uint32())
		}
		for _, w := range words {
			if a, b := PoissonInversion(w, lambda, e), PoissonFromThresholds(w, tab); a != b {
				t.Fatalf("lambda %g word %d: inversion %d, table %d", lambda, w, a, b)
			}
		}
	}
}

func TestBinomial(t *testing.T) {
	for _, c := range []struct {
		n uint64
		p float64
	}{{10, 0.3}, {1000, 0.01}, {5000, 0.8}, {12500000, 1e-4}} {
		const draws = 20000
		xs := make([]float64, draws)
		for i := range xs {
			s := NewStream(NewKey(5, 0), PurposeConnect, 0, uint32(i), 0)
			xs[i] = float64(s.Binomial(c.n, c.p))
		}
		n, p := float64(c.n), c.p
		v := n * p * (1 - p)
		mu4 := v * (1 + 3*(n-2)*p*(1-p)) // fourth central moment of the binomial
		checkMoments(t, "Binomial", xs, n*p, v, mu4)
	}
}

func BenchmarkPhilox(b *testing.B) {
	k := NewKey(1, 2)
	var acc uint32
	i := uint32(0)
	for b.Loop() {
		r := Philox(k, Counter{i, 0, 0, 0})
		acc += r[0]
		i++
	}
	_ = acc
}
