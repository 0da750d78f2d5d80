package models

// SpikeRecorder is NEST's spike_recorder: it records the spikes of the
// chosen neurons with their stamps (times in ms).
var SpikeRecorder = &Recorder{
	Name: "spike_recorder",
	Doc:  "Records spikes (point, population, neuron, time_ms) of the chosen neurons with stamp t, start < t <= stop.",
	Params: append([]Param{
		{Name: "n_rec", Kind: Integer, Default: -1, Doc: "record the first n_rec neurons (-1: all, unless neurons is given)"},
		{Name: "neurons", Kind: List, Doc: "indices of the neurons to record, within the population"},
	}, windowParams...),
}

// Multimeter is NEST's multimeter: it samples state variables of the
// chosen neurons every interval.
var Multimeter = &Recorder{
	Name: "multimeter",
	Doc: `Samples state variables every interval: at t = k·interval (k >= 1, start < t <= stop), the state
after the step that ends at t. Any state variable of the model can be recorded (record_from).`,
	Params: append([]Param{
		{Name: "interval", Unit: "ms", Default: 1, Doc: "sampling interval, a multiple of the resolution"},
		{Name: "record_from", Kind: Strings, Doc: "names of the state variables to record"},
		{Name: "n_rec", Kind: Integer, Default: -1, Doc: "record the first n_rec neurons (-1: all, unless neurons is given)"},
		{Name: "neurons", Kind: List, Doc: "indices of the neurons to record, within the population"},
	}, windowParams...),
}

// WeightRecorder is NEST's weight_recorder: plastic synapses that name it
// (syn.weight_recorder) report the weight each spike carries.
var WeightRecorder = &Recorder{
	Name: "weight_recorder",
	Doc: `Records, for every spike through the plastic synapses that name it, the sender, the target, the spike's
stamp t (start < t <= stop) and the weight it carried (after the rule's update), NEST's WeightRecorderEvent.`,
	Params: append([]Param{
		{Name: "senders", Kind: List, Doc: "source neurons (indices within the source population) to record; all if not given"},
		{Name: "targets", Kind: List, Doc: "target neurons (indices within the target population) to record; all if not given"},
	}, windowParams...),
}

func init() {
	RegisterRecorder(SpikeRecorder)
	RegisterRecorder(Multimeter)
	RegisterRecorder(WeightRecorder)
}
