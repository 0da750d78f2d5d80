package configs

import (
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/plasticity"
	"github.com/snn-gpu/snn-gpu/spec"
)

// A plastic synapse's parameters reach every point (a swept learning rate
// included), the points share a structure, and the network gives each
// member its own rule (sweep.Key leaves the parameters out: sweep_test.go).
func TestPlasticSynapse(t *testing.T) {
	f := mustLoad(t, "testdata/stdp_sweep.toml", Options{})
	if len(f.Points) != 2 {
		t.Fatalf("%d points, want 2", len(f.Points))
	}
	net, err := network.Build([]spec.Network{f.Points[0].Net, f.Points[1].Net}, []int{0, 1}, 1)
	if err != nil {
		t.Fatal(err)
	}
	pl := net.Projections[0].Plastic
	if pl == nil || net.Pops[1].Params[1]["tau_minus"] != 30 {
		t.Fatalf("plastic %+v, post tau_minus %v, want 30", pl, net.Pops[1].Params[1]["tau_minus"])
	}
	for m, eta := range []float64{0.01, 0.05} {
		want := plasticity.STDP{Tau: 15, Lambda: eta, Alpha: 1, MuPlus: 1, MuMinus: 1, Wmax: 2}
		if pl.Rules[m] != want {
			t.Errorf("member %d: rule %+v, want %+v", m, pl.Rules[m], want)
		}
	}
}

// Keys a model does not have and values it refuses are reported at their
// fields.
func TestPlasticSynapseRefused(t *testing.T) {
	for file, want := range map[string]string{
		"stdp_bad_key":      "connection[0].syn.Wmax: unknown key", // stdp_pl_synapse_hom has no Wmax
		"stdp_bad":          "connection[0].syn: tau_plus = 0 ms, expected > 0",
		"stdp_tau_minus":    "connection[0].syn.tau_minus: tau_minus is a parameter of the target neurons",
		"stdp_bad_recorder": `connection[0].syn.weight_recorder: no weight_recorder named "wrr"`,
	} {
		_, err := Load("testdata/"+file+".toml", Options{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v\nwant %q", file, err, want)
		}
	}
}

// urbanczik_synapse: eta swept as a var gives one batch with a rule per
// member, bound to the target's dendritic parameters by name, reading the
// target's dPI.
func TestUrbanczikSynapse(t *testing.T) {
	f := mustLoad(t, "testdata/urbanczik_sweep.toml", Options{})
	if len(f.Points) != 3 {
		t.Fatalf("%d points, want 3", len(f.Points))
	}
	var points []spec.Network
	for _, p := range f.Points {
		points = append(points, p.Net)
	}
	net, err := network.Build(points, []int{0, 1, 2}, 1)
	if err != nil {
		t.Fatal(err)
	}
	pl := net.Projections[0].Plastic
	if dpi := net.Pops[1].Model.FindState("dPI"); pl == nil || pl.State != dpi || dpi < 0 || pl.ReadsSpikes {
		t.Fatalf("plastic %+v, want the targets' state %d (dPI) and no spike archive", pl, dpi)
	}
	for m, eta := range []float64{0.07, 0.17, 0.75} {
		want := plasticity.Urbanczik{Eta: eta, TauDelta: 100, Wmin: 0, Wmax: 1350, Cm: 250, GL: 30, TauEx: 3, TauIn: 2}
		if pl.Rules[m] != want {
			t.Errorf("member %d: rule %+v, want %+v", m, pl.Rules[m], want)
		}
		if w0 := pl.Vars[m][0]; w0 != 90 || len(pl.Vars[m]) != 6*pl.Rules[m].Vars() {
			t.Errorf("member %d: W_0 %g, %d variables, want 90 and 6 synapses' worth", m, w0, len(pl.Vars[m]))
		}
	}
}

// A target without dPI, a key the rule has not (tau_minus is the STDP
// rules' target trace), and a weight of the wrong sign for the bounds are
// refused at their fields.
func TestUrbanczikSynapseRefused(t *testing.T) {
	for file, want := range map[string]string{
		"urbanczik_bad_target": "connection[0].syn.model: urbanczik_synapse reads its target's state dPI and parameters C_m_p, g_L_p, tau_syn_ex_p, tau_syn_in_p: expected a target model that has them (pp_cond_exp_mc_urbanczik), got post (iaf_psc_exp)",
		"urbanczik_bad_key":    "connection[0].syn.tau_minus: tau_minus is a parameter of the target neurons",
		"urbanczik_bad_sign":   "connection[0].syn.weight: weight -5 and Wmax 100 not of the same sign",
	} {
		_, err := Load("testdata/"+file+".toml", Options{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v\nwant %q", file, err, want)
		}
	}
}
