//go:build !amd64

package rng

// Only amd64 has the vector versions (philox8_amd64.s); vector stays false,
// so these are never called.
var vector = false

func philox8AVX2(*Key, *[4][8]uint32, *[4][8]uint32) {
	panic("rng: no vector Philox on this architecture")
}

func poisson32AVX2(*Key, *Counter, *Thresholds4, *[4][8]uint32, *[32]float32) uint32 {
	panic("rng: no vector Philox on this architecture")
}
