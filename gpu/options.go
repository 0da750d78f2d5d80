package gpu

import "errors"

// ErrNoCUDA is what New returns in a build without the cuda tag.
var ErrNoCUDA = errors.New("this snn-gpu binary was built without CUDA: build the GPU binary with `make gpu` " +
	"(needs the CUDA toolkit; the binary runs on GPU nodes), or use --backend cpu")

// Options configures the GPU backend.
type Options struct {
	Device int // CUDA device ordinal
	// SyncEachLaunch waits for every kernel, so that an error names the
	// launch that caused it (slow; for debugging).
	SyncEachLaunch bool
}
