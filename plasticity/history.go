package plasticity

import "sort"

// History is the value a neuron's state variable took at the end of each
// step (NEST's Urbanczik history: the time stamp t_k and the entry dPI_k),
// in ascending time.
type History struct {
	times  []float64
	values []float64
}

// historyEps is NEST's tolerance in reading the history: times are on
// the grid, but t_last - d and t_sp - d are sums that may round away
// from it by an ulp.
const historyEps = 1e-6

// Add appends the entry (t, x); t is after every earlier one.
func (h *History) Add(t, x float64) {
	h.times = append(h.times, t)
	h.values = append(h.values, x)
}

// Between returns the entries with t1 < t_k <= t2 (up to NEST's
// tolerance), as their times and values.
func (h *History) Between(t1, t2 float64) ([]float64, []float64) {
	lo := sort.Search(len(h.times), func(i int) bool { return h.times[i]-historyEps >= t1 })
	hi := sort.Search(len(h.times), func(i int) bool { return h.times[i]-historyEps >= t2 })
	if hi < lo {
		hi = lo
	}
	return h.times[lo:hi], h.values[lo:hi]
}

// Prune forgets the entries that no query Between(t1, ·) with t1 >= t
// reads: those at or before t.
func (h *History) Prune(t float64) {
	i := sort.Search(len(h.times), func(i int) bool { return h.times[i]-historyEps >= t })
	if i == 0 {
		return
	}
	h.times = append(h.times[:0], h.times[i:]...)
	h.values = append(h.values[:0], h.values[i:]...)
}

// Len is the number of entries kept.
func (h *History) Len() int { return len(h.times) }
