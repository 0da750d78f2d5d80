package cpu

import (
	"time"

	"github.com/snn-gpu/snn-gpu/internal/parallel"
)

// tuneSteps is the length of each trial window of a threadTuner.
const tuneSteps = 500

// threadTuner picks how many cores a run uses when its thread count is
// automatic. A step of a small network is a few microseconds of work, less
// than what it costs to hand work to another core and wait for it: the
// structural-plasticity example (1,000 neurons) ran 1.2-1.6 times slower on
// two cores than on one, while Brunel's 12,500 neurons gain from the second.
// So the first steps run in windows of tuneSteps on all the cores, half of
// them, …, one, each with its work cut for that many (items cut for more
// workers cost a third more on one), and the rest of the run on the fastest.
// Results do not depend on the number of workers (package parallel) nor on
// the cut, only the time does.
type threadTuner struct {
	pools   []*parallel.Pool // all the cores, half, …, one
	updates [][]updateItem   // each pool's cut
	deliver [][]deliverItem
	times   []time.Duration
	start   time.Time
}

// workerCounts returns the worker counts a run of workers tries when its
// count is automatic: workers, half of it, …, one.
func workerCounts(workers int) []int {
	counts := []int{workers}
	for workers > 1 {
		workers /= 2
		counts = append(counts, workers)
	}
	return counts
}

// newThreadTuner returns the tuner of s, nil where there is nothing to
// choose: one core, a run too short to try every count, gap junctions and
// rate connections, whose buffers hold on to the items they were built with,
// or a batch run member by member, which gives every worker whole members.
func newThreadTuner(s *sim, steps int64) *threadTuner {
	counts := workerCounts(s.pool.Workers())
	if s.gap != nil || s.rate != nil || s.members != nil || len(counts) == 1 || steps < 4*tuneSteps*int64(len(counts)) {
		return nil
	}
	t := &threadTuner{pools: []*parallel.Pool{s.pool}, updates: [][]updateItem{s.updates}, deliver: [][]deliverItem{s.deliver}}
	for _, w := range counts[1:] {
		u, d := s.cut(w)
		t.pools = append(t.pools, parallel.NewPool(w))
		t.updates, t.deliver = append(t.updates, u), append(t.deliver, d)
	}
	return t
}

// use runs s on candidate k from the next step.
func (t *threadTuner) use(s *sim, k int) {
	s.pool, s.updates, s.deliver = t.pools[k], t.updates[k], t.deliver[k]
}

// before runs before step: it times the window that ends there and switches
// s to the next candidate, or, after the last, to the fastest.
func (t *threadTuner) before(s *sim, step int64) {
	if t == nil || step%tuneSteps != 0 || int(step/tuneSteps) > len(t.pools) {
		return
	}
	k := int(step / tuneSteps)
	if k > 0 {
		t.times = append(t.times, time.Since(t.start))
	}
	if k < len(t.pools) {
		t.use(s, k)
		t.start = time.Now()
		return
	}
	best := 0
	for i, d := range t.times {
		if d < t.times[best] {
			best = i
		}
	}
	t.use(s, best)
}

// close stops every candidate pool but the one s runs on.
func (t *threadTuner) close(s *sim) {
	if t == nil {
		return
	}
	for _, p := range t.pools {
		if p != s.pool {
			p.Close()
		}
	}
}
