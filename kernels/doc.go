// Package kernels holds the CUDA sources of snn-gpu (NAME.cu, with the
// shared snn.cuh: argument structs, Philox4x32-10, host-emulation shims) and
// the PTX built from them, embedded for the cuda build of package gpu. It
// has no cgo and no build tag: it builds everywhere. The same sources are
// compiled for the host by package gpu/emu, so every kernel runs in the
// tests on any machine.
//
// One kernel per model: update_<neuron model> and emit_<device model>; plus
// propagate, sample and finish_step, which every step runs, and check_finite,
// which ends every window of steps (NaN and Inf in the state).
package kernels
