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
