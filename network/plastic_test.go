package network

import (
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/plasticity"
)

// MakePlastic copies the member's weights (times drawn ones) into each
// member's own CSR and refuses what cannot be plastic.
func TestMakePlastic(t *testing.T) {
	base := CSR{Offsets: []int64{0, 2, 3}, Targets: []uint32{0, 1, 1}, Weights: []float32{1, 2, 3}}
	pr := &Projection{CSR: base, Weight: []float32{0.5, 2}}
	rules := []plasticity.Rule{plasticity.DefaultSTDP, plasticity.DefaultSTDP}
	if err := pr.MakePlastic(rules); err != nil {
		t.Fatal(err)
	}
	for m, want := range [][]float32{{0.5, 1, 1.5}, {2, 4, 6}} {
		for j, w := range pr.Of(m).Weights {
			if w != want[j] {
				t.Errorf("member %d synapse %d: weight %g, want %g", m, j, w, want[j])
			}
		}
	}
	pr.Of(0).Weights[0] = 9
	if pr.Of(1).Weights[0] != 2 || pr.CSR.Weights[0] != 1 || pr.Weight[0] != 1 {
		t.Error("members share weights, or the shared CSR or factor was not left as the base")
	}
	for _, c := range []struct {
		pr   *Projection
		want string
	}{
		{&Projection{CSR: base, Weight: []float32{1, 1}, Gap: true}, "gap_junction"},
		{&Projection{CSR: base, Weight: []float32{1, 1}, Source: Endpoint{Device: true}}, "parrot_neuron"},
		{&Projection{CSR: base, Weight: []float32{1}}, "2 rules for 1"},
	} {
		if err := c.pr.MakePlastic(rules); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error about %s", err, c.want)
		}
	}
}

// A rule with per-synapse variables gets them per member, initialised from
// each member's weights; a weight the rule refuses (NEST: not of Wmax's
// sign) fails the build, naming the synapse. Rules that read a
// state variable keep no spike archive.
func TestMakePlasticVars(t *testing.T) {
	base := CSR{Offsets: []int64{0, 2, 3}, Targets: []uint32{0, 1, 1}, Weights: []float32{1, 2, 3}}
	r := plasticity.Urbanczik{Eta: 0.1, TauDelta: 100, Wmin: 0, Wmax: 100, Cm: 300, GL: 30, TauEx: 3, TauIn: 3}
	pr := &Projection{CSR: base, Weight: []float32{10, 20}}
	if err := pr.MakePlastic([]plasticity.Rule{r, r}); err != nil {
		t.Fatal(err)
	}
	k := r.Vars()
	for m, want := range [][]float64{{10, 20, 30}, {20, 40, 60}} {
		for j, w := range want {
			if v := pr.Plastic.Vars[m][j*k]; v != w {
				t.Errorf("member %d synapse %d: W_0 %g, want %g", m, j, v, w)
			}
		}
	}
	if pr.Plastic.ReadsSpikes || pr.Plastic.State != -1 {
		t.Errorf("reads spikes %v, state %d: want false and -1 until the caller names the state", pr.Plastic.ReadsSpikes, pr.Plastic.State)
	}
	neg := &Projection{CSR: base, Weight: []float32{1, -1}}
	if err := neg.MakePlastic([]plasticity.Rule{r, r}); err == nil || !strings.Contains(err.Error(), "synapse 0: weight -1 and Wmax 100") {
		t.Errorf("got %v, want member 1's first weight refused", err)
	}
}
