// Package vec holds float32 row arithmetic of the CPU backend, eight lanes
// at a time where the CPU has AVX (vec_amd64.s), a plain Go loop elsewhere.
//
// Every element is computed with exactly the roundings of the scalar Go it
// replaces: each multiply and each add rounded to float32 on its own, never
// fused into an FMA, so that the results are bit for bit the scalar code's
// (docs/architecture.md, "Numerical contract").
package vec
