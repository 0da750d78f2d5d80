package param

import "math"

// lambertWm1 is the LambertWm1 of NEST's example scripts (GSL's
// gsl_sf_lambert_Wm1, mimicked there by scipy's lambertw): the lower
// branch W₋₁ of w·e^w = x for -1/e <= x < 0, and the principal branch W₀
// for x >= 0. Halley's iteration from the usual series starts; it
// converges to a few ulp in a handful of steps.
func lambertWm1(x float64) float64 {
	const e = math.E
	switch {
	case math.IsNaN(x) || x < -1/e-1e-15:
		return math.NaN()
	case x == 0:
		if math.Signbit(x) {
			return math.Inf(-1)
		}
		return 0
	case x <= -1/e:
		return -1
	}
	var w float64
	switch {
	case x > 0:
		w = math.Log1p(x)
		if x > 3 {
			l := math.Log(x)
			w = l - math.Log(l)
		}
	case x < -0.25:
		p := -math.Sqrt(2 * (e*x + 1)) // branch point series, lower branch
		w = -1 + p - p*p/3 + 11*p*p*p/72
	default:
		l1 := math.Log(-x)
		l2 := math.Log(-l1)
		w = l1 - l2 + l2/l1
	}
	for i := 0; i < 50; i++ {
		ew := math.Exp(w)
		f := w*ew - x
		d := ew*(w+1) - (w+2)*f/(2*w+2)
		if d == 0 || math.IsNaN(d) {
			break
		}
		next := w - f/d
		if math.Abs(next-w) <= 1e-15*math.Abs(next) {
			return next
		}
		w = next
	}
	return w
}
