//go:build cuda

package gpu_test

import (
	"sync"
	"testing"

	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/gpu"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
)

// These tests and the benchmarks of cuda_bench_test.go need a GPU: a binary
// built with the cuda tag exits at start on a machine without one (cu's
// init). bench/gpu.sh runs them on a GPU machine.

// cudaDevice is the one device every test and benchmark of the binary
// shares (a context per backend would cost a context's memory each); it is
// released when the process exits.
var cudaDevice = sync.OnceValues(func() (gpu.Device, error) { return gpu.OpenCUDA(gpu.Options{}) })

func openCUDA(tb testing.TB) gpu.Device {
	tb.Helper()
	d, err := cudaDevice()
	if err != nil {
		tb.Fatalf("opening the CUDA device: %v", err)
	}
	return d
}

// The GPU backend on the real device passes the conformance suite; the
// device's launch counter proves that its kernels did the work. Float
// atomics on a GPU add in no fixed order, so a batch is compared with its
// points alone by statistics, not spike for spike. CSRReadBack then reads
// every uploaded CSR array back from the device after a run.
func TestConformance(t *testing.T) {
	dev := openCUDA(t)
	free, total, err := dev.MemInfo()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("device %s: %d of %d MiB free", dev.Name(), free>>20, total>>20)
	backendtest.Run(t, backendtest.Subject{
		New:   func() engine.Backend { return gpu.NewBackend(dev, "gpu") },
		Work:  dev.Launches,
		Exact: false,
	})
	t.Run("CSRReadBack", func(t *testing.T) { checkCSROnDevice(t, dev, "gpu") })
}
