package models

import (
	"math"
	"testing"
)

// Steps rounds to the nearest step and saturates where the count leaves
// int64, rather than wrapping around to a negative count.
func TestSteps(t *testing.T) {
	for _, c := range []struct {
		ms, dt float64
		want   int64
	}{
		{1.5, 0.1, 15},
		{0.04, 0.1, 0},
		{0.05, 0.1, 1},
		{math.Inf(1), 0.1, math.MaxInt64},
		{1.5, 1e-300, math.MaxInt64},
		{1000, 5e-324, math.MaxInt64},
		{-1.5, 1e-300, math.MinInt64},
		{math.NaN(), 0.1, 0},
		{9.2e18, 1, 9.2e18},
	} {
		if got := Steps(c.ms, c.dt); got != c.want {
			t.Errorf("Steps(%g, %g) = %d, want %d", c.ms, c.dt, got, c.want)
		}
	}
}
