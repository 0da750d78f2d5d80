package backendtest

import (
	"math"
	"reflect"
	"testing"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// urbanczikOneToOne: 6 parrots relay independent 40-Hz Poisson trains one
// to one onto the dendrites of 6 pp_cond_exp_mc_urbanczik by
// urbanczik_synapse (learning rate eta, weights 100-400 pA, delays 0.1-3
// ms), which a 3-kHz Poisson drive of the soma makes fire. Each ring slot
// of a neuron takes one addition at most (one plastic synapse per target,
// the drive a device), so the order of a real GPU's atomic additions
// cannot change a bit: the weights, which feed back through V_m.p into
// dPI, must be the CPU's to the bit there as well.
func urbanczikOneToOne(eta float64) spec.Network {
	one := spec.Rule{Name: "one_to_one"}
	all := spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true}
	return spec.Network{
		Simulation: spec.Simulation{Dt: 0.1, TSim: 400, Seed: 9},
		Populations: []spec.Population{{Name: "pre", Model: "parrot_neuron", N: 6},
			{Name: "post", Model: "pp_cond_exp_mc_urbanczik", N: 6}},
		Devices: []spec.Device{{Name: "in", Model: "poisson_generator", N: 1, Params: map[string]float64{"rate": 40}},
			{Name: "drive", Model: "poisson_generator", N: 1, Params: map[string]float64{"rate": 3000}}},
		Connections: []spec.Connection{
			{Source: "in", Target: "pre", Rule: all, Syn: spec.Synapse{Model: "static_synapse", Weight: spec.Constant(1), Delay: spec.Constant(1)}},
			{Source: "drive", Target: "post", Rule: all, Syn: spec.Synapse{Model: "static_synapse", Weight: spec.Constant(4),
				Delay: spec.Constant(1), ReceptorName: "soma_exc"}},
			{Source: "pre", Target: "post", Rule: one, Syn: spec.Synapse{Model: "urbanczik_synapse", ReceptorName: "dendritic_exc",
				Weight: spec.Param("random.uniform(100, 400)"), Delay: spec.Param("random.uniform(0.1, 3)"),
				Params: map[string]float64{"eta": eta, "tau_Delta": 100, "Wmin": 0, "Wmax": 3000}}},
		},
		Recorders: []spec.Recorder{{Name: "s", Model: "spike_recorder", Source: "post", Stop: testnet.Forever}},
		Analysis:  spec.Analysis{BinMs: 1},
	}
}

// urbanczik_synapse's weights and variables (W_0, PI_int, PI_exp_int, the
// traces) equal the CPU's bit for bit, and so do the spikes: a batch of
// three learning rates, delays from 0.1 to 3 ms.
func testUrbanczikMatchesCPU(t *testing.T, s Subject) {
	etas := []float64{0.1, 0.5, 2}
	run := func(b engine.Backend) (*testnet.Collector, *network.Projection) {
		var points []spec.Network
		for _, eta := range etas {
			points = append(points, urbanczikOneToOne(eta))
		}
		c, net, err := runAt(t, b, firstPoints(len(points)), points...)
		if err != nil {
			t.Fatal(err)
		}
		var pr *network.Projection
		for _, p := range net.Projections {
			if p.Connection == 2 && p.Plastic != nil {
				pr = p
			}
		}
		if pr == nil {
			t.Fatal("connection[2] is not plastic")
		}
		return c, pr
	}
	want, wpr := run(&cpu.Backend{Threads: 1})
	got, gpr := run(s.New())
	t.Logf("%d spikes", len(want.Spiked))
	if len(want.Spiked) < 100 || !reflect.DeepEqual(got.Spiked, want.Spiked) {
		t.Fatalf("spikes: %d, want the CPU's %d", len(got.Spiked), len(want.Spiked))
	}
	for m := range etas {
		k := wpr.Plastic.Rules[m].Vars()
		moved := 0
		for j, w := range wpr.Of(m).Weights {
			if g := gpr.Of(m).Weights[j]; math.Float32bits(g) != math.Float32bits(w) {
				t.Fatalf("member %d synapse %d: weight %v, the CPU's %v", m, j, g, w)
			}
			if float64(w) != wpr.Plastic.Vars[m][j*k] {
				moved++
			}
		}
		if moved < len(wpr.Of(m).Weights)/2 {
			t.Errorf("member %d: %d of %d weights moved from W_0: the rule barely ran", m, moved, len(wpr.Of(m).Weights))
		}
		for j, v := range wpr.Plastic.Vars[m] {
			if g := gpr.Plastic.Vars[m][j]; math.Float64bits(g) != math.Float64bits(v) {
				t.Fatalf("member %d variable %d: %v, the CPU's %v", m, j, g, v)
			}
		}
	}
}
