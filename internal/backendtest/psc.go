package backendtest

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/spec"
)

// The LIF models with synaptic currents (iaf_psc_exp, iaf_psc_alpha) and
// the current generators (step_current_generator, noise_generator),
// against closed forms and NEST's timing.

const resolution = 0.1 // the resolution of every test here (ms)

// Cell is n neurons of model with params (over the model's defaults), V_m
// starting at E_L, every variable of vars sampled every step.
func Cell(model string, n int, params map[string]float64, tSim float64, vars ...string) spec.Network {
	neurons := make([]int, n)
	for i := range neurons {
		neurons[i] = i
	}
	el, ok := params["E_L"]
	if !ok {
		el = -70
	}
	return spec.Network{
		Simulation:  spec.Simulation{Dt: resolution, TSim: tSim, Seed: 1},
		Populations: []spec.Population{{Name: "n", Model: model, N: n, Params: params, Init: map[string]spec.Value{"V_m": spec.Constant(el)}}},
		Recorders: []spec.Recorder{{Model: "multimeter", Source: "n", Neurons: neurons,
			RecordFrom: vars, Interval: resolution, Stop: testnet.Forever}},
		Analysis: spec.Analysis{BinMs: 1},
	}
}

// Drive connects a new device to every neuron of the network's first
// population with one weight and delay.
func Drive(n *spec.Network, name, model string, params map[string]float64, lists map[string][]float64, weight, delay float64) {
	n.Devices = append(n.Devices, spec.Device{Name: name, Model: model, N: 1, Params: params, Lists: lists})
	n.Connections = append(n.Connections, spec.Connection{Source: name, Target: n.Populations[0].Name,
		Rule: spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true},
		Syn:  spec.Synapse{Model: "static_synapse", Weight: spec.Constant(weight), Delay: spec.Constant(delay)}})
}

// trace returns variable v (of nvars) of neuron k (of nrec) by stamp.
func trace(c *testnet.Collector, v, nvars, k, nrec int) map[int64]float64 {
	out := map[int64]float64{}
	for _, s := range c.Sampled {
		if len(s.Values) != nvars*nrec {
			continue
		}
		out[s.Step+1] = float64(s.Values[v*nrec+k])
	}
	return out
}

// psc is the closed form of one input spike of weight w (pA) arriving at
// t = 0 into a synapse with time constant ts of a membrane tm, cm: the
// synaptic current and the membrane potential (relative to E_L) at t >= 0.
func psc(model string, w, ts, tm, cm, t float64) (i, v float64) {
	singular := math.Abs(tm-ts) < 1e-4*tm
	beta := ts * tm / (tm - ts)
	switch model {
	case "iaf_psc_exp":
		// dI/dt = -I/ts, I(0) = w; C dV/dt = -C V/tm + I.
		i = w * math.Exp(-t/ts)
		if singular {
			v = w / cm * t * math.Exp(-t/tm)
		} else {
			v = w / cm * beta * (math.Exp(-t/tm) - math.Exp(-t/ts))
		}
	case "iaf_psc_alpha":
		// I(t) = w·(t/ts)·e^(1-t/ts) = dI0·t·e^(-t/ts) with dI0 = w·e/ts.
		d0 := w * math.E / ts
		i = d0 * t * math.Exp(-t/ts)
		if singular {
			v = d0 / cm * t * t / 2 * math.Exp(-t/tm)
		} else {
			v = d0 / cm * beta * beta * (math.Exp(-t/tm) - math.Exp(-t/ts)*(1+t/beta))
		}
	}
	return i, v
}

// One excitatory and one inhibitory spike into a silent neuron: the
// synaptic currents and the membrane potential follow the closed forms
// (the sum of the two responses), for time constants apart, equal
// (NEST's singular propagators) and a hair apart.
func testPSCShapes(t *testing.T, s Subject) {
	cases := []struct {
		model    string
		tex, tin float64
	}{
		{"iaf_psc_exp", 2, 5}, {"iaf_psc_exp", 10, 10}, {"iaf_psc_exp", 10 + 1e-6, 10 - 1e-7},
		{"iaf_psc_alpha", 0.5, 3}, {"iaf_psc_alpha", 10, 10}, {"iaf_psc_alpha", 10 + 1e-6, 10 - 1e-7},
	}
	const (
		cm, tm          = 250.0, 10.0
		wEx, wIn        = 100.0, -80.0
		tEx, tIn, delay = 1.0, 20.0, 1.0
	)
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s tau_syn %g,%g", c.model, c.tex, c.tin), func(t *testing.T) {
			params := map[string]float64{"E_L": 0, "C_m": cm, "tau_m": tm, "V_th": 1000, "V_reset": 0,
				"tau_syn_ex": c.tex, "tau_syn_in": c.tin}
			pt := Cell(c.model, 1, params, 60, "V_m", "I_syn_ex", "I_syn_in")
			Drive(&pt, "sg", "spike_generator", nil, map[string][]float64{"spike_times": {tEx, tIn}, "spike_weights": {wEx, wIn}}, 1, delay)
			got := RunPoints(t, s.New(), pt)
			vm, iex, iin := trace(got, 0, 3, 0, 1), trace(got, 1, 3, 0, 1), trace(got, 2, 3, 0, 1)
			if len(vm) != 600 {
				t.Fatalf("%d samples, want 600", len(vm))
			}
			// A spike stamped S with delay d acts in the update that ends
			// at S + d: the current has jumped there (exp) or starts to
			// rise (alpha), and V responds from the next step.
			aEx, aIn := int64(math.Round((tEx+delay)/resolution)), int64(math.Round((tIn+delay)/resolution))
			var peakV, peakI, errV, errI float64
			for stamp := int64(1); stamp <= 600; stamp++ {
				var wantI, wantIin, wantV float64
				if stamp >= aEx {
					i, v := psc(c.model, wEx, c.tex, tm, cm, float64(stamp-aEx)*resolution)
					wantI, wantV = i, v
				}
				if stamp >= aIn {
					i, v := psc(c.model, wIn, c.tin, tm, cm, float64(stamp-aIn)*resolution)
					wantIin, wantV = i, wantV+v
				}
				peakV, peakI = math.Max(peakV, math.Abs(wantV)), math.Max(peakI, math.Abs(wantI))
				errV = math.Max(errV, math.Abs(vm[stamp]-wantV))
				errI = math.Max(errI, math.Max(math.Abs(iex[stamp]-wantI), math.Abs(iin[stamp]-wantIin)))
				if stamp < aEx && (vm[stamp] != 0 || iex[stamp] != 0) {
					t.Fatalf("stamp %d: V %g, I_syn_ex %g before the input arrived", stamp, vm[stamp], iex[stamp])
				}
			}
			// float32 state: measured errors are about 1e-6 of the peaks (V and I).
			t.Logf("largest errors: V %.3g mV (peak %.4g), I %.3g pA (peak %.4g)", errV, peakV, errI, peakI)
			if errV > 1e-5*peakV || errI > 1e-5*peakI {
				t.Errorf("largest errors: V %.3g mV (peak %.4g), I %.3g pA (peak %.4g)", errV, peakV, errI, peakI)
			}
			if c.model == "iaf_psc_alpha" {
				// The current peaks at the weight, tau_syn after the arrival.
				k := aEx + int64(math.Round(c.tex/resolution))
				if math.Abs(iex[k]-wEx) > 1e-4*wEx {
					t.Errorf("I_syn_ex at its peak = %g, want the weight %g", iex[k], wEx)
				}
			}
		})
	}
}

// NEST's refractoriness for the psc models: after a spike stamped F, V
// stays at V_reset for t_ref (through stamp F + 20 at 0.1 ms) while the
// synaptic currents go on evolving, and input arriving meanwhile is kept
// in the current; the first update after it starts from V_reset with the
// currents it has then.
func testPSCRefractoriness(t *testing.T, s Subject) {
	for _, c := range []struct {
		model string
		ts    float64
	}{{"iaf_psc_exp", 2}, {"iaf_psc_alpha", 0.5}} {
		t.Run(c.model, func(t *testing.T) {
			const cm, tm, big, small = 250.0, 10.0, 40000.0, 300.0
			params := map[string]float64{"E_L": 0, "C_m": cm, "tau_m": tm, "V_th": 15, "V_reset": 0, "t_ref": 2,
				"tau_syn_ex": c.ts, "tau_syn_in": c.ts}
			pt := Cell(c.model, 1, params, 20, "V_m", "I_syn_ex", "dI_syn_ex")
			if c.model == "iaf_psc_exp" {
				pt.Recorders[0].RecordFrom = []string{"V_m", "I_syn_ex"}
			}
			nv := len(pt.Recorders[0].RecordFrom)
			Drive(&pt, "sg", "spike_generator", nil, map[string][]float64{"spike_times": {1, 2}, "spike_weights": {big, small}}, 1, 0.1)
			got := RunPoints(t, s.New(), pt)
			vm, iex := trace(got, 0, nv, 0, 1), trace(got, 1, nv, 0, 1)
			if len(got.Spiked) == 0 {
				t.Fatal("no spike")
			}
			f := got.Spiked[0].Step + 1
			a2 := int64(21) // the second input (2 ms, delay 0.1 ms)
			if !(f < a2 && a2 < f+20) {
				t.Fatalf("spike at stamp %d: the second input (stamp %d) does not arrive during refractoriness", f, a2)
			}
			for stamp := f; stamp <= f+20; stamp++ {
				if vm[stamp] != 0 {
					t.Fatalf("V at stamp %d = %g, want V_reset 0 (spike at %d, refractory through %d)", stamp, vm[stamp], f, f+20)
				}
			}
			// Both inputs are in the current, refractory or not.
			for stamp := int64(11); stamp <= 200; stamp++ {
				want, _ := psc(c.model, big, c.ts, tm, cm, float64(stamp-11)*resolution)
				if stamp >= a2 {
					w2, _ := psc(c.model, small, c.ts, tm, cm, float64(stamp-a2)*resolution)
					want += w2
				}
				if math.Abs(iex[stamp]-want) > 2e-5*big {
					t.Fatalf("I_syn_ex at stamp %d = %g, want %g", stamp, iex[stamp], want)
				}
			}
			// The first update after refractoriness: V from V_reset (0)
			// under the currents at F + 20, by the exact propagators.
			r := f + 20
			e := math.Exp(-resolution / tm)
			es := math.Exp(-resolution / c.ts)
			beta := c.ts * tm / (tm - c.ts)
			p32 := beta / cm * (e - es)
			want := p32 * iex[r]
			if c.model == "iaf_psc_alpha" {
				p31 := beta / cm * es * (beta*math.Expm1(resolution/beta) - resolution)
				want += p31 * trace(got, 2, nv, 0, 1)[r]
			}
			if v := vm[r+1]; math.Abs(v-want) > 1e-5*math.Abs(want) || want == 0 {
				t.Errorf("V after refractoriness = %g, want %g", v, want)
			}
		})
	}
}

// A step_current_generator switched to 500 pA at 5 ms and off at 60 ms,
// through a 1-ms connection: the current acts from 6.0 ms to 61.0 ms (the
// update of step 60 is the first with it, as for dc_generator), so the
// neuron fires at the grid points after the analytic crossings, then stops.
// The three LIF models agree: without synaptic input they are one model.
func testStepCurrent(t *testing.T, s Subject) {
	const el, cm, tm, amp, vth = -70.0, 250.0, 10.0, 500.0, -55.0
	for _, model := range []string{"iaf_psc_delta", "iaf_psc_exp", "iaf_psc_alpha"} {
		t.Run(model, func(t *testing.T) {
			pt := Cell(model, 1, map[string]float64{"E_L": el, "C_m": cm, "tau_m": tm, "V_th": vth, "V_reset": el, "t_ref": 2}, 100, "V_m")
			Drive(&pt, "scg", "step_current_generator", nil,
				map[string][]float64{"amplitude_times": {5, 60}, "amplitude_values": {amp, 0}}, 1, 1)
			got := RunPoints(t, s.New(), pt)
			vm := trace(got, 0, 1, 0, 1)
			if vm[60] != el {
				t.Errorf("V at 6.0 ms = %g, want E_L (the current has not acted yet)", vm[60])
			}
			vinf := amp * tm / cm
			if want := el + vinf*(1-math.Exp(-resolution/tm)); math.Abs(vm[61]-want) > 1e-4 {
				t.Errorf("V at 6.1 ms = %g, want %g", vm[61], want)
			}
			k := -tm * math.Log(1-(vth-el)/vinf) / resolution // steps from E_L to threshold
			if math.Abs(k-math.Round(k)) < 0.05 {
				t.Fatalf("crossing %g steps is too close to the grid", k)
			}
			period := 20 + int64(math.Ceil(k))
			var want []int64
			for stamp := 60 + int64(math.Ceil(k)); stamp <= 610; stamp += period {
				want = append(want, stamp)
			}
			var stamps []int64
			for _, sp := range got.Spiked {
				stamps = append(stamps, sp.Step+1)
			}
			if len(want) < 3 || !reflect.DeepEqual(stamps, want) {
				t.Errorf("spike stamps %v, want %v", stamps, want)
			}
		})
	}
}

// noise_generator (mean 50 pA, std 20 pA, dt 1 ms) into 200 neurons through
// 1.5-ms connections: each neuron's current starts at 1.6 ms (drawn at
// step 0, due in step 15, acting from the next update), is held for
// exactly 10 steps at a time, and the draws have the mean and variance
// asked for, independent from interval to interval and from neuron to
// neuron. Tolerances: five standard errors of the estimates from the
// n = 200 × 48 draws: the mean's σ/√n, the variance's σ²·√(2/(n-1)), a
// correlation's 1/√n.
func testNoiseGenerator(t *testing.T, s Subject) {
	const n, mean, std = 200, 50.0, 20.0
	pt := Cell("iaf_psc_exp", n, map[string]float64{"E_L": 0, "V_reset": 0, "V_th": 1000}, 50, "I_stim")
	Drive(&pt, "noise", "noise_generator", map[string]float64{"mean": mean, "std": std, "dt": 1}, nil, 1, 1.5)
	got := RunPoints(t, s.New(), pt)
	const first, every, intervals = 16, 10, 48
	x := make([][]float64, n) // x[neuron][interval]
	for k := 0; k < n; k++ {
		tr := trace(got, 0, 1, k, n)
		for stamp := int64(1); stamp < first; stamp++ {
			if tr[stamp] != 0 {
				t.Fatalf("neuron %d: current %g at stamp %d, before the first draw arrived", k, tr[stamp], stamp)
			}
		}
		for iv := 0; iv < intervals; iv++ {
			start := int64(first + iv*every)
			for stamp := start; stamp < start+every; stamp++ {
				if tr[stamp] != tr[start] {
					t.Fatalf("neuron %d: current %g at stamp %d, %g at %d: not held for dt", k, tr[stamp], stamp, tr[start], start)
				}
			}
			if tr[start] == tr[start-1] {
				t.Fatalf("neuron %d: no new draw at stamp %d", k, start)
			}
			x[k] = append(x[k], tr[start])
		}
	}
	var sum, sq, lag, cross, nLag, nCross float64
	for k := range x {
		for iv, v := range x[k] {
			sum += v
			sq += (v - mean) * (v - mean)
			if iv > 0 {
				lag += (v - mean) * (x[k][iv-1] - mean)
				nLag++
			}
			if k > 0 {
				cross += (v - mean) * (x[k-1][iv] - mean)
				nCross++
			}
		}
	}
	N := float64(n * intervals)
	m, v := sum/N, sq/N
	if se := std / math.Sqrt(N); math.Abs(m-mean) > 5*se {
		t.Errorf("mean current %.3f pA, want %g ± %.3f", m, mean, 5*se)
	}
	if se := std * std * math.Sqrt(2/(N-1)); math.Abs(v-std*std) > 5*se {
		t.Errorf("variance %.2f pA², want %g ± %.2f", v, std*std, 5*se)
	}
	if r := lag / nLag / (std * std); math.Abs(r) > 5/math.Sqrt(nLag) {
		t.Errorf("correlation of consecutive intervals %.4f, want 0 ± %.4f", r, 5/math.Sqrt(nLag))
	}
	if r := cross / nCross / (std * std); math.Abs(r) > 5/math.Sqrt(nCross) {
		t.Errorf("correlation between neurons %.4f, want 0 ± %.4f", r, 5/math.Sqrt(nCross))
	}
}

// pscSingles are single neurons of the new models under every kind of
// input, for the bit-for-bit comparison with the CPU.
func pscSingles() map[string]spec.Network {
	out := map[string]spec.Network{}
	poisson := func(model string, params map[string]float64) spec.Network {
		pt := Cell(model, 1, params, 200, "V_m", "I_syn_ex", "I_syn_in")
		Drive(&pt, "pe", "poisson_generator", map[string]float64{"rate": 8000}, nil, 40, 1.5)
		Drive(&pt, "pi", "poisson_generator", map[string]float64{"rate": 2000}, nil, -30, 0.8)
		return pt
	}
	out["iaf_psc_exp, Poisson ex and in"] = poisson("iaf_psc_exp", map[string]float64{"I_e": 100, "tau_syn_in": 5})
	out["iaf_psc_alpha, Poisson ex and in"] = poisson("iaf_psc_alpha", map[string]float64{"I_e": 250, "tau_syn_ex": 0.5, "V_min": -75})
	out["iaf_psc_alpha, tau_syn = tau_m"] = poisson("iaf_psc_alpha", map[string]float64{"I_e": 100, "tau_syn_ex": 10, "tau_syn_in": 10})
	esc := Cell("iaf_psc_exp", 1, map[string]float64{"I_e": 360, "delta": 2, "rho": 200}, 200, "V_m")
	out["iaf_psc_exp, escape noise"] = esc
	noise := Cell("iaf_psc_alpha", 1, map[string]float64{"I_e": 300}, 200, "V_m", "I_stim")
	Drive(&noise, "noise", "noise_generator",
		map[string]float64{"mean": 20, "std": 150, "std_mod": 100, "frequency": 30, "phase": 45, "dt": 0.5}, nil, 1, 1)
	out["iaf_psc_alpha, noise_generator"] = noise
	step := Cell("iaf_psc_exp", 1, nil, 100, "V_m", "I_stim")
	Drive(&step, "scg", "step_current_generator", nil,
		map[string][]float64{"amplitude_times": {3, 10.5, 40, 70}, "amplitude_values": {450, -100, 700.5, 0}}, 2, 2)
	out["iaf_psc_exp, step_current_generator"] = step
	return out
}

// NEST's brunel_alpha_nest.py at a tenth of its size (1,250 iaf_psc_alpha
// neurons), two points in one batch: the same spikes as the CPU where the
// backend adds in a fixed order, else the same statistics (checkSummaries).
func testAlphaNetwork(t *testing.T, s Subject) {
	points := []spec.Network{testnet.BrunelAlpha(250, 5, 2, brunelMs, 1), testnet.BrunelAlpha(250, 6, 4, brunelMs, 1)}
	matchCPU(t, s, points, ShiftWindowMs, func(what string, a, b []testnet.Spike) {
		for pop, n := range []int{1000, 250} {
			checkSummaries(t, fmt.Sprintf("%s population %d", what, pop), summary(a, pop, n), summary(b, pop, n))
		}
	})
}

// matchCPU runs a batch of points on the subject and on the CPU and
// returns the CPU's: every point must have the CPU's spikes exactly where
// the backend adds in a fixed order (s.Exact), else pass similar.
func matchCPU(t *testing.T, s Subject, points []spec.Network, shiftMs float64, similar func(what string, a, b []testnet.Spike)) *testnet.Collector {
	t.Helper()
	want := reference(t, points...)
	got := RunPoints(t, s.New(), points...)
	for m := range points {
		a, b := want.Member(m), got.Member(m)
		if len(a) == 0 {
			t.Fatalf("point %d: no spikes", m)
		}
		if s.Exact {
			if !reflect.DeepEqual(a, b) {
				frac, first := shifted(a, b, shiftMs)
				t.Errorf("point %d: %d spikes, CPU %d; first difference at %.1f ms, %.4f differ", m, len(b), len(a), first, frac)
			}
			continue
		}
		similar(fmt.Sprintf("point %d", m), a, b)
	}
	return want
}
