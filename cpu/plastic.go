package cpu

import (
	"math"

	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/plasticity"
)

// plasticSim is the CPU's state of plastic projections: a presynaptic side
// (trace and last spike) per source neuron and member, and a postsynaptic
// side per neuron and member of every population that a plastic
// projection targets: its spikes where a rule reads them, the history of
// a state variable where a rule reads that. The weights live in the
// projections' PerMember CSRs, the rules' per-synapse variables in
// Plastic.Vars.
type plasticSim struct {
	pre   map[*network.Projection][][]plasticity.Pre // [member][source]
	posts [][][]plasticity.Post                      // [pop][member][neuron]; nil: no plastic target
	// spikes and state say what to keep of each target population: its
	// spikes (their trace decays with the population's tau_minus) and the
	// history of which state variable (-1: none).
	spikes   []bool
	state    []int
	projs    []*network.Projection
	maxDelay map[*network.Projection]int // steps
	dt       float64
	sink     engine.WeightSink // nil: the run's sink takes no weights
}

// pruneSteps is how often the archives forget spikes that no synapse can
// read any more: often enough to bound them by a few intervals of spikes,
// seldom enough that the scan of every source is negligible.
const pruneSteps = 1000

func newPlasticSim(net *network.Network) *plasticSim {
	var ps *plasticSim
	B := net.Batch()
	for _, pr := range net.Projections {
		if pr.Plastic == nil {
			continue
		}
		if ps == nil {
			ps = &plasticSim{pre: map[*network.Projection][][]plasticity.Pre{}, posts: make([][][]plasticity.Post, len(net.Pops)),
				spikes: make([]bool, len(net.Pops)), state: make([]int, len(net.Pops)), maxDelay: map[*network.Projection]int{}, dt: net.Dt}
			for p := range ps.state {
				ps.state[p] = -1
			}
		}
		ps.projs = append(ps.projs, pr)
		pre := make([][]plasticity.Pre, B)
		for m := range pre {
			pre[m] = make([]plasticity.Pre, net.Pops[pr.Source.Index].N)
		}
		ps.pre[pr] = pre
		d := pr.Delay
		if pr.CSR.Delays != nil {
			d = 0
			for _, x := range pr.CSR.Delays {
				d = max(d, int(x))
			}
		}
		ps.maxDelay[pr] = d
		if ps.posts[pr.Target] == nil {
			n := net.Pops[pr.Target].N
			ps.posts[pr.Target] = make([][]plasticity.Post, B)
			for m := range B {
				ps.posts[pr.Target][m] = make([]plasticity.Post, n)
			}
		}
		// A second plastic projection onto the same population reads the
		// same posts: NEST's tau_minus is the neuron's, and so is dPI.
		if pr.Plastic.ReadsSpikes {
			ps.spikes[pr.Target] = true
			for m, post := range ps.posts[pr.Target] {
				tau := net.Pops[pr.Target].Params[m][models.TauMinus.Name]
				for i := range post {
					post[i].TauMinus = tau
				}
			}
		}
		if pr.Plastic.State >= 0 {
			ps.state[pr.Target] = pr.Plastic.State
		}
	}
	return ps
}

// deliverPlastic is deliverRange for a plastic projection: each source's
// spike first updates its synapses in [lo, hi) by their rule (NEST's
// event-driven send, the weight the spike then carries), once per step
// however often the source repeats (one event of that multiplicity, as
// NEST sends it), then adds them like a static projection's.
func (s *sim) deliverPlastic(it *deliverItem, pr *network.Projection, c *network.CSR, rings [2][]float32, step int64, slot int, whole bool) {
	m := it.member
	rule := pr.Plastic.Rules[m]
	k := rule.Vars()
	vars := pr.Plastic.Vars[m]
	pre := s.plastic.pre[pr][m]
	post := s.plastic.posts[pr.Target][m]
	dt := s.net.Dt
	tPre := float64(step+1) * dt
	rec := pr.Plastic.Record
	if s.plastic.sink == nil {
		rec = nil
	}
	prev := -1
	for _, src := range s.pops[pr.Source.Index].spikes[m] {
		a, b := rowRange(c, int(src), it.lo, it.hi, whole)
		if int(src) != prev {
			prev = int(src)
			for j := a; j < b; j++ {
				d := pr.Delay
				if c.Delays != nil {
					d = int(c.Delays[j])
				}
				w := rule.Send(float64(c.Weights[j]), vars[int(j)*k:int(j+1)*k], pre[src], tPre, float64(d)*dt, &post[c.Targets[j]])
				c.Weights[j] = float32(w)
				if rec != nil && rec.Takes(src, c.Targets[j], step+1) {
					it.sent = append(it.sent, engine.Transmission{Projection: pr, Sender: src, Target: c.Targets[j], Stamp: step + 1, Weight: c.Weights[j]})
				}
			}
		}
		addRow(rings, pr, c, a, b, nil, 1, pr.Weight[m], slot, s.slots, s.pops[pr.Target].N, false)
	}
}

// afterDelivery advances the presynaptic side of the step's sources, and
// appends to the targets' posts the step's spikes and the state variable
// the rules read, stamped step + 1 (NEST's stamp of the step's history
// entry): a transmission at least one delay later reads them.
func (ps *plasticSim) afterDelivery(s *sim, step int64) {
	for i := range s.deliver {
		if it := &s.deliver[i]; len(it.sent) > 0 {
			ps.sink.Transmitted(it.member, it.sent)
			it.sent = it.sent[:0]
		}
	}
	t := float64(step+1) * s.net.Dt
	for _, pr := range ps.projs {
		for m, pre := range ps.pre[pr] {
			prev := -1
			for _, src := range s.pops[pr.Source.Index].spikes[m] {
				if int(src) != prev {
					prev = int(src)
					pre[src].Spike(t, pr.Plastic.Rules[m].TauPlus())
				}
			}
		}
	}
	for p, members := range ps.posts {
		if members == nil {
			continue
		}
		n := s.pops[p].N
		for m, post := range members {
			if ps.spikes[p] {
				prev := -1
				for _, i := range s.pops[p].spikes[m] {
					if int(i) != prev {
						prev = int(i)
						post[i].Add(t)
					}
				}
			}
			if v := ps.state[p]; v >= 0 {
				x := s.pops[p].vars[v][m*n : (m+1)*n]
				for i := range post {
					post[i].History.Add(t, float64(x[i]))
				}
			}
			if (step+1)%pruneSteps == 0 {
				ps.prune(p, m)
			}
		}
	}
}

// prune drops from member m's posts of population p what no later
// transmission reads: a synapse of delay d from a source that last spiked
// at t_last reads spikes and entries after t_last - d, and the last spike
// before (for K-); sources that never spiked (t_last = 0) keep everything,
// as NEST keeps a history until every synapse has read it.
func (ps *plasticSim) prune(p, m int) {
	th := math.Inf(1)
	for _, pr := range ps.projs {
		if pr.Target != p {
			continue
		}
		d := float64(ps.maxDelay[pr]) * ps.dt
		for _, pre := range ps.pre[pr][m] {
			th = min(th, pre.TLast-d)
		}
	}
	for i := range ps.posts[p][m] {
		ps.posts[p][m][i].Prune(th)
		ps.posts[p][m][i].History.Prune(th)
	}
}

// final hands the sink every member's final weights.
func (ps *plasticSim) final() {
	if ps.sink == nil {
		return
	}
	for _, pr := range ps.projs {
		for m := range pr.Plastic.Rules {
			ps.sink.FinalWeights(m, pr)
		}
	}
}
