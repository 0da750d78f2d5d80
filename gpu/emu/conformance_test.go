package emu

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
)

// The GPU backend on the emulated device passes the conformance suite; the
// device's launch counter proves that its kernels did the work.
func TestConformance(t *testing.T) {
	var last *Device
	backendtest.Run(t, backendtest.Subject{
		New: func() engine.Backend {
			last = New(4 << 30)
			return NewBackendOn(last)
		},
		Work:  func() int64 { return launchesSoFar(last) },
		Exact: true,
	})
}
