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
