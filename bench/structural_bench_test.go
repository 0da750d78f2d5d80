package bench

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
)

// sp30 shortens the structural-plasticity example to 30 s (the first
// synapses appear at the 20-s update); the whole 200 s is timed end to end
// with the command in bench/RESULTS.md.
var sp30 = backendtest.BenchOptions{Sets: []string{"t_sim=30000"}}

// BenchmarkStructuralPoint is the structural-plasticity example (NEST's
// point) on the CPU backend (backendtest.BenchStructural).
func BenchmarkStructuralPoint(b *testing.B) {
	backendtest.BenchStructural(b, &cpu.Backend{}, 1, sp30)
}

// BenchmarkStructuralBatch8 is eight points of it as one batch: its
// wall_s/sim_s/point against BenchmarkStructuralPoint's is what batching
// gains.
func BenchmarkStructuralBatch8(b *testing.B) {
	backendtest.BenchStructural(b, &cpu.Backend{}, 8, sp30)
}

// BenchmarkStructuralPointOneThread is BenchmarkStructuralPoint on one
// thread: 1000 neurons give too little work per step to share.
func BenchmarkStructuralPointOneThread(b *testing.B) {
	backendtest.BenchStructural(b, &cpu.Backend{Threads: 1}, 1, sp30)
}
