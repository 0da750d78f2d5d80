package rng

import "math"

// PoissonSmall is the largest mean drawn by inversion from a single word;
// larger means use the transformed-rejection method PTRS.
const PoissonSmall = 10.0

// PoissonInversion returns a Poisson count of mean lambda from one uniform
// word w, by inversion of the distribution function. expMinusLambda must be
// exp(-lambda), computed once by the caller in float64, so that the CPU and
// the GPU (same IEEE operations, no fused multiply-add) give identical counts.
// Meant for lambda < PoissonSmall; the 32-bit uniform truncates the tail
// beyond probability 2^-32.
func PoissonInversion(w uint32, lambda, expMinusLambda float64) uint32 {
	u := float64(w) * (1.0 / (1 << 32))
	p := expMinusLambda
	f := p
	k := uint32(0)
	for u >= f {
		k++
		p = p * lambda / float64(k)
		f += p
		if p == 0 { // u fell in the truncated tail
			break
		}
	}
	return k
}

// PoissonThresholds returns the word thresholds of PoissonInversion for
// lambda: the count for word w is the smallest k with w < t[k]. Walking the
// table gives exactly PoissonInversion's counts (u >= F(k) with u = w/2^32
// is w >= ceil(F(k)·2^32) for a whole w, and F(k) is accumulated the same
// way) without its divisions. The table ends with a value above every word.
func PoissonThresholds(lambda, expMinusLambda float64) []float64 {
	const top = 1 << 32
	p := expMinusLambda
	f := p
	var t []float64
	for k := 1; ; k++ {
		t = append(t, math.Ceil(f*top))
		if t[len(t)-1] >= top || p == 0 {
			t[len(t)-1] = top
			return t
		}
		p = p * lambda / float64(k)
		f += p
	}
}

// PoissonFromThresholds returns the count of word w under table t (from
// PoissonThresholds).
func PoissonFromThresholds(w uint32, t []float64) uint32 {
	x := float64(w)
	k := uint32(0)
	if len(t) > 4 {
		// Small counts are the common case: count the first four thresholds
		// without branches (they are increasing, so the count is the index),
		// which spares the mispredicted branches of a walk.
		k = b2u(x >= t[0]) + b2u(x >= t[1]) + b2u(x >= t[2]) + b2u(x >= t[3])
		if k < 4 {
			return k
		}
	}
	return poissonWalk(x, t, k)
}

// poissonWalk returns the count of x under t knowing that it reaches
// t[0..k-1].
func poissonWalk(x float64, t []float64, k uint32) uint32 {
	for x >= t[k] {
		k++
	}
	return k
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// PoissonMax bounds the means Poisson draws: counts are 32-bit, and a mean
// of 2^31 lies about 46,000 standard deviations below 2^32.
const PoissonMax = 1 << 31

// Poisson draws a Poisson count of mean lambda (below PoissonMax) from the
// stream: inversion for small means, Hörmann's PTRS (1993) above
// PoissonSmall.
func (s *Stream) Poisson(lambda float64) uint32 {
	if lambda <= 0 {
		return 0
	}
	if lambda < PoissonSmall {
		return PoissonInversion(s.Uint32(), lambda, math.Exp(-lambda))
	}
	return s.ptrs(lambda)
}

func (s *Stream) ptrs(lambda float64) uint32 {
	slam := math.Sqrt(lambda)
	loglam := math.Log(lambda)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invalpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := s.Float64() - 0.5
		v := s.OpenFloat64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lambda + 0.43)
		if us >= 0.07 && v <= vr {
			return uint32(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invalpha)-math.Log(a/(us*us)+b) <= -lambda+k*loglam-lg {
			return uint32(k)
		}
	}
}

// Binomial draws a Binomial(n, p) count: by inversion for small n·p, and as
// a sum of the geometric waiting times otherwise (both exact).
func (s *Stream) Binomial(n uint64, p float64) uint64 {
	if p <= 0 || n == 0 {
		return 0
	}
	if p >= 1 {
		return n
	}
	if p > 0.5 {
		return n - s.Binomial(n, 1-p)
	}
	// Geometric skipping: the gap to the next success is Geometric(p); cost is
	// proportional to n·p, which is what the connection rules need.
	lq := math.Log1p(-p)
	var k, pos uint64
	for {
		gap := math.Floor(math.Log(s.OpenFloat64()) / lq)
		if gap >= float64(n-pos) {
			return k
		}
		pos += uint64(gap) + 1
		k++
		if pos >= n {
			return k
		}
	}
}
