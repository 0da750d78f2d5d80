package backendtest

import (
	"fmt"
	"math"
	"testing"

	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/spec"
)

// RateNetwork is every rate model in one network at dt 0.1 ms: a noisy
// lin_rate_ipn driver (and a step_rate_generator from 1 ms) feeds each
// model through an instantaneous and a delayed (0.3 ms) connection of
// random weights (fixed_indegree 3), and every model feeds the next one
// back; ipn and opn models alternate linear_summation and use
// mult_coupling where it does anything (lin_rate). A spiking population
// with its own drive runs beside them (a mixed network). Every state
// variable of every neuron is recorded every step. sigma scales the noise.
func RateNetwork(sigma, tSim float64) spec.Network {
	pt := spec.Network{Simulation: spec.Simulation{Dt: 0.1, TSim: tSim, Seed: 3}, Analysis: spec.Analysis{BinMs: 1}}
	pt.Populations = append(pt.Populations, spec.Population{Name: "drive", Model: "lin_rate_ipn", N: 8,
		Params: map[string]float64{"mu": 0.5, "sigma": sigma, "tau": 2}})
	pt.Devices = []spec.Device{{Name: "gen", Model: "step_rate_generator", N: 1, Params: map[string]float64{"stop": testnet.Forever},
		Lists: map[string][]float64{"amplitude_times": {1, 3}, "amplitude_values": {0.4, -0.2}}}}
	conn := func(src, tgt, model string, rule spec.Rule, delay float64) spec.Connection {
		return spec.Connection{Source: src, Target: tgt, Rule: rule,
			Syn: spec.Synapse{Model: model, Weight: spec.Value{Expr: "random.uniform(-0.8, 0.8)"}, Delay: spec.Constant(delay)}}
	}
	indeg := spec.Rule{Name: "fixed_indegree", AllowAutapses: true, AllowMultapses: true, Params: map[string]spec.Value{"indegree": spec.Constant(3)}}
	all := spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true}
	prev := "drive"
	for k, name := range models.RateModels {
		m, _ := models.LookupNeuron(name)
		p := map[string]float64{}
		if _, ok := models.FindParam(m.Params, "tau"); ok {
			p["tau"] = 1 + float64(k%3)
			p["sigma"] = sigma * float64(1+k%2)
			p["mu"] = 0.1 * float64(k%4)
		}
		if name == "gauss_rate_ipn" {
			p["sigma"] = 0.5 + sigma // the noise and φ's width
		}
		p["linear_summation"] = float64((k + 1) % 2)
		if _, ok := models.FindParam(m.Params, "mult_coupling"); ok && k%3 == 0 {
			p["mult_coupling"] = 1
		}
		if _, ok := models.FindParam(m.Params, "rectify_output"); ok && k%4 == 1 {
			p["rectify_output"], p["rectify_rate"] = 1, 0.05
		}
		if _, ok := models.FindParam(m.Params, "theta"); ok {
			p["theta"] = 0.1
		}
		pt.Populations = append(pt.Populations, spec.Population{Name: name, Model: name, N: 6, Params: p})
		pt.Connections = append(pt.Connections,
			conn("drive", name, spec.RateInstantaneous, indeg, 0),
			conn(prev, name, spec.RateDelayed, indeg, 0.3),
			conn("gen", name, spec.RateDelayed, all, 0.2))
		pt.Connections[len(pt.Connections)-3].Syn.Delay = spec.Constant(0.1)
		prev = name
		vars := []string{}
		for _, v := range m.State {
			vars = append(vars, v.Name)
		}
		pt.Recorders = append(pt.Recorders, spec.Recorder{Name: name, Model: "multimeter", Source: name, First: 6,
			RecordFrom: vars, Interval: 0.1, Stop: testnet.Forever})
	}
	pt.Populations = append(pt.Populations, spec.Population{Name: "spiking", Model: "iaf_psc_delta", N: 3, Params: map[string]float64{"I_e": 2000}})
	pt.Connections = append(pt.Connections, spec.Connection{Source: "spiking", Target: "spiking", Rule: all,
		Syn: spec.Synapse{Model: "static_synapse", Weight: spec.Constant(0.5), Delay: spec.Constant(0.2)}})
	pt.Recorders = append(pt.Recorders, spec.Recorder{Name: "spiking", Model: "multimeter", Source: "spiking", First: 3,
		RecordFrom: []string{"V_m"}, Interval: 0.1, Stop: testnet.Forever})
	return pt
}

// Every rate model, its connections and the generator give the CPU's
// numbers: bit for bit where the backend is exact (the portable normal and
// exponential make the draws and φ the same), else within 1e-5 relative.
// Two members of different noise run as one batch.
func testRateModels(t *testing.T, s Subject) {
	pts := []spec.Network{RateNetwork(0.3, 5), RateNetwork(1, 5)}
	want := reference(t, pts...)
	got := RunPoints(t, s.New(), pts...)
	if len(got.Sampled) != len(want.Sampled) || len(want.Sampled) == 0 {
		t.Fatalf("%d samples, the CPU %d", len(got.Sampled), len(want.Sampled))
	}
	idx := func(c *testnet.Collector) map[string][]float32 {
		out := map[string][]float32{}
		for _, x := range c.Sampled {
			out[fmt.Sprint(x.Member, x.Rec, x.Step)] = x.Values
		}
		return out
	}
	g := idx(got)
	moved := 0
	for _, w := range want.Sampled {
		vs := g[fmt.Sprint(w.Member, w.Rec, w.Step)]
		for i, x := range w.Values {
			if x != 0 {
				moved++
			}
			if y := vs[i]; y != x && (s.Exact || math.Abs(float64(y-x)) > 1e-5*math.Max(1, math.Abs(float64(x)))) {
				t.Fatalf("member %d, %s, step %d, value %d: %g, the CPU %g", w.Member, pts[0].Recorders[w.Rec].Name, w.Step, i, y, x)
			}
		}
	}
	if len(got.Spiked) != len(want.Spiked) || len(want.Spiked) == 0 {
		t.Errorf("the spiking population beside the rate models: %d spikes, the CPU %d", len(got.Spiked), len(want.Spiked))
	}
	if moved < len(want.Sampled) {
		t.Fatalf("only %d nonzero values in %d samples: the network does too little", moved, len(want.Sampled))
	}
}
