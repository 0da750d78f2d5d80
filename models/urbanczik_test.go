package models_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
	"github.com/snn-gpu/snn-gpu/internal/nesttest"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// urbRun runs pt on the CPU backend.
func urbRun(t *testing.T, pt spec.Network) *testnet.Collector {
	t.Helper()
	net, err := network.Build([]spec.Network{pt}, []int{0}, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := &testnet.Collector{}
	if err := (&cpu.Backend{Threads: 1}).Run(context.Background(), net, c, nil); err != nil {
		t.Fatal(err)
	}
	return c
}

// urbNESTScript runs the receptor protocol in NEST 3.10 (the JSON in
// argv[1]: flat parameters, initial values, inputs, t_sim) and prints the
// six recordables after every step. Flat names map to NEST's nested
// dictionaries: the suffix _s to "soma", _p to "dendritic"; t_ref, phi_max,
// rate_slope, beta, theta, g_sp and g_ps stay on top.
const urbNESTScript = `
import json, sys
import nest
a = json.loads(sys.argv[1])
nest.ResetKernel()
nest.resolution = 0.1
top = {"t_ref", "phi_max", "rate_slope", "beta", "theta", "g_sp", "g_ps"}
params = {"soma": {}, "dendritic": {}}
for k, v in a["params"].items():
    if k in top:
        params[k] = float(v)
    else:
        params["soma" if k.endswith("_s") else "dendritic"][k[:-2]] = float(v)
for k, v in (a["init"] or {}).items():
    params["soma" if k.endswith(".s") else "dendritic"][k[:-2]] = float(v)
n = nest.Create("pp_cond_exp_mc_urbanczik", params=params)
rt = nest.GetDefaults("pp_cond_exp_mc_urbanczik")["receptor_types"]
for i in a["inputs"]:
    if i["Times"]:
        g = nest.Create("spike_generator", params={"spike_times": [float(x) for x in i["Times"]],
                                                      "spike_weights": [float(x) for x in i["Weights"]]})
    else:
        g = nest.Create("dc_generator", params={"amplitude": float(i["Amplitude"]), "start": float(i["Start"]),
                                                   "stop": float(i["Stop"])})
    nest.Connect(g, n, syn_spec={"weight": 1.0, "delay": 1.0, "receptor_type": rt[i["Receptor"]]})
vars = ["V_m.s", "g_ex.s", "g_in.s", "V_m.p", "I_ex.p", "I_in.p"]
m = nest.Create("multimeter", params={"interval": 0.1, "record_from": vars})
nest.Connect(m, n)
sr = nest.Create("spike_recorder")
nest.Connect(n, sr)
# A multimeter receives its last min_delay of samples only with the next
# slice: run one min_delay (1 ms) longer and keep the first t_sim.
nest.Simulate(a["t_sim"] + 1.0)
ev = m.get("events")
for k in range(len(ev["times"])):
    print("URB", repr(ev["times"][k]), *[repr(ev[v][k]) for v in vars])
print("SPIKES", len(sr.get("events")["times"]))
`

// nestUrbanczik returns NEST's six recordables per step (rows by step,
// the state at the step's end) and its spike count.
func nestUrbanczik(t *testing.T, params, init map[string]float64, inputs []backendtest.UrbanczikInput, tSim float64) ([][6]float64, int) {
	t.Helper()
	python := nesttest.Python(t)
	arg, err := json.Marshal(map[string]any{"params": params, "init": init, "inputs": inputs, "t_sim": tSim})
	if err != nil {
		t.Fatal(err)
	}
	out, err := python("-c", urbNESTScript, string(arg)).CombinedOutput()
	if err != nil {
		t.Fatalf("NEST: %v\n%s", err, out)
	}
	var rows [][6]float64
	for k, r := range nesttest.Values(string(out), "URB ") {
		var row [6]float64
		for j := range row {
			if row[j], err = strconv.ParseFloat(r[j+1], 64); err != nil {
				t.Fatal(err)
			}
		}
		if ts, _ := strconv.ParseFloat(r[0], 64); math.Abs(ts-0.1*float64(k+1)) > 1e-9 {
			t.Fatalf("NEST row %d at %g ms, expected %g", k, ts, 0.1*float64(k+1))
		}
		if k < int(math.Round(tSim/0.1)) {
			rows = append(rows, row)
		}
	}
	n, _ := strconv.Atoi(nesttest.Values(string(out), "SPIKES ")[0][0])
	return rows, n
}

// The traces of one neuron with spiking switched off (phi_max = 0) under
// spikes on each of the four spike receptors and currents on both current
// receptors equal NEST 3.10's. Both integrate with RKF45 at the absolute
// tolerance 1e-3: a different sequence of trial steps would leave
// differences up to that tolerance per step. Ours takes GSL's steps and
// control, so the traces agree far closer: to one float32 ulp of NEST's
// value (we record float32), which is the bound checked (measured: 3.8e-6
// mV, 6e-5 pA at 1200 pA).
func TestUrbanczikTracesMatchNEST(t *testing.T) {
	cases := []struct {
		name         string
		params, init map[string]float64
	}{
		{"defaults", map[string]float64{"phi_max": 0}, nil},
		{"two-way coupling, other constants", map[string]float64{"phi_max": 0, "g_ps": 150, "g_sp": 300, "C_m_p": 200,
			"tau_syn_ex_s": 2, "tau_syn_in_s": 6, "tau_syn_ex_p": 4, "tau_syn_in_p": 1.5, "E_L_p": -65, "I_e_p": 100, "I_e_s": -50},
			map[string]float64{"V_m.s": -60, "V_m.p": -75}},
	}
	vars := backendtest.UrbanczikVars[:6]
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			const tSim = 200
			want, _ := nestUrbanczik(t, c.params, c.init, backendtest.UrbanczikInputs, tSim)
			got := urbRun(t, backendtest.UrbanczikNet(1, c.params, c.init, backendtest.UrbanczikInputs, tSim, vars...))
			if len(got.Sampled) != len(want) {
				t.Fatalf("%d samples, NEST %d", len(got.Sampled), len(want))
			}
			worst := make([]float64, len(vars))
			for k, s := range got.Sampled {
				for j := range vars {
					d := math.Abs(float64(s.Values[j]) - want[k][j])
					worst[j] = max(worst[j], d)
					ulp := float64(math.Nextafter32(float32(math.Abs(want[k][j])), float32(math.Inf(1)))) - float64(float32(math.Abs(want[k][j])))
					if d > max(ulp, 1e-12) {
						t.Fatalf("%s at %.1f ms: %g, NEST %g", vars[j], 0.1*float64(k+1), s.Values[j], want[k][j])
					}
				}
			}
			// Every receptor must have moved its variable.
			for j, v := range vars {
				lo, hi := math.Inf(1), math.Inf(-1)
				for _, r := range want {
					lo, hi = min(lo, r[j]), max(hi, r[j])
				}
				if hi-lo < 1 {
					t.Errorf("%s barely moves in NEST (%g to %g): the protocol does not test it", v, lo, hi)
				}
			}
			t.Logf("largest differences from NEST: %v", fmt.Sprint(worst))
		})
	}
}

// urbHeld is n neurons whose rate function is centred on their resting
// potential (theta = E_L = -70 mV), where nothing moves them: phi = phi_max/(1
// + rate_slope) = 0.1/ms, a spike probability 1 - e^(-0.01) per 0.1-ms step.
func urbHeld(n int, tRef, tSim float64) spec.Network {
	return backendtest.UrbanczikNet(n, map[string]float64{"theta": -70, "t_ref": tRef}, nil, nil, tSim)
}

// urbCounts returns the spike count per neuron and step.
func urbCounts(c *testnet.Collector) map[uint32]map[int64]int {
	out := map[uint32]map[int64]int{}
	for _, s := range c.Spiked {
		if out[s.Neuron] == nil {
			out[s.Neuron] = map[int64]int{}
		}
		out[s.Neuron][s.Step]++
	}
	return out
}

// With t_ref = 0 a neuron held at a fixed potential fires Poisson counts
// of mean lambda = phi·h per step: the total over N·S neuron-steps is
// Poisson(N·S·lambda), and the steps with two or more spikes are
// Binomial(N·S, 1 - e^(-lambda)(1 + lambda)); both within 4 sd (fixed seed).
func TestUrbanczikPoissonCounts(t *testing.T) {
	const n, steps, lambda = 100, 20000, 0.01
	c := urbRun(t, urbHeld(n, 0, steps*0.1))
	multi := 0
	for _, byStep := range urbCounts(c) {
		for _, k := range byStep {
			if k >= 2 {
				multi++
			}
		}
	}
	ns := float64(n * steps)
	mean := ns * lambda
	t.Logf("%d spikes (expected %g), %d steps with several (expected %g)", len(c.Spiked), mean, multi, ns*(1-math.Exp(-lambda)*(1+lambda)))
	if got := float64(len(c.Spiked)); math.Abs(got-mean) > 4*math.Sqrt(mean) {
		t.Errorf("%g spikes in %g neuron-steps, expected %g ± %g (4 sd)", got, ns, mean, 4*math.Sqrt(mean))
	}
	p2 := 1 - math.Exp(-lambda)*(1+lambda)
	if sd := math.Sqrt(ns * p2 * (1 - p2)); math.Abs(float64(multi)-ns*p2) > 4*sd {
		t.Errorf("%d steps with several spikes, expected %g ± %g (4 sd)", multi, ns*p2, 4*sd)
	}
}

// With t_ref > 0 a neuron held at a fixed potential fires with probability
// p = 1 - e^(-phi·h) in every step outside the R = t_ref/h steps after a
// spike. The expected count follows exactly from the chain of the
// refractory counter; the count's variance is the renewal process's,
// S·sigma²/mu³ per neuron (ISI = R + a geometric number of steps, mu = R +
// 1/p, sigma² = (1-p)/p²). The total must lie within 4 sd (fixed seed); no
// interval may be shorter than R + 1 steps, and R + 1 (probability p per
// spike, hundreds of times here) must occur: NEST's refractoriness.
func TestUrbanczikRefractoryRate(t *testing.T) {
	const n, steps, refMs = 100, 40000, 3.0
	const r = 30
	p := 1 - math.Exp(-0.01)
	c := urbRun(t, urbHeld(n, refMs, steps*0.1))
	// dist[k]: probability that the counter is k at the start of a step.
	dist := make([]float64, r+1)
	dist[0] = 1
	want := 0.0
	for range steps {
		spike := dist[0] * p
		want += spike
		next := make([]float64, r+1)
		next[0] = dist[0] - spike + dist[1]
		copy(next[1:], dist[2:])
		next[r] += spike
		dist = next
	}
	want *= n
	mu, sigma2 := r+1/p, (1-p)/(p*p)
	sd := math.Sqrt(n * steps * sigma2 / (mu * mu * mu))
	t.Logf("%d spikes, expected %g ± %g (1 sd)", len(c.Spiked), want, sd)
	if got := float64(len(c.Spiked)); math.Abs(got-want) > 4*sd {
		t.Errorf("%g spikes, expected %g ± %g (4 sd)", got, want, 4*sd)
	}
	shortest, atShortest := int64(math.MaxInt64), 0
	last := map[uint32]int64{}
	for _, s := range c.Spiked {
		if l, ok := last[s.Neuron]; ok {
			d := s.Step - l
			if d < shortest {
				shortest, atShortest = d, 0
			}
			if d == shortest {
				atShortest++
			}
		}
		last[s.Neuron] = s.Step
	}
	t.Logf("shortest interval %d steps, %d times", shortest, atShortest)
	if shortest != r+1 {
		t.Errorf("shortest interval %d steps (%d times), expected %d", shortest, atShortest, r+1)
	}
}

// dPI equals a direct evaluation of NEST's formula (n - phi(V_w*)·h)·h(V_w*)
// from the recorded V_m.p and the step's spikes, for a neuron that fires
// (somatic drive) while its dendrite moves (the receptor protocol). The
// recorded V_m.p is rounded to float32 (half an ulp, 3.8e-6 mV near -70
// mV); with |d dPI/dV_w*| <= 15·beta²·(1 + phi_max·h) that bounds the
// difference, plus dPI's own float32 rounding.
func TestUrbanczikDPI(t *testing.T) {
	params := map[string]float64{"I_e_s": 9000}
	c := urbRun(t, backendtest.UrbanczikNet(1, params, nil, backendtest.UrbanczikInputs, 200, "V_m.p", "dPI"))
	spikes := urbCounts(c)[0]
	if len(spikes) < 10 {
		t.Fatalf("only %d spikes: the test needs a firing neuron", len(spikes))
	}
	const phiMax, k, beta, theta, h = 0.15, 0.5, 1.0 / 3, -55.0, 0.1
	const gL, eL, gsp = 30.0, -70.0, 600.0
	withSpike := 0
	for _, s := range c.Sampled {
		vp := float64(s.Values[0])
		vw := (gL*eL + gsp*vp) / (gL + gsp)
		phi := phiMax / (1 + k*math.Exp(beta*(theta-vw)))
		hf := 15 * beta / (1 + math.Exp(-beta*(theta-vw))/k)
		n := spikes[s.Step]
		want := (float64(n) - phi*h) * hf
		ulp := float64(math.Nextafter32(float32(math.Abs(vp)), float32(math.Inf(1)))) - math.Abs(vp)
		tol := 15*beta*beta*(1+phiMax*h)*ulp/2*gsp/(gL+gsp) + math.Abs(want)*0x1p-23
		if got := float64(s.Values[1]); math.Abs(got-want) > tol {
			t.Fatalf("step %d (V_m.p %g, %d spikes): dPI %g, formula %g (tolerance %g)", s.Step, vp, n, got, want, tol)
		}
		if n > 0 {
			withSpike++
		}
	}
	if withSpike != len(spikes) {
		t.Errorf("%d sampled steps with spikes, %d spiking steps", withSpike, len(spikes))
	}
}

// NEST refuses negative weights on the four spike receptors (the sign comes
// from the receptor); so does the network build, naming the field.
func TestUrbanczikRefusesNegativeWeights(t *testing.T) {
	for _, r := range []string{"soma_exc", "soma_inh", "dendritic_exc", "dendritic_inh"} {
		for _, w := range []float64{5, -5} {
			pt := backendtest.UrbanczikNet(1, nil, nil, []backendtest.UrbanczikInput{{Receptor: r, Times: []float64{1}, Weights: []float64{1}, ConnWgt: w}}, 5)
			_, err := network.Build([]spec.Network{pt}, []int{0}, 1)
			if (err != nil) != (w < 0) || err != nil && !strings.Contains(err.Error(), "takes only positive weights") {
				t.Errorf("%s, weight %g: %v", r, w, err)
			}
		}
	}
}

// BenchmarkUrbanczik times pp_cond_exp_mc_urbanczik on the CPU backend,
// one thread: 1000 neurons for 1 s at 0.1 ms, firing (somatic drive) under
// the receptor protocol (quiet: the somatic drive alone), or with Poisson
// input into the dendrite of every neuron (a 2-kHz train each, 100 pA),
// which moves V_m.p every few steps. Reported: neuron-steps/s.
func BenchmarkUrbanczik(b *testing.B) {
	for _, name := range []string{"quiet", "dendritic Poisson input"} {
		b.Run(name, func(b *testing.B) {
			const n, tSim = 1000, 1000.0
			pt := backendtest.UrbanczikNet(n, map[string]float64{"I_e_s": 9000}, nil, backendtest.UrbanczikInputs, tSim)
			if name != "quiet" {
				pt.Devices = append(pt.Devices, spec.Device{Name: "pg", Model: "poisson_generator", N: 1,
					Params: map[string]float64{"rate": 2000, "start": 0, "stop": testnet.Forever, "origin": 0}})
				pt.Connections = append(pt.Connections, spec.Connection{Source: "pg", Target: "n",
					Rule: spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true},
					Syn:  spec.Synapse{Model: "static_synapse", Weight: spec.Constant(100), Delay: spec.Constant(1), ReceptorName: "dendritic_exc"}})
			}
			net, err := network.Build([]spec.Network{pt}, []int{0}, 1)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if err := (&cpu.Backend{Threads: 1}).Run(context.Background(), net, &testnet.Collector{}, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)*n*tSim/0.1/b.Elapsed().Seconds(), "neuron-steps/s")
		})
	}
}

// The shipped configs/urbanczik_single.toml loads and runs as a user runs
// it: the neuron fires during the somatic current step (100-300 ms; phi
// near 90 Hz there, 2 Hz at rest), and its seven recorded variables show
// every input: I_ex.p reaches 800·e^(-0.5/3) + 400 pA after the pair at 80
// and 80.5 ms, I_in.p falls to -900 pA.
func TestUrbanczikSingleConfig(t *testing.T) {
	f, err := configs.Load("urbanczik_single", configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := urbRun(t, f.Points[0].Net)
	during := 0
	for _, s := range c.Spiked {
		if s.Step >= 1000 && s.Step < 3000 {
			during++
		}
	}
	if during < 5 || during < len(c.Spiked)-2 {
		t.Errorf("%d spikes, %d of them during the current step", len(c.Spiked), during)
	}
	var iex, iin float64
	for _, s := range c.Sampled {
		if len(s.Values) != 7 {
			t.Fatalf("%d values per sample, want 7", len(s.Values))
		}
		iex, iin = max(iex, float64(s.Values[4])), min(iin, float64(s.Values[5]))
	}
	if want := 800*math.Exp(-0.5/3) + 400; math.Abs(iex-want) > 1e-3 || math.Abs(iin+900) > 1e-3 {
		t.Errorf("I_ex.p peaks at %g (want %g), I_in.p at %g (want -900)", iex, want, iin)
	}
}
