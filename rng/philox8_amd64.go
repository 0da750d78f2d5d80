package rng

import "golang.org/x/sys/cpu"

// vector says whether philox8 and poisson32 run the AVX2 versions, which
// hold word j of eight blocks in one YMM register and run the ten rounds on
// all eight at once (philox8_amd64.s). Tests clear it to run the Go ones.
var vector = cpu.X86.HasAVX2

//go:noescape
func philox8AVX2(k *Key, c *[4][8]uint32, w *[4][8]uint32)

//go:noescape
func poisson32AVX2(k *Key, c *Counter, h *Thresholds4, w *[4][8]uint32, out *[32]float32) uint32
