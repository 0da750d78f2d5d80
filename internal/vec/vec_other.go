//go:build !amd64

package vec

// Only amd64 has the vector loop (vec_amd64.s); vector stays false, so
// this is never called.
var vector = false

func addMulAVX([]float32, float32, []float32) { panic("vec: no vector loops on this architecture") }
