package backendtest

import (
	"fmt"
	"math"
	"testing"

	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/spec"
)

// SiegertNetwork is Brunel's mean field (configs/brunel_siegert.toml) at dt
// 0.1 ms with relative inhibition g, and a third population of 5
// siegert_neurons with filtered noise (tau_syn 2 ms) driven by E and I
// through fixed_indegree diffusion connections of random drift: a drive
// unit, E, I and the probes, every rate recorded every step.
func SiegertNetwork(g, tSim float64) spec.Network {
	pt := spec.Network{Simulation: spec.Simulation{Dt: 0.1, TSim: tSim, Seed: 5}, Analysis: spec.Analysis{BinMs: 1}}
	lif := map[string]float64{"tau_m": 20, "t_ref": 2, "theta": 20, "V_reset": 10}
	pt.Populations = []spec.Population{
		{Name: "drive", Model: "siegert_neuron", N: 1, Params: map[string]float64{"mean": 20000}},
		{Name: "E", Model: "siegert_neuron", N: 1, Params: lif},
		{Name: "I", Model: "siegert_neuron", N: 1, Params: lif},
		{Name: "probe", Model: "siegert_neuron", N: 5, Params: map[string]float64{"tau_m": 10, "tau_syn": 2, "tau": 0.5, "theta": 15, "mean": 1}},
	}
	diff := func(src, tgt string, rule spec.Rule, drift spec.Value, diffusion float64) spec.Connection {
		d := spec.Constant(diffusion)
		return spec.Connection{Source: src, Target: tgt, Rule: rule, Syn: spec.Synapse{Model: spec.DiffusionConnection, Weight: drift, Diffusion: &d}}
	}
	all := spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true}
	indeg := spec.Rule{Name: "fixed_indegree", AllowAutapses: true, AllowMultapses: true, Params: map[string]spec.Value{"indegree": spec.Constant(2)}}
	for _, tgt := range []string{"E", "I"} {
		pt.Connections = append(pt.Connections,
			diff("drive", tgt, all, spec.Constant(0.002), 2e-4),
			diff("E", tgt, all, spec.Constant(2), 0.2),
			diff("I", tgt, all, spec.Constant(-0.5*g), 0.05*g*g))
	}
	pt.Connections = append(pt.Connections,
		diff("E", "probe", indeg, spec.Value{Expr: "random.uniform(0, 0.5)"}, 0.1),
		diff("I", "probe", indeg, spec.Value{Expr: "random.uniform(-0.5, 0)"}, 0.3))
	for _, p := range pt.Populations {
		pt.Recorders = append(pt.Recorders, spec.Recorder{Name: p.Name, Model: "multimeter", Source: p.Name, First: p.N,
			RecordFrom: []string{"rate"}, Interval: 0.1, Stop: testnet.Forever})
	}
	return pt
}

// siegert_neuron and diffusion_connection give the CPU's rates within 1e-6
// relative: the transfer function goes through each side's erfc, exp and
// log (kernels/siegert.cuh), which differ from Go's in the last bits, so a
// rate may round to a neighbouring float32 now and then (emulated: rarely;
// TestSiegertMatchesGo). Two members (g = 5 and 3) as one batch.
func testSiegert(t *testing.T, s Subject) {
	pts := []spec.Network{SiegertNetwork(5, 10), SiegertNetwork(3, 10)}
	want := reference(t, pts...)
	got := RunPoints(t, s.New(), pts...)
	if len(got.Sampled) != len(want.Sampled) || len(want.Sampled) == 0 {
		t.Fatalf("%d samples, the CPU %d", len(got.Sampled), len(want.Sampled))
	}
	g := map[string][]float32{}
	for _, x := range got.Sampled {
		g[fmt.Sprint(x.Member, x.Rec, x.Step)] = x.Values
	}
	moved, same, all := 0, 0, 0
	for _, w := range want.Sampled {
		vs := g[fmt.Sprint(w.Member, w.Rec, w.Step)]
		for i, x := range w.Values {
			all++
			if x != 0 {
				moved++
			}
			y := vs[i]
			if y == x {
				same++
				continue
			}
			if math.Abs(float64(y-x)) > 1e-6*math.Abs(float64(x)) {
				t.Fatalf("member %d, %s, step %d: rate %g, the CPU %g", w.Member, pts[0].Recorders[w.Rec].Name, w.Step, y, x)
			}
		}
	}
	if moved < all*9/10 {
		t.Fatalf("only %d nonzero rates in %d: the network does too little", moved, all)
	}
	t.Logf("%d rates, %d equal to the CPU's bits", all, same)
}
