package engine

import "github.com/snn-gpu/snn-gpu/network"

// Transmission is a spike's passage through a plastic synapse that a
// weight_recorder watches (network.WeightRecording): the weight the spike
// carried, after the rule's update at its arrival (NEST's
// WeightRecorderEvent).
type Transmission struct {
	Projection     *network.Projection
	Sender, Target uint32 // indices within the source and target populations
	Stamp          int64  // the spike's stamp (steps): its time is Stamp·dt
	Weight         float32
}

// WeightSink is a sink that wants plastic weights: a backend hands it,
// per member, each step's recorded transmissions (in delivery order) and,
// at the end of Run, every plastic projection once.
type WeightSink interface {
	Transmitted(m int, t []Transmission)
	// FinalWeights is called with the member's weights in pr.Of(m).
	FinalWeights(m int, pr *network.Projection)
}

// Transmitted implements WeightSink for the sinks that do.
func (s Sinks) Transmitted(m int, t []Transmission) {
	for _, k := range s {
		if w, ok := k.(WeightSink); ok {
			w.Transmitted(m, t)
		}
	}
}

// FinalWeights implements WeightSink for the sinks that do.
func (s Sinks) FinalWeights(m int, pr *network.Projection) {
	for _, k := range s {
		if w, ok := k.(WeightSink); ok {
			w.FinalWeights(m, pr)
		}
	}
}
