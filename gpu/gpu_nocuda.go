//go:build !cuda

package gpu

import (
	"errors"

	"github.com/snn-gpu/snn-gpu/engine"
)

// Available reports whether this binary was built with CUDA support.
const Available = false

// Options configures the GPU backend.
type Options struct {
	Device int // CUDA device ordinal
}

// ErrNoCUDA is what New returns in a build without the cuda tag.
var ErrNoCUDA = errors.New("this snn-gpu binary was built without CUDA: build the GPU binary with `make gpu` " +
	"(needs the CUDA toolkit and a GPU node), or use --backend cpu")

// New returns ErrNoCUDA in a build without the cuda tag.
func New(Options) (engine.Backend, error) { return nil, ErrNoCUDA }
