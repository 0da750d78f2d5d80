package cpu

import (
	"context"

	"gorgonia.org/tensor"

	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/internal/parallel"
	"github.com/snn-gpu/snn-gpu/internal/vec"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/structural"
)

// Backend is the CPU backend.
type Backend struct {
	Threads int // 0: automatic, the fastest count up to all cores (threads.go)
	// unchecked skips the scans for non-finite state (for the benchmark
	// that measures what they cost).
	unchecked bool
	// stepByStep keeps a batch that could run member by member (members.go)
	// stepping all members together, for the tests that compare the two.
	stepByStep bool
}

// Name implements engine.Backend.
func (*Backend) Name() string { return "cpu" }

// Run implements engine.Backend. Every engine.CheckSteps steps it scans the
// state for non-finite values, checks for cancellation and reports
// progress.
func (b *Backend) Run(ctx context.Context, net *network.Network, sink engine.Sink, progress func(int64)) error {
	sp, err := structural.New(net)
	if err != nil {
		return err
	}
	s := newSim(net, b.Threads, !b.stepByStep)
	var tune *threadTuner
	if b.Threads <= 0 { // automatic: as many cores as make the steps fastest
		tune = newThreadTuner(s, net.Steps)
	}
	defer func() {
		tune.close(s)
		s.pool.Close()
	}()
	if s.plastic != nil {
		s.plastic.sink, _ = sink.(engine.WeightSink)
	}
	if sp != nil && !s.members.feeds(sp, net) {
		sink = engine.Plastic(net, sp, sink)
	}
	watch := engine.NewWatch(net, sink)
	if s.members != nil {
		s.members.watch = watch
	}
	from := int64(0)
	window := int64(1)
	if s.gap != nil {
		window = int64(net.WFR.Window)
	}
	for step := int64(0); step < net.Steps; {
		end := step + 1
		if s.members != nil {
			end = s.members.end(sp, step, net.Steps)
		}
		tune.before(s, step)
		if s.gap != nil && step%window == 0 {
			s.gap.relax(s, step, min(step+window, net.Steps), watch)
		}
		if s.gap != nil {
			s.gap.prepare(s, int(step%window))
		}
		engine.Rewire(sp, watch, sink, step, net.Steps)
		if s.members != nil {
			s.members.window(s, step, end, watch)
		} else {
			s.step(step, watch)
		}
		if s.gap != nil && (end%window == 0 || end == net.Steps) {
			s.gap.extrapolate(s, int(step%window))
		}
		step = end
		if step%engine.CheckSteps == 0 || step == net.Steps {
			if !b.unchecked {
				s.checkFinite(watch, from, step)
				if watch.AllFailed() {
					break
				}
			}
			from = step
			if err := ctx.Err(); err != nil {
				return err
			}
			if progress != nil {
				progress(step)
			}
		}
	}
	engine.Rewire(sp, watch, sink, net.Steps, net.Steps)
	if s.plastic != nil {
		s.plastic.final()
	}
	if s.gap != nil {
		if ws, ok := sink.(engine.WFRSink); ok {
			for m, st := range s.gap.stats {
				ws.WFR(m, st)
			}
		}
	}
	return watch.Err()
}

// checkFinite reports to w, for each member not failed yet, its first
// non-finite state variable: in the first population that has one, the
// lowest neuron, and of its variables the first (the GPU's check_finite
// picks the same). The named variables are scanned; history slots feed
// them, so a non-finite one shows there within a step.
func (s *sim) checkFinite(w *engine.Watch, from, to int64) {
	for pi, p := range s.pops {
		n := p.N
		for m := range s.net.Batch() {
			if w.Failed(m) {
				continue
			}
			first, fv := n, 0
			for v := range p.Model.State {
				// Later variables only win with a lower neuron.
				for i, x := range p.vars[v][m*n : m*n+first] {
					if x-x != 0 { // NaN and ±Inf only
						first, fv = i, v
						break
					}
				}
			}
			if first < n {
				w.NonFinite(m, pi, fv, first, p.vars[fv][m*n+first], from, to)
			}
		}
	}
}

// pop is the state of one population across the batch.
type pop struct {
	*network.Population
	state  []*tensor.Dense // one [batch, n] tensor per state variable, then one [history, batch, n]
	vars   [][]float32     // the backing slice of each variable, history slots last
	ring   [][]float32     // one [batch][slots][n] buffer per port; nil where nothing sends
	spikes [][]uint32      // per member: the spikes of the current step
}

// updateItem is a chunk of neurons of one member of one population.
type updateItem struct {
	pop, member, lo, hi int
	unit                int // memberRun's: the member, or its slice
	u                   models.Update
	gap                 models.GapStep // u.Gap points here for gap populations
	_                   [64]byte       // see bind
}

// bind gives each item its u.In, in one block for all with inStride
// headers each, and u.Spikes room for all its neurons. Written every step
// by the worker that runs the item, neither may share a cache line with
// another item's: allocated apart, the small In arrays of neighbouring items
// did, and two workers on two slices of the structural example took four
// times as long as one on both, the lines bouncing between their cores
// (hence the padding of the items too).
func (s *sim) bind(updates []updateItem) []updateItem {
	ports := 0
	for _, p := range s.pops {
		ports = max(ports, len(p.ring))
	}
	stride := inStride(ports)
	store := make([][]float32, len(updates)*stride)
	for i := range updates {
		it := &updates[i]
		n := len(s.pops[it.pop].ring)
		it.u.In = store[i*stride:][:n:n]
		it.u.Spikes = make([]uint32, 0, it.hi-it.lo)
	}
	return updates
}

// inStride is the slice headers bind gives each item for the input of
// ports ports: whole multiples of eight (three cache lines), with three
// spare at the end (72 bytes), so that no line holds two items' headers
// whatever the block's alignment.
func inStride(ports int) int { return (ports + 3 + 7) / 8 * 8 }

// deliverItem is a range of targets of one member of one population.
type deliverItem struct {
	pop, member, lo, hi int
	unit                int
	sent                []engine.Transmission // plastic.go: this step's recorded transmissions
}

type sim struct {
	net     *network.Network
	pool    *parallel.Pool
	slots   int
	pops    []*pop
	updates []updateItem
	deliver []deliverItem
	byTgt   [][]*network.Projection // projections into each population, config order
	factors [][]float32             // per worker: per-synapse device factors
	runs    [][]bool                // per projection from a device: which rows' targets are consecutive
	sample  []float32
	zeros   []float32    // the input of the ports nothing sends to
	sent    [][][]uint32 // per member and population: the step's spikes (the pops' spikes lists)
	// The current step and slot, and the phase functions, kept here so that
	// a step allocates nothing.
	now           int64
	slot          int
	update, deliv func(worker, item int)
	gap           *gapSim     // nil without gap junctions
	rate          *rateSim    // nil without rate connections
	plastic       *plasticSim // nil without plastic projections
	members       *memberRun  // nil unless the batch runs member by member
	// trial is set during a trial pass of waveform relaxation: updates
	// keep their input (the real pass reads it again).
	trial bool
}

// updateChunk is the size of the update items of a population of n neurons
// with the given numbers of named and history state variables. Chunks only
// balance the load: results do not depend on them. A model with history
// state (gif_pop_psc_exp walks its cohorts) does work in proportion to its
// state, and gets chunks that much smaller. Where the members are fewer
// than two a worker, every member of a population is cut into that many
// pieces (of at least 64 neurons, to outweigh claiming them), so that a
// batch of one still feeds every worker: the structural example's 800 E and
// 200 I were two items, one worker idle most of a step. Cut finer than
// that, small items cost a batch more in per-item overhead than they gain.
func updateChunk(n, named, history, workers, batch int) int {
	named = max(named, 1) // a parrot has none
	chunk := max(max(1, 1024*named/(named+history)), n/(4*workers)+1)
	if pieces := (2*workers + batch - 1) / batch; pieces > 1 {
		chunk = min(chunk, max(64, (n+pieces-1)/pieces))
	}
	if chunk >= 64 {
		chunk = alignUp(chunk)
	}
	return chunk
}

// align is the granularity of the neuron ranges of work items: the vector
// code (the models' eight lanes, the Poisson drive's 64 counts at a time)
// works in blocks, and a range cut elsewhere computes partial blocks at both ends
// (the structural example's Poisson drive cost a quarter more in ranges of
// 200).
const align = 64

func alignUp(n int) int { return (n + align - 1) / align * align }

// cut returns the update and delivery items for workers: each population
// and member cut into chunks that keep that many workers busy.
func (s *sim) cut(workers int) (updates []updateItem, deliver []deliverItem) {
	// Member-major: a member-by-member run (members.go) takes each member's
	// items as one range.
	for m := range s.net.Batch() {
		for _, ps := range s.pops {
			updates = append(updates, s.cutUpdates(ps, m, workers)...)
			deliver = append(deliver, s.cutDeliveries(ps.Population, m, workers)...)
		}
	}
	return s.bind(updates), deliver
}

// cutUpdates cuts member m of a population into update chunks.
func (s *sim) cutUpdates(ps *pop, m, workers int) []updateItem {
	p := ps.Population
	return s.updateItems(ps, m, m, 0, p.N, updateChunk(p.N, len(p.Model.State), p.History, workers, s.net.Batch()))
}

// updateItems cuts neurons [lo, hi) of member m of a population into
// update chunks of unit.
func (s *sim) updateItems(ps *pop, m, unit, lo, hi, chunk int) []updateItem {
	p := ps.Population
	var updates []updateItem
	for ; lo < hi; lo += chunk {
		it := updateItem{pop: p.Index, member: m, unit: unit, lo: lo, hi: min(lo+chunk, hi)}
		it.u = models.Update{
			Lo: it.lo, Hi: it.hi, Const: p.Const[m], Key: s.net.Key(m), Object: uint32(p.Index),
			State: make([][]float32, len(ps.vars)), // In: bind
		}
		for v, d := range ps.vars {
			it.u.State[v] = d[m*p.N : (m+1)*p.N]
		}
		for _, d := range p.PerNeuron {
			it.u.PerNeuron = append(it.u.PerNeuron, d[m*p.N:(m+1)*p.N])
		}
		updates = append(updates, it)
	}
	return updates
}

// cutDeliveries cuts the targets of member m of a population into delivery
// ranges: more than one only when members alone cannot keep the workers busy.
func (s *sim) cutDeliveries(p *network.Population, m, workers int) []deliverItem {
	B, ranges := s.net.Batch(), 1
	if workers > 1 && B < 2*workers {
		ranges = (2*workers + B - 1) / B
	}
	var deliver []deliverItem
	for r := 0; r < ranges; r++ {
		if lo, hi := slice(p.N, r, ranges); lo < hi {
			deliver = append(deliver, deliverItem{pop: p.Index, member: m, unit: m, lo: lo, hi: hi})
		}
	}
	return deliver
}

// cutSlices cuts every member into k slices of every population (split
// windows, members.go), each with its update chunks and one delivery item
// a population, slice after slice.
func (s *sim) cutSlices(k int) (updates []updateItem, deliver []deliverItem) {
	for m := range s.net.Batch() {
		for j := range k {
			for _, ps := range s.pops {
				p := ps.Population
				if lo, hi := slice(p.N, j, k); lo < hi {
					chunk := updateChunk(p.N, len(p.Model.State), p.History, 1, s.net.Batch())
					updates = append(updates, s.updateItems(ps, m, m*k+j, lo, hi, chunk)...)
					deliver = append(deliver, deliverItem{pop: p.Index, member: m, unit: m*k + j, lo: lo, hi: hi})
				}
			}
		}
	}
	return s.bind(updates), deliver
}

// slice returns the r-th of k ranges of n neurons, cut at multiples of
// align.
func slice(n, r, k int) (lo, hi int) {
	lo, hi = r*n/k/align*align, (r+1)*n/k/align*align
	if r == k-1 {
		hi = n
	}
	return lo, hi
}

func newSim(net *network.Network, threads int, windows bool) *sim {
	s := &sim{net: net, pool: parallel.NewPool(threads), slots: net.MaxDelay + 1}
	B := net.Batch()
	workers := s.pool.Workers()
	targeted := make([][]bool, len(net.Pops)) // the ports anything sends to
	for _, p := range net.Pops {
		targeted[p.Index] = make([]bool, len(p.Model.Ports))
	}
	for _, pr := range net.Projections {
		if !pr.Gap {
			targeted[pr.Target][pr.Port], targeted[pr.Target][pr.PortNeg] = true, true
		}
	}
	for _, p := range net.Pops {
		ps := &pop{Population: p, spikes: make([][]uint32, B)}
		for v := range p.Model.State {
			t := tensor.New(tensor.WithShape(B, p.N), tensor.Of(tensor.Float32))
			data := t.Data().([]float32)
			copy(data, p.Init[v])
			ps.state = append(ps.state, t)
			ps.vars = append(ps.vars, data)
		}
		if p.History > 0 {
			t := tensor.New(tensor.WithShape(p.History, B, p.N), tensor.Of(tensor.Float32))
			data := t.Data().([]float32)
			ps.state = append(ps.state, t)
			for h := range p.History {
				ps.vars = append(ps.vars, data[h*B*p.N:(h+1)*B*p.N])
			}
		}
		for port := range p.Model.Ports {
			var ring []float32 // nil where nothing sends: the updates read zeros
			if targeted[p.Index][port] {
				ring = make([]float32, B*s.slots*p.N)
			}
			ps.ring = append(ps.ring, ring)
		}
		s.zeros = make([]float32, max(len(s.zeros), p.N))
		s.pops = append(s.pops, ps)

	}
	s.sent = make([][][]uint32, B)
	for m := range s.sent {
		s.sent[m] = make([][]uint32, len(net.Pops))
	}
	s.updates, s.deliver = s.cut(workers)
	s.byTgt = make([][]*network.Projection, len(net.Pops))
	maxRow := 0
	for _, pr := range net.Projections {
		if pr.Gap || pr.Rate {
			continue // coupled by waveform relaxation (gap.go), or rates sent every step (rate.go)
		}
		s.byTgt[pr.Target] = append(s.byTgt[pr.Target], pr)
		if pr.Source.Device {
			for i := 0; i+1 < len(pr.Offsets); i++ {
				maxRow = max(maxRow, int(pr.Offsets[i+1]-pr.Offsets[i]))
			}
		}
	}
	s.runs = make([][]bool, len(net.Projections))
	for _, pr := range net.Projections {
		if pr.Source.Device && pr.PerMember == nil {
			s.runs[pr.Index] = consecutiveRows(&pr.CSR)
		}
	}
	s.factors = make([][]float32, workers)
	for w := range s.factors {
		s.factors[w] = make([]float32, maxRow)
	}
	s.update = s.updateItem
	s.deliv = func(w, i int) { s.deliverRange(w, &s.deliver[i], s.now, s.slot, s.sent[s.deliver[i].member]) }
	if net.WFR != nil {
		s.gap = newGapSim(s)
	}
	s.rate = newRateSim(s)
	s.plastic = newPlasticSim(net)
	if windows && byMember(s) {
		if B >= 2 && B >= workers {
			s.updates, s.deliver = s.cut(1) // each member's items run on one worker
			s.members = newMemberRun(s, B, false, engine.CheckSteps)
		} else if k, window := splitUnits(s, threads); k > 1 {
			s.pool.Close()
			s.pool = parallel.NewPool(min(workers, B*k))
			s.updates, s.deliver = s.cutSlices(k)
			s.members = newMemberRun(s, B*k, true, window)
		}
	}
	return s
}

// point points every update at step's input.
func (s *sim) point(step int64) {
	s.now, s.slot = step, int(step%int64(s.slots))
	for i := range s.updates {
		s.pointItem(&s.updates[i], step, s.slot)
	}
}

// pointItem points one update at step's input, in slot.
func (s *sim) pointItem(it *updateItem, step int64, slot int) {
	p := s.pops[it.pop]
	base := (it.member*s.slots + slot) * p.N
	for port, r := range p.ring {
		if r == nil {
			it.u.In[port] = s.zeros[:p.N]
		} else {
			it.u.In[port] = r[base : base+p.N]
		}
	}
	it.u.Step = step
}

func (s *sim) step(step int64, sink engine.Sink) {
	s.point(step)
	if s.rate != nil {
		s.rate.send(s)
	}
	s.pool.Run(len(s.updates), s.update)
	s.gather(s.updates)
	s.pool.Run(len(s.deliver), s.deliv)
	if s.plastic != nil {
		s.plastic.afterDelivery(s, step)
	}
	s.record(step, sink)
}

// gather collects the spikes of updates into each member's list of its
// population, in neuron order (items are in that order, each member's
// first at lo 0).
func (s *sim) gather(updates []updateItem) {
	for i := range updates {
		it := &updates[i]
		p := s.pops[it.pop]
		if it.lo == 0 {
			p.spikes[it.member] = p.spikes[it.member][:0]
		}
		p.spikes[it.member] = append(p.spikes[it.member], it.u.Spikes...)
		s.sent[it.member][it.pop] = p.spikes[it.member]
	}
}

// updateItem runs one model update and clears the input it has read.
func (s *sim) updateItem(_, i int) {
	it := &s.updates[i]
	it.u.Spikes = it.u.Spikes[:0]
	s.pops[it.pop].Model.Update(&it.u)
	if s.trial {
		return
	}
	for port, in := range it.u.In {
		if s.pops[it.pop].ring[port] != nil {
			clear(in[it.lo:it.hi])
		}
	}
}

// deliverRange adds everything sent during step to targets [lo, hi) of one
// member of one population; sent holds the member's spikes of step by
// population.
func (s *sim) deliverRange(worker int, it *deliverItem, step int64, slot int, sent [][]uint32) {
	tp := s.pops[it.pop]
	n := tp.N
	m := it.member
	whole := it.lo == 0 && it.hi == n
	for _, pr := range s.byTgt[it.pop] {
		rings := [2][]float32{tp.ring[pr.Port][m*s.slots*n : (m+1)*s.slots*n], tp.ring[pr.PortNeg][m*s.slots*n : (m+1)*s.slots*n]}
		w := pr.Weight[m]
		c := pr.Of(m)
		if pr.Plastic != nil {
			s.deliverPlastic(it, pr, c, rings, step, slot, whole)
			continue
		}
		if pr.Source.Device {
			d := s.net.Devices[pr.Source.Index]
			dc := d.Const[m]
			if d.Model.Synapse != nil {
				if !d.Model.Active(dc, step) {
					continue
				}
				for node := 0; node < d.N; node++ {
					a, b := rowRange(c, node, it.lo, it.hi, whole)
					f := s.factors[worker][:b-a]
					d.Model.Synapse(dc, step, s.net.Key(m), uint32(pr.Index), int(a), f)
					addRow(rings, pr, c, a, b, f, 1, w, slot, s.slots, n, s.runs[pr.Index] != nil && s.runs[pr.Index][node])
				}
				continue
			}
			if d.Model.Node != nil {
				key := rng.NewKey(s.net.Seed, rng.Network)
				for node := 0; node < d.N; node++ {
					if f := d.Model.Node(dc, step, key, uint32(d.Index), node); f != 0 {
						a, b := rowRange(c, node, it.lo, it.hi, whole)
						addRow(rings, pr, c, a, b, nil, f, w, slot, s.slots, n, false)
					}
				}
				continue
			}
			f := d.Model.Source(dc, step)
			if f == 0 {
				continue
			}
			for node := 0; node < d.N; node++ {
				a, b := rowRange(c, node, it.lo, it.hi, whole)
				addRow(rings, pr, c, a, b, nil, f, w, slot, s.slots, n, false)
			}
			continue
		}
		for _, src := range sent[pr.Source.Index] {
			a, b := rowRange(c, int(src), it.lo, it.hi, whole)
			addRow(rings, pr, c, a, b, nil, 1, w, slot, s.slots, n, false)
		}
	}
}

// rowRange returns the synapses of row src whose targets lie in [lo, hi).
func rowRange(pr *network.CSR, src, lo, hi int, whole bool) (int64, int64) {
	a, b := pr.Offsets[src], pr.Offsets[src+1]
	if whole || a == b {
		return a, b
	}
	row := pr.Targets[a:b]
	i := lowerBound(row, uint32(lo))
	return a + int64(i), a + int64(i+lowerBound(row[i:], uint32(hi)))
}

// lowerBound returns the first index of sorted row with row[i] >= x.
func lowerBound(row []uint32, x uint32) int {
	lo, hi := 0, len(row)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if row[mid] < x {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// addRow adds synapses [a, b) of a projection (member synapses c) into the rings of one member:
// each synapse adds factor × (per-synapse factor f[j-a] if f is not nil) ×
// its weight into the slot of its delay, of rings[0], or of rings[1] when
// the amount is negative (the two are one unless the model routes by sign).
// Per-synapse factors are never negative, so a constant weight's sign
// decides the ring for a whole row.
func addRow(rings [2][]float32, pr *network.Projection, c *network.CSR, a, b int64, f []float32, factor, w float32, slot, slots, n int, run bool) {
	if a == b {
		return
	}
	targets := c.Targets[a:b]
	if c.Delays == nil && c.Weights == nil {
		// The common case (Brunel): one weight, one delay.
		d := slot + pr.Delay
		if d >= slots {
			d -= slots
		}
		x := factor * w
		ring := rings[0]
		if x < 0 {
			ring = rings[1]
		}
		buf := ring[d*n : (d+1)*n]
		if f == nil {
			for _, t := range targets {
				buf[t] += x
			}
			return
		}
		f = f[:len(targets)]
		if run { // buf[t] + x·f[j] is buf[t] + f[j]·x, bit for bit
			vec.AddMul(buf[targets[0]:][:len(targets)], x, f)
			return
		}
		for j, t := range targets {
			buf[t] += f[j] * x // adding a zero count changes nothing
		}
		return
	}
	for j, t := range targets {
		x := factor * w
		if c.Weights != nil {
			x = factor * (c.Weights[a+int64(j)] * w)
		}
		if f != nil {
			if f[j] == 0 {
				continue
			}
			x = f[j] * x
		}
		d := pr.Delay
		if c.Delays != nil {
			d = int(c.Delays[a+int64(j)])
		}
		d += slot
		if d >= slots {
			d -= slots
		}
		ring := rings[0]
		if x < 0 {
			ring = rings[1]
		}
		ring[d*n+int(t)] += x
	}
}

// consecutiveRows says which rows of c reach consecutive targets (a
// device's rows to all_to_all targets): those add their per-synapse factors
// as one vector row.
func consecutiveRows(c *network.CSR) []bool {
	runs := make([]bool, len(c.Offsets)-1)
	for i := range runs {
		t := c.Targets[c.Offsets[i]:c.Offsets[i+1]]
		runs[i] = len(t) > 0
		for j := 1; j < len(t) && runs[i]; j++ {
			runs[i] = t[j] == t[j-1]+1
		}
	}
	return runs
}

// record hands the step's spikes and due samples to the sink.
func (s *sim) record(step int64, sink engine.Sink) {
	for pi, p := range s.pops {
		for m, sp := range p.spikes {
			if len(sp) > 0 {
				sink.Spikes(m, pi, step, sp)
			}
		}
	}
	for ri := range s.net.Recorders {
		r := &s.net.Recorders[ri]
		if !sampled(r, step) {
			continue
		}
		for m := 0; m < s.net.Batch(); m++ {
			s.sample = s.sampleOf(s.sample[:0], r, m)
			sink.Sample(m, ri, step, s.sample)
		}
	}
}

// sampled says whether multimeter r samples at the end of step.
func sampled(r *network.Recorder, step int64) bool {
	stamp := step + 1
	return r.Interval != 0 && stamp%r.Interval == 0 && stamp > r.Min && stamp <= r.Max
}

// sampleOf appends to dst what multimeter r samples of member m, in
// absolute units.
func (s *sim) sampleOf(dst []float32, r *network.Recorder, m int) []float32 {
	p := s.pops[r.Pop]
	for _, v := range r.Vars {
		offset := float32(0)
		if rel := p.Model.State[v].Relative; rel != "" {
			offset = float32(p.Params[m][rel])
		}
		data := p.vars[v][m*p.N : (m+1)*p.N]
		for _, i := range r.Neurons {
			dst = append(dst, data[i]+offset)
		}
	}
	return dst
}
