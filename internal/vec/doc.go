// Package vec holds the float32 array arithmetic of the neuron models'
// updates, eight lanes at a time where the CPU has AVX (vec_amd64.s), plain
// Go loops elsewhere.
//
// Every element is computed with exactly the roundings of the scalar Go it
// replaces: each multiply and each add rounded to float32 on its own, never
// fused into an FMA. So a model written with these primitives gives, bit for
// bit, what its scalar form and its CUDA kernel give (docs/architecture.md,
// "Numerical contract"). The set is kept small and generic; the models stay
// Go.
package vec
