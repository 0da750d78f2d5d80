package gpu

import "unsafe"

// Ptr is a device address.
type Ptr uint64

// Device is where kernels run: a CUDA GPU (cuda build) or the host
// emulation (package gpu/emu), behind the same calls, so that the backend's
// whole orchestration runs in tests on machines without a GPU.
type Device interface {
	Name() string
	Alloc(bytes int64) (Ptr, error) // zeroed
	Free(p Ptr)
	HtoD(dst Ptr, src unsafe.Pointer, bytes int64) error
	DtoH(dst unsafe.Pointer, src Ptr, bytes int64) error
	Zero(dst Ptr, bytes int64) error
	// Launch runs kernel over grid blocks of block threads with args, the
	// device address of its argument struct (kernels/snn.cuh).
	Launch(kernel string, grid [3]int, block int, args Ptr) error
	// Has reports whether the device has a kernel (a model without one
	// is CPU-only).
	Has(kernel string) bool
	Sync() error
	// MemInfo returns the free and total device memory in bytes.
	MemInfo() (free, total int64, err error)
	// Launches counts the launches so far, so that tests can prove that
	// the device, not a fallback, did the work.
	Launches() int64
	Close() error
}

// Capturer is a Device that can record a sequence of launches once and
// replay it (CUDA graphs): a window of steps then costs one launch instead
// of several per step.
type Capturer interface {
	// Capture calls record, whose launches are recorded rather than run,
	// and returns their replay.
	Capture(record func() error) (Replay, error)
}

// Replay is a recorded sequence of launches.
type Replay interface {
	Run() error
	Close() error
}
