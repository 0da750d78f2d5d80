package cpu_test

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/spec"
)

// The conformance suite every backend runs (analytic single-neuron results,
// batches, and the Brunel networks against this backend itself).
func TestConformance(t *testing.T) {
	backendtest.Run(t, backendtest.Subject{New: func() engine.Backend { return &cpu.Backend{Threads: 2} }, Exact: true})
}

func run(t *testing.T, threads int, points ...spec.Network) *testnet.Collector {
	t.Helper()
	return backendtest.RunPoints(t, &cpu.Backend{Threads: threads}, points...)
}

func runAt(t *testing.T, threads int, idx []int, points ...spec.Network) *testnet.Collector {
	t.Helper()
	return backendtest.RunAt(t, &cpu.Backend{Threads: threads}, idx, points...)
}
