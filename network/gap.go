package network

import (
	"fmt"

	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/spec"
)

// WFR is how a network with gap junctions couples them: NEST's waveform
// relaxation (docs/models.md, Gap junctions).
type WFR struct {
	spec.WFR
	// Window is the steps of one relaxation window: the communication
	// interval, or the shortest delay of any other connection if that is
	// shorter (NEST's min_delay); 1 when Use is false (explicit coupling
	// every step).
	Window int
}

// Iterations is a window's trial passes: none without relaxation.
func (w *WFR) Iterations() int {
	if !w.Use {
		return 0
	}
	return w.MaxIterations
}

// minDelay returns the shortest delay of a projection in steps.
func (pr *Projection) minDelay() int {
	if pr.Delays == nil {
		return pr.Delay
	}
	d := int(^uint16(0))
	for _, x := range pr.Delays {
		d = min(d, int(x))
	}
	return d
}

// planWFR sets net.WFR where some projection is a gap junction, and checks
// that gap junctions join models that take them.
func planWFR(net *Network, sim spec.Simulation) error {
	var gap bool
	window := 1 << 30
	for _, pr := range net.Projections {
		if !pr.Gap {
			if pr.Synapses() > 0 {
				window = min(window, pr.minDelay())
			}
			continue
		}
		gap = true
		for _, p := range []int{pr.Source.Index, pr.Target} {
			if m := net.Pops[p].Model; !m.Gap {
				return fmt.Errorf("connection[%d]: gap_junction needs a model with gap junctions at both ends, not %s", pr.Connection, m.Name)
			}
		}
	}
	if !gap {
		return nil
	}
	w := spec.DefaultWFR()
	if sim.WFR != nil {
		w = *sim.WFR
	}
	net.WFR = &WFR{WFR: w, Window: 1}
	if w.Use {
		net.WFR.Window = int(max(1, min(int64(window), models.Steps(w.CommInterval, net.Dt))))
	}
	return nil
}

// EachSynapse calls f with source, target and weight (float64, as the gap
// coupling sums it) of every synapse for member m, in CSR order.
func (pr *Projection) EachSynapse(m int, f func(s, t int, w float64)) {
	scale := pr.Weight[m]
	for s := 0; s+1 < len(pr.Offsets); s++ {
		for j := pr.Offsets[s]; j < pr.Offsets[s+1]; j++ {
			w := scale
			if pr.Weights != nil {
				w = pr.Weights[j] * scale
			}
			f(s, int(pr.Targets[j]), float64(w))
		}
	}
}

// Mirror returns the gap projection that holds pr's synapses reversed:
// pr itself within one population (make_symmetric and all_to_all put both
// directions in it), else the reverse projection of its statement. Its row
// t lists the sources of target t, ascending: a gather over it sums in the
// order a scatter over pr does.
func (n *Network) Mirror(pr *Projection) *Projection {
	if pr.Source.Index == pr.Target {
		return pr
	}
	for _, q := range n.Projections {
		if q.Gap && q.Connection == pr.Connection && q.Source.Index == pr.Target && q.Target == pr.Source.Index {
			return q
		}
	}
	return nil
}
