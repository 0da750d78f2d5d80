package cpu

import (
	"unsafe"

	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/structural"
)

// memberRun runs a batch in windows of steps. Members never interact, so
// between the steps where the run must see them all at once (the state
// check every engine.CheckSteps steps, a structural-plasticity update or
// record) each member can take its steps alone: a worker keeps one
// member's state and rings in its core's cache for the whole window and
// hands nothing to another core in between. Step by step, the workers met
// twice a step and a member's rows moved between cores: eight points of the
// structural example ran no faster on two cores than on one.
//
// Where the members are fewer than the workers, each is split into slices
// of its neurons (split): a spike reaches its targets a delay later, at the
// least mindelay steps, so in a window no longer than that every slice
// updates its neurons for all the window's steps on its own, and then
// every slice delivers the window's spikes of the whole member to its own
// targets, step by step in the serial order: two meetings a window instead
// of two a step (NEST's min-delay communication, within one process).
//
// What the steps send to the sink is logged and handed on after the
// window in the order a step-by-step run sends it, so the outputs are the
// same.
type memberRun struct {
	units []unit
	split bool
	logs  []memberLog // per unit
	steps int64       // the longest window: logSteps, and split the shortest delay
	from  int64       // the window being run
	to    int64
	run   func(worker, unit int) // whole members: the window's steps; split: its updates
	send  func(worker, unit int) // split: the window's deliveries
	// split: each member's spikes of the window by step and population
	// (sent[m][step-from][pop]), merged from its units' logs into
	// merged[m].
	sent   [][][][]uint32
	merged [][]uint32
	bounds [][2]int
	// feed is the structural plasticity the workers hand each member's
	// spikes to themselves (feeds), watch what says which members failed
	// (their spikes reach no sink).
	feed  *structural.Plasticity
	watch *engine.Watch
}

// unit is a member, or a slice of one (split), with its update items
// s.updates[updates[0]:updates[1]] and delivery items likewise.
type unit struct {
	member           int
	updates, deliver [2]int
}

// byMember says whether s can run in windows: none of the couplings that
// meet every step across a whole population (gap junctions' waveform
// relaxation, rate connections, plastic synapses' shared traces).
func byMember(s *sim) bool {
	return s.gap == nil && s.rate == nil && s.plastic == nil
}

// splitUnits returns how many slices a run of s on an explicit thread count
// cuts each member into, 1 for none, and the shortest delay, the longest
// window they may run: where the members are fewer than the
// threads, with no multimeter (a sample would need every slice at the same
// step), slices of 256 neurons at least (below, the meetings cost more than
// they share) and a delay of two steps at least to run windows over. Only
// on request: on our 2-core VM, two slices of the structural example ran no
// faster than one core (10.9-12.1 s against 11.2-12.1), Brunel's as fast as
// two cores step by step (2.7-2.9 s against 2.8-3.1), and the automatic
// count keeps trying step by step (threads.go).
func splitUnits(s *sim, threads int) (int, int64) {
	B := s.net.Batch()
	if threads <= 0 || B >= threads {
		return 1, 0
	}
	for _, r := range s.net.Recorders {
		if r.Interval != 0 {
			return 1, 0
		}
	}
	n := 0
	for _, p := range s.pops {
		n += p.N
	}
	k := min((threads+B-1)/B, n/256)
	if k < 2 {
		return 1, 0
	}
	if d := minDelay(s.net); d >= 2 {
		return k, int64(d)
	}
	return 1, 0
}

// minDelay is the shortest delay of the network's projections, in steps:
// each shared CSR's delays read once, a per-member one's for every member.
func minDelay(net *network.Network) int {
	d := net.MaxDelay
	for _, pr := range net.Projections {
		csrs := []network.CSR{pr.CSR}
		if pr.PerMember != nil {
			csrs = pr.PerMember
		}
		for _, c := range csrs {
			if c.Delays == nil {
				d = min(d, pr.Delay)
			}
			for _, x := range c.Delays {
				d = min(d, int(x))
			}
		}
	}
	return d
}

// newMemberRun returns the run of s's items in units (whole members, or
// split slices of them) in windows of at most window steps.
func newMemberRun(s *sim, units int, split bool, window int64) *memberRun {
	mr := &memberRun{split: split, units: make([]unit, units)}
	for k := range mr.units {
		mr.units[k].member = k / (units / s.net.Batch())
	}
	for i, it := range s.updates {
		u := &mr.units[it.unit]
		if u.updates[1] == 0 {
			u.updates[0] = i
		}
		u.updates[1] = i + 1
	}
	for i, it := range s.deliver {
		u := &mr.units[it.unit]
		if u.deliver[1] == 0 {
			u.deliver[0] = i
		}
		u.deliver[1] = i + 1
	}
	mr.logs = make([]memberLog, len(mr.units))
	var state, log float64
	for _, p := range s.pops {
		state += float64(4 * p.N * len(p.vars))
		for _, r := range p.ring {
			state += float64(len(r) / s.net.Batch() * 4)
		}
		log += spikeLogBytes(p.N, p.SpikeCap)
	}
	for _, r := range s.net.Recorders {
		log += sampleLogBytes(len(r.Vars) * len(r.Neurons))
	}
	mr.steps = min(window, logSteps(state, log))
	if !split {
		mr.run = func(w, k int) {
			for step := mr.from; step < mr.to; step++ {
				s.stepMember(w, &mr.units[k], step, &mr.logs[k])
			}
		}
		return mr
	}
	B := s.net.Batch()
	mr.sent, mr.merged = make([][][][]uint32, B), make([][]uint32, B)
	for m := range B {
		mr.sent[m] = make([][][]uint32, mr.steps)
		for t := range mr.sent[m] {
			mr.sent[m][t] = make([][]uint32, len(s.pops))
		}
	}
	mr.run = func(w, k int) {
		for step := mr.from; step < mr.to; step++ {
			s.updateSlice(w, &mr.units[k], step, &mr.logs[k])
		}
	}
	mr.send = func(w, k int) {
		u := &mr.units[k]
		for step := mr.from; step < mr.to; step++ {
			sent, slot := mr.sent[u.member][step-mr.from], int(step%int64(s.slots))
			for i := u.deliver[0]; i < u.deliver[1]; i++ {
				s.deliverRange(w, &s.deliver[i], step, slot, sent)
			}
		}
	}
	return mr
}

// spikeLogBytes is what a step's Spikes call of a population of n neurons
// takes in a memberLog at most, sampleLogBytes a Sample call of values.
func spikeLogBytes(n, spikeCap int) float64 {
	return float64(4*n*spikeCap) + float64(unsafe.Sizeof(logCall{}))
}

func sampleLogBytes(values int) float64 { return float64(4*values) + float64(unsafe.Sizeof(logCall{})) }

// logSteps is the longest window of a member-by-member run whose log, at
// logBytes a step at most, stays within the member's own state and rings
// (stateBytes): a log as large again as the state at worst.
func logSteps(stateBytes, logBytes float64) int64 {
	return max(1, min(engine.CheckSteps, int64(stateBytes/max(logBytes, 1))))
}

// feeds says whether mr's workers hand spikes to structural plasticity sp
// themselves, each its members', during the window: the calcium and
// elements of 8 members were an eighth of the work, all on one core while
// the window's log was handed on. Not where a multimeter records Ca, which
// it must read as of its sample's step, not of the window's end. A nil mr
// feeds nothing.
func (mr *memberRun) feeds(sp *structural.Plasticity, net *network.Network) bool {
	if mr == nil {
		return false
	}
	for _, r := range net.Recorders {
		if r.Ca >= 0 {
			return false
		}
	}
	mr.feed = sp
	return true
}

// end returns where the window that starts at step ends: at most
// mr.steps later, at the next state check, and at the next step where
// structural plasticity acts (engine.Rewire), which must see every member.
func (mr *memberRun) end(sp *structural.Plasticity, step, steps int64) int64 {
	end := min(steps, step+mr.steps, (step/engine.CheckSteps+1)*engine.CheckSteps)
	for t := step + 1; t < end; t++ {
		if engine.RewiresAt(sp, t, steps) {
			return t
		}
	}
	return end
}

// window runs every member through steps [from, to), then hands the
// logged outputs to sink.
func (mr *memberRun) window(s *sim, from, to int64, sink engine.Sink) {
	mr.from, mr.to = from, to
	for k := range mr.logs {
		mr.logs[k].reset()
	}
	s.pool.Run(len(mr.units), mr.run)
	if mr.split {
		mr.merge(len(s.pops))
		s.pool.Run(len(mr.units), mr.send)
		for step := from; step < to; step++ {
			for pi := range s.pops {
				for m, sent := range mr.sent {
					if sp := sent[step-from][pi]; len(sp) > 0 {
						sink.Spikes(m, pi, step, sp)
					}
				}
			}
		}
		return
	}
	for step := from; step < to; step++ {
		for pi := range s.pops {
			for m := range mr.logs {
				if c, ok := mr.logs[m].next(step, false, pi); ok {
					sink.Spikes(m, pi, step, mr.logs[m].spikes[c.lo:c.hi])
				}
			}
		}
		for ri := range s.net.Recorders {
			for m := range mr.logs {
				if c, ok := mr.logs[m].next(step, true, ri); ok {
					sink.Sample(m, ri, step, mr.logs[m].values[c.lo:c.hi])
				}
			}
		}
	}
}

// merge joins each member's slices' spikes of the window, step by step and
// population by population, in neuron order (the slices are in that
// order), into mr.sent.
func (mr *memberRun) merge(pops int) {
	for m := range mr.merged {
		mr.merged[m] = mr.merged[m][:0]
	}
	mr.bounds = mr.bounds[:0]
	for step := mr.from; step < mr.to; step++ {
		for pi := range pops {
			for m := range mr.merged {
				lo, per := len(mr.merged[m]), len(mr.units)/len(mr.merged)
				for k := m * per; k < (m+1)*per; k++ { // member m's slices, in order
					if c, ok := mr.logs[k].next(step, false, pi); ok {
						mr.merged[m] = append(mr.merged[m], mr.logs[k].spikes[c.lo:c.hi]...)
					}
				}
				mr.bounds = append(mr.bounds, [2]int{lo, len(mr.merged[m])})
			}
		}
	}
	i := 0 // the lists are cut once merged[m] has stopped growing
	for step := mr.from; step < mr.to; step++ {
		for pi := range pops {
			for m := range mr.merged {
				b := mr.bounds[i]
				mr.sent[m][step-mr.from][pi] = mr.merged[m][b[0]:b[1]]
				i++
			}
		}
	}
}

// stepMember is sim.step for one member alone (a unit of whole members),
// its outputs logged.
func (s *sim) stepMember(worker int, u *unit, step int64, log *memberLog) {
	m := u.member
	slot := int(step % int64(s.slots))
	updates := s.updates[u.updates[0]:u.updates[1]]
	for i := range updates {
		s.pointItem(&updates[i], step, slot)
		s.updateItem(worker, u.updates[0]+i)
	}
	s.gather(updates)
	for i := u.deliver[0]; i < u.deliver[1]; i++ {
		s.deliverRange(worker, &s.deliver[i], step, slot, s.sent[m])
	}
	for pi, p := range s.pops {
		if sp := p.spikes[m]; len(sp) > 0 {
			log.Spikes(m, pi, step, sp)
			s.members.fed(m, pi, step, sp)
		}
	}
	for ri := range s.net.Recorders {
		if r := &s.net.Recorders[ri]; sampled(r, step) {
			lo := len(log.values)
			log.values = s.sampleOf(log.values, r, m)
			log.mark(step, true, ri, lo)
		}
	}
}

// updateSlice updates a slice of a member (split) for step and logs its
// spikes by population, in neuron order.
func (s *sim) updateSlice(worker int, u *unit, step int64, log *memberLog) {
	slot := int(step % int64(s.slots))
	for i := u.updates[0]; i < u.updates[1]; i++ {
		s.pointItem(&s.updates[i], step, slot)
		s.updateItem(worker, i)
	}
	for i := u.updates[0]; i < u.updates[1]; {
		pi, lo := s.updates[i].pop, len(log.spikes)
		for ; i < u.updates[1] && s.updates[i].pop == pi; i++ {
			log.spikes = append(log.spikes, s.updates[i].u.Spikes...)
		}
		if sp := log.spikes[lo:]; len(sp) > 0 {
			log.mark(step, false, pi, lo)
			// A neuron's calcium and elements are its own: a slice's
			// spikes at a time change them as the member's at a time.
			s.members.fed(u.member, pi, step, sp)
		}
	}
}

// fed hands spikes to structural plasticity where the workers feed it.
func (mr *memberRun) fed(m, pop int, step int64, spikes []uint32) {
	if mr.feed != nil && !mr.watch.Failed(m) {
		mr.feed.Spikes(m, pop, step, spikes)
	}
}

// memberLog is what one member's steps of a window sent to the sink, in
// order.
type memberLog struct {
	calls  []logCall
	spikes []uint32
	values []float32
	read   int      // calls already handed on
	_      [64]byte // each unit's log is written by its worker (sim.bind)
}

// logCall is one Spikes (sample false, index the population) or Sample
// (index the recorder) call; its data is spikes or values[lo:hi].
type logCall struct {
	step   int64
	sample bool
	index  int
	lo, hi int
}

func (l *memberLog) reset() {
	l.calls, l.spikes, l.values, l.read = l.calls[:0], l.spikes[:0], l.values[:0], 0
}

// Spikes logs a Spikes call.
func (l *memberLog) Spikes(_, pop int, step int64, neurons []uint32) {
	lo := len(l.spikes)
	l.spikes = append(l.spikes, neurons...)
	l.mark(step, false, pop, lo)
}

// mark logs the call whose data was appended from lo on: spikes, or
// values for a sample.
func (l *memberLog) mark(step int64, sample bool, index, lo int) {
	hi := len(l.spikes)
	if sample {
		hi = len(l.values)
	}
	l.calls = append(l.calls, logCall{step: step, sample: sample, index: index, lo: lo, hi: hi})
}

// next returns the next call if it is the one given, and moves past it.
func (l *memberLog) next(step int64, sample bool, index int) (logCall, bool) {
	if l.read == len(l.calls) {
		return logCall{}, false
	}
	c := l.calls[l.read]
	if c.step != step || c.sample != sample || c.index != index {
		return logCall{}, false
	}
	l.read++
	return c, true
}
