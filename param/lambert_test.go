package param

import (
	"math"
	"testing"
)

// LambertWm1 solves w·e^w = x on the lower branch for x < 0 (and the
// principal one for x >= 0), as the NEST scripts' function does.
func TestLambertWm1(t *testing.T) {
	for _, x := range []float64{-1 / math.E, -0.3, -0.1, -0.0244, -1e-5, -1e-300} {
		w := lambertWm1(x)
		// exp(w) itself is only good to |w| ulp.
		if !(w <= -1) || math.Abs(w*math.Exp(w)-x) > 1e-15*(4+math.Abs(w))*math.Abs(x) {
			t.Errorf("LambertWm1(%g) = %g: w·e^w = %g", x, w, w*math.Exp(w))
		}
	}
	for _, x := range []float64{0, 1e-3, 1, 10, 1e6} {
		w := lambertWm1(x)
		if !(w >= 0) || math.Abs(w*math.Exp(w)-x) > 1e-14*math.Max(x, 1e-300) {
			t.Errorf("LambertWm1(%g) = %g (principal branch): w·e^w = %g", x, w, w*math.Exp(w))
		}
	}
	if !math.IsNaN(lambertWm1(-1)) {
		t.Error("LambertWm1(-1) is not NaN")
	}
}
