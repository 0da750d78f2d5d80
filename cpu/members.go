package cpu

import (
	"unsafe"

	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/structural"
)

// memberRun runs a batch member by member. Members never interact, so
// between the steps where the run must see them all at once (the state
// check every engine.CheckSteps steps, a structural-plasticity update or
// record) each member can take its steps alone: a worker keeps one
// member's state and rings in its core's cache for the whole window and
// hands nothing to another core in between. Step by step, the workers met
// twice a step and a member's rows moved between cores: eight points of the
// structural example ran no faster on two cores than on one. What a
// member's steps send to the sink is logged and handed on after the window
// in the order a step-by-step run sends it, so the outputs are the same.
type memberRun struct {
	updates []int // member m's update items are updates[updates[m]:updates[m+1]]
	deliver []int // and its delivery items deliver[deliver[m]:deliver[m+1]]
	logs    []memberLog
	steps   int64 // the longest window (logSteps)
	from    int64 // the window being run
	to      int64
	run     func(worker, member int)
	// feed is the structural plasticity the workers hand each member's
	// spikes to themselves (feeds), watch what says which members failed
	// (their spikes reach no sink).
	feed  *structural.Plasticity
	watch *engine.Watch
}

// memberMode says whether s runs member by member: a batch that gives every
// worker a member, and none of the couplings that meet every step across a
// whole population (gap junctions' waveform relaxation, rate connections,
// plastic synapses' shared traces).
func memberMode(s *sim) bool {
	B := s.net.Batch()
	return B >= 2 && B >= s.pool.Workers() && s.gap == nil && s.rate == nil && s.plastic == nil
}

func newMemberRun(s *sim) *memberRun {
	B := s.net.Batch()
	mr := &memberRun{updates: make([]int, B+1), deliver: make([]int, B+1), logs: make([]memberLog, B)}
	for _, it := range s.updates {
		mr.updates[it.member+1]++
	}
	for _, it := range s.deliver {
		mr.deliver[it.member+1]++
	}
	for m := range B {
		mr.updates[m+1] += mr.updates[m]
		mr.deliver[m+1] += mr.deliver[m]
	}
	var state, log float64
	for _, p := range s.pops {
		state += float64(4 * p.N * len(p.vars))
		for _, r := range p.ring {
			state += float64(len(r) / s.net.Batch() * 4)
		}
		log += float64(4*p.N*p.SpikeCap) + float64(unsafe.Sizeof(logCall{}))
	}
	for _, r := range s.net.Recorders {
		log += float64(4*len(r.Vars)*len(r.Neurons)) + float64(unsafe.Sizeof(logCall{}))
	}
	mr.steps = logSteps(state, log)
	mr.run = func(w, m int) {
		for step := mr.from; step < mr.to; step++ {
			s.stepMember(w, m, step, &mr.logs[m])
		}
	}
	return mr
}

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
	for m := range mr.logs {
		mr.logs[m].reset()
	}
	s.pool.Run(len(mr.logs), mr.run)
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

// stepMember is sim.step for member m alone, its outputs logged.
func (s *sim) stepMember(worker, m int, step int64, log *memberLog) {
	mr := s.members
	slot := int(step % int64(s.slots))
	updates := s.updates[mr.updates[m]:mr.updates[m+1]]
	for i := range updates {
		s.pointItem(&updates[i], step)
		s.updateItem(worker, mr.updates[m]+i)
	}
	s.gather(updates)
	for i := mr.deliver[m]; i < mr.deliver[m+1]; i++ {
		s.deliverRange(worker, &s.deliver[i], step, slot)
	}
	for pi, p := range s.pops {
		if sp := p.spikes[m]; len(sp) > 0 {
			log.Spikes(m, pi, step, sp)
			if mr.feed != nil && !mr.watch.Failed(m) {
				mr.feed.Spikes(m, pi, step, sp)
			}
		}
	}
	for ri := range s.net.Recorders {
		if r := &s.net.Recorders[ri]; sampled(r, step) {
			log.scratch = s.sampleOf(log.scratch[:0], r, m)
			log.Sample(m, ri, step, log.scratch)
		}
	}
}

// memberLog is what one member's steps of a window sent to the sink, in
// order.
type memberLog struct {
	calls  []logCall
	spikes []uint32
	values []float32
	read   int // calls already handed on
	// scratch holds a sample while it is taken (sim.sample is the
	// step-by-step run's, one for all members).
	scratch []float32
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
	l.calls = append(l.calls, logCall{step: step, index: pop, lo: lo, hi: len(l.spikes)})
}

// Sample logs a Sample call.
func (l *memberLog) Sample(_, rec int, step int64, values []float32) {
	lo := len(l.values)
	l.values = append(l.values, values...)
	l.calls = append(l.calls, logCall{step: step, sample: true, index: rec, lo: lo, hi: len(l.values)})
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
