package models

import (
	"strings"
	"testing"
)

// Parameters and derived constants that float32 cannot hold are refused by
// every registered model's Check, with what single precision makes of them;
// infinite defaults (V_min, stop) and constants that legitimately round to
// 0 (a synaptic current that decays within a step) pass.
func TestSinglePrecision(t *testing.T) {
	set := func(ps []Param, kv ...any) Values {
		p := Defaults(ps)
		for i := 0; i < len(kv); i += 2 {
			p[kv[i].(string)] = kv[i+1].(float64)
		}
		return p
	}
	cases := []struct {
		name  string
		check func(Values, Lists, float64) error
		p     Values
		l     Lists
		want  string // "" for accepted
	}{
		{"subnormal capacitance", IafPscExp.Check, set(IafPscExp.Params, "C_m", 1e-45), nil,
			"C_m = 1e-45 pF is below the smallest normal single-precision number (1.18e-38): float32, in which the simulation computes, holds it as 1.4e-45, with 1 of its 24 significant bits"},
		{"capacitance that rounds to 0", IafPscAlpha.Check, set(IafPscAlpha.Params, "C_m", 1e-50), nil, "C_m = 1e-50 pF is below the smallest normal single-precision number (1.18e-38): float32, in which the simulation computes, rounds it to 0"},
		{"overflowing current", IafPscDelta.Check, set(IafPscDelta.Params, "I_e", -1e39), nil, "I_e = -1e+39 pA overflows single precision (float32, up to 3.4e+38)"},
		{"overflowing derived threshold", IafPscExp.Check, set(IafPscExp.Params, "V_th", 3e38, "E_L", -3e38, "V_reset", -3e38), nil,
			"with these parameters and dt = 0.1 ms, iaf_psc_exp's derived constant #6 is 6e+38, which single precision (float32, up to 3.4e+38)"},
		{"overflowing spike weight", SpikeGenerator.Check, set(SpikeGenerator.Params),
			Lists{"spike_times": {1, 2}, "spike_weights": {1, 1e39}}, "spike_generator's derived constant"},
		{"Poisson rate of 1e25 Hz", PoissonGenerator.Check, set(PoissonGenerator.Params, "rate", 1e25), nil,
			"rate = 1e+25 Hz is a mean of 1e+21 spikes per step of 0.1 ms; counts per step are 32-bit, so the rate must stay below 2.15e+13 Hz at this dt"},
		{"Poisson rate below the bound", PoissonGenerator.Check, set(PoissonGenerator.Params, "rate", 2e13), nil, ""},
		{"synaptic current decaying within a step", IafPscAlpha.Check, set(IafPscAlpha.Params, "tau_syn_ex", 1e-4), nil, ""},
		{"NEST's defaults", Izhikevich.Check, set(Izhikevich.Params), nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.check(c.p, c.l, 0.1)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}
