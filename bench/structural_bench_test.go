package bench

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
)

// sp20 shortens the structural-plasticity example to 20 s (two updates
// with synapses); BENCH_FULL-style full runs: -args none, use the command
// in bench/RESULTS.md with t_sim=200000.
var sp20 = backendtest.BenchOptions{Sets: []string{"t_sim=20000"}}

// BenchmarkStructuralPoint is the structural-plasticity example (NEST's
// point) on the CPU backend (backendtest.BenchStructural).
func BenchmarkStructuralPoint(b *testing.B) {
	backendtest.BenchStructural(b, &cpu.Backend{}, 1, sp20)
}

// BenchmarkStructuralBatch8 is eight points of it as one batch: its
// wall_s/sim_s/point against BenchmarkStructuralPoint's is what batching
// gains.
func BenchmarkStructuralBatch8(b *testing.B) {
	backendtest.BenchStructural(b, &cpu.Backend{}, 8, sp20)
}

// BenchmarkStructuralPointOneThread is BenchmarkStructuralPoint on one
// thread: 1000 neurons give too little work per step to share.
func BenchmarkStructuralPointOneThread(b *testing.B) {
	backendtest.BenchStructural(b, &cpu.Backend{Threads: 1}, 1, sp20)
}
