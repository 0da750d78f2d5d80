//go:build !amd64

package rng

// Only amd64 has the vector versions (philox16_amd64.s); vector stays
// false, so these are never called.
var vector = false

func philox16AVX2(*Key, *[4][16]uint32, *[4][16]uint32) {
	panic("rng: no vector Philox on this architecture")
}

func poisson64AVX2(*Key, *Counter, *Thresholds4, *[4][16]uint32, *[64]float32) uint64 {
	panic("rng: no vector Philox on this architecture")
}
