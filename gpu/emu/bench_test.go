package emu

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/internal/backendtest"
)

// These benchmarks time the emulated device: the kernels of kernels/*.cu
// compiled for the host and run one thread at a time on one core. They are
// a record that the GPU backend's whole path runs (and how fast the
// emulator is, which bounds how large the emulated tests can be), never a
// measure of GPU speed: that is gpu/'s cuda-tagged benchmarks on a GPU
// machine (bench/gpu.sh).

// BenchmarkEmulatedStepOverhead is the emulated cost of one step of an
// empty network (one neuron, nothing else): the backend's launches, argument
// handling and recording flushes with nearly no kernel work.
func BenchmarkEmulatedStepOverhead(b *testing.B) {
	d := New(1 << 30)
	backendtest.BenchStepOverhead(b, NewBackendOn(d), d.Launches)
}

// BenchmarkEmulatedBrunel runs configs/brunel.toml shortened to 200 ms on
// the emulated device (one member).
func BenchmarkEmulatedBrunel(b *testing.B) {
	d := New(4 << 30)
	backendtest.BenchBrunel(b, NewBackendOn(d), backendtest.BenchOptions{Sets: []string{"t_sim=200"}, Work: d.Launches})
}

// BenchmarkEmulatedNeuronUpdates times each neuron model's kernel on the
// emulated device: 10,000 neurons for 100 ms (a record of the emulator's
// speed, not of a GPU's).
func BenchmarkEmulatedNeuronUpdates(b *testing.B) {
	for _, m := range backendtest.UpdateModels {
		b.Run(m, func(b *testing.B) {
			d := New(1 << 30)
			backendtest.BenchNeuronUpdates(b, NewBackendOn(d), m, 10000, 100, d.Launches)
		})
	}
}

// BenchmarkEmulatedGifPopUpdates times gif_pop_psc_exp's kernel on the
// emulated device (backendtest.BenchGifPop): 100 nodes for 100 ms.
func BenchmarkEmulatedGifPopUpdates(b *testing.B) {
	d := New(1 << 30)
	backendtest.BenchGifPop(b, NewBackendOn(d), 100, 100, d.Launches)
}

// BenchmarkEmulatedGapNetwork runs the gap-junction network's example point
// (500 hh_psc_alpha_gap, waveform relaxation) for 5 ms on the emulated
// device: the path BenchmarkGPUGapNetwork times on a GPU.
func BenchmarkEmulatedGapNetwork(b *testing.B) {
	d := New(1 << 30)
	backendtest.BenchGapNetwork(b, NewBackendOn(d), backendtest.GapPoint,
		backendtest.BenchOptions{Sets: []string{"t_sim=5"}, Work: d.Launches})
}
