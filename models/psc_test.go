package models

import (
	"math"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/rng"
)

// The propagators equal the closed forms and, near tau_m = tau_syn, go over
// continuously into NEST's singular forms.
func TestPSCPropagators(t *testing.T) {
	const c, tm, h = 250.0, 10.0, 0.1
	for _, ts := range []float64{0.5, 2, 5, 30} {
		p32, p31 := pscPropagators(ts, tm, c, h)
		// Direct quadrature of (1/C)∫₀ʰ e^{-(h-s)/tm} I(s) ds (Simpson).
		const n = 2000
		var q32, q31 float64
		for k := 0; k <= n; k++ {
			s := h * float64(k) / n
			w := 2.0
			if k == 0 || k == n {
				w = 1
			} else if k%2 == 1 {
				w = 4
			}
			g := math.Exp(-(h-s)/tm) / c * w * h / (3 * n)
			q32 += g * math.Exp(-s/ts)
			q31 += g * s * math.Exp(-s/ts)
		}
		if math.Abs(p32-q32) > 1e-12*q32 || math.Abs(p31-q31) > 1e-10*q31 {
			t.Errorf("tau_syn %g: P32 %g (quadrature %g), P31 %g (quadrature %g)", ts, p32, q32, p31, q31)
		}
	}
	// Synaptic time constants far below the step: e^{-kappa·h} vanishes,
	// P32 = e^{-h/tm}/(C·kappa) and P31 = e^{-h/tm}/(C·kappa²). Below
	// tau_syn ≈ h/709, expm1(h·kappa) overflows and e^{-h/tau_s} underflows:
	// their product must still be e^{-h/tm} - e^{-h/tau_s}.
	for _, ts := range []float64{1e-3, 1e-4, 1e-6} {
		p32, p31 := pscPropagators(ts, tm, c, h)
		kappa := 1/ts - 1/tm
		q32, q31 := math.Exp(-h/tm)/(c*kappa), math.Exp(-h/tm)/(c*kappa*kappa)
		if math.Abs(p32-q32) > 1e-12*q32 || math.Abs(p31-q31) > 1e-10*q31 {
			t.Errorf("tau_syn %g: P32 %g (closed form %g), P31 %g (closed form %g)", ts, p32, q32, p31, q31)
		}
	}
	s32, s31 := h/c*math.Exp(-h/tm), h*h/(2*c)*math.Exp(-h/tm)
	for _, ts := range []float64{tm, tm * (1 + 1e-12), tm * (1 - 1e-9), tm * (1 + 1e-6), tm * (1 - 1e-4)} {
		p32, p31 := pscPropagators(ts, tm, c, h)
		tol := 2 * math.Abs(ts-tm) / tm * h / tm // first-order change of the propagators
		if math.Abs(p32-s32) > (tol+1e-12)*s32 || math.Abs(p31-s31) > (tol+1e-9)*s31 {
			t.Errorf("tau_syn %.12g: P32 %.15g, P31 %.15g; singular forms %.15g, %.15g", ts, p32, p31, s32, s31)
		}
	}
}

// NEST's checks of the psc models and the current generators.
func TestPSCChecks(t *testing.T) {
	with := func(m *Neuron, k string, v float64) Values {
		p := Defaults(m.Params)
		p[k] = v
		return p
	}
	noise := func(k string, v float64) Values {
		p := Defaults(NoiseGenerator.Params)
		p["std"] = 1
		p[k] = v
		return p
	}
	scg := Defaults(StepCurrentGenerator.Params)
	cases := []struct {
		err  error
		want string
	}{
		{IafPscExp.Check(with(IafPscExp, "tau_syn_in", 0), nil, 0.1), "tau_syn_in must be > 0"},
		{IafPscExp.Check(with(IafPscExp, "C_m", -1), nil, 0.1), "C_m must be > 0"},
		{IafPscExp.Check(with(IafPscExp, "V_reset", -50), nil, 0.1), "V_reset must be < V_th"},
		{IafPscExp.Check(with(IafPscExp, "rho", -1), nil, 0.1), "rho must be >= 0"},
		{IafPscExp.Check(with(IafPscExp, "delta", -1), nil, 0.1), "delta must be >= 0"},
		{IafPscAlpha.Check(with(IafPscAlpha, "tau_syn_ex", -2), nil, 0.1), "tau_syn_ex must be > 0"},
		{IafPscAlpha.Check(with(IafPscAlpha, "t_ref", -1), nil, 0.1), "t_ref must be >= 0"},
		{NoiseGenerator.Check(noise("std_mod", 2), nil, 0.1), "std_mod must be <= std"},
		{NoiseGenerator.Check(noise("std", -1), nil, 0.1), "std must be >= 0"},
		{NoiseGenerator.Check(noise("dt", 0.25), nil, 0.1), "not a multiple of the resolution"},
		{StepCurrentGenerator.Check(scg, Lists{"amplitude_times": {1, 2}, "amplitude_values": {1}}, 0.1), "same length"},
		{StepCurrentGenerator.Check(scg, Lists{"amplitude_times": {0}, "amplitude_values": {1}}, 0.1), "times > 0"},
		{StepCurrentGenerator.Check(scg, Lists{"amplitude_times": {1.05}, "amplitude_values": {1}}, 0.1), "not a multiple"},
		{StepCurrentGenerator.Check(scg, Lists{"amplitude_times": {2, 2}, "amplitude_values": {1, 2}}, 0.1), "increase strictly"},
		{GifPscExp.Check(with(GifPscExp, "Delta_V", 0), nil, 0.1), "Delta_V must be > 0"},
		{GifPscExp.Check(with(GifPscExp, "g_L", -4), nil, 0.1), "g_L must be > 0"},
		{GifPscExp.Check(with(GifPscExp, "lambda_0", -1), nil, 0.1), "lambda_0 must be >= 0"},
		{GifCondExp.Check(with(GifCondExp, "t_ref", -1), nil, 0.1), "t_ref must be >= 0"},
		{GifCondExp.Check(with(GifCondExp, "gsl_error_tol", 0), nil, 0.1), "gsl_error_tol must be > 0"},
		{GifCondExp.Check(with(GifCondExp, "tau_syn_in", 0), nil, 0.1), "tau_syn_in must be > 0"},
		{GifPscExp.Check(with(GifPscExp, "C_m", 80), Lists{"tau_sfa": {10}, "q_sfa": {math.Inf(1)}}, 0.1), "q_sfa[0] must be finite"},
		{GifPscExp.Check(with(GifPscExp, "C_m", 80), Lists{"tau_stc": {10, -1}, "q_stc": {1, 2}}, 0.1), "tau_stc[1] must be > 0"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("error %v, want %q", c.err, c.want)
		}
	}
	// Off-grid times round up to the end of their step, and must still
	// fall in different steps.
	off := Values{"allow_offgrid_times": 1}
	for k, v := range Defaults(StepCurrentGenerator.Params) {
		if _, ok := off[k]; !ok {
			off[k] = v
		}
	}
	if err := StepCurrentGenerator.Check(off, Lists{"amplitude_times": {1.01, 1.09}, "amplitude_values": {1, 2}}, 0.1); err == nil {
		t.Error("two off-grid times in one step accepted")
	}
	c := StepCurrentGenerator.Derive(off, Lists{"amplitude_times": {1.01, 2}, "amplitude_values": {1, 2}}, 0.1)
	if c[scgStamps] != 11 || c[scgStamps+1] != 20 {
		t.Errorf("stamps %v, want 11 and 20", c[scgStamps:scgStamps+2])
	}
}

// step_current_generator: step s sends the amplitude of the last change
// stamped <= s+1 (NEST sets it one step ahead), while start < s+2 <= stop.
func TestStepCurrentGenerator(t *testing.T) {
	p := Defaults(StepCurrentGenerator.Params)
	p["start"], p["stop"] = 1, 8
	c := StepCurrentGenerator.Derive(p, Lists{"amplitude_times": {2, 5, 7}, "amplitude_values": {100, -50, 0}}, 0.1)
	want := map[int64]float32{0: 0, 8: 0, 9: 0, 18: 0, 19: 100, 48: 100, 49: -50, 68: -50, 69: 0, 78: 0}
	for s, w := range want {
		if got := StepCurrentGenerator.Source(c, s); got != w {
			t.Errorf("step %d: %g pA, want %g", s, got, w)
		}
	}
	p["start"] = 3 // inactive until (s+2)·dt > 3 ms
	c = StepCurrentGenerator.Derive(p, Lists{"amplitude_times": {2}, "amplitude_values": {100}}, 0.1)
	for s, w := range map[int64]float32{28: 0, 29: 100, 78: 100, 79: 0} {
		if got := StepCurrentGenerator.Source(c, s); got != w {
			t.Errorf("start 3 ms, step %d: %g pA, want %g", s, got, w)
		}
	}
}

// noise_generator: draws at the first active step and every dt after it,
// each synapse its own; the variance follows std² + sin(phase)·std_mod².
func TestNoiseGenerator(t *testing.T) {
	p := Defaults(NoiseGenerator.Params)
	p["mean"], p["std"], p["dt"], p["start"] = 5, 2, 0.5, 1
	c := NoiseGenerator.Derive(p, nil, 0.1)
	if NoiseGenerator.Active(c, 8) || !NoiseGenerator.Active(c, 9) {
		t.Error("not active from step 9 (start 1 ms: 10 < s+2)")
	}
	for s, want := range map[int64]int64{9: 9, 13: 9, 14: 14, 18: 14, 19: 19, 1000: 999} {
		if got := NoiseDrawStep(c, s); got != want {
			t.Errorf("step %d: drawn at %d, want %d", s, got, want)
		}
	}
	key := rng.NewKey(9, 1)
	a, b, d := make([]float32, 8), make([]float32, 8), make([]float32, 8)
	noiseCurrents(c, 9, key, 0, 0, a)
	noiseCurrents(c, 13, key, 0, 0, b)
	noiseCurrents(c, 14, key, 0, 0, d)
	if !equal(a, b) || equal(a, d) || a[0] == a[1] {
		t.Errorf("held %v, %v; next %v", a, b, d)
	}
	part := make([]float32, 3)
	noiseCurrents(c, 14, key, 0, 5, part)
	if !equal(part, d[5:8]) {
		t.Errorf("synapses 5..7 alone %v, in the row %v", part, d[5:8])
	}
	// Modulation: std_mod = std; sin(phase) = -1 leaves no variance, +1
	// doubles it (frequency 0: the phase alone).
	p["std_mod"], p["std"] = 2, 2
	const n = 40000
	out := make([]float32, n)
	for _, tc := range []struct{ phase, variance float64 }{{270, 0}, {90, 8}, {0, 4}} {
		p["phase"] = tc.phase
		noiseCurrents(NoiseGenerator.Derive(p, nil, 0.1), 9, key, 1, 0, out)
		var sum, sq float64
		for _, x := range out {
			sum += float64(x)
			sq += float64(x) * float64(x)
		}
		m := sum / n
		v := sq/n - m*m
		if se := math.Sqrt(2/float64(n)) * tc.variance; math.Abs(v-tc.variance) > 5*se+1e-9 {
			t.Errorf("phase %g: variance %g, want %g ± %g", tc.phase, v, tc.variance, 5*se)
		}
		if se := math.Sqrt(tc.variance / n); math.Abs(m-5) > 5*se+1e-9 {
			t.Errorf("phase %g: mean %g, want 5 ± %g", tc.phase, m, 5*se)
		}
	}
}
