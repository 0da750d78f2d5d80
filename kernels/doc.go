// Package kernels will hold the CUDA sources of every model's update, the
// devices, spike compaction and CSR propagation, and the PTX built from
// them (embedded with go:embed). It has no code yet: the CUDA backend is
// issue #3, and the CPU backend is the reference the kernels must match.
package kernels
