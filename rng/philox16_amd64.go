package rng

import "golang.org/x/sys/cpu"

// vector says whether philox16 and poisson64 run the AVX2 versions, which
// hold word j of eight blocks in one YMM register and run the ten rounds on
// all sixteen blocks at once (philox16_amd64.s). Tests clear it to run the
// Go ones.
var vector = cpu.X86.HasAVX2

//go:noescape
func philox16AVX2(k *Key, c *[4][16]uint32, w *[4][16]uint32)

//go:noescape
func poisson64AVX2(k *Key, c *Counter, h *Thresholds4, w *[4][16]uint32, out *[64]float32) uint64
