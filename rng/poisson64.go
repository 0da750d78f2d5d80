package rng

import (
	"math"
	"math/bits"
)

// Thresholds4 is the head of a PoissonThresholds table as 32-bit words,
// each threshold minus one: a whole word w reaches threshold t
// (float64(w) >= t) exactly when w > ceil(t)-1, and ceil(t)-1 fits in 32
// bits for 1 <= t <= 2^32, which covers every table (t[0] >= exp(-lambda)·2^32
// and the last entry is 2^32). Integer compares count four thresholds of
// eight words in a few vector instructions.
type Thresholds4 [4]uint32

// NewThresholds4 returns the head of table t; a shorter table is padded
// with 2^32, which no word reaches (its last entry already is 2^32).
// ok is false when a threshold lies outside [1, 2^32], which no
// PoissonThresholds table has; such a table is left to
// PoissonFromThresholds.
func NewThresholds4(t []float64) (h Thresholds4, ok bool) {
	for k := range h {
		v := float64(1 << 32)
		if k < len(t) {
			v = math.Ceil(t[k])
		}
		if !(v >= 1 && v <= 1<<32) {
			return h, false
		}
		h[k] = uint32(v - 1)
	}
	return h, true
}

// PoissonCounts64 writes the counts of the sixteen blocks Philox(k, c+i),
// i = 0..15 (c[0]+i, wrapping), under table t with head h =
// NewThresholds4(t): out[4i+j] = PoissonFromThresholds(word j of block i, t).
// This is poisson_generator's draw for 64 consecutive synapses.
func PoissonCounts64(k Key, c Counter, t []float64, h *Thresholds4, out *[64]float32) {
	var w [4][16]uint32
	// Counts of 4 or more (2 % of the words at mean 1) are walked on.
	for m := poisson64(&k, &c, h, &w, out); m != 0; m &= m - 1 {
		j := bits.TrailingZeros64(m)
		out[j] = float32(poissonWalk(float64(w[j&3][j>>2]), t, 4))
	}
}

// poisson64 writes the 64 words to w (w[j][i]: word j of block i), the
// counts of h's thresholds to out, and returns the bit mask of the words
// that reached all four; the vector version where the processor has one.
func poisson64(k *Key, c *Counter, h *Thresholds4, w *[4][16]uint32, out *[64]float32) uint64 {
	if vector {
		return poisson64AVX2(k, c, h, w, out)
	}
	return poisson64Go(k, c, h, w, out)
}

func poisson64Go(k *Key, c *Counter, h *Thresholds4, w *[4][16]uint32, out *[64]float32) (m uint64) {
	var cs [4][16]uint32
	for i := range 16 {
		cs[0][i], cs[1][i], cs[2][i], cs[3][i] = c[0]+uint32(i), c[1], c[2], c[3]
	}
	philox16Go(k, &cs, w)
	for j := range out {
		x, n := w[j&3][j>>2], uint32(0)
		for _, v := range h {
			n += b2u(x > v)
		}
		out[j] = float32(n)
		m |= uint64(b2u(n == 4)) << j
	}
	return m
}
