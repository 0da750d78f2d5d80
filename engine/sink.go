package engine

import "github.com/snn-gpu/snn-gpu/structural"

// Sink receives what a backend produces. A backend calls it from one
// goroutine, in step order for each batch member.
type Sink interface {
	// Spikes gets the neurons of population pop of batch member m that
	// spiked during step (stamp step+1, time (step+1)·dt), ascending.
	// The slice is reused after the call returns.
	Spikes(m, pop int, step int64, neurons []uint32)
	// Sample gets the values multimeter rec recorded for member m at the end
	// of step: values[v*len(neurons)+i] is variable v (in the order of
	// record_from) of the recorder's i-th neuron, in absolute units.
	// The slice is reused after the call returns.
	Sample(m, rec int, step int64, values []float32)
}

// Sinks fans calls out to several sinks in order.
type Sinks []Sink

func (s Sinks) Spikes(m, pop int, step int64, neurons []uint32) {
	for _, k := range s {
		k.Spikes(m, pop, step, neurons)
	}
}

func (s Sinks) Sample(m, rec int, step int64, values []float32) {
	for _, k := range s {
		k.Sample(m, rec, step, values)
	}
}

// WFRStats counts one member's waveform-relaxation iterations (trial
// passes) over the windows of a run with gap junctions.
type WFRStats struct {
	Windows int `json:"windows"`
	Sum     int `json:"iterations"`
	Max     int `json:"max_per_window"`
	// Capped counts the windows that ended at wfr_max_iterations without
	// converging (NEST warns; the last iterate is used).
	Capped int `json:"capped"`
}

// Add counts a window that took n iterations, converged or not.
func (s *WFRStats) Add(n int, converged bool) {
	s.Windows++
	s.Sum += n
	s.Max = max(s.Max, n)
	if !converged {
		s.Capped++
	}
}

// Mean is the iterations per window.
func (s WFRStats) Mean() float64 {
	if s.Windows == 0 {
		return 0
	}
	return float64(s.Sum) / float64(s.Windows)
}

// WFRSink is a sink that wants the iteration counts: a backend that
// relaxes gap junctions calls it once per member at the end of Run.
type WFRSink interface {
	WFR(m int, s WFRStats)
}

// WFR implements WFRSink for the sinks that do.
func (s Sinks) WFR(m int, st WFRStats) {
	for _, k := range s {
		if w, ok := k.(WFRSink); ok {
			w.WFR(m, st)
		}
	}
}

// StructureSink is a sink that wants the structure of a network with
// structural plasticity: a backend calls it for every member after every
// update and once at the end of Run.
type StructureSink interface {
	Structure(m int, s structural.Snapshot)
}

// Structure implements StructureSink for the sinks that do.
func (s Sinks) Structure(m int, st structural.Snapshot) {
	for _, k := range s {
		if w, ok := k.(StructureSink); ok {
			w.Structure(m, st)
		}
	}
}
