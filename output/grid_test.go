package output

import (
	"math"
	"math/big"
	"strconv"
	"testing"
)

// decimal writes step·dt exactly as the decimal that the grid's times must
// read as: step times dt's shortest decimal digits, the point moved.
func decimal(step int64, dt float64) string {
	r, _ := new(big.Rat).SetString(strconv.FormatFloat(dt, 'f', -1, 64))
	r.Mul(r, new(big.Rat).SetInt64(step))
	return r.FloatString(30)
}

// Times are the decimals of the grid: every time equals the float64 that
// the decimal step·dt parses to, on grids where step·dt in float64 carries
// noise (0.1 ms: 13.700000000000001 for 137 steps), for the fast path and
// the exact one alike.
func TestGridTimes(t *testing.T) {
	for _, dt := range []float64{0.1, 0.05, 0.01, 0.025, 0.125, 0.2, 0.3, 0.7, 1e-3, 1, 2.5, 20, 1e-7, 1.0 / 3} {
		g := newGrid(dt)
		noisy := 0
		steps := []int64{0, 1, 137, 1 << 40, math.MaxInt64 / 2}
		for s := int64(1); s <= 20000; s++ {
			steps = append(steps, s)
		}
		for _, s := range steps {
			want, err := strconv.ParseFloat(decimal(s, dt), 64)
			if err != nil {
				t.Fatal(err)
			}
			if got := g.time(s); got != want {
				t.Fatalf("dt %g, step %d: time %v, want %v (%s)", dt, s, got, want, decimal(s, dt))
			}
			if ex := g.exact(s); ex != want {
				t.Fatalf("dt %g, step %d: exact path %v, want %v", dt, s, ex, want)
			}
			if float64(s)*dt != want {
				noisy++
			}
		}
		if dt == 0.1 && noisy < len(steps)/10 {
			t.Errorf("dt 0.1: only %d of %d products step·dt differ from the decimal: the test shows little", noisy, len(steps))
		}
	}
	steps, dt := int64(137), 0.1 // variables: Go's constant arithmetic would be exact
	if got := newGrid(dt).time(steps); got != 13.7 || float64(steps)*dt == 13.7 {
		t.Errorf("137 steps of 0.1 ms: %v (and 137·0.1 in float64 = %v)", got, float64(steps)*dt)
	}
}
