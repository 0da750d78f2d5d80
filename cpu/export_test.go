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

// MemberMode says whether a run of net on threads goes member by member,
// and whether its workers hand spikes to structural plasticity.
func MemberMode(net *network.Network, threads int) (members, feeds bool) {
	s := newSim(net, threads, true)
	defer s.pool.Close()
	sp, err := structural.New(net)
	if err != nil {
		panic(err)
	}
	return s.members != nil, sp != nil && s.members.feeds(sp, net)
}
