package engine

import (
	"context"

	"github.com/snn-gpu/snn-gpu/network"
)

// Backend runs a built network.
type Backend interface {
	// Name is what summary.parquet records ("cpu", "gpu", "gpu-emulated").
	Name() string
	// Run simulates net.Steps steps of every batch member, feeding sink, and
	// calling progress (if not nil) now and then with the steps done.
	Run(ctx context.Context, net *network.Network, sink Sink, progress func(steps int64)) error
}
