package network

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/models"

	"github.com/snn-gpu/snn-gpu/spec"

	"github.com/snn-gpu/snn-gpu/plasticity"
)

// Plastic makes a projection's weights change with spike timing (package
// plasticity): each batch member has its own rule (a sweep over a learning
// rate runs as one batch) and its own weights, in PerMember[m].Weights.
type Plastic struct {
	Rules []plasticity.Rule // per member
	// Record is the weight_recorder the synapses name; nil: none.
	Record *WeightRecording
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
		if pr.Role != RolePrimary {
			continue
		}
		if err := pr.MakePlastic(rules); err != nil {
			return err
		}
		if wr := points[0].Connections[i].Syn.WeightRecorder; wr != nil {
			nTgt := 0
			for _, p := range points[0].Populations {
				if p.Name == points[0].Connections[i].Target {
					nTgt = p.N
				}
			}
			r, err := weightRecording(wr, len(pr.Offsets)-1, nTgt, points[0].Simulation.Dt)
			if err != nil {
				return err
			}
			pr.Plastic.Record = r
		}
		return nil
	}
	return nil
}

// WeightRecording is a weight_recorder that a plastic projection names
// (NEST: the synapse model's weight_recorder): it records the weight each
// spike carries through the synapses from Senders to Targets (nil: all)
// with stamps Min < stamp <= Max (steps).
type WeightRecording struct {
	Name     string
	Senders  []bool // by source neuron; nil: every one
	Targets  []bool // by target neuron; nil: every one
	Min, Max int64
}

// Takes reports whether the recorder records a transmission.
func (r *WeightRecording) Takes(sender, target uint32, stamp int64) bool {
	return stamp > r.Min && stamp <= r.Max && (r.Senders == nil || r.Senders[sender]) && (r.Targets == nil || r.Targets[target])
}

// weightRecording resolves a synapse's weight_recorder for a projection
// from nSrc to nTgt neurons.
func weightRecording(wr *spec.WeightRecorder, nSrc, nTgt int, dt float64) (*WeightRecording, error) {
	r := &WeightRecording{Name: wr.Name, Min: models.Steps(float64(wr.Start), dt), Max: math.MaxInt64}
	if stop := float64(wr.Stop); !math.IsInf(stop, 1) {
		r.Max = models.Steps(stop, dt)
	}
	pick := func(what string, idx []int, n int) ([]bool, error) {
		if idx == nil {
			return nil, nil
		}
		chosen := make([]bool, n)
		for _, i := range idx {
			if i < 0 || i >= n {
				return nil, fmt.Errorf("weight_recorder %s: %s index %d outside the population of %d", wr.Name, what, i, n)
			}
			chosen[i] = true
		}
		return chosen, nil
	}
	var err error
	if r.Senders, err = pick("senders", wr.Senders, nSrc); err != nil {
		return nil, err
	}
	r.Targets, err = pick("targets", wr.Targets, nTgt)
	return r, err
}
