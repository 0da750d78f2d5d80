package plasticity

import (
	"sort"

	"github.com/snn-gpu/snn-gpu/rng"
)

// Archive is one neuron's own spikes and its trace K_-, which decays with
// TauMinus and grows by 1 at every spike (all-to-all pairing).
type Archive struct {
	TauMinus float64
	times    []float64 // ascending
	kminus   []float64 // K_- just after each spike, that spike included
}

// Add records a spike at t (not before the last one).
func (a *Archive) Add(t float64) {
	k := 1.0
	if n := len(a.times); n > 0 {
		k += float64(a.kminus[n-1] * rng.Exp((a.times[n-1]-t)/a.TauMinus))
	}
	a.times = append(a.times, t)
	a.kminus = append(a.kminus, k)
}

// K returns K_-(t) from the spikes strictly before t.
func (a *Archive) K(t float64) float64 {
	i := sort.SearchFloat64s(a.times, t) // first spike at or after t
	if i == 0 {
		return 0
	}
	return float64(a.kminus[i-1] * rng.Exp((a.times[i-1]-t)/a.TauMinus))
}

// Between returns the spikes at times in (t1, t2], ascending.
func (a *Archive) Between(t1, t2 float64) []float64 {
	lo := sort.Search(len(a.times), func(i int) bool { return a.times[i] > t1 })
	hi := sort.Search(len(a.times), func(i int) bool { return a.times[i] > t2 })
	if hi < lo {
		hi = lo
	}
	return a.times[lo:hi]
}

// Prune forgets spikes that no query from t on can need: Between(t1, ·)
// with t1 >= t reads spikes after t, and K(t2) with t2 > t the last spike
// at or before t, which is kept.
func (a *Archive) Prune(t float64) {
	i := sort.Search(len(a.times), func(i int) bool { return a.times[i] > t }) - 1
	if i <= 0 {
		return
	}
	a.times = append(a.times[:0], a.times[i:]...)
	a.kminus = append(a.kminus[:0], a.kminus[i:]...)
}

// Len is the number of spikes kept.
func (a *Archive) Len() int { return len(a.times) }
