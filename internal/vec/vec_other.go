//go:build !amd64

package vec

// Only amd64 has the vector loops (vec_amd64.s); vector stays false, so
// these are never called.
var vector = false

func addMulAVX([]float32, float32, []float32) { panic("vec: no vector loops on this architecture") }

func mul2SumAVX([]float32, float32, []float32, float32, []float32) {
	panic("vec: no vector loops on this architecture")
}

func mulOfSumAVX([]float32, float32, []float32, float32) {
	panic("vec: no vector loops on this architecture")
}

func addAVX(_, _, _ []float32) { panic("vec: no vector loops on this architecture") }

func clampBelowAVX([]float32, float32) { panic("vec: no vector loops on this architecture") }

func copyWhereZeroAVX(_, _, _ []float32) { panic("vec: no vector loops on this architecture") }

func countDownAVX([]float32) { panic("vec: no vector loops on this architecture") }

func firstAtLeastAVX([]float32, float32) int { panic("vec: no vector loops on this architecture") }
