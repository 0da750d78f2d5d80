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
var ErrNoCUDA = errors.New("this snn-gpu binary has no GPU backend: it was built without CUDA, " +
	"and the CUDA backend itself is not written yet (`make gpu` says so); use --backend cpu or auto")

// New returns ErrNoCUDA in a build without the cuda tag.
func New(Options) (engine.Backend, error) { return nil, ErrNoCUDA }
