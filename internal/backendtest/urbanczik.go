package backendtest

import (
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/spec"
)

// UrbanczikVars are pp_cond_exp_mc_urbanczik's recordables (NEST's) and
// dPI.
var UrbanczikVars = []string{"V_m.s", "g_ex.s", "g_in.s", "V_m.p", "I_ex.p", "I_in.p", "dPI"}

// UrbanczikInput is one device of the receptor protocol: a spike_generator
// (Times, Weights: nS on the soma, pA on the dendrite) or, with Amplitude,
// a dc_generator on from Start to Stop, into Receptor with delay 1 ms.
type UrbanczikInput struct {
	Receptor         string
	Times, Weights   []float64
	Amplitude        float64
	Start, Stop      float64
	DelayMs, ConnWgt float64 // 0: 1 ms and 1
}

// UrbanczikInputs is the receptor protocol: every spike receptor and both
// current receptors in turn, then all together.
var UrbanczikInputs = []UrbanczikInput{
	{Receptor: "soma_exc", Times: []float64{10, 12, 120}, Weights: []float64{20, 40, 30}},
	{Receptor: "soma_inh", Times: []float64{30, 120.5}, Weights: []float64{50, 25}},
	{Receptor: "dendritic_exc", Times: []float64{50, 50.3, 121}, Weights: []float64{800, 400, 600}},
	{Receptor: "dendritic_inh", Times: []float64{70, 121.5}, Weights: []float64{900, 300}},
	{Receptor: "soma_curr", Amplitude: 400, Start: 85, Stop: 95},
	{Receptor: "dendritic_curr", Amplitude: -300, Start: 100, Stop: 130},
}

// UrbanczikNet is n pp_cond_exp_mc_urbanczik with params and initial
// values init under inputs over tSim ms, recording vars of neuron 0 every
// step.
func UrbanczikNet(n int, params map[string]float64, init map[string]float64, inputs []UrbanczikInput, tSim float64, vars ...string) spec.Network {
	in := map[string]spec.Value{}
	for k, v := range init {
		in[k] = spec.Constant(v)
	}
	net := spec.Network{
		Simulation:  spec.Simulation{Dt: 0.1, TSim: tSim, Seed: 1},
		Populations: []spec.Population{{Name: "n", Model: "pp_cond_exp_mc_urbanczik", N: n, Params: params, Init: in}},
		Analysis:    spec.Analysis{BinMs: 1},
	}
	if len(vars) > 0 {
		net.Recorders = []spec.Recorder{{Model: "multimeter", Source: "n", Neurons: []int{0},
			RecordFrom: vars, Interval: 0.1, Stop: testnet.Forever}}
	}
	for k, p := range inputs {
		name := "in" + string(rune('a'+k))
		d := spec.Device{Name: name, Model: "spike_generator", N: 1,
			Params: map[string]float64{"start": 0, "stop": testnet.Forever, "origin": 0},
			Lists:  map[string][]float64{"spike_times": p.Times, "spike_weights": p.Weights}}
		if p.Times == nil {
			d = spec.Device{Name: name, Model: "dc_generator", N: 1,
				Params: map[string]float64{"amplitude": p.Amplitude, "start": p.Start, "stop": p.Stop, "origin": 0}}
		}
		delay, w := p.DelayMs, p.ConnWgt
		if delay == 0 {
			delay = 1
		}
		if w == 0 {
			w = 1
		}
		net.Devices = append(net.Devices, d)
		net.Connections = append(net.Connections, spec.Connection{Source: name, Target: "n",
			Rule: spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true},
			Syn:  spec.Synapse{Model: "static_synapse", Weight: spec.Constant(w), Delay: spec.Constant(delay), ReceptorName: p.Receptor}})
	}
	return net
}

// urbanczikSingles are pp_cond_exp_mc_urbanczik under the receptor
// protocol, firing (somatic drive) with t_ref, and at a high rate with t_ref
// = 0 (Poisson counts of several spikes per step), recording dPI.
func urbanczikSingles() map[string]spec.Network {
	return map[string]spec.Network{
		"pp_cond_exp_mc_urbanczik receptors, t_ref 3 ms": UrbanczikNet(1, map[string]float64{"I_e_s": 9000}, nil,
			UrbanczikInputs, 200, UrbanczikVars...),
		"pp_cond_exp_mc_urbanczik Poisson counts, two-way coupling": UrbanczikNet(1, map[string]float64{"t_ref": 0,
			"phi_max": 3, "g_ps": 200, "I_e_s": 5000}, map[string]float64{"V_m.p": -60}, UrbanczikInputs, 200, UrbanczikVars...),
	}
}
