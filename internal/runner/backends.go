package runner

import (
	"fmt"
	"strconv"
	"strings"

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

// Devices returns a GPU backend on each device of list: "all" (every
// visible one), or device numbers separated by commas ("0,1,3").
func Devices(list string) ([]engine.Backend, error) {
	var ids []int
	if list == "all" {
		n, err := gpu.DeviceCount()
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, fmt.Errorf("--devices all: no CUDA device is visible")
		}
		for i := range n {
			ids = append(ids, i)
		}
	} else {
		seen := map[int]bool{}
		for _, s := range strings.Split(list, ",") {
			id, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || id < 0 || seen[id] {
				return nil, fmt.Errorf("--devices %s: expected all, or distinct device numbers >= 0 separated by commas (0,1,2)", list)
			}
			seen[id] = true
			ids = append(ids, id)
		}
	}
	var out []engine.Backend
	for _, id := range ids {
		b, err := gpu.New(gpu.Options{Device: id})
		if err != nil {
			return nil, fmt.Errorf("--devices %s: %w", list, err)
		}
		out = append(out, b)
	}
	return out, nil
}
