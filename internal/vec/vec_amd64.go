package vec

import "golang.org/x/sys/cpu"

// vector says whether the primitives run their AVX loops (vec_amd64.s),
// which need only AVX's VMULPS/VADDPS/VMAXPS on YMM registers. Tests clear
// it to run the Go ones. The assembly takes whole multiples of eight
// elements (the length of its first slice) and is called directly behind
// this flag rather than through a function value, so that the models'
// stack scratch arrays do not escape.
var vector = cpu.X86.HasAVX

//go:noescape
func addMulAVX(y []float32, a float32, x []float32)

//go:noescape
func mul2SumAVX(dst []float32, a float32, x []float32, b float32, y []float32)

//go:noescape
func mulOfSumAVX(dst []float32, a float32, x []float32, b float32)

//go:noescape
func addAVX(dst, x, y []float32)

//go:noescape
func clampBelowAVX(x []float32, lo float32)

//go:noescape
func copyWhereZeroAVX(dst, x, c []float32)

//go:noescape
func countDownAVX(x []float32)

//go:noescape
func firstAtLeastAVX(x []float32, t float32) int
