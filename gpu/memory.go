package gpu

import (
	"github.com/snn-gpu/snn-gpu/internal/memory"
	"github.com/snn-gpu/snn-gpu/network"
)

// Memory implements engine.MemoryEstimator for the host side of a run
// (Fit bounds the device side): per member, the state staged for upload,
// the host copy of each population's spike recording window and its
// spikes sorted by step, and the multimeters' sample windows.
func (b *Backend) Memory(sh *network.Shape, e *memory.Estimate) {
	flush := float64(b.flushSteps())
	for _, p := range sh.Pops {
		n := float64(p.N)
		e.Add("state (staged for the device)", 0, 4*float64(len(p.Model.State)+p.History)*n)
		e.Add("spike recordings (host copy)", 0, (8+4)*n*float64(p.SpikeCap)*flush)
	}
	for _, r := range sh.Recorders {
		if r.Model == "multimeter" {
			e.Add("samples (host copy)", 0, 4*float64(r.Vars*r.Neurons)*(flush/float64(r.Interval)+1))
		}
	}
}
