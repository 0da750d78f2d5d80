//go:build !cuda

package gpu

import "github.com/snn-gpu/snn-gpu/engine"

// Available reports whether this binary was built with CUDA support.
const Available = false

// New returns ErrNoCUDA in a build without the cuda tag.
func New(Options) (engine.Backend, error) { return nil, ErrNoCUDA }

// DeviceCount returns ErrNoCUDA in a build without the cuda tag.
func DeviceCount() (int, error) { return 0, ErrNoCUDA }
