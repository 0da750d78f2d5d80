package plasticity

import (
	"math"
	"testing"
)

// stdp_synapse_hom is stdp_synapse with parameters common to the model: the
// same parameters give the same weights, through a sequence that reaches
// both bounds' neighbourhoods.
func TestHomEqualsSTDP(t *testing.T) {
	p := map[string]float64{"tau_plus": 15, "lambda": 0.08, "alpha": 0.7, "mu_plus": 0.5, "mu_minus": 0.8, "Wmax": 20}
	a, _ := Find("stdp_synapse")
	b, _ := Find("stdp_synapse_hom")
	ra, err := a.Rule(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := b.Rule(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	pres := []float64{5, 9, 14, 20, 33, 34, 50, 71}
	posts := []float64{6, 7, 10, 15.5, 19, 40, 41, 42, 60}
	wa, wb := run(ra, 10, pres, posts, 1.2, 18), run(rb, 10, pres, posts, 1.2, 18)
	for i := range wa {
		if wa[i] != wb[i] {
			t.Fatalf("transmission %d: stdp_synapse %v, stdp_synapse_hom %v", i, wa[i], wb[i])
		}
	}
	if wa[len(wa)-1] == 10 {
		t.Errorf("the weight never changed")
	}
}

// Defaults are NEST's; unknown names and bad values are refused.
func TestModelParams(t *testing.T) {
	m, _ := Find("stdp_pl_synapse_hom")
	r, err := m.Rule(nil, nil)
	if err != nil || r != (PowerLaw{Tau: 20, Lambda: 0.1, Alpha: 1, Mu: 0.4}) {
		t.Errorf("defaults %+v %v", r, err)
	}
	if _, err := m.Rule(map[string]float64{"Wmax": 3}, nil); err == nil {
		t.Error("stdp_pl_synapse_hom took Wmax")
	}
	s, _ := Find("stdp_synapse")
	if _, err := s.Rule(map[string]float64{"tau_plus": 0}, nil); err == nil {
		t.Error("tau_plus = 0 accepted")
	}
	if _, err := s.Rule(map[string]float64{"tau_plus": math.NaN()}, nil); err == nil {
		t.Error("tau_plus = NaN accepted")
	}
	if r, _ := s.Rule(nil, nil); r != DefaultSTDP {
		t.Errorf("stdp_synapse defaults %+v", r)
	}
}
