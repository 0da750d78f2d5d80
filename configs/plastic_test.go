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
