package emu

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/gpu"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/plasticity"
	"github.com/snn-gpu/snn-gpu/spec"
)

// stdpNet: 30 parrots relay independent Poisson trains (40 Hz) onto 8
// iaf_psc_alpha neurons that they and a second Poisson drive make fire at
// 200 to 300 Hz (many spikes in every history); connection 2, parrots →
// neurons, all to all with random weights and delays from 0.1 to 4 ms, is
// the one made plastic. The plastic
// weights feed back into the neurons' spikes, so any difference in a
// weight shows in the spikes too.
func stdpNet(seed uint32) spec.Network {
	all := spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true}
	return spec.Network{
		Simulation: spec.Simulation{Dt: 0.1, TSim: 400, Seed: seed},
		Populations: []spec.Population{{Name: "pre", Model: "parrot_neuron", N: 30},
			{Name: "post", Model: "iaf_psc_alpha", N: 8, Params: map[string]float64{"t_ref": 2}}},
		Devices: []spec.Device{{Name: "in", Model: "poisson_generator", N: 1, Params: map[string]float64{"rate": 40}},
			{Name: "drive", Model: "poisson_generator", N: 1, Params: map[string]float64{"rate": 9000}}},
		Connections: []spec.Connection{
			{Source: "in", Target: "pre", Rule: all, Syn: spec.Synapse{Model: "static_synapse", Weight: spec.Constant(1), Delay: spec.Constant(1)}},
			{Source: "drive", Target: "post", Rule: all, Syn: spec.Synapse{Model: "static_synapse", Weight: spec.Constant(11), Delay: spec.Constant(1)}},
			{Source: "pre", Target: "post", Rule: all, Syn: spec.Synapse{Model: "static_synapse",
				Weight: spec.Param("random.uniform(20, 60)"), Delay: spec.Param("random.uniform(0.1, 4)")}},
		},
		Recorders: []spec.Recorder{{Name: "s", Model: "spike_recorder", Source: "post", Stop: testnet.Forever}},
		Analysis:  spec.Analysis{BinMs: 1},
	}
}

// runPlastic builds points as one batch, makes connection conn plastic
// with one rule per member, runs it on b and returns the spikes and every
// member's final weights.
func runPlastic(t *testing.T, b engine.Backend, conn int, rules []plasticity.Rule, points ...spec.Network) (*testnet.Collector, [][]float32) {
	t.Helper()
	net := backendtest.Batch(t, points...)
	var pr *network.Projection
	for _, p := range net.Projections {
		if p.Connection == conn && p.Role == network.RolePrimary {
			pr = p
		}
	}
	if err := pr.MakePlastic(rules); err != nil {
		t.Fatal(err)
	}
	c := &testnet.Collector{}
	if err := b.Run(context.Background(), net, c, nil); err != nil {
		t.Fatal(err)
	}
	var ws [][]float32
	for m := range points {
		ws = append(ws, pr.Of(m).Weights)
	}
	return c, ws
}

// sameRun reports where the emulated GPU's weights and spikes differ
// from the CPU's: bit for bit, both.
func sameRun(t *testing.T, cpuSpikes, gpuSpikes *testnet.Collector, cpuW, gpuW [][]float32, w0 []float32) {
	t.Helper()
	for m := range cpuW {
		changed := 0
		for j := range cpuW[m] {
			if math.Float32bits(cpuW[m][j]) != math.Float32bits(gpuW[m][j]) {
				t.Fatalf("member %d synapse %d: weight %v on the emulated GPU, %v on the CPU", m, j, gpuW[m][j], cpuW[m][j])
			}
			if cpuW[m][j] != w0[j] {
				changed++
			}
		}
		t.Logf("member %d: %d of %d weights changed, %d spikes", m, changed, len(w0), len(cpuSpikes.Spiked))
		if changed < len(w0)/2 {
			t.Errorf("member %d: %d of %d weights changed: the rule barely ran", m, changed, len(w0))
		}
	}
	if len(cpuSpikes.Spiked) < 100 {
		t.Fatalf("%d spikes: too few to test anything", len(cpuSpikes.Spiked))
	}
	if !reflect.DeepEqual(cpuSpikes.Spiked, gpuSpikes.Spiked) {
		t.Errorf("spikes differ: %d on the CPU, %d on the emulated GPU", len(cpuSpikes.Spiked), len(gpuSpikes.Spiked))
	}
}

// Emulated GPU = CPU on each rule: a batch of three members with
// different learning rates (and, for stdp_synapse, both weight
// dependences), several delays; the final weights and all spikes bit for
// bit, and the members' weights differ from each other.
func TestSTDPEmulatedEqualsCPU(t *testing.T) {
	for _, c := range []struct {
		model string
		rules []plasticity.Rule
	}{
		{"stdp_synapse", []plasticity.Rule{
			plasticity.STDP{Tau: 20, Lambda: 0.01, Alpha: 1.05, MuPlus: 1, MuMinus: 1, Wmax: 80},
			plasticity.STDP{Tau: 20, Lambda: 0.05, Alpha: 1.05, MuPlus: 0.4, MuMinus: 0.4, Wmax: 80},
			plasticity.STDP{Tau: 15, Lambda: 0.2, Alpha: 1.2, MuPlus: 0, MuMinus: 0, Wmax: 80}}},
		{"stdp_synapse_hom", []plasticity.Rule{
			plasticity.STDP{Tau: 20, Lambda: 0.002, Alpha: 1, MuPlus: 1, MuMinus: 1, Wmax: 100},
			plasticity.STDP{Tau: 20, Lambda: 0.02, Alpha: 1, MuPlus: 1, MuMinus: 1, Wmax: 100}}},
		{"stdp_pl_synapse_hom", []plasticity.Rule{
			plasticity.PowerLaw{Tau: 15, Lambda: 0.1, Alpha: 0.0513, Mu: 0.4},
			plasticity.PowerLaw{Tau: 15, Lambda: 0.3, Alpha: 0.0513, Mu: 0.4},
			plasticity.PowerLaw{Tau: 20, Lambda: 0.05, Alpha: 0.2, Mu: 0.6}}},
	} {
		t.Run(c.model, func(t *testing.T) {
			var points []spec.Network
			for range c.rules {
				points = append(points, stdpNet(3))
			}
			_, w0 := runPlastic(t, staticRun{}, 2, c.rules[:1], points[0])
			cs, cw := runPlastic(t, &cpu.Backend{Threads: 2}, 2, c.rules, points...)
			gs, gw := runPlastic(t, NewBackend(1<<30), 2, c.rules, points...)
			sameRun(t, cs, gs, cw, gw, w0[0])
			if reflect.DeepEqual(cw[0], cw[1]) {
				t.Error("members 0 and 1 end with the same weights: the learning rates made no difference")
			}
		})
	}
}

// staticRun runs nothing: runPlastic with it returns the initial weights.
type staticRun struct{}

func (staticRun) Name() string { return "none" }
func (staticRun) Run(context.Context, *network.Network, engine.Sink, func(int64)) error {
	return nil
}

// A small Brunel network (iaf_psc_alpha, 250 neurons) whose E → E
// synapses follow stdp_pl_synapse_hom (hpc_benchmark's rule), two
// learning rates in one batch: emulated GPU = CPU, spikes and weights.
func TestBrunelSTDPEmulatedEqualsCPU(t *testing.T) {
	rules := []plasticity.Rule{plasticity.PowerLaw{Tau: 15, Lambda: 0.1, Alpha: 0.0513, Mu: 0.4},
		plasticity.PowerLaw{Tau: 15, Lambda: 0.5, Alpha: 0.0513, Mu: 0.4}}
	tSim := 300.0
	if testing.Short() {
		tSim = 100
	}
	net := func() spec.Network { return testnet.BrunelAlpha(50, 5, 2, tSim, 7) }
	_, w0 := runPlastic(t, staticRun{}, 2, rules[:1], net())
	cs, cw := runPlastic(t, &cpu.Backend{Threads: 2}, 2, rules, net(), net())
	gs, gw := runPlastic(t, NewBackend(1<<30), 2, rules, net(), net())
	sameRun(t, cs, gs, cw, gw, w0[0])
}

// A history too short for the synapses' needs stops the run with an
// error that names the connection and the remedy, rather than let a
// weight miss a spike: one postsynaptic spike kept, where every
// transmission after the target's second spike needs more.
func TestSTDPHistoryOverflowDetected(t *testing.T) {
	b := NewBackend(1 << 30)
	b.PlasticHistory = 1
	idx := []int{0}
	net, err := network.Build([]spec.Network{stdpNet(3)}, idx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range net.Projections {
		if p.Connection == 2 && p.Role == network.RolePrimary {
			if err := p.MakePlastic([]plasticity.Rule{plasticity.DefaultSTDP}); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = b.Run(context.Background(), net, &testnet.Collector{}, nil)
	if err == nil || !strings.Contains(err.Error(), "connection[2]") || !strings.Contains(err.Error(), "PlasticHistory") {
		t.Errorf("got %v, want the overflow of connection[2]'s history reported", err)
	}
}

// A rule without a device function is refused before anything runs.
func TestPlasticRuleWithoutKernelRefused(t *testing.T) {
	net, err := network.Build([]spec.Network{stdpNet(3)}, []int{0}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range net.Projections {
		if p.Connection == 2 && p.Role == network.RolePrimary {
			if err := p.MakePlastic([]plasticity.Rule{noKernel{plasticity.DefaultSTDP}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = NewBackend(1<<30).Run(context.Background(), net, &testnet.Collector{}, nil)
	if err == nil || !strings.Contains(err.Error(), "no GPU kernel") {
		t.Errorf("got %v, want a refusal of the rule", err)
	}
}

// noKernel is a rule the device does not know.
type noKernel struct{ plasticity.STDP }

// The estimate covers the plastic state (each member's weights, traces
// and histories): a batch of two runs in exactly its estimate, not in a
// byte less.
func TestFitCountsPlasticState(t *testing.T) {
	rules := []plasticity.Rule{plasticity.DefaultSTDP, plasticity.DefaultSTDP}
	build := func() *network.Network {
		net, err := network.Build([]spec.Network{stdpNet(3), stdpNet(3)}, []int{0, 1}, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range net.Projections {
			if p.Connection == 2 && p.Role == network.RolePrimary {
				if err := p.MakePlastic(rules); err != nil {
					t.Fatal(err)
				}
			}
		}
		return net
	}
	shared, member := gpu.Estimate(build(), 100)
	if err := NewBackendOn(New(shared+2*member)).Run(context.Background(), build(), &testnet.Collector{}, nil); err != nil {
		t.Errorf("two members within the estimate of two: %v", err)
	}
	if err := NewBackendOn(New(shared+2*member-1)).Run(context.Background(), build(), &testnet.Collector{}, nil); err == nil {
		t.Error("two members ran in a byte less than their estimate: the estimate is too high")
	}
}

// A source silent for longer than its target's history reaches (its first
// spike at 300 ms, 30 target spikes before, 8 kept) needs no forgotten
// spike's time: before its first spike its trace is 0, and each
// potentiation by 0 counts by number alone. The weights equal the CPU's.
func TestSTDPLateFirstSpike(t *testing.T) {
	var kicks []float64
	for tk := 5.0; tk < 400; tk += 10 {
		kicks = append(kicks, tk)
	}
	all := spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true}
	syn := func(w, d float64) spec.Synapse {
		return spec.Synapse{Model: "static_synapse", Weight: spec.Constant(w), Delay: spec.Constant(d)}
	}
	pt := spec.Network{
		Simulation: spec.Simulation{Dt: 0.1, TSim: 400, Seed: 1},
		Populations: []spec.Population{{Name: "pre", Model: "parrot_neuron", N: 1},
			{Name: "post", Model: "iaf_psc_delta", N: 1}},
		Devices: []spec.Device{{Name: "sp", Model: "spike_generator", N: 1, Lists: map[string][]float64{"spike_times": {300, 305, 340, 372}}},
			{Name: "sq", Model: "spike_generator", N: 1, Lists: map[string][]float64{"spike_times": kicks}}},
		Connections: []spec.Connection{{Source: "sp", Target: "pre", Rule: all, Syn: syn(1, 1)},
			{Source: "sq", Target: "post", Rule: all, Syn: syn(100, 0.1)},
			{Source: "pre", Target: "post", Rule: all, Syn: syn(1.3, 2)}},
		Analysis: spec.Analysis{BinMs: 1},
	}
	rules := []plasticity.Rule{plasticity.STDP{Tau: 20, Lambda: 0.05, Alpha: 1.1, MuPlus: 1, MuMinus: 1, Wmax: 3}}
	b := NewBackend(1 << 30)
	b.PlasticHistory = 8
	_, cw := runPlastic(t, &cpu.Backend{Threads: 1}, 2, rules, pt)
	_, gw := runPlastic(t, b, 2, rules, pt)
	if math.Float32bits(cw[0][0]) != math.Float32bits(gw[0][0]) || cw[0][0] == 1.3 {
		t.Errorf("final weight %v on the emulated GPU, %v on the CPU (from 1.3)", gw[0][0], cw[0][0])
	}
}
