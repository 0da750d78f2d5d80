package cpu_test

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
)

// BenchmarkNeuronUpdates times each neuron model in whole runs of the CPU
// backend (one thread, and all cores): 10,000 neurons for 100 ms, driven
// by I_e alone (models/'s BenchmarkUpdate times the update function alone).
func BenchmarkNeuronUpdates(b *testing.B) {
	for _, m := range backendtest.UpdateModels {
		b.Run(m+"/1-thread", func(b *testing.B) {
			backendtest.BenchNeuronUpdates(b, &cpu.Backend{Threads: 1}, m, 10000, 100, nil)
		})
		b.Run(m+"/all-cores", func(b *testing.B) {
			backendtest.BenchNeuronUpdates(b, &cpu.Backend{}, m, 10000, 100, nil)
		})
	}
}

// BenchmarkGifPopUpdates times gif_pop_psc_exp (backendtest.BenchGifPop):
// 100 nodes of 500 neurons and 1609 cohorts each, for 100 ms.
func BenchmarkGifPopUpdates(b *testing.B) {
	b.Run("1-thread", func(b *testing.B) { backendtest.BenchGifPop(b, &cpu.Backend{Threads: 1}, 100, 100, nil) })
	b.Run("all-cores", func(b *testing.B) { backendtest.BenchGifPop(b, &cpu.Backend{}, 100, 100, nil) })
}
