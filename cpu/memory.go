package cpu

import (
	"math"
	"unsafe"

	"github.com/snn-gpu/snn-gpu/internal/memory"
	"github.com/snn-gpu/snn-gpu/internal/parallel"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/plasticity"
)

// archiveBytes is a postsynaptic archive: its header and the spikes kept
// between prunes (16 B each: time and K-), pruneSteps of them at most
// per neuron at one spike a step, budgeted here at 64 (a neuron at 100 Hz
// keeps those of about 0.5 s: a prune's interval and the longest delay
// and interspike interval of its sources).
var archiveBytes = float64(unsafe.Sizeof(plasticity.Archive{})) + 16*64

// Memory implements engine.MemoryEstimator with what newSim allocates:
// per member, the state tensors, the ring buffers, the spike lists, the
// work items (cut for every worker count an automatic thread count tries)
// and the log of a member-by-member run's window; shared, the per-worker
// device factors and the sample buffer.
func (b *Backend) Memory(sh *network.Shape, e *memory.Estimate) {
	workers := float64(parallel.Threads(b.Threads))
	counts := []int{int(workers)}
	if b.Threads <= 0 {
		counts = workerCounts(int(workers))
	}
	slots := float64(sh.MaxDelay + 1)
	header := float64(unsafe.Sizeof([]float32{}))
	var stateBytes, logBytes float64 // a member's, and what its log takes a step (members.go)
	maxPorts := 0
	for _, p := range sh.Pops {
		maxPorts = max(maxPorts, len(p.Model.Ports))
	}
	in := float64(inStride(maxPorts)) // the input headers sim.bind gives every item
	for _, p := range sh.Pops {
		n := float64(p.N)
		named, vars, ports := len(p.Model.State), float64(len(p.Model.State)+p.History), float64(len(p.Model.Ports))
		e.Add("state", 0, 4*vars*n)
		e.Add("ring buffers", 0, 4*ports*slots*n) // every port: a bound (newSim leaves out those nothing sends to)
		stateBytes += 4 * (vars + ports*slots) * n
		logBytes += spikeLogBytes(p.N, p.SpikeCap)
		// The step's spike list, and each update item's own.
		e.Add("spike buffers", 0, 2*4*n*float64(p.SpikeCap))
		if sh.GapWindow > 0 && p.Model.Gap { // gap.go: Σg, in, out, end, prev and the saved state
			W := float64(sh.GapWindow)
			e.Add("gap junctions", 0, 8*n+2*8*4*W*n+2*8*W*n+4*vars*n)
		}
		// Update items as newSim cuts them (each with its slices of every
		// variable, port and per-neuron parameter), and delivery items; an
		// automatic thread count also cuts them for each count it tries
		// (threads.go).
		for _, w := range counts {
			items := math.Ceil(n / float64(updateChunk(p.N, named, p.History, w, 1)))
			e.Add("work items", 0, items*(float64(unsafe.Sizeof(updateItem{}))+header*(vars+in+float64(p.PerNeuron)))+
				float64(2*w+1)*float64(unsafe.Sizeof(deliverItem{})))
		}
	}
	var row, sample float64
	archived := map[int]bool{}
	for _, pr := range sh.Projections {
		if pr.Device {
			row = math.Max(row, pr.MaxRow)
		}
		if pr.Plastic { // plastic.go: a trace per source; an archive per target neuron, once per population
			e.Add("plastic traces and archives", 0, float64(unsafe.Sizeof(plasticity.Pre{}))*float64(pr.Rows))
			if !archived[pr.TargetN] {
				archived[pr.TargetN] = true
				e.Add("plastic traces and archives", 0, archiveBytes*float64(pr.TargetN))
			}
		}
	}
	for _, r := range sh.Recorders {
		sample = math.Max(sample, float64(r.Vars*r.Neurons))
		logBytes += sampleLogBytes(r.Vars * r.Neurons)
	}
	// A batch run in windows logs a window of each member's outputs, and
	// split into slices merges the slices' logs into a copy.
	e.Add("member logs", 0, 2*float64(logSteps(stateBytes, logBytes))*logBytes)
	e.Add("work items", 4*workers*row+4*sample, 0)
}
