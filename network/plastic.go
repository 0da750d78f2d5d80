package network

import (
	"fmt"

	"github.com/snn-gpu/snn-gpu/spec"

	"github.com/snn-gpu/snn-gpu/plasticity"
)

// Plastic makes a projection's weights change at every presynaptic spike
// (package plasticity): each batch member has its own rule (a sweep over a
// learning rate runs as one batch), its own weights, in
// PerMember[m].Weights, and the rule's own variables per synapse, in
// Vars[m].
type Plastic struct {
	Rules []plasticity.Rule // per member
	// TauMinus is the decay time (ms) of the targets' postsynaptic trace,
	// NEST's tau_minus of the neuron; 0 where the rules do not read the
	// targets' spikes.
	TauMinus float64
	// State is the index of the targets' state variable the rules read
	// (Rule.PostState), which the engines append to a history per target
	// neuron and member after every step; -1 for none.
	State int
	// Vars[m][j·k : (j+1)·k] are member m's variables of synapse j (CSR
	// order), k = Rules[m].Vars(); nil where k is 0.
	Vars [][]float64
}

// MakePlastic gives every member its own copy of the synapses' weights
// (the member's weight, times the synapse's own where drawn) and the
// rule's variables, initialised from them, for rules, one per member;
// offsets, targets and delays stay shared. tauMinus is needed (> 0) where
// the rules read the targets' spikes. Rules that read a state variable
// need State set to its index.
func (pr *Projection) MakePlastic(rules []plasticity.Rule, tauMinus float64) error {
	spikes := false
	for _, r := range rules {
		spikes = spikes || r.PostState() == ""
	}
	switch {
	case pr.Gap:
		return fmt.Errorf("a gap_junction projection cannot be plastic")
	case pr.Source.Device:
		return fmt.Errorf("a projection from a device cannot be plastic (NEST: connect a parrot_neuron in between)")
	case pr.PerMember != nil:
		return fmt.Errorf("the projection already keeps synapses per member (structural plasticity)")
	case len(rules) != len(pr.Weight):
		return fmt.Errorf("%d rules for %d batch members", len(rules), len(pr.Weight))
	case spikes && !(tauMinus > 0):
		return fmt.Errorf("tau_minus = %g ms, expected > 0", tauMinus)
	}
	if !spikes {
		tauMinus = 0
	}
	pl := &Plastic{Rules: rules, TauMinus: tauMinus, State: -1, Vars: make([][]float64, len(rules))}
	pr.PerMember = make([]CSR, len(rules))
	for m, r := range rules {
		c := pr.CSR
		c.Weights = make([]float32, len(c.Targets))
		for j := range c.Weights {
			c.Weights[j] = pr.Weight[m]
			if pr.CSR.Weights != nil {
				c.Weights[j] = pr.CSR.Weights[j] * pr.Weight[m]
			}
		}
		if k := r.Vars(); k > 0 {
			pl.Vars[m] = make([]float64, k*len(c.Weights))
			for j, w := range c.Weights {
				if err := r.Init(pl.Vars[m][j*k:(j+1)*k], float64(w)); err != nil {
					pr.PerMember = nil
					return fmt.Errorf("synapse %d: %w", j, err)
				}
			}
		}
		pr.PerMember[m] = c
	}
	for m := range rules {
		pr.Weight[m] = 1
	}
	pr.Plastic = pl
	return nil
}

// makePlastic makes connection i's primary projection plastic when its
// synapse model is (spec.Synapse.Params hold each member's parameters; the
// target population of net gives the parameters and state the rule reads).
func makePlastic(points []spec.Network, i int, prs []*Projection, net *Network) error {
	pm, ok := plasticity.Find(points[0].Connections[i].Syn.Model)
	if !ok {
		return nil
	}
	var primary *Projection
	for _, pr := range prs {
		if pr.Role == RolePrimary {
			primary = pr
		}
	}
	if primary == nil {
		return nil
	}
	tgt := net.Pops[primary.Target]
	var rules []plasticity.Rule
	tauMinus := points[0].Connections[i].Syn.Params["tau_minus"]
	for m, pt := range points {
		p := map[string]float64{}
		for k, v := range pt.Connections[i].Syn.Params {
			if k == "tau_minus" {
				if v != tauMinus {
					return fmt.Errorf("tau_minus differs between batch members (%g, %g ms): it is the neurons'", tauMinus, v)
				}
				continue
			}
			p[k] = v
		}
		var target map[string]float64
		if len(pm.TargetParams) > 0 {
			target = map[string]float64{}
			for _, n := range pm.TargetParams {
				if v, ok := tgt.Params[m][n]; ok {
					target[n] = v
				}
			}
		}
		r, err := pm.Rule(p, target)
		if err != nil {
			return err
		}
		rules = append(rules, r)
	}
	if err := primary.MakePlastic(rules, tauMinus); err != nil {
		return err
	}
	if name := rules[0].PostState(); name != "" {
		if primary.Plastic.State = tgt.Model.FindState(name); primary.Plastic.State < 0 {
			return fmt.Errorf("%s reads the target's state %s, which %s (%s) has not", pm.Name, name, tgt.Name, tgt.Model.Name)
		}
	}
	return nil
}
