package runner

import (
	"fmt"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/gpu"
)

// Backend returns the backend a name asks for: "cpu", "gpu", or "auto"
// (the GPU in a binary built with CUDA, else the CPU).
func Backend(name string, threads int) (engine.Backend, error) {
	switch name {
	case "", "auto":
		if gpu.Available {
			return gpu.New(gpu.Options{})
		}
		return &cpu.Backend{Threads: threads}, nil
	case "cpu":
		return &cpu.Backend{Threads: threads}, nil
	case "gpu":
		return gpu.New(gpu.Options{})
	}
	return nil, fmt.Errorf("unknown backend %q (expected auto, cpu or gpu)", name)
}
