package structural

import (
	"math"
	"slices"

	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/rng"
)

// Plasticity is the structural plasticity of a batch: per member, the
// calcium trace and the elements of every neuron that takes part, and the
// synapses of every synapse type.
type Plasticity struct {
	net     *network.Network
	st      *network.Structural
	offset  []uint32 // global id of each population's first neuron (NEST's ids, from 0)
	members []*member
}

// member is one batch member's structural state.
type member struct {
	pops    []*popState // nil for populations without elements
	edges   [][]Edge    // per synapse type
	updates uint32
}

// popState is the calcium and the elements of one population's neurons.
type popState struct {
	tau, beta float64
	ca        []float64
	last      []int64 // stamp (steps) of the last touch of ca and the elements
	elems     []*Elements
}

// Elements is one synaptic element of a population's neurons.
type Elements struct {
	Name      string
	Curve     Curve
	TauVacant float64
	Z         []float64
	Connected []int32
}

// Vacant returns floor(z) - z_connected of neuron i (negative: elements
// are missing, synapses must go).
func (e *Elements) Vacant(i int) int {
	return int(math.Floor(e.Z[i])) - int(e.Connected[i])
}

// Edge is a synapse between two neurons, by global id.
type Edge struct{ Pre, Post uint32 }

// New returns the structural plasticity of net, nil where it has none.
func New(net *network.Network) (*Plasticity, error) {
	st := net.Structural
	if st == nil {
		return nil, nil
	}
	p := &Plasticity{net: net, st: st}
	id := uint32(0)
	for _, pop := range net.Pops {
		p.offset = append(p.offset, id)
		id += uint32(pop.N)
	}
	for m := range net.Batch() {
		mb := &member{pops: make([]*popState, len(net.Pops)), edges: make([][]Edge, len(st.Types))}
		for pi, pop := range net.Pops {
			if !st.KeepsCalcium(pi) {
				continue
			}
			c := st.Calcium[pi][m]
			ps := &popState{tau: c.TauCa, beta: c.BetaCa, ca: make([]float64, pop.N), last: make([]int64, pop.N)}
			for i := range ps.ca {
				ps.ca[i] = c.Ca
			}
			if len(st.Elements[pi]) == 0 {
				mb.pops[pi] = ps // the calcium trace alone
				continue
			}
			for _, e := range st.Elements[pi][m] {
				cv, err := NewCurve(e)
				if err != nil {
					return nil, err
				}
				el := &Elements{Name: e.Name, Curve: cv, TauVacant: e.TauVacant, Z: make([]float64, pop.N), Connected: make([]int32, pop.N)}
				for i := range el.Z {
					el.Z[i] = e.Z
				}
				ps.elems = append(ps.elems, el)
			}
			mb.pops[pi] = ps
		}
		p.members = append(p.members, mb)
	}
	return p, nil
}

// Rewires reports whether p changes synapses (structural plasticity), not
// only the calcium traces a multimeter records.
func (p *Plasticity) Rewires() bool { return p.st.Rewires() }

// Due reports whether an update falls before step (at t = step·dt; NEST
// checks at every multiple of the interval, t = 0 included).
func (p *Plasticity) Due(step int64) bool { return p.st.Rewires() && step%p.st.Interval == 0 }

// Recorded reports whether a snapshot falls before step between updates
// (record_interval).
func (p *Plasticity) Recorded(step int64) bool {
	return p.st.Record > 0 && step%p.st.Record == 0
}

// Next returns the first step after step at which an update or a
// snapshot falls: a backend that runs windows of steps ends one there.
func (p *Plasticity) Next(step int64) int64 {
	if !p.st.Rewires() {
		return math.MaxInt64 // calcium alone: nothing between windows
	}
	next := (step/p.st.Interval + 1) * p.st.Interval
	if r := p.st.Record; r > 0 {
		next = min(next, (step/r+1)*r)
	}
	return next
}

// Element returns member m's element name of population pop (nil if it has
// none).
func (p *Plasticity) Element(m, pop int, name string) *Elements {
	ps := p.members[m].pops[pop]
	if ps == nil {
		return nil
	}
	for _, e := range ps.elems {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// Calcium returns member m's calcium of population pop as of each
// neuron's last spike or update (nil without elements).
func (p *Plasticity) Calcium(m, pop int) []float64 {
	if ps := p.members[m].pops[pop]; ps != nil {
		return ps.ca
	}
	return nil
}

// CalciumAt returns neuron i's calcium at stamp (time stamp·dt), its
// value at the last touch decayed exactly: what NEST's GetStatus reads
// after a Simulate call that ends there. It changes nothing, so that
// reading does not split the elements' integration.
func (p *Plasticity) CalciumAt(m, pop, i int, stamp int64) float64 {
	ps := p.members[m].pops[pop]
	return ps.ca[i] * math.Exp(-float64(stamp-ps.last[i])*p.net.Dt/ps.tau)
}

// Edges returns member m's synapses of synapse type k.
func (p *Plasticity) Edges(m, k int) []Edge { return p.members[m].edges[k] }

// touch integrates neuron i's elements and calcium up to stamp.
func (p *Plasticity) touch(ps *popState, i int, stamp int64) {
	T := float64(stamp-ps.last[i]) * p.net.Dt
	if T <= 0 {
		return
	}
	ca := ps.ca[i]
	var grown [8]float64 // the integral of each element's curve, shared by equal curves
	for k, e := range ps.elems {
		g, done := 0.0, false
		for j := range min(k, len(grown)) {
			if ps.elems[j].Curve == e.Curve {
				g, done = grown[j], true
				break
			}
		}
		if !done {
			g = e.Curve.Integral(ca, T, ps.tau)
		}
		if k < len(grown) {
			grown[k] = g
		}
		e.Z[i] = max(0, e.Z[i]+g)
	}
	ps.ca[i] = ca * math.Exp(-T/ps.tau)
	ps.last[i] = stamp
}

// Spikes takes the neurons of population pop of member m that spiked in
// step (stamp step+1): their elements grow up to the spike, then their
// calcium jumps by beta_Ca.
func (p *Plasticity) Spikes(m, pop int, step int64, neurons []uint32) {
	ps := p.members[m].pops[pop]
	if ps == nil {
		return
	}
	for _, i := range neurons {
		p.touch(ps, int(i), step+1)
		ps.ca[i] += ps.beta
	}
}

// Update runs the update cycle of member m at step (time step·dt):
// elements integrated, then for each synapse type deletions driven by the
// pre side, by the post side, and creations; then vacant elements decay.
// It rewrites the member's CSR of every plastic projection.
func (p *Plasticity) Update(m int, step int64) {
	mb := p.members[m]
	for _, ps := range mb.pops {
		if ps == nil {
			continue
		}
		for i := range ps.ca {
			p.touch(ps, i, step)
		}
	}
	key := p.net.Key(m)
	for k := range p.st.Types {
		t := &p.st.Types[k]
		s := rng.NewStream(key, rng.PurposeStructural, uint32(k), mb.updates, 0)
		mb.edges[k] = p.delete(mb, mb.edges[k], t.Pre, t.Post, false, &s)
		s = rng.NewStream(key, rng.PurposeStructural, uint32(k), mb.updates, 1)
		mb.edges[k] = p.delete(mb, mb.edges[k], t.Pre, t.Post, true, &s)
		s = rng.NewStream(key, rng.PurposeStructural, uint32(k), mb.updates, 2)
		mb.edges[k] = p.create(mb, mb.edges[k], t, &s)
	}
	for _, ps := range mb.pops {
		if ps == nil {
			continue
		}
		for _, e := range ps.elems {
			for i := range e.Z {
				if v := e.Vacant(i); v > 0 {
					e.Z[i] -= float64(v) * e.TauVacant
				}
			}
		}
	}
	mb.updates++
	for k := range p.st.Types {
		p.rebuild(m, k)
	}
}

// where returns the population and index of global id g.
func (p *Plasticity) where(g uint32) (int, int) {
	pop, _ := slices.BinarySearch(p.offset, g+1)
	return pop - 1, int(g - p.offset[pop-1])
}

// element returns the element of global neuron g (nil if it has none).
func (p *Plasticity) element(mb *member, g uint32, name string) (*Elements, int) {
	pop, i := p.where(g)
	ps := mb.pops[pop]
	if ps == nil {
		return nil, i
	}
	for _, e := range ps.elems {
		if e.Name == name {
			return e, i
		}
	}
	return nil, i
}

// delete removes, for every neuron whose element on one side (the post
// side if byPost) has fewer elements than synapses, as many of its
// synapses of this type as it lacks (all of them if it has fewer), drawn
// uniformly without replacement; neurons in id order, each one's synapses
// ordered by partner.
func (p *Plasticity) delete(mb *member, edges []Edge, pre, post string, byPost bool, s *rng.Stream) []Edge {
	own := func(e Edge) uint32 { return e.Pre }
	other := func(e Edge) uint32 { return e.Post }
	name := pre
	if byPost {
		own, other, name = other, own, post
	}
	slices.SortFunc(edges, func(a, b Edge) int {
		if own(a) != own(b) {
			return int(own(a)) - int(own(b))
		}
		return int(other(a)) - int(other(b))
	})
	drop := make([]bool, len(edges))
	dropped := false
	for lo := 0; lo < len(edges); {
		hi := lo + 1
		for hi < len(edges) && own(edges[hi]) == own(edges[lo]) {
			hi++
		}
		e, i := p.element(mb, own(edges[lo]), name)
		if n := -e.Vacant(i); n > 0 {
			idx := make([]int, hi-lo)
			for j := range idx {
				idx[j] = lo + j
			}
			for j := range min(n, len(idx)) {
				r := j + int(s.Intn(uint32(len(idx)-j)))
				idx[j], idx[r] = idx[r], idx[j]
				ed := edges[idx[j]]
				drop[idx[j]] = true
				dropped = true
				ep, ip := p.element(mb, ed.Pre, pre)
				ep.Connected[ip]--
				eq, iq := p.element(mb, ed.Post, post)
				eq.Connected[iq]--
			}
		}
		lo = hi
	}
	if !dropped {
		return edges
	}
	kept := edges[:0]
	for j, e := range edges {
		if !drop[j] {
			kept = append(kept, e)
		}
	}
	return kept
}

// vacancies lists every neuron with vacant elements of name, repeated once
// per vacancy, in id order.
func (p *Plasticity) vacancies(mb *member, name string) []uint32 {
	var ids []uint32
	for pi, ps := range mb.pops {
		if ps == nil {
			continue
		}
		for _, e := range ps.elems {
			if e.Name != name {
				continue
			}
			for i := range e.Z {
				for range max(0, e.Vacant(i)) {
					ids = append(ids, p.offset[pi]+uint32(i))
				}
			}
		}
	}
	return ids
}

// create pairs the vacant pre elements with the vacant post elements: the
// shorter list in id order, against as many entries of the longer drawn
// uniformly without replacement in the order drawn.
func (p *Plasticity) create(mb *member, edges []Edge, t *network.StructuralType, s *rng.Stream) []Edge {
	a, b := p.vacancies(mb, t.Pre), p.vacancies(mb, t.Post)
	long := a
	if len(b) > len(a) {
		long = b
	}
	n := min(len(a), len(b))
	for j := range n {
		r := j + int(s.Intn(uint32(len(long)-j)))
		long[j], long[r] = long[r], long[j]
	}
	var exists map[Edge]bool
	if !t.AllowMultapses {
		exists = make(map[Edge]bool, len(edges))
		for _, e := range edges {
			exists[e] = true
		}
	}
	for j := range n {
		e := Edge{a[j], b[j]}
		if e.Pre == e.Post && !t.AllowAutapses || exists != nil && exists[e] {
			continue
		}
		if exists != nil {
			exists[e] = true
		}
		edges = append(edges, e)
		for _, side := range []struct {
			g    uint32
			name string
		}{{e.Pre, t.Pre}, {e.Post, t.Post}} {
			el, i := p.element(mb, side.g, side.name)
			el.Connected[i]++
			if fl := math.Floor(el.Z[i]); float64(el.Connected[i]) > fl {
				el.Z[i] = float64(el.Connected[i]) + el.Z[i] - fl
			}
		}
	}
	return edges
}

// rebuild writes member m's synapses of type k into its projections' CSR.
func (p *Plasticity) rebuild(m, k int) {
	t := &p.st.Types[k]
	edges := p.members[m].edges[k]
	slices.SortFunc(edges, func(a, b Edge) int {
		if a.Pre != b.Pre {
			return int(a.Pre) - int(b.Pre)
		}
		return int(a.Post) - int(b.Post)
	})
	for _, pr := range t.Projections {
		c := &pr.PerMember[m]
		clear(c.Offsets)
		c.Targets = c.Targets[:0]
		src, tgt := p.offset[pr.Source.Index], p.offset[pr.Target]
		ns, nt := uint32(len(c.Offsets)-1), uint32(p.net.Pops[pr.Target].N)
		for _, e := range edges {
			if e.Pre-src < ns && e.Post-tgt < nt {
				c.Offsets[e.Pre-src+1]++
				c.Targets = append(c.Targets, e.Post-tgt)
			}
		}
		for s := 1; s < len(c.Offsets); s++ {
			c.Offsets[s] += c.Offsets[s-1]
		}
	}
}

// Snapshot is the structure of one member at one time.
type Snapshot struct {
	Step     int64
	Synapses []ProjectionCount
	Pops     []PopStats
}

// ProjectionCount is the synapses of one plastic projection.
type ProjectionCount struct {
	Projection *network.Projection
	Type       string // the synapse type
	Synapses   int64
}

// PopStats is the calcium and the elements of one population.
type PopStats struct {
	Pop      int
	MeanCa   float64
	Elements []ElementStats
}

// ElementStats sums one element over a population.
type ElementStats struct {
	Name      string
	MeanZ     float64
	Connected int64 // the sum of z_connected
	Vacant    int64 // the sum of floor(z) - z_connected where positive
}

// Snapshot returns member m's structure; calcium and elements as of the
// last update or Finish.
func (p *Plasticity) Snapshot(m int, step int64) Snapshot {
	s := Snapshot{Step: step}
	for k, t := range p.st.Types {
		for _, pr := range t.Projections {
			s.Synapses = append(s.Synapses, ProjectionCount{Projection: pr, Type: p.st.Types[k].Name, Synapses: pr.PerMember[m].Synapses()})
		}
	}
	for pi, ps := range p.members[m].pops {
		if ps == nil {
			continue
		}
		st := PopStats{Pop: pi, MeanCa: mean(ps.ca)}
		for _, e := range ps.elems {
			es := ElementStats{Name: e.Name, MeanZ: mean(e.Z)}
			for i := range e.Z {
				es.Connected += int64(e.Connected[i])
				es.Vacant += int64(max(0, e.Vacant(i)))
			}
			st.Elements = append(st.Elements, es)
		}
		s.Pops = append(s.Pops, st)
	}
	return s
}

// Finish integrates member m's calcium and elements up to step, as NEST
// does at the end of every Simulate call, so that a snapshot reads the
// values at that time.
func (p *Plasticity) Finish(m int, step int64) {
	for _, ps := range p.members[m].pops {
		if ps != nil {
			for i := range ps.ca {
				p.touch(ps, i, step)
			}
		}
	}
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(max(1, len(x)))
}

// Batch returns the number of members.
func (p *Plasticity) Batch() int { return len(p.members) }
