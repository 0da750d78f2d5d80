package backendtest

import (
	"context"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/plasticity"
	"github.com/snn-gpu/snn-gpu/spec"
)

// stdpForced: 20 parrots relay independent 40-Hz Poisson trains through
// stdp_synapse (all to all, delays 0.1 to 4 ms, weights 0.1 to 0.3 mV,
// Wmax 0.5 mV) onto 6 iaf_psc_delta that a 30-Hz Poisson drive of 100-mV
// kicks makes fire. The plastic input (some 2 mV on average, 20 mV from
// rest to threshold) never decides a spike, so the spike times do not
// depend on the order of the float additions into the rings, and the
// weights, which depend on the spike times only, must be the CPU's to the
// bit even where atomics add in any order (a real GPU).
func stdpForced() spec.Network {
	all := spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true}
	syn := func(w, d spec.Value) spec.Synapse { return spec.Synapse{Model: "static_synapse", Weight: w, Delay: d} }
	return spec.Network{
		Simulation: spec.Simulation{Dt: 0.1, TSim: 500, Seed: 5},
		Populations: []spec.Population{{Name: "pre", Model: "parrot_neuron", N: 20},
			{Name: "post", Model: "iaf_psc_delta", N: 6}},
		Devices: []spec.Device{{Name: "in", Model: "poisson_generator", N: 1, Params: map[string]float64{"rate": 40}},
			{Name: "kick", Model: "poisson_generator", N: 1, Params: map[string]float64{"rate": 30}}},
		Connections: []spec.Connection{
			{Source: "in", Target: "pre", Rule: all, Syn: syn(spec.Constant(1), spec.Constant(1))},
			{Source: "kick", Target: "post", Rule: all, Syn: syn(spec.Constant(100), spec.Constant(1))},
			{Source: "pre", Target: "post", Rule: all, Syn: syn(spec.Param("random.uniform(0.1, 0.3)"), spec.Param("random.uniform(0.1, 4)"))},
		},
		Recorders: []spec.Recorder{{Name: "s", Model: "spike_recorder", Source: "post", Stop: testnet.Forever},
			{Name: "p", Model: "spike_recorder", Source: "pre", Stop: testnet.Forever}},
		Analysis: spec.Analysis{BinMs: 1},
	}
}

// Spike-timing-dependent weights equal the CPU's bit for bit, and so do
// the spikes: a batch of two learning rates and both weight dependences
// (stdp_synapse; the kernels' other rules are tested on the emulated
// device, gpu/emu/plastic_test.go).
func testSTDPMatchesCPU(t *testing.T, s Subject) {
	rules := []plasticity.Rule{
		plasticity.STDP{Tau: 20, Lambda: 0.02, Alpha: 1.1, MuPlus: 1, MuMinus: 1, Wmax: 0.5},
		plasticity.STDP{Tau: 15, Lambda: 0.1, Alpha: 1.1, MuPlus: 0, MuMinus: 0, Wmax: 0.5}}
	run := func(b engine.Backend) (*finalCollector, *network.Projection) {
		net, err := network.Build([]spec.Network{stdpForced(), stdpForced()}, firstPoints(2), 0)
		if err != nil {
			t.Fatal(err)
		}
		var pr *network.Projection
		for _, p := range net.Projections {
			if p.Connection == 2 && p.Role == network.RolePrimary {
				pr = p
			}
		}
		w0 := append([]float32(nil), pr.Weights...)
		if err := pr.MakePlastic(rules); err != nil { // the targets' tau_minus: 20 ms, the default
			t.Fatal(err)
		}
		c := &finalCollector{}
		if err := b.Run(context.Background(), net, c, nil); err != nil {
			t.Fatal(err)
		}
		for m := range rules {
			if got := c.final[[2]any{pr, m}]; !slices.Equal(got, pr.Of(m).Weights) {
				t.Fatalf("member %d: the sink's final weights (%d) are not the projection's (%d)", m, len(got), len(pr.Of(m).Weights))
			}
		}
		for m := range rules {
			changed := 0
			for j, w := range pr.Of(m).Weights {
				if w != w0[j] {
					changed++
				}
			}
			if changed < len(w0)/2 {
				t.Errorf("member %d: %d of %d weights changed: the rule barely ran", m, changed, len(w0))
			}
		}
		return c, pr
	}
	want, wpr := run(&cpu.Backend{Threads: 1})
	got, gpr := run(s.New())
	if len(want.Spiked) < 500 || !reflect.DeepEqual(got.Spiked, want.Spiked) {
		t.Fatalf("spikes: %d, want the CPU's %d", len(got.Spiked), len(want.Spiked))
	}
	for m := range rules {
		for j, w := range wpr.Of(m).Weights {
			if g := gpr.Of(m).Weights[j]; math.Float32bits(g) != math.Float32bits(w) {
				t.Fatalf("member %d synapse %d: weight %v, the CPU's %v", m, j, g, w)
			}
		}
	}
}

// finalCollector keeps the spikes and the final weights a backend hands
// its sink (engine.WeightSink), a copy per projection and member.
type finalCollector struct {
	testnet.Collector
	final map[[2]any][]float32
}

func (c *finalCollector) Transmitted(int, []engine.Transmission) {}

func (c *finalCollector) FinalWeights(m int, pr *network.Projection) {
	if c.final == nil {
		c.final = map[[2]any][]float32{}
	}
	c.final[[2]any{pr, m}] = slices.Clone(pr.Of(m).Weights)
}
