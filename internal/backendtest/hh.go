package backendtest

import (
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
