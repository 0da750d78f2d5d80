package backendtest

import (
	"fmt"
	"testing"

	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/spec"
)

// parrot_neuron on every backend: a spike that arrives at t leaves at t as
// often as its multiplicity, from a device (spike_generator's
// multiplicities and equal times) and from neurons (a parrot's repeats
// reach the next parrot as one count).
func testParrot(t *testing.T, s Subject) {
	const dt = 0.1
	static := func(src, tgt string, delay float64) spec.Connection {
		return spec.Connection{Source: src, Target: tgt,
			Rule: spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true},
			Syn:  spec.Synapse{Model: "static_synapse", Weight: spec.Constant(1), Delay: spec.Constant(delay)}}
	}
	pt := spec.Network{
		Simulation: spec.Simulation{Dt: dt, TSim: 10, Seed: 1},
		Populations: []spec.Population{
			{Name: "p", Model: "parrot_neuron", N: 2},
			{Name: "q", Model: "parrot_neuron", N: 1},
		},
		Devices: []spec.Device{{Name: "sg", Model: "spike_generator", N: 1, Lists: map[string][]float64{
			"spike_times": {1, 2, 2, 3.5}, "spike_multiplicities": {1, 2, 1, 3}}}},
		Connections: []spec.Connection{static("sg", "p", 1.5), static("p", "q", 0.2)},
		Recorders: []spec.Recorder{{Name: "sp", Model: "spike_recorder", Source: "p", Stop: testnet.Forever},
			{Name: "sq", Model: "spike_recorder", Source: "q", Stop: testnet.Forever}},
		Analysis: spec.Analysis{BinMs: 1},
	}
	got := RunPoints(t, s.New(), pt)
	// Stamps (steps of 0.1 ms) of the generator's spikes 10, 20, 35 with
	// counts 1, 3, 3; p repeats them 15 steps later, q 2 steps after p
	// with both p's repeats: counts 2, 6, 6.
	want := map[string]int{}
	for _, e := range []struct {
		pop, neuron int
		stamp       int64
		count       int
	}{{0, 0, 25, 1}, {0, 0, 35, 3}, {0, 0, 50, 3}, {0, 1, 25, 1}, {0, 1, 35, 3}, {0, 1, 50, 3},
		{1, 0, 27, 2}, {1, 0, 37, 6}, {1, 0, 52, 6}} {
		want[fmt.Sprintf("pop %d neuron %d stamp %d", e.pop, e.neuron, e.stamp)] = e.count
	}
	have := map[string]int{}
	for _, x := range got.Spiked {
		have[fmt.Sprintf("pop %d neuron %d stamp %d", x.Pop, x.Neuron, x.Step+1)]++
	}
	if fmt.Sprint(have) != fmt.Sprint(want) {
		t.Errorf("parrot spikes (count by key):\n got %v\nwant %v", have, want)
	}
}
