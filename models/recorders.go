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

func init() {
	RegisterRecorder(SpikeRecorder)
	RegisterRecorder(Multimeter)
}
