package network

import (
	"fmt"

	"github.com/snn-gpu/snn-gpu/spec"

	"github.com/snn-gpu/snn-gpu/plasticity"
)

// Plastic makes a projection's weights change with spike timing (package
// plasticity): each batch member has its own rule (a sweep over a learning
// rate runs as one batch) and its own weights, in PerMember[m].Weights.
type Plastic struct {
	Rules []plasticity.Rule // per member
}

// MakePlastic gives every member its own copy of the synapses' weights
// (the member's weight, times the synapse's own where drawn) for rules,
// one per member; offsets, targets and delays stay shared. The targets'
// trace decays with their population's tau_minus (models.TauMinus).
func (pr *Projection) MakePlastic(rules []plasticity.Rule) error {
	switch {
	case pr.Gap:
		return fmt.Errorf("a gap_junction projection cannot be plastic")
	case pr.Source.Device:
		return fmt.Errorf("a projection from a device cannot be plastic (NEST: connect a parrot_neuron in between)")
	case pr.PerMember != nil:
		return fmt.Errorf("the projection already keeps synapses per member (structural plasticity)")
	case len(rules) != len(pr.Weight):
		return fmt.Errorf("%d rules for %d batch members", len(rules), len(pr.Weight))
	}
	pr.PerMember = make([]CSR, len(rules))
	for m := range rules {
		c := pr.CSR
		c.Weights = make([]float32, len(c.Targets))
		for j := range c.Weights {
			c.Weights[j] = pr.Weight[m]
			if pr.CSR.Weights != nil {
				c.Weights[j] = pr.CSR.Weights[j] * pr.Weight[m]
			}
		}
		pr.PerMember[m] = c
		pr.Weight[m] = 1
	}
	pr.Plastic = &Plastic{Rules: rules}
	return nil
}

// makePlastic makes connection i's primary projection plastic when its
// synapse model is (spec.Synapse.Params hold each member's parameters).
func makePlastic(points []spec.Network, i int, prs []*Projection) error {
	pm, ok := plasticity.Find(points[0].Connections[i].Syn.Model)
	if !ok {
		return nil
	}
	var rules []plasticity.Rule
	for _, pt := range points {
		r, err := pm.Rule(pt.Connections[i].Syn.Params)
		if err != nil {
			return err
		}
		rules = append(rules, r)
	}
	for _, pr := range prs {
		if pr.Role == RolePrimary {
			return pr.MakePlastic(rules)
		}
	}
	return nil
}
