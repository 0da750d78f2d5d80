package rng

import "math"

// Portable functions: the kernels in kernels/snn.cuh evaluate the same
// expressions in the same order, using only IEEE-754 double additions,
// multiplications, divisions and square roots (all correctly rounded on
// both sides: CUDA's double division and sqrt are IEEE, and the PTX is
// built without fused multiply-add) and exact operations (Frexp, Round).
// So a random number that passes through them has the same bits on the
// CPU and the GPU, which the libraries' log and sin (within 1-2 ulp of
// each other, not equal) cannot promise. Every product is wrapped in
// float64() because the Go specification lets a compiler fuse x*y + z.
//
// Accuracy: within a few ulp of the true value; they are for random
// numbers and phases, not for numerics where the last bit matters.

// Log is the natural logarithm: x = m·2^e with m in [√½, √2), and
// log m = 2·atanh(s), s = (m-1)/(m+1), summed as the odd series
// 2s(1 + s²/3 + s⁴/5 + …) to s²⁴ (|s| < 0.172, so the rest is below
// 1e-19). Log(0) = -Inf; negative x and NaN give NaN.
func Log(x float64) float64 {
	switch {
	case x == 0:
		return math.Inf(-1)
	case !(x > 0):
		return math.NaN()
	case math.IsInf(x, 1):
		return x
	}
	m, e := math.Frexp(x)
	if m < sqrtHalf {
		m = m * 2
		e--
	}
	f := m - 1
	s := f / (2 + f)
	z := float64(s * s)
	p := logC[len(logC)-1]
	for k := len(logC) - 2; k >= 0; k-- {
		p = float64(p*z) + logC[k]
	}
	r := float64(float64(2*s) * p)
	fe := float64(e)
	return float64(fe*ln2Hi) + (r + float64(fe*ln2Lo))
}

// SinTurns is sin(2π·t): t is reduced exactly to an eighth of a turn
// (r = t − round(t), then q = round(4r), x = r − q/4, |x| ≤ 1/8), and
// sin or cos of 2π·x is summed as its Taylor series to the 17th or 18th
// power (|2πx| ≤ π/4: the rest is below 1e-17).
func SinTurns(t float64) float64 {
	r := t - math.Round(t)
	q := math.Round(4 * r)
	x := r - q/4
	a := float64(x * twoPi)
	a2 := float64(a * a)
	var v float64
	switch int(q) & 3 {
	case 0:
		v = sinPoly(a, a2)
	case 1:
		v = cosPoly(a2)
	case 2:
		v = -sinPoly(a, a2)
	default:
		v = -cosPoly(a2)
	}
	return v
}

func sinPoly(a, a2 float64) float64 {
	p := sinC[len(sinC)-1]
	for k := len(sinC) - 2; k >= 0; k-- {
		p = float64(p*a2) + sinC[k]
	}
	return float64(a * p)
}

func cosPoly(a2 float64) float64 {
	p := cosC[len(cosC)-1]
	for k := len(cosC) - 2; k >= 0; k-- {
		p = float64(p*a2) + cosC[k]
	}
	return p
}

// Exp is e^x: x = k·ln 2 + r with k = round(x/ln 2) and r reduced in two
// parts (fdlibm's split of ln 2, so k·ln2Hi is exact), |r| <= 0.35; e^r is
// its Taylor series to r^13 (the rest is below 4e-18), times 2^k built
// from its bits (exact). Results below the normal range are 0 (x < -708)
// and above it +Inf (x > 709). Within a few ulp of math.Exp.
func Exp(x float64) float64 {
	switch {
	case x != x:
		return x
	case x > 709:
		return math.Inf(1)
	case x < -708:
		return 0
	}
	k := math.Round(float64(x * log2E))
	r := (x - float64(k*ln2Hi)) - float64(k*ln2Lo)
	// Estrin's scheme: the terms in pairs, then pairs of pairs, so that the
	// chain of dependent operations is 9 long instead of Horner's 26 (the
	// HH models spend most of their time here; 2.8 times as fast).
	c := &expC
	r2 := float64(r * r)
	r4 := float64(r2 * r2)
	r8 := float64(r4 * r4)
	q0 := c[0] + float64(c[1]*r)
	q1 := c[2] + float64(c[3]*r)
	q2 := c[4] + float64(c[5]*r)
	q3 := c[6] + float64(c[7]*r)
	q4 := c[8] + float64(c[9]*r)
	q5 := c[10] + float64(c[11]*r)
	q6 := c[12] + float64(c[13]*r)
	s0 := q0 + float64(q1*r2)
	s1 := q2 + float64(q3*r2)
	s2 := q4 + float64(q5*r2)
	p := (s0 + float64(s1*r4)) + float64((s2+float64(q6*r4))*r8)
	return float64(p * math.Float64frombits(uint64(int64(k)+1023)<<52))
}

// Pow is x^y as Exp(y·Log(x)), for the weight dependence of the STDP
// rules (exponents of order 1, bases in [0, 1] or weights of order 100).
// Exact for y = 0 (1, also for x = 0 and NaN) and y = 1 (x); a negative x
// with an integer y gives the signed power of |x|, with any other y NaN; x = 0 gives 0 for y > 0 and +Inf for y < 0.
// Elsewhere the error is that of y·Log(x) carried into Exp: within a few
// ulp times max(1, |y·ln x|) of math.Pow (tested).
func Pow(x, y float64) float64 {
	switch {
	case y == 0:
		return 1
	case y == 1:
		return x
	case x < 0 && y == math.Trunc(y):
		r := Pow(-x, y)
		if h := y / 2; h != math.Trunc(h) {
			r = -r
		}
		return r
	}
	return Exp(float64(y * Log(x)))
}

// PortableNormal returns a standard normal number by Marsaglia's polar
// method, like Normal, but with the portable Log, so that the CUDA kernels
// draw the same bits (kernels/snn.cuh: stream_normal).
func (s *Stream) PortableNormal() float64 {
	for {
		u := 2*s.Float64() - 1
		v := 2*s.Float64() - 1
		q := float64(u*u) + float64(v*v)
		if q > 0 && q < 1 {
			return float64(u * math.Sqrt(-2*Log(q)/q))
		}
	}
}

// The constants, as decimal literals that C and Go read to the same double
// (1/(2k+1); 1/k!; ±1/(2k+1)!; ±1/(2k)!; fdlibm's split of ln 2).
const (
	sqrtHalf = 0.70710678118654757
	ln2Hi    = 6.93147180369123816490e-01
	ln2Lo    = 1.90821492927058770002e-10
	twoPi    = 6.2831853071795862
	log2E    = 1.4426950408889634
)

var (
	logC = [...]float64{1, 0.33333333333333331, 0.20000000000000001, 0.14285714285714285, 0.1111111111111111,
		0.090909090909090912, 0.076923076923076927, 0.066666666666666666, 0.058823529411764705,
		0.052631578947368418, 0.047619047619047616, 0.043478260869565216}
	sinC = [...]float64{1, -0.16666666666666666, 0.0083333333333333332, -0.00019841269841269841,
		2.7557319223985893e-06, -2.505210838544172e-08, 1.6059043836821613e-10, -7.6471637318198164e-13,
		2.8114572543455206e-15}
	expC = [...]float64{1, 1, 0.5, 0.16666666666666666, 0.041666666666666664, 0.0083333333333333332,
		0.0013888888888888889, 0.00019841269841269841, 2.4801587301587302e-05, 2.7557319223985893e-06,
		2.7557319223985888e-07, 2.505210838544172e-08, 2.08767569878681e-09, 1.6059043836821613e-10}
	cosC = [...]float64{1, -0.5, 0.041666666666666664, -0.0013888888888888889, 2.4801587301587302e-05,
		-2.7557319223985888e-07, 2.08767569878681e-09, -1.1470745597729725e-11, 4.7794773323873853e-14,
		-1.5619206968586225e-16}
)
