package vec

import "golang.org/x/sys/cpu"

// vector says whether the primitives run their AVX loops (vec_amd64.s),
// which needs only AVX's VMULPS/VADDPS on YMM registers. Tests clear
// it to run the Go ones. The assembly takes whole multiples of eight
// elements (the length of its first slice).
var vector = cpu.X86.HasAVX

//go:noescape
func addMulAVX(y []float32, a float32, x []float32)
