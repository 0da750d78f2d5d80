package testnet

import (
	"math"

	"github.com/snn-gpu/snn-gpu/spec"
)

// Brunel returns the Brunel (2000) network of NEST's brunel_delta_nest.py
// at order (NE = 4·order, NI = order, CE = NE/10, CI = NI/10) with relative
// inhibition g, external drive eta (in units of the threshold rate) and
// reset vReset (0 in NEST's example, 10 mV in the paper).
func Brunel(order int, g, eta, vReset, tSim float64, seed uint32) spec.Network {
	const (
		j, delay, theta, tau = 0.1, 1.5, 20.0, 20.0
	)
	ne, ni := 4*order, order
	ce, ci := ne/10, ni/10
	nuTh := theta / (j * float64(ce) * tau)
	pRate := 1000 * eta * nuTh * float64(ce)
	params := map[string]float64{"C_m": 1, "tau_m": tau, "t_ref": 2, "E_L": 0, "V_reset": vReset, "V_th": theta}
	init := map[string]spec.Value{"V_m": spec.Constant(0)}
	syn := func(w float64) spec.Synapse {
		return spec.Synapse{Model: "static_synapse", Weight: spec.Constant(w), Delay: spec.Constant(delay)}
	}
	indeg := func(k int) spec.Rule {
		return spec.Rule{Name: "fixed_indegree", Params: map[string]spec.Value{"indegree": spec.Constant(float64(k))},
			AllowAutapses: true, AllowMultapses: true}
	}
	all := spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true}
	return spec.Network{
		Simulation: spec.Simulation{Dt: 0.1, TSim: tSim, Seed: seed},
		Populations: []spec.Population{
			{Name: "E", Model: "iaf_psc_delta", N: ne, Params: params, Init: init},
			{Name: "I", Model: "iaf_psc_delta", N: ni, Params: params, Init: init},
		},
		Devices: []spec.Device{{Name: "noise", Model: "poisson_generator", N: 1, Params: map[string]float64{"rate": pRate}}},
		Connections: []spec.Connection{
			{Source: "noise", Target: "E", Rule: all, Syn: syn(j)},
			{Source: "noise", Target: "I", Rule: all, Syn: syn(j)},
			{Source: "E", Target: "E", Rule: indeg(ce), Syn: syn(j)},
			{Source: "E", Target: "I", Rule: indeg(ce), Syn: syn(j)},
			{Source: "I", Target: "E", Rule: indeg(ci), Syn: syn(-g * j)},
			{Source: "I", Target: "I", Rule: indeg(ci), Syn: syn(-g * j)},
		},
		Analysis: spec.Analysis{BinMs: 1},
	}
}

// Spike is one recorded spike.
type Spike struct {
	Member, Pop int
	Step        int64
	Neuron      uint32
}

// Sample is one multimeter sample.
type Sample struct {
	Member, Rec int
	Step        int64
	Values      []float32
}

// Collector is an engine.Sink that keeps everything.
type Collector struct {
	Spiked  []Spike
	Sampled []Sample
}

func (c *Collector) Spikes(m, pop int, step int64, neurons []uint32) {
	for _, n := range neurons {
		c.Spiked = append(c.Spiked, Spike{m, pop, step, n})
	}
}

func (c *Collector) Sample(m, rec int, step int64, values []float32) {
	c.Sampled = append(c.Sampled, Sample{m, rec, step, append([]float32(nil), values...)})
}

// Member returns the spikes of one batch member.
func (c *Collector) Member(m int) []Spike {
	var out []Spike
	for _, s := range c.Spiked {
		if s.Member == m {
			s.Member = 0
			out = append(out, s)
		}
	}
	return out
}

// Forever is the default stop time of devices and recorders.
var Forever = math.Inf(1)

// BrunelAlpha returns NEST's brunel_alpha_nest.py at order (NE = 4·order,
// NI = order, CE = NE/10, CI = NI/10): iaf_psc_alpha neurons (C_m 250 pF,
// tau_m 20 ms, tau_syn 0.5 ms, V_reset 0), current weights that give
// PSPs of J = 0.1 mV (excitatory) and -g·J, and the script's drive.
func BrunelAlpha(order int, g, eta, tSim float64, seed uint32) spec.Network {
	const (
		j, delay, theta, tau, tauSyn, cm = 0.1, 1.5, 20.0, 20.0, 0.5, 250.0
		// jUnit is the script's ComputePSPnorm(20, 250, 0.5): the peak PSP
		// (mV) of an alpha current of amplitude 1 pA (configs/brunel_alpha.toml
		// computes it from the Lambert W function).
		jUnit = 0.0048355536417246268
	)
	n := Brunel(order, g, eta, 0, tSim, seed)
	jex := j / jUnit
	ce := float64(4 * order / 10)
	nuTh := theta * cm / (jex * ce * math.E * tau * tauSyn)
	params := map[string]float64{"C_m": cm, "tau_m": tau, "tau_syn_ex": tauSyn, "tau_syn_in": tauSyn, "t_ref": 2,
		"E_L": 0, "V_reset": 0, "V_th": theta}
	for i := range n.Populations {
		n.Populations[i].Model = "iaf_psc_alpha"
		n.Populations[i].Params = params
	}
	n.Devices[0].Params = map[string]float64{"rate": 1000 * eta * nuTh * ce}
	for i := range n.Connections {
		w := jex
		if n.Connections[i].Source == "I" {
			w = -g * jex
		}
		n.Connections[i].Syn.Weight = spec.Constant(w)
	}
	return n
}

// Izhikevich2003 returns the network of Izhikevich (2003), net.m, with ne
// excitatory and ni inhibitory izhikevich neurons in the paper's scheme
// (consistent_integration false) at 1 ms: per neuron a draw r, and
// c = -65 + 15r², d = 8 - 6r² (E), a = 0.02 + 0.08r, b = 0.25 - 0.05r (I),
// U_m = b·V_m; all-to-all connections with autapses, weights 0.5·U[0,1)
// (E) and -U[0,1) (I), delay 1 ms; thalamic input 5·N(0,1) (E) and 2·N(0,1)
// (I) per ms from noise_generators.
func Izhikevich2003(ne, ni int, tSim float64, seed uint32) spec.Network {
	r := map[string]spec.Value{"r": spec.Param("random.uniform(0, 1)")}
	all := spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true}
	syn := func(w spec.Value) spec.Synapse {
		return spec.Synapse{Model: "static_synapse", Weight: w, Delay: spec.Constant(1)}
	}
	noise := func(std float64) map[string]float64 {
		return map[string]float64{"mean": 0, "std": std, "dt": 1}
	}
	return spec.Network{
		Simulation: spec.Simulation{Dt: 1, TSim: tSim, Seed: seed},
		Populations: []spec.Population{
			{Name: "E", Model: "izhikevich", N: ne, Params: map[string]float64{"a": 0.02, "b": 0.2, "consistent_integration": 0},
				Draws:     r,
				PerNeuron: map[string]spec.Value{"c": spec.Param("-65 + 15*r**2"), "d": spec.Param("8 - 6*r**2")},
				Init:      map[string]spec.Value{"V_m": spec.Constant(-65), "U_m": spec.Constant(-65 * 0.2)}},
			{Name: "I", Model: "izhikevich", N: ni, Params: map[string]float64{"c": -65, "d": 2, "consistent_integration": 0},
				Draws:     r,
				PerNeuron: map[string]spec.Value{"a": spec.Param("0.02 + 0.08*r"), "b": spec.Param("0.25 - 0.05*r")},
				Init:      map[string]spec.Value{"V_m": spec.Constant(-65), "U_m": spec.Param("-65*(0.25 - 0.05*r)")}},
		},
		Devices: []spec.Device{
			{Name: "thalamus_E", Model: "noise_generator", N: 1, Params: noise(5)},
			{Name: "thalamus_I", Model: "noise_generator", N: 1, Params: noise(2)},
		},
		Connections: []spec.Connection{
			{Source: "thalamus_E", Target: "E", Rule: all, Syn: syn(spec.Constant(1))},
			{Source: "thalamus_I", Target: "I", Rule: all, Syn: syn(spec.Constant(1))},
			{Source: "E", Target: "E", Rule: all, Syn: syn(spec.Param("random.uniform(0, 0.5)"))},
			{Source: "E", Target: "I", Rule: all, Syn: syn(spec.Param("random.uniform(0, 0.5)"))},
			{Source: "I", Target: "E", Rule: all, Syn: syn(spec.Param("-random.uniform(0, 1)"))},
			{Source: "I", Target: "I", Rule: all, Syn: syn(spec.Param("-random.uniform(0, 1)"))},
		},
		Analysis: spec.Analysis{BinMs: 1},
	}
}

// GIFPopulation is NEST's gif_population.py (configs/gif_population.toml)
// with n neurons: gif_psc_exp with Mensi et al.'s parameters, recurrent
// pairwise_bernoulli (p = 0.3, 30 pA), and nNoise Poisson generators of
// rateNoise Hz each (20 pA), delays 1 ms, at 0.1 ms.
func GIFPopulation(n, nNoise int, rateNoise, tSim float64, seed uint32) spec.Network {
	syn := func(w float64) spec.Synapse {
		return spec.Synapse{Model: "static_synapse", Weight: spec.Constant(w), Delay: spec.Constant(1)}
	}
	return spec.Network{
		Simulation: spec.Simulation{Dt: 0.1, TSim: tSim, Seed: seed},
		Populations: []spec.Population{{Name: "gif", Model: "gif_psc_exp", N: n,
			Params: map[string]float64{"C_m": 83.1, "g_L": 3.7, "E_L": -67, "Delta_V": 1.4, "V_T_star": -39.6,
				"t_ref": 4, "V_reset": -36.7, "lambda_0": 1, "tau_syn_ex": 10},
			Lists: map[string][]float64{"q_stc": {56.7, -6.9}, "tau_stc": {57.8, 218.2},
				"q_sfa": {11.7, 1.8}, "tau_sfa": {53.8, 640}}}},
		Devices: []spec.Device{{Name: "noise", Model: "poisson_generator", N: nNoise,
			Params: map[string]float64{"rate": rateNoise, "start": 0, "stop": Forever, "origin": 0}}},
		Connections: []spec.Connection{
			{Source: "noise", Target: "gif", Rule: spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true}, Syn: syn(20)},
			{Source: "gif", Target: "gif", Rule: spec.Rule{Name: "pairwise_bernoulli", Params: map[string]spec.Value{"p": spec.Constant(0.3)}, AllowAutapses: true, AllowMultapses: true}, Syn: syn(30)},
		},
		Analysis: spec.Analysis{BinMs: 5},
	}
}
