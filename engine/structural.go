package engine

import "github.com/snn-gpu/snn-gpu/structural"

// Rewire runs structural plasticity's update before step for every member
// that has not failed, and reports each member's structure to sink; at
// the end of the run (step = steps) and at the snapshots between updates
// (record_interval) it reports the structure without rewiring. It returns
// whether the synapses changed, so that a backend knows when to refresh
// its copy of the plastic projections.
func Rewire(sp *structural.Plasticity, w *Watch, sink Sink, step, steps int64) bool {
	if !RewiresAt(sp, step, steps) {
		return false
	}
	update := step < steps && sp.Due(step)
	ss, _ := sink.(StructureSink)
	for m := range sp.Batch() {
		if w.Failed(m) {
			continue
		}
		if update {
			sp.Update(m, step)
		} else {
			sp.Finish(m, step)
		}
		if ss != nil {
			ss.Structure(m, sp.Snapshot(m, step))
		}
	}
	return update
}

// RewiresAt says whether Rewire acts before step: an update of the
// connectivity or a record of it is due, or the run ends (steps).
func RewiresAt(sp *structural.Plasticity, step, steps int64) bool {
	if sp == nil || !sp.Rewires() {
		return false // no plasticity, or the calcium traces alone
	}
	return step >= steps || sp.Due(step) || sp.Recorded(step)
}

// SpikeFeed is a sink that hands every spike to structural plasticity
// (calcium and elements); Plastic places it before the other sinks.
type SpikeFeed struct{ Plasticity *structural.Plasticity }

func (f SpikeFeed) Spikes(m, pop int, step int64, neurons []uint32) {
	f.Plasticity.Spikes(m, pop, step, neurons)
}

func (SpikeFeed) Sample(int, int, int64, []float32) {}
