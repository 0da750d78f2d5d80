package engine

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
