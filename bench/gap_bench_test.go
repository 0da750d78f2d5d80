package bench

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
)

// gap21 shortens the gap-junction network to 21 ms (the start-up volley
// included).
var gap21 = backendtest.BenchOptions{Sets: []string{"t_sim=21"}}

// BenchmarkGapNetworkPoint is one point of the gap-junction network (0.3 nS,
// the example's), 21 ms, on the CPU backend (backendtest.BenchGapNetwork).
func BenchmarkGapNetworkPoint(b *testing.B) {
	backendtest.BenchGapNetwork(b, &cpu.Backend{}, backendtest.GapPoint, gap21)
}

// BenchmarkGapNetworkSweep is the seven gap weights as one batch, 21 ms:
// neuron-steps/s against BenchmarkGapNetworkPoint's is what batching gains.
func BenchmarkGapNetworkSweep(b *testing.B) {
	backendtest.BenchGapNetwork(b, &cpu.Backend{}, backendtest.GapSweep, gap21)
}
