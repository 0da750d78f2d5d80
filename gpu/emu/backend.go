package emu

import (
	"sync/atomic"

	"github.com/snn-gpu/snn-gpu/gpu"
)

// NewBackend returns the GPU backend on an emulated device of total bytes.
func NewBackend(total int64) *gpu.Backend { return NewBackendOn(New(total)) }

// NewBackendOn returns the GPU backend on the emulated device d.
func NewBackendOn(d *Device) *gpu.Backend { return gpu.NewBackend(d, "gpu-emulated") }

// launches counts every emulated launch of the process, so that a test can
// tell that some emulated device worked across several fresh devices.
// Atomic: several emulated devices may run at once (--devices).
var launches atomic.Int64
