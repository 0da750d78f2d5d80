//go:build cuda

package gpu_test

import (
	"fmt"
	"testing"

	"github.com/snn-gpu/snn-gpu/gpu"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
)

// The benchmarks of the GPU backend on the real device (bench/gpu.sh runs
// them with -benchtime 1x, next to the CPU backend's BenchmarkBrunel on the
// same machine). Figures are computed by internal/backendtest as for the
// CPU and the emulated device; each Brunel run is preceded by an untimed
// warm-up run.

// BenchmarkGPUBrunel runs configs/brunel.toml (12,500 neurons, 15.6 M
// synapses, 1 s simulated), one network: wall_s/sim_s (goal: at most 0.1,
// ten times faster than real time) and recurrent events/s.
func BenchmarkGPUBrunel(b *testing.B) {
	dev := openCUDA(b)
	backendtest.BenchBrunel(b, gpu.NewBackend(dev, "gpu"), backendtest.BenchOptions{Batch: 1, WarmUp: true, Work: dev.Launches})
}

// BenchmarkGPUBrunelFiniteCheck runs the Brunel network with and without
// check_finite at the end of every window, to measure what it costs:
// compare wall_s/sim_s of the two (benchstat -col /check).
func BenchmarkGPUBrunelFiniteCheck(b *testing.B) {
	dev := openCUDA(b)
	for _, c := range []struct {
		name string
		be   *gpu.Backend
	}{{"check=on", gpu.NewBackend(dev, "gpu")}, {"check=off", gpu.Unchecked(gpu.NewBackend(dev, "gpu"))}} {
		b.Run(c.name, func(b *testing.B) {
			backendtest.BenchBrunel(b, c.be, backendtest.BenchOptions{Batch: 1, WarmUp: true, Work: dev.Launches})
		})
	}
}

// BenchmarkGPUBrunelBatch runs 1, 8 and 64 copies of the Brunel point in one
// batch (one CSR): events/s of the whole batch (goal at 64: 5e10 or more)
// and wall_s/sim_s per network.
func BenchmarkGPUBrunelBatch(b *testing.B) {
	dev := openCUDA(b)
	for _, n := range []int{1, 8, 64} {
		b.Run(fmt.Sprintf("batch=%d", n), func(b *testing.B) {
			backendtest.BenchBrunel(b, gpu.NewBackend(dev, "gpu"), backendtest.BenchOptions{Batch: n, WarmUp: true, Work: dev.Launches})
		})
	}
}

// BenchmarkGPUStepOverhead runs the empty network (one neuron, nothing
// else): us/step is the backend's floor per step (launches, clock, flushes).
func BenchmarkGPUStepOverhead(b *testing.B) {
	dev := openCUDA(b)
	backendtest.BenchStepOverhead(b, gpu.NewBackend(dev, "gpu"), dev.Launches)
}

// BenchmarkGPUNeuronUpdates times each neuron model's kernel on the device:
// 1,000,000 neurons driven by I_e for 100 ms (updates/s; the CPU backend's
// and the emulator's BenchmarkNeuronUpdates run 10,000).
func BenchmarkGPUNeuronUpdates(b *testing.B) {
	dev := openCUDA(b)
	for _, m := range backendtest.UpdateModels {
		b.Run(m, func(b *testing.B) {
			backendtest.BenchNeuronUpdates(b, gpu.NewBackend(dev, "gpu"), m, 1_000_000, 100, dev.Launches)
		})
	}
}

// BenchmarkGPUGifPopUpdates times gif_pop_psc_exp's kernel on the device
// (backendtest.BenchGifPop): 10,000 nodes (a thread each, 1609 cohorts:
// 320 MB of history) for 100 ms.
func BenchmarkGPUGifPopUpdates(b *testing.B) {
	dev := openCUDA(b)
	backendtest.BenchGifPop(b, gpu.NewBackend(dev, "gpu"), 10_000, 100, dev.Launches)
}

// BenchmarkGPUGapNetwork runs the gap-junction network of issue 9 (500
// hh_psc_alpha_gap with waveform relaxation, 21 ms) on the device: the
// example's point alone and the seven gap weights as one batch
// (backendtest.BenchGapNetwork; goal: wall_s/sim_s/point at most 6.2, ten
// times NEST's fastest single-thread run).
func BenchmarkGPUGapNetwork(b *testing.B) {
	dev := openCUDA(b)
	for _, c := range []struct {
		name   string
		points []int
	}{{"point", backendtest.GapPoint}, {"sweep", backendtest.GapSweep}} {
		b.Run(c.name, func(b *testing.B) {
			backendtest.BenchGapNetwork(b, gpu.NewBackend(dev, "gpu"), c.points,
				backendtest.BenchOptions{Sets: []string{"t_sim=21"}, WarmUp: true, Work: dev.Launches})
		})
	}
}
