package engine

import (
	"context"

	"github.com/snn-gpu/snn-gpu/internal/memory"
	"github.com/snn-gpu/snn-gpu/network"
)

// Backend runs a built network.
type Backend interface {
	// Name is what summary.parquet records ("cpu", "gpu", "gpu-emulated").
	Name() string
	// Run simulates net.Steps steps of every batch member, feeding sink, and
	// calling progress (if not nil) now and then with the steps done. It
	// checks the state every CheckSteps steps: a member whose state became
	// NaN or infinite stops reaching the sink, the others go on, and Run
	// then returns Failed (the members and a NonFinite each).
	Run(ctx context.Context, net *network.Network, sink Sink, progress func(steps int64)) error
}

// Sizer is a backend whose memory bounds the batch (the GPU): the runner
// asks it, before allocating anything, how many points of a structure fit.
type Sizer interface {
	// Fit returns how many members of net's structure fit and a report of
	// the estimate (shared and per-member bytes, memory free); an error when
	// not even one does.
	Fit(net *network.Network) (members int, report string, err error)
}

// MemoryEstimator is a backend that says, before anything is built, what
// host memory its run of a network of shape sh adds to the network itself
// (state, buffers, work lists), so that the runner can refuse a run or
// shrink a batch that would not fit.
type MemoryEstimator interface {
	Memory(sh *network.Shape, e *memory.Estimate)
}
