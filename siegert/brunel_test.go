package siegert_test

import (
	"math"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/siegert"
)

// brunelFrom reads the mean-field parameters of a shipped Brunel config:
// in-degrees, weights, drive, and the E population's neuron.
func brunelFrom(t *testing.T, name string) []siegert.Brunel {
	t.Helper()
	f, err := configs.Load(name, configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []siegert.Brunel
	for _, pt := range f.Points {
		v, e := pt.Vars, pt.Net.Populations[0].Params
		out = append(out, siegert.Brunel{
			Neuron: siegert.Neuron{TauM: e["tau_m"], TRef: e["t_ref"], Theta: e["V_th"] - e["E_L"], VReset: e["V_reset"] - e["E_L"]},
			CE:     v["CE"], CI: v["CI"], J: v["J"], G: v["g"], Eta: v["eta"],
		})
	}
	return out
}

// The fixed point of brunel.toml (NEST's brunel_delta_nest.py, V_reset 0)
// is the reference's 32.03 1/s (mu 24.0 mV, sigma 7.1 mV: the spec's own
// solution), and it is the spiking network's rate: our simulations of the
// same config give 31.87–32.16 1/s over seeds 1–4 (whole run, bench/RESULTS.md)
// and 32.23 after 200 ms, the reference's re-simulations 31.90–32.02, and
// validation.TestBrunelNESTExample asks 32.03 ± 0.5. Tolerance against the
// simulations: 0.5 1/s (1.5 %), the size of the diffusion approximation's
// error here (finite J/theta = 1/200: shot noise and the neglected
// correlations), larger than the seed-to-seed spread (0.3).
func TestBrunelFixedPointNESTExample(t *testing.T) {
	b := brunelFrom(t, "brunel")[0]
	fps, err := b.FixedPoints()
	if err != nil {
		t.Fatal(err)
	}
	if len(fps) != 1 || !fps[0].Stable {
		t.Fatalf("fixed points %+v, want one, stable (inhibition dominates: Phi falls with nu)", fps)
	}
	nu := fps[0].Rate
	if math.Abs(nu-32.03) > 0.005 {
		t.Errorf("fixed point %.4f 1/s, want 32.03", nu)
	}
	mu, sigma := b.Input(nu)
	if math.Abs(mu-24.0) > 0.05 || math.Abs(sigma-7.1) > 0.05 {
		t.Errorf("input at the fixed point mu %.3f sigma %.3f mV, want 24.0, 7.1", mu, sigma)
	}
	for _, sim := range []float64{31.87, 32.16, 32.23, 31.90, 32.02} {
		if math.Abs(nu-sim) > 0.5 {
			t.Errorf("fixed point %.3f 1/s, simulated %.2f: more than 0.5 apart", nu, sim)
		}
	}
}

// brunel_states.toml (V_reset 10 mV): the fixed points are the theory
// column of Brunel's Table 1 (B 55.8, C 38.0, D 6.5 1/s, printed to 0.1; the
// reference's solution 55.84, 37.95, 6.52) and, for the synchronous regular
// state A, the reference's 327.0. Against the simulations: the AI state C
// within 2.5 % of the paper's 37.7 and of the reference's re-simulation 37.2–37.4
// (brunel_states' validation asks 10 %); the oscillating states are where the
// stationary theory is known to miss (Table 1: D 5.5 simulated against 6.5).
func TestBrunelFixedPointsStates(t *testing.T) {
	bs := brunelFrom(t, "brunel_states")
	want := []struct {
		label      string
		theory, at float64
		sims       []float64
		simTol     float64
	}{
		{"A", 327.0, 0.05, nil, 0},
		{"B", 55.84, 0.05, nil, 0},
		{"C", 37.95, 0.05, []float64{37.7, 37.2, 37.4}, 0.025},
		{"D", 6.52, 0.05, nil, 0},
	}
	for i, w := range want {
		fps, err := bs[i].FixedPoints()
		if err != nil {
			t.Fatal(err)
		}
		var stable []float64
		for _, fp := range fps {
			if fp.Stable {
				stable = append(stable, fp.Rate)
			}
		}
		if len(stable) != 1 {
			t.Errorf("%s: fixed points %+v, want one stable", w.label, fps)
			continue
		}
		nu := stable[0]
		t.Logf("%s: fixed points %+v", w.label, fps)
		if math.Abs(nu-w.theory) > w.at {
			t.Errorf("%s: fixed point %.3f 1/s, want %.2f ± %.2f", w.label, nu, w.theory, w.at)
		}
		for _, sim := range w.sims {
			if math.Abs(nu-sim) > w.simTol*sim {
				t.Errorf("%s: fixed point %.2f 1/s, simulated %.2f: beyond %.0f %%", w.label, nu, sim, 100*w.simTol)
			}
		}
	}
}
