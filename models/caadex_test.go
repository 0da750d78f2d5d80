package models_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// caRef is an independent float64 reference of ca_adex, written from the
// spec's equations (../shared/reference/plasticity_caadex.md §3.2) and not
// from models/caadex.go: classical RK4 at a step of dt/caRefSub, the same
// events at the step ends (spikes into the kernels, the threshold, the
// reset).
type caRef struct {
	p         map[string]float64
	gnA, gnN  float64 // peak normalisations of the AMPA and NMDA kernels
	y         [23]float64
	istS, isD float64
}

const caRefSub = 10 // RK4 at 0.01 ms: its own error is far below the bounds

// ODE variables of the reference: V_s, w, V_d, Ca, m, h, mK, then the
// kernels: alpha (g, dg) × 4, then AMPA, BETA, AMPA of AMPA_NMDA, NMDA as
// (rise, decay) pairs.
func newCaRef(params map[string]float64) *caRef {
	m, _ := models.LookupNeuron("ca_adex")
	p := map[string]float64{}
	for _, q := range m.Params {
		p[q.Name] = q.Default
	}
	for k, v := range params {
		p[k] = v
	}
	norm := func(tr, td float64) float64 {
		tp := tr * td / (td - tr) * math.Log(td/tr)
		return 1 / (math.Exp(-tp/td) - math.Exp(-tp/tr))
	}
	r := &caRef{p: p, gnA: norm(p["tau_r_ampa"], p["tau_d_ampa"]), gnN: norm(p["tau_r_nmda"], p["tau_d_nmda"])}
	// The initial state, rounded to float32 as the simulator stores it.
	f32 := func(x float64) float64 { return float64(float32(x)) }
	r.y[0], r.y[2], r.y[3] = f32(p["e_L_s"]), f32(p["e_L_d"]), f32(p["Ca_0"])
	r.y[4] = f32(1 / (1 + math.Exp(p["m_slope"]*(p["e_L_d"]-p["m_half"]))))
	r.y[5] = f32(1 / (1 + math.Exp(p["h_slope"]*(p["e_L_d"]-p["h_half"]))))
	r.y[6] = f32(1 / (1 + math.Pow(p["Ca_th"]/p["Ca_0"], p["exp_K_Ca"])))
	return r
}

func (r *caRef) f(y []float64, dy []float64) {
	p := r.p
	vs, w, vd, ca, m, h, mk := y[0], y[1], y[2], y[3], y[4], y[5], y[6]
	bs, bd := math.Min(vs, p["V_max"]), math.Min(vd, p["V_max"])
	eca := 1000 * 8.31441 * 309.15 * math.Log(2/ca) / (2 * 96489)
	ica := p["gbar_Ca"] * m * h * (eca - vd)
	ik := p["gbar_K_Ca"] * mk * (p["e_K"] - vd)
	dy[0] = (-p["g_L_s"]*(bs-p["e_L_s"]) + p["g_L_s"]*p["delta_T"]*math.Exp((bs-p["e_Na_Adex"])/p["delta_T"]) -
		y[7]*(bs-p["E_exc_s"]) - y[9]*(bs-p["E_inh_s"]) - p["g_w"]*w + r.istS - p["g_C_d"]*(vs-vd)) / p["C_m_s"]
	dy[1] = (p["a"]*(bs-p["e_L_s"]) - w) / p["tau_w"]
	nmda := p["nmda_ratio"] * (y[22] - y[21]) * (-vd) / (1 + 0.3*math.Exp(-0.1*vd))
	dy[2] = (-p["g_L_d"]*(bd-p["e_L_d"]) - y[11]*(bd-p["E_exc_d"]) - y[13]*(bd-p["E_inh_d"]) +
		(y[16]-y[15])*(-vd) + (y[18]-y[17])*(90-vd) + (y[20]-y[19])*(-vd) + nmda + ica + ik + r.isD - p["g_C_d"]*(vd-vs)) / p["C_m_d"]
	dy[3] = p["phi"]*ica + (p["Ca_0"]-ca)/p["tau_decay_Ca"]
	dy[4] = (1/(1+math.Exp(p["m_slope"]*(vd-p["m_half"]))) - m) / p["tau_m"]
	dy[5] = (1/(1+math.Exp(p["h_slope"]*(vd-p["h_half"]))) - h) / p["tau_h"]
	dy[6] = (1/(1+math.Pow(p["Ca_th"]/ca, p["exp_K_Ca"])) - mk) / p["tau_m_K_Ca"]
	for k, tau := range []float64{p["tau_syn_exc_s"], p["tau_syn_inh_s"], p["tau_syn_exc_d"], p["tau_syn_inh_d"]} {
		g := 7 + 2*k
		dy[g] = y[g+1] - y[g]/tau
		dy[g+1] = -y[g+1] / tau
	}
	for k, tau := range [][2]float64{{p["tau_r_ampa"], p["tau_d_ampa"]}, {p["tau_r_beta"], p["tau_d_beta"]},
		{p["tau_r_ampa"], p["tau_d_ampa"]}, {p["tau_r_nmda"], p["tau_d_nmda"]}} {
		g := 15 + 2*k
		dy[g] = -y[g] / tau[0]
		dy[g+1] = -y[g+1] / tau[1]
	}
}

// step advances the reference by dt with RK4.
func (r *caRef) step(dt float64) {
	h := dt / caRefSub
	var k1, k2, k3, k4, tmp [23]float64
	for range caRefSub {
		y := r.y
		r.f(y[:], k1[:])
		for i := range y {
			tmp[i] = y[i] + h/2*k1[i]
		}
		r.f(tmp[:], k2[:])
		for i := range y {
			tmp[i] = y[i] + h/2*k2[i]
		}
		r.f(tmp[:], k3[:])
		for i := range y {
			tmp[i] = y[i] + h*k3[i]
		}
		r.f(tmp[:], k4[:])
		for i := range y {
			r.y[i] = y[i] + h/6*(k1[i]+2*k2[i]+2*k3[i]+k4[i])
		}
	}
}

// run simulates the reference under pulses with the BAP self-connection
// (delay one step) for n steps; it returns the spike steps and V_s, V_d,
// Ca at the end of every step.
func (r *caRef) run(pulses []backendtest.CaAdexPulse, n int, dt float64) (spikes []int64, trace [][3]float64) {
	in := map[int64]map[string]float64{} // step -> receptor -> weight, added at the step's end
	add := func(step int64, rec string, w float64) {
		if in[step] == nil {
			in[step] = map[string]float64{}
		}
		in[step][rec] += w
	}
	for _, p := range pulses {
		for k, t := range p.Times {
			add(int64(math.Round((t+1)/dt))-1, p.Receptor, p.Weights[k]) // delay 1 ms
		}
	}
	p := r.p
	for s := int64(0); s < int64(n); s++ {
		r.step(dt)
		for rec, w := range in[s] {
			switch rec {
			case "exc_spikes_soma":
				r.y[8] += w * math.E / p["tau_syn_exc_s"]
			case "exc_spikes_distal":
				r.y[12] += w * math.E / p["tau_syn_exc_d"]
			case "spikes_ampa_d":
				r.y[15] += w * r.gnA
				r.y[16] += w * r.gnA
			case "spikes_ampa_nmda_d":
				r.y[19] += w * r.gnA
				r.y[20] += w * r.gnA
				r.y[21] += w * r.gnN
				r.y[22] += w * r.gnN
			}
		}
		if r.y[0] >= p["V_th"] {
			r.y[0] = p["V_reset"]
			r.y[1] += p["b"]
			spikes = append(spikes, s)
			add(s+1, "spikes_ampa_d", backendtest.CaAdexBAPWeight)
		}
		trace = append(trace, [3]float64{r.y[0], r.y[2], r.y[3]})
	}
	return spikes, trace
}

// The simulator (RKF45, tolerance 1e-3 with c_Ca weighed 1e4/mM, state in
// float32 pairs) against the reference on the NESTML example's pulse
// protocol: the same spike steps, and V_m_s, V_m_d, c_Ca within bounds
// derived from the stepper's control: each step's local error is held
// below gsl_error_tol (1e-3 mV; 1e-7 mM for c_Ca), and an error decays
// with the slowest time constant of its variable, so that at most
// tau/dt of them add up: V within 1e-3 mV × 490 steps (soma, C_m_s/g_L_s
// = 49 ms) = 0.49 mV, c_Ca within 1e-7 mM × 1036 steps (tau_decay_Ca) =
// 1.04e-4 mM, plus the float32 rounding of the recorded value (6e-8
// relative).
func TestCaAdexMatchesReference(t *testing.T) {
	tSim := 6000.0
	if testing.Short() {
		tSim = 3000
	}
	const dt = 0.1
	for _, tc := range []struct {
		name   string
		params map[string]float64
	}{
		{"wake", nil},
		{"nrem", map[string]float64{"g_C_d": 0, "b": 200, "e_L_s": -74.24596493128396, "e_L_d": -60.000000000000014}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pt := backendtest.CaAdexPulseNet(tc.params, backendtest.CaAdexPulses, tSim, "V_m_s", "V_m_d", "c_Ca")
			c := runCa(t, pt)
			var got []int64
			for _, s := range c.Spiked {
				got = append(got, s.Step)
			}
			ref := newCaRef(tc.params)
			want, trace := ref.run(backendtest.CaAdexPulses, int(math.Round(tSim/dt)), dt)
			if len(want) == 0 {
				t.Fatal("the reference never spiked")
			}
			if !slices.Equal(got, want) {
				t.Fatalf("spike steps %v, reference %v", got, want)
			}
			var worst [3]float64
			var at [3]int64
			for _, s := range c.Sampled {
				r := trace[s.Step]
				for k := range 3 {
					if d := math.Abs(float64(s.Values[k]) - r[k]); d > worst[k] {
						worst[k], at[k] = d, s.Step
					}
				}
			}
			bound := [3]float64{0.49, 0.49, 1.04e-4}
			for k, name := range []string{"V_m_s", "V_m_d", "c_Ca"} {
				if worst[k] > bound[k]*(1+6e-8) {
					t.Errorf("%s differs from the reference by %g at step %d (bound %g)", name, worst[k], at[k], bound[k])
				}
			}
			t.Logf("largest differences: V_m_s %.3g mV (step %d), V_m_d %.3g mV (step %d), c_Ca %.3g mM (step %d)",
				worst[0], at[0], worst[1], at[1], worst[2], at[2])
		})
	}
}

func runCa(t *testing.T, pt spec.Network) *testnet.Collector {
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

// caNREM is the nrem brain state's parameters (spec §3.4), with the
// influx clip that distal input above ~372 pA needs in it.
var caNREM = map[string]float64{"g_C_d": 0, "b": 200, "e_L_s": -74.24596493128396, "e_L_d": -60.000000000000014, "clip_Ca_influx": 1}

// caRate returns the spike count of one ca_adex over 2 s of DC (pA) into
// soma and distal compartment, and the largest c_Ca reached.
func caRate(t *testing.T, params map[string]float64, soma, distal float64) (int, float64) {
	n, ca, _ := caRun(t, params, soma, distal)
	return n, ca
}

// caRun is caRate with the shortest interspike interval (ms; +Inf for
// fewer than two spikes).
func caRun(t *testing.T, params map[string]float64, soma, distal float64) (int, float64, float64) {
	c := runCa(t, backendtest.CaAdexDC(params, soma, distal, 2000, "c_Ca"))
	ca := 0.0
	for _, s := range c.Sampled {
		ca = max(ca, float64(s.Values[0]))
	}
	isi := math.Inf(1)
	for k := 1; k < len(c.Spiked); k++ {
		isi = min(isi, float64(c.Spiked[k].Step-c.Spiked[k-1].Step)*0.1)
	}
	return len(c.Spiked), ca, isi
}

// The facts the paper rests on (spec §3.4): distal input alone gives
// calcium plateaus (c_Ca above Ca_th = 4.3e-4 mM) with somatic bursts only
// in wake; nrem isolates the apical compartment (the somatic rate does not
// move with distal input); in wake coincident input raises the rate above
// the sum of each alone (apical amplification).
func TestCaAdexBrainStates(t *testing.T) {
	const caTh = 4.3e-4
	for _, d := range []float64{400, 600} {
		// A burst: two spikes within 10 ms (above 100 Hz).
		if n, ca, isi := caRun(t, nil, 0, d); n == 0 || ca < caTh || isi > 10 {
			t.Errorf("wake, distal %g pA alone: %d spikes, shortest interval %g ms, c_Ca up to %.3g mM; want bursts and a plateau above Ca_th", d, n, isi, ca)
		}
	}
	for _, d := range []float64{200, 400, 600, 1000} {
		// The isolated dendrite may still make its own plateau (200 pA
		// does): none of it reaches the soma.
		if n, _, _ := caRun(t, caNREM, 0, d); n != 0 {
			t.Errorf("nrem, distal %g pA alone: %d somatic spikes, want none", d, n)
		}
	}
	for _, s := range []float64{200, 400} {
		alone, _ := caRate(t, caNREM, s, 0)
		if alone == 0 {
			t.Fatalf("nrem, soma %g pA: no spikes", s)
		}
		for _, d := range []float64{200, 600} {
			if n, _ := caRate(t, caNREM, s, d); n != alone {
				t.Errorf("nrem, soma %g pA with distal %g pA: %d spikes, soma alone %d: the apical compartment is not isolated", s, d, n, alone)
			}
		}
	}
	// The ThetaPlanes config's clip_Ca_influx leaves wake alone: there
	// the coupled dendrite never gets above e_Ca, so I_Ca stays inward.
	for _, in := range [][2]float64{{0, 560}, {960, 960}} {
		a, _ := caRate(t, nil, in[0], in[1])
		b, _ := caRate(t, map[string]float64{"clip_Ca_influx": 1}, in[0], in[1])
		if a != b {
			t.Errorf("wake, soma %g pA and distal %g pA: %d spikes, %d with clip_Ca_influx", in[0], in[1], a, b)
		}
	}
	for _, in := range [][2]float64{{120, 200}, {200, 200}, {200, 280}} {
		s, _ := caRate(t, nil, in[0], 0)
		d, _ := caRate(t, nil, 0, in[1])
		both, _ := caRate(t, nil, in[0], in[1])
		if both <= s+d {
			t.Errorf("wake, soma %g pA and distal %g pA: %d spikes together, %d + %d alone: no apical amplification", in[0], in[1], both, s, d)
		}
	}
}

// BenchmarkCaAdex times ca_adex on the CPU backend, one thread: 100
// neurons with the back-propagating AP under 400 pA into the soma and 400
// pA into the distal compartment (bursting, calcium plateaus: the
// stepper's rejected steps included), 1 s at 0.1 ms. Reported:
// neuron-steps/s.
func BenchmarkCaAdex(b *testing.B) {
	for _, state := range []string{"wake", "nrem"} {
		b.Run(state, func(b *testing.B) {
			params := map[string]float64{}
			if state == "nrem" {
				params = caNREM
			}
			pt := backendtest.CaAdexDC(params, 400, 400, 1000)
			pt.Populations[0].N = 100
			pt.Recorders = nil
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
			b.ReportMetric(float64(b.N)*100*10000/b.Elapsed().Seconds(), "neuron-steps/s")
		})
	}
}

// The shipped configs/ca_adex_single.toml (receptors and the BAP by name)
// fires at the reference's spike steps, wake and with preset nrem.
func TestCaAdexSingleConfig(t *testing.T) {
	for _, tc := range []struct {
		preset string
		params map[string]float64
	}{{"wake", nil}, {"nrem", caNREM}} {
		if testing.Short() && tc.preset == "nrem" {
			continue // the reference takes seconds; wake alone with -short
		}
		f, err := configs.Load("ca_adex_single", configs.Options{})
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Replace(string(f.Source), `preset = "wake"`, `preset = "`+tc.preset+`"`, 1)
		if f, err = configs.Parse([]byte(text), "ca_adex_single.toml", configs.Options{}); err != nil {
			t.Fatal(err)
		}
		c := runCa(t, f.Points[0].Net)
		var got []int64
		for _, s := range c.Spiked {
			got = append(got, s.Step)
		}
		params := map[string]float64{}
		for k, v := range tc.params {
			if k != "clip_Ca_influx" {
				params[k] = v
			}
		}
		want, _ := newCaRef(params).run(backendtest.CaAdexPulses, 60000, 0.1)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s: spike steps %v, reference %v", tc.preset, got, want)
		}
	}
}
