package models

import (
	"math"
	"testing"

	"github.com/snn-gpu/snn-gpu/siegert"
)

// siegert_neuron under constant drift and diffusion relaxes as its closed
// form r(t) = mean + Phi + (r0 - mean - Phi)·e^{-t/tau}, Phi the package's
// transfer function of its parameters (NEST's defaults and Brunel's), each
// step within float32 rounding (2e-7 relative per step, 1e-5 bound over
// 200 steps); below the cut-off Phi is 0 and only mean is left.
func TestSiegertNeuronRelaxation(t *testing.T) {
	cases := []struct {
		name           string
		params         Values
		mu, sigma2, r0 float64
	}{
		{"defaults, mean above threshold", Values{}, 20, 25, 0},
		{"Brunel C, from above", Values{"tau_m": 20, "theta": 20, "V_reset": 10, "tau": 0.5}, 24, 50, 100},
		{"filtered noise, mean", Values{"tau_syn": 2, "mean": 3, "tau": 2}, 12, 9, 1},
		{"below the cut-off", Values{"mean": 7}, 0, 1, 5},
	}
	for _, c := range cases {
		p := Defaults(SiegertNeuron.Params)
		for k, v := range c.params {
			p[k] = v
		}
		if err := SiegertNeuron.Check(p, nil, 0.1); err != nil {
			t.Fatal(err)
		}
		consts := SiegertNeuron.Derive(p, nil, 0.1)
		phi := siegert.Neuron{TauM: p["tau_m"], TauSyn: p["tau_syn"], TRef: p["t_ref"], Theta: p["theta"], VReset: p["V_reset"]}.
			Rate(float64(float32(c.mu)), math.Sqrt(float64(float32(c.sigma2))))
		r := []float32{float32(c.r0)}
		u := &Update{Lo: 0, Hi: 1, State: [][]float32{r}, In: [][]float32{{float32(c.mu)}, {float32(c.sigma2)}}, Const: consts}
		target := p["mean"] + phi
		for n := 1; n <= 200; n++ {
			SiegertNeuron.Update(u)
			want := target + (c.r0-target)*math.Exp(-float64(n)*0.1/p["tau"])
			if math.Abs(float64(r[0])-want) > 1e-5*math.Max(math.Abs(want), 1) {
				t.Fatalf("%s: step %d rate %.7g, closed form %.7g", c.name, n, r[0], want)
			}
		}
		if c.name == "below the cut-off" && phi != 0 {
			t.Errorf("%s: Phi %g, want 0", c.name, phi)
		}
	}
}

// Check refuses what NEST 3.10 refuses (each case checked there): V_reset
// not below theta, negative tau_syn or t_ref, tau or tau_m not positive.
func TestSiegertNeuronCheck(t *testing.T) {
	for _, bad := range []Values{{"V_reset": 20}, {"V_reset": 15}, {"tau_syn": -1}, {"t_ref": -1}, {"tau": 0}, {"tau_m": 0}} {
		p := Defaults(SiegertNeuron.Params)
		for k, v := range bad {
			p[k] = v
		}
		if err := SiegertNeuron.Check(p, nil, 0.1); err == nil {
			t.Errorf("%v: accepted, NEST refuses it", bad)
		}
	}
}
