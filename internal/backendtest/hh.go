package backendtest

import (
	"reflect"
	"testing"

	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/spec"
)

// hhCell is one neuron of an HH model with params, sampled every step
// (dt ms) for the given variables.
func hhCell(model string, params map[string]float64, dt, tSim float64, vars ...string) spec.Network {
	return spec.Network{
		Simulation:  spec.Simulation{Dt: dt, TSim: tSim, Seed: 1},
		Populations: []spec.Population{{Name: "n", Model: model, N: 1, Params: params}},
		Recorders: []spec.Recorder{{Model: "multimeter", Source: "n", Neurons: []int{0},
			RecordFrom: vars, Interval: dt, Stop: testnet.Forever}},
		Analysis: spec.Analysis{BinMs: 1},
	}
}

// hhSingles are HH neurons under a constant current, Poisson input of both
// signs and a step current: the adaptive stepper's every path (rejected
// steps at spikes, the carried step size) on both backends.
func hhSingles() map[string]spec.Network {
	out := map[string]spec.Network{}
	classic := hhCell("hh_psc_alpha", map[string]float64{"I_e": 600}, 0.1, 150, "V_m", "Act_m", "Inact_h", "Act_n", "I_syn_ex", "I_syn_in")
	Drive(&classic, "pe", "poisson_generator", map[string]float64{"rate": 3000}, nil, 100, 1.5)
	Drive(&classic, "pi", "poisson_generator", map[string]float64{"rate": 1000}, nil, -150, 0.8)
	out["hh_psc_alpha, Poisson ex and in"] = classic
	gap := hhCell("hh_psc_alpha_gap", map[string]float64{"I_e": 50}, 0.05, 120, "V_m", "Act_m", "Inact_h", "Act_n", "Inact_p", "I_syn_ex", "I_syn_in")
	Drive(&gap, "pe", "poisson_generator", map[string]float64{"rate": 2000}, nil, 200, 1)
	Drive(&gap, "scg", "step_current_generator", nil,
		map[string][]float64{"amplitude_times": {20, 70}, "amplitude_values": {150, 0}}, 1, 1)
	out["hh_psc_alpha_gap, Poisson and step current"] = gap
	return out
}

// GapNetwork is n hh_psc_alpha_gap with random initial potentials, Poisson
// drive, inhibitory fixed in-degree connections and pairs random gap
// junctions of conductance g (NEST's inhibitory gap example, small), with
// the waveform relaxation w, sampled every step for neurons 0-2.
func GapNetwork(n, pairs int, g float64, w spec.WFR, tSim float64) spec.Network {
	pt := spec.Network{
		Simulation: spec.Simulation{Dt: 0.05, TSim: tSim, Seed: 3, WFR: &w},
		Populations: []spec.Population{{Name: "HH", Model: "hh_psc_alpha_gap", N: n,
			Init: map[string]spec.Value{"V_m": {Expr: "random.uniform(-80, -40)"}}}},
		Connections: []spec.Connection{
			{Source: "HH", Target: "HH", Rule: spec.Rule{Name: "fixed_indegree", AllowAutapses: false, AllowMultapses: true,
				Params: map[string]spec.Value{"indegree": spec.Constant(5)}},
				Syn: spec.Synapse{Model: "static_synapse", Weight: spec.Constant(-50), Delay: spec.Constant(1)}},
			{Source: "HH", Target: "HH", Rule: spec.Rule{Name: "fixed_total_number", AllowAutapses: true, AllowMultapses: true,
				MakeSymmetric: true, Params: map[string]spec.Value{"N": spec.Constant(float64(pairs))}},
				Syn: spec.Synapse{Model: spec.GapJunction, Weight: spec.Constant(g), Delay: spec.Constant(1)}},
		},
		Recorders: []spec.Recorder{{Model: "multimeter", Source: "HH", Neurons: []int{0, 1, 2},
			RecordFrom: []string{"V_m"}, Interval: 0.05, Stop: testnet.Forever}},
		Analysis: spec.Analysis{BinMs: 1},
	}
	Drive(&pt, "drive", "poisson_generator", map[string]float64{"rate": 500}, nil, 300, 1)
	return pt
}

// Gap junctions: NEST's test pair (20 nS) with each interpolation order and
// without waveform relaxation, and a small network as one batch of three
// conductances, give the CPU's spikes and samples to the last bit.
func testGapMatchesCPU(t *testing.T, s Subject) {
	wfr := func(order int) spec.WFR {
		return spec.WFR{Use: true, CommInterval: 1, Tol: 1e-4, MaxIterations: 10, InterpolationOrder: order}
	}
	pair := func(w spec.WFR) spec.Network {
		pt := hhCell("hh_psc_alpha_gap", map[string]float64{"I_e": 200}, 0.1, 20, "V_m")
		pt.Simulation.WFR = &w
		pt.Populations = append(pt.Populations, spec.Population{Name: "m", Model: "hh_psc_alpha_gap", N: 1})
		pt.Connections = []spec.Connection{{Source: "n", Target: "m",
			Rule: spec.Rule{Name: "one_to_one", AllowAutapses: true, AllowMultapses: true, MakeSymmetric: true},
			Syn:  spec.Synapse{Model: spec.GapJunction, Weight: spec.Constant(20), Delay: spec.Constant(1)}}}
		return pt
	}
	cases := map[string][]spec.Network{
		"pair, order 3":   {pair(wfr(3))},
		"pair, order 0":   {pair(wfr(0))},
		"pair, explicit":  {pair(spec.WFR{Use: false, Tol: 1e-4, MaxIterations: 10, InterpolationOrder: 3})},
		"network, 3 g":    {GapNetwork(40, 600, 0, wfr(3), 30), GapNetwork(40, 600, 0.3, wfr(3), 30), GapNetwork(40, 600, 1, wfr(3), 30)},
		"network, 1.5 ms": {GapNetwork(40, 600, 0.5, spec.WFR{Use: true, CommInterval: 1.5, Tol: 1e-4, MaxIterations: 4, InterpolationOrder: 1}, 20)},
	}
	for name, pts := range cases {
		want := reference(t, pts...)
		got := RunPoints(t, s.New(), pts...)
		if len(want.Spiked) == 0 {
			t.Fatalf("%s: no spikes on the CPU", name)
		}
		if !reflect.DeepEqual(got.Spiked, want.Spiked) {
			t.Errorf("%s: %d spikes, CPU %d (or at other times)", name, len(got.Spiked), len(want.Spiked))
		}
		if len(got.Sampled) != len(want.Sampled) {
			t.Fatalf("%s: %d samples, CPU %d", name, len(got.Sampled), len(want.Sampled))
		}
		for i := range want.Sampled {
			if !reflect.DeepEqual(got.Sampled[i], want.Sampled[i]) {
				t.Errorf("%s: sample %d = %+v, CPU %+v", name, i, got.Sampled[i], want.Sampled[i])
				break
			}
		}
	}
}
