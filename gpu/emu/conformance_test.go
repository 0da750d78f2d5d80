package emu

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
)

// subject is the GPU backend on a fresh emulated device; the process-wide
// launch counter proves that emulated kernels did the work.
func subject(noGraphs bool) backendtest.Subject {
	return backendtest.Subject{
		New: func() engine.Backend {
			b := NewBackend(4 << 30)
			b.NoGraphs = noGraphs
			return b
		},
		Work:  func() int64 { return launches.Load() },
		Exact: true,
	}
}

// The GPU backend on the emulated device passes the conformance suite,
// replaying captured windows of steps as it does on a GPU ...
func TestConformance(t *testing.T) { backendtest.Run(t, subject(false)) }

// ... and launching every kernel on its own.
func TestConformanceWithoutGraphs(t *testing.T) {
	if testing.Short() {
		t.Skip("the suite again, without graphs: skipped with -short")
	}
	backendtest.Run(t, subject(true))
}
