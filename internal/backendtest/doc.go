// Package backendtest is the conformance suite every backend runs: the CPU
// backend, the GPU backend on the emulated device, and on a real GPU in a
// cuda build (in the style of gonum's blas/testblas). It checks each
// backend against analytic results and against the CPU backend, and makes
// each test prove that the backend under test did the work.
package backendtest
