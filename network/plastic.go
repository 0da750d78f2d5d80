package network

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/plasticity"
	"github.com/snn-gpu/snn-gpu/spec"
)

// Plastic makes a projection's weights change at every presynaptic spike
// (package plasticity): each batch member has its own rule (a sweep over a
// learning rate runs as one batch), its own weights, in
// PerMember[m].Weights, and the rule's own variables per synapse, in
// Vars[m].
type Plastic struct {
	Rules []plasticity.Rule // per member
	// State is the index of the targets' state variable the rules read
	// (Rule.PostState), which the engines append to a history per target
	// neuron and member after every step; -1 for none.
	State int
	// ReadsSpikes: the rules read the targets' spikes, whose trace decays
	// with the target population's tau_minus (models.TauMinus), per member.
	ReadsSpikes bool
	// Vars[m][j·k : (j+1)·k] are member m's variables of synapse j (CSR
	// order), k = Rules[m].Vars(); nil where k is 0.
	Vars [][]float64
	// Record is the weight_recorder the synapses name; nil: none.
	Record *WeightRecording
}

// MakePlastic gives every member its own copy of the synapses' weights
// (the member's weight, times the synapse's own where drawn) and the
// rule's variables, initialised from them, for rules, one per member;
// offsets, targets and delays stay shared. Rules that read a state
// variable need State set to its index.
func (pr *Projection) MakePlastic(rules []plasticity.Rule) error {
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
	}
	pl := &Plastic{Rules: rules, State: -1, ReadsSpikes: spikes, Vars: make([][]float64, len(rules))}
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
	for m, pt := range points {
		p := pt.Connections[i].Syn.Params
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
	if err := primary.MakePlastic(rules); err != nil {
		return err
	}
	if name := rules[0].PostState(); name != "" {
		if primary.Plastic.State = tgt.Model.FindState(name); primary.Plastic.State < 0 {
			return fmt.Errorf("%s reads the target's state %s, which %s (%s) has not", pm.Name, name, tgt.Name, tgt.Model.Name)
		}
	}
	if wr := points[0].Connections[i].Syn.WeightRecorder; wr != nil {
		r, err := weightRecording(wr, len(primary.Offsets)-1, tgt.N, points[0].Simulation.Dt)
		if err != nil {
			return err
		}
		primary.Plastic.Record = r
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
