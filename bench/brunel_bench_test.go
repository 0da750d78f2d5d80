package bench

import (
	"os"
	"testing"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
	"github.com/snn-gpu/snn-gpu/internal/parallel"
)

// benchmarkBrunel runs configs/brunel.toml (NEST's brunel_delta_nest.py:
// 12,500 neurons, 15.6 M synapses, 1 s) with batch copies of the point on
// the CPU backend. Reported (backendtest.BenchBrunel, shared with the GPU
// benchmarks): wall seconds per simulated second, recurrent synaptic events
// per wall second, CSR bytes per synapse and the build time.
func benchmarkBrunel(b *testing.B, threads, batch int) {
	backendtest.BenchBrunel(b, &cpu.Backend{Threads: threads}, backendtest.BenchOptions{Batch: batch, Threads: threads})
}

// BenchmarkBrunel runs one Brunel network on all cores.
func BenchmarkBrunel(b *testing.B) { benchmarkBrunel(b, 0, 1) }

// BenchmarkBrunelOneThread runs it on one core: events/s is then per core.
func BenchmarkBrunelOneThread(b *testing.B) { benchmarkBrunel(b, 1, 1) }

// BenchmarkBrunelBatch runs as many copies as cores in one batch (one CSR):
// wall_s/sim_s is then per network.
func BenchmarkBrunelBatch(b *testing.B) { benchmarkBrunel(b, 0, parallel.Threads(0)) }

// BenchmarkMicrocircuit runs configs/microcircuit.toml (Potjans & Diesmann
// 2014; 1 s after 0.1 s of warm-up) on all cores, at the scale
// $SNN_PD14_SCALE: 0.1 by default (7,717 neurons, 3 M synapses, seconds),
// 1 for the full 77,169 neurons and 0.3e9 synapses (minutes and about 5 GiB).
func BenchmarkMicrocircuit(b *testing.B) {
	scale := os.Getenv("SNN_PD14_SCALE")
	if scale == "" {
		scale = "0.1"
	}
	b.Logf("microcircuit at scale %s", scale)
	backendtest.BenchBrunel(b, &cpu.Backend{}, backendtest.BenchOptions{Config: "microcircuit", Sets: []string{"scale=" + scale}})
}
