//go:build !amd64

package models

// Only amd64 has the AVX pass (iafpscalpha_amd64.s); alphaAVX stays false,
// so this is never called.
var alphaAVX = false

func iafPscAlphaAVX(*alphaParams, []uint8, []float32, []float32, []float32, []float32, []float32, []float32, []float32, []float32, []float32, []float32) {
	panic("models: no AVX pass on this architecture")
}
