package network

import (
	"fmt"
	"slices"

	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/spec"
)

// RoleStructural marks a projection whose synapses structural plasticity
// creates and deletes during the run (one per synapse type and pair of
// populations that carry its elements).
const RoleStructural = "structural"

// Structural is the structural plasticity of a batch (package structural
// runs it).
type Structural struct {
	Interval int64 // steps between updates; 0: the calcium traces alone, no structural plasticity
	Record   int64 // steps between snapshots besides the updates' (0: none)
	Types    []StructuralType
	// Calcium and Elements are per population and member; Elements[p] is
	// nil for a population without synaptic elements.
	Calcium  [][]spec.Calcium
	Elements [][][]spec.Element
	// Recorded marks the populations whose Ca a multimeter records: they
	// keep the trace without synaptic elements.
	Recorded []bool
}

// StructuralType is one structural-plasticity synapse type and its
// projections, by source then target population.
type StructuralType struct {
	spec.SPSynapse
	Projections []*Projection
}

// Of returns the synapses of batch member m: its own where the projection
// keeps them per member (structural plasticity; later plastic weights),
// otherwise the CSR all members share.
func (pr *Projection) Of(m int) *CSR {
	if pr.PerMember != nil {
		return &pr.PerMember[m]
	}
	return &pr.CSR
}

// CalciumVar is the multimeter's name of the calcium trace.
const CalciumVar = "Ca"

// KeepsCalcium reports whether population p has a calcium trace: where it
// has synaptic elements or its Ca is recorded (s may be nil: no calcium
// anywhere). Every spiking neuron has one in NEST; we integrate it only
// where something reads it.
func (s *Structural) KeepsCalcium(p int) bool {
	return s != nil && (len(s.Elements[p]) > 0 || s.Recorded[p])
}

// Rewires reports whether s is structural plasticity, rather than the
// calcium traces a multimeter records.
func (s *Structural) Rewires() bool { return s != nil && s.Interval > 0 }

// caRecorded returns, per population, whether a multimeter of the network
// records its Ca (nil: none does).
func caRecorded(s0 spec.Network, names map[string]Endpoint, pops int) []bool {
	var rec []bool
	for _, r := range s0.Recorders {
		src, ok := names[r.Source]
		if !ok || src.Device || !slices.Contains(r.RecordFrom, CalciumVar) {
			continue
		}
		if rec == nil {
			rec = make([]bool, pops)
		}
		rec[src.Index] = true
	}
	return rec
}

// hasElement reports whether population p's members carry element name.
func (s *Structural) hasElement(p int, name string) bool {
	return len(s.Elements[p]) > 0 && slices.ContainsFunc(s.Elements[p][0], func(e spec.Element) bool { return e.Name == name })
}

// buildStructural makes the (empty, per-member) projections of every
// structural-plasticity synapse type, or, without structural plasticity,
// the calcium traces that multimeters record.
func buildStructural(points []spec.Network, net *Network, names map[string]Endpoint) error {
	s0 := points[0].Structural
	recorded := caRecorded(points[0], names, len(net.Pops))
	if s0 == nil && recorded == nil {
		return nil
	}
	if recorded == nil {
		recorded = make([]bool, len(net.Pops))
	}
	st := &Structural{Recorded: recorded}
	if s0 == nil {
		s0 = &spec.Structural{}
	} else {
		st.Interval, st.Record = models.Steps(s0.UpdateInterval, net.Dt), models.Steps(s0.RecordInterval, net.Dt)
	}
	for p := range net.Pops {
		var ca []spec.Calcium
		var els [][]spec.Element
		for m := range points {
			pop := points[m].Populations[p]
			c := spec.DefaultCalcium()
			if pop.Calcium != nil {
				c = *pop.Calcium
			}
			ca = append(ca, c)
			if len(pop.Elements) > 0 {
				els = append(els, pop.Elements)
			}
		}
		st.Calcium = append(st.Calcium, ca)
		st.Elements = append(st.Elements, els)
	}
	for k, t := range s0.Synapses {
		typ := StructuralType{SPSynapse: t}
		delay, err := delaySteps(t.Delay, net.Dt)
		if err != nil {
			return at(fmt.Sprintf("structural_plasticity.synapses[%d].delay", k), err)
		}
		for a := range net.Pops {
			if !st.hasElement(a, t.Pre) {
				continue
			}
			for b, tp := range net.Pops {
				if !st.hasElement(b, t.Post) {
					continue
				}
				pr := &Projection{Source: Endpoint{Index: a}, Target: b, Connection: -1, Role: RoleStructural, Rule: "structural",
					Name: fmt.Sprintf("%s->%s (%s)", net.Pops[a].Name, tp.Name, t.Name), Delay: delay}
				if pr.Port, pr.PortNeg = tp.Model.PortsFor(models.SpikePort, ""); pr.Port < 0 || pr.PortNeg < 0 {
					return fmt.Errorf("structural_plasticity.synapses[%d]: %s takes no spike input", k, tp.Model.Name)
				}
				pr.CSR = CSR{Offsets: make([]int64, net.Pops[a].N+1)}
				for m := range points {
					pr.Weight = append(pr.Weight, float32(points[m].Structural.Synapses[k].Weight))
					pr.PerMember = append(pr.PerMember, CSR{Offsets: make([]int64, net.Pops[a].N+1)})
				}
				pr.Index = len(net.Projections)
				net.Projections = append(net.Projections, pr)
				net.MaxDelay = max(net.MaxDelay, delay)
				typ.Projections = append(typ.Projections, pr)
			}
		}
		st.Types = append(st.Types, typ)
	}
	net.Structural = st
	return nil
}
