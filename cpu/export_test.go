package cpu

import (
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/structural"
)

// Unchecked returns the backend without its scans for non-finite state, so
// that a benchmark can measure what they cost.
func Unchecked(threads int) *Backend { return &Backend{Threads: threads, unchecked: true} }

// StepByStep returns the backend that runs a batch step by step even where
// it would run it member by member (members.go), to compare the two.
func StepByStep(threads int) *Backend { return &Backend{Threads: threads, stepByStep: true} }

// Windows says how a run of net on threads goes: "step" by step, "members"
// or member "slices" in windows (members.go); and whether its workers hand
// spikes to structural plasticity.
func Windows(net *network.Network, threads int) (mode string, feeds bool) {
	s := newSim(net, threads, true)
	defer s.pool.Close()
	sp, err := structural.New(net)
	if err != nil {
		panic(err)
	}
	feeds = sp != nil && s.members.feeds(sp, net)
	switch {
	case s.members == nil:
		return "step", feeds
	case s.members.split:
		return "slices", feeds
	}
	return "members", feeds
}
