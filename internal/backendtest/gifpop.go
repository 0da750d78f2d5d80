package backendtest

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/spec"
)

// gif_pop_psc_exp on every backend: spikes with a multiplicity (one node
// emits its population's count), the variable-length cohort history in a
// batch, and single nodes bit for bit against the CPU. Its dynamics are
// checked against NEST and renewal theory in models/gifpop_test.go.

// gifPopAll are the recordables of gif_pop_psc_exp.
var gifPopAll = []string{"V_m", "n_events", "E_sfa", "mean", "I_syn_ex", "I_syn_in"}

// gifPopSelf is NEST's test_gif_pop_psc_exp.py network (one population of
// 500 inhibiting itself through a -6.25 pA, 1-ms synapse) for tSim ms, with
// params over NEST's test's and every recordable sampled.
func gifPopSelf(params map[string]float64, lists map[string][]float64, tSim float64) spec.Network {
	p := map[string]float64{"N": 500, "V_reset": 0, "V_T_star": 10, "E_L": 0, "Delta_V": 2, "C_m": 250,
		"tau_m": 20, "t_ref": 4, "I_e": 500, "lambda_0": 10, "tau_syn_in": 2}
	for k, v := range params {
		p[k] = v
	}
	if lists == nil {
		lists = map[string][]float64{"tau_sfa": {500}, "q_sfa": {1}}
	}
	pt := gifCell("gif_pop_psc_exp", 1, p, lists, tSim, gifPopAll...)
	pt.Simulation.Dt = 0.5
	pt.Recorders[0].Interval = 0.5
	pt.Connections = append(pt.Connections, spec.Connection{Source: "n", Target: "n",
		Rule: spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true},
		Syn:  spec.Synapse{Model: "static_synapse", Weight: spec.Constant(-6.25), Delay: spec.Constant(1)}})
	return pt
}

// A node's n spikes in a step are n spikes: the spike recorder gets n rows
// (n = its n_events), and a target receives n times the weight. The target
// is an iaf_psc_delta whose membrane does not decay (tau_m 1e9 ms: its
// propagator is 1 in float32) and never fires, so its V_m steps by exactly
// w·n (0.5 mV times a count: exact in float32) one delay after the count.
func testGifPopMultiplicity(t *testing.T, s Subject) {
	const w, delaySteps = 0.5, 2
	pt := gifPopSelf(map[string]float64{"N": 300}, nil, 300)
	pt.Populations = append(pt.Populations, spec.Population{Name: "t", Model: "iaf_psc_delta", N: 1,
		Params: map[string]float64{"E_L": 0, "V_th": 1e9, "tau_m": 1e9, "C_m": 1}, Init: map[string]spec.Value{"V_m": spec.Constant(0)}})
	pt.Connections = append(pt.Connections, spec.Connection{Source: "n", Target: "t",
		Rule: spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true},
		Syn:  spec.Synapse{Model: "static_synapse", Weight: spec.Constant(w), Delay: spec.Constant(delaySteps * 0.5)}})
	pt.Recorders = append(pt.Recorders, spec.Recorder{Model: "multimeter", Source: "t", Neurons: []int{0},
		RecordFrom: []string{"V_m"}, Interval: 0.5, Stop: testnet.Forever})
	got := RunPoints(t, s.New(), pt)
	events := trace(got, 1, len(gifPopAll), 0, 1)
	vt := map[int64]float64{}
	for _, x := range got.Sampled {
		if x.Rec == 1 {
			vt[x.Step+1] = float64(x.Values[0])
		}
	}
	rows := map[int64]float64{}
	for _, sp := range got.Spiked {
		if sp.Pop == 0 {
			rows[sp.Step+1]++
		}
	}
	multi := 0
	for stamp, n := range events {
		if rows[stamp] != n {
			t.Fatalf("stamp %d: %g spike rows, n_events %g", stamp, rows[stamp], n)
		}
		if n > 1 {
			multi++
		}
		after, ok := vt[stamp+delaySteps]
		if !ok { // arrives after the end
			continue
		}
		if d := after - vt[stamp+delaySteps-1]; d != w*n {
			t.Fatalf("stamp %d: %g spikes moved the target by %g mV, want %g", stamp, n, d, w*n)
		}
	}
	if multi < 100 {
		t.Fatalf("only %d steps with more than one spike: the test needs many", multi)
	}
}

// Points with different N and adaptation (so different cohort histories
// and spike capacities) in one batch give each point its own run exactly:
// a node's input here is only its own count times one weight, whose sum
// does not depend on the order of the additions.
func testGifPopBatch(t *testing.T, s Subject) {
	points := []spec.Network{
		gifPopSelf(nil, nil, 300),
		gifPopSelf(map[string]float64{"N": 2000, "BinoRand": 0}, map[string][]float64{"tau_sfa": {100, 1000}, "q_sfa": {10, 1}}, 300),
		gifPopSelf(map[string]float64{"N": 50, "len_kernel": 40}, nil, 300),
	}
	batchMatchesAlone(t, s, points, true, 300)
}

// gifPopSingles are single population nodes under every kind of input,
// for the bit-for-bit comparison with the CPU.
func gifPopSingles() map[string]spec.Network {
	out := map[string]spec.Network{}
	out["gif_pop_psc_exp, NEST's self-inhibition"] = gifPopSelf(nil, nil, 500)
	drive := gifCell("gif_pop_psc_exp", 1, map[string]float64{"N": 400, "BinoRand": 0, "I_e": 250},
		map[string][]float64{"tau_sfa": {50, 300}, "q_sfa": {3, 0.5}}, 300, gifPopAll...)
	Drive(&drive, "pe", "poisson_generator", map[string]float64{"rate": 4000}, nil, 30, 1.5)
	Drive(&drive, "pi", "poisson_generator", map[string]float64{"rate": 2000}, nil, -40, 0.8)
	Drive(&drive, "scg", "step_current_generator", nil,
		map[string][]float64{"amplitude_times": {50, 150}, "amplitude_values": {200, -50}}, 1, 1)
	out["gif_pop_psc_exp, Poisson counts, ex, in and step current"] = drive
	return out
}

// BenchGifPop times a whole run of nodes gif_pop_psc_exp nodes of NEST's
// test (N 500, tau_sfa [500] ms, q_sfa [1] mV, I_e 500 pA, dt 0.5 ms:
// len_kernel 1609 cohorts), unconnected and unrecorded, for ms. A node's
// step walks its cohorts, so the figures are node updates per second
// (updates/s) and cohort updates per second (cohorts/s); given work, also
// launches/step. The per-neuron models' BenchNeuronUpdates would ask for a
// node count that a cohort history of 32 KB per node does not allow.
func BenchGifPop(b *testing.B, be engine.Backend, nodes int, ms float64, work func() int64) {
	pt := gifPopSelf(nil, nil, ms)
	pt.Populations[0].N = nodes
	pt.Connections, pt.Recorders = nil, nil
	net := timeRuns(b, be, pt, "gif_pop_psc_exp", work)
	updates := float64(nodes) * float64(net.Steps) * float64(b.N) / b.Elapsed().Seconds()
	p := net.Pops[0]
	b.ReportMetric(updates*float64(models.GifPopKernelLen(p.Params[0], p.Lists[0], net.Dt)), "cohorts/s")
}
