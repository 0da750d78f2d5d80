package analysis

import (
	"fmt"
	"math"
	"math/bits"
)

// stepTol is the tolerance, in steps, of the comparisons of times with
// tStart and with bin edges.
const stepTol = 1e-6

// tieTol is the relative tolerance within which two periodogram powers are
// ties.
const tieTol = 1e-9

// Summary holds the statistics of one population over the window.
type Summary struct {
	N      int     // neurons (those the nodes stand for: StandsFor)
	Spikes int64   // spikes counted in the window
	RateHz float64 // Spikes / (N · window seconds); NaN if N or the window is 0
	CVISI  float64 // mean over neurons with >= 2 ISIs in the window of sd(ISI)/mean(ISI) (ddof 0); NaN if none
	Fano   float64 // variance/mean (ddof 0) of the population count in whole bins; NaN if the mean is 0
	PeakHz float64 // frequency of the largest periodogram power of the binned count, DC excluded; NaN if none
	// PeakPower is that largest power over the shot-noise level bins·mean,
	// the expected power of every frequency when the neurons fire as
	// independent Poisson processes. Without an oscillation each frequency
	// is then about Exp(1), so the peak is about ln(bins/2); a population
	// oscillation stands far above. NaN when PeakHz is.
	PeakPower float64
}

// neuron is the interval bookkeeping of one neuron, in steps.
type neuron struct {
	first, last int64  // stamps of the first and last spike in the window; last 0: none yet
	isis        uint64 // intervals
	sumSq       uint64 // Σ interval², exact
}

// Population accumulates the statistics of one population of one batch
// member, spike by spike. It is not safe for concurrent use.
type Population struct {
	dt, tStart, binMs float64
	steps             int64 // last stamp in the window
	kStart            int64 // stamps > kStart are in the window
	neurons           []neuron
	counts            []float64 // population count per whole bin
	spikes            int64
	lastStep          int64
	// standsFor, when not 0, is the number of neurons the nodes stand for
	// (StandsFor): rates are per neuron, and intervals are not tracked.
	standsFor int
}

// StandsFor says that the population's nodes stand for k neurons in all
// (gif_pop_psc_exp: a node emits its N neurons' spikes, its index repeated
// once per spike): the rate is then per neuron stood for, and the CV of
// the intervals is NaN, a node's spikes not being one neuron's train. The
// count statistics are unchanged.
func (p *Population) StandsFor(k int) { p.standsFor = k }

// NewPopulation returns the accumulator of a population of n neurons
// simulated for steps steps of dt ms, whose statistics leave out the spikes
// at t <= tStartMs and bin the population count in bins of binMs ms. It
// panics if n < 0, dt <= 0, steps < 0 or binMs <= 0 (programming errors: the
// configuration is validated before).
func NewPopulation(n int, dt float64, steps int64, tStartMs, binMs float64) *Population {
	if n < 0 || !(dt > 0) || steps < 0 || !(binMs > 0) || math.IsInf(dt, 0) || math.IsInf(binMs, 0) || math.IsNaN(tStartMs) {
		panic(fmt.Sprintf("analysis: invalid population (n %d, dt %g, steps %d, t_start %g, bin %g)", n, dt, steps, tStartMs, binMs))
	}
	tStart := math.Max(tStartMs, 0)
	kStart := int64(math.Floor(tStart/dt + stepTol))
	if kStart > steps {
		kStart = steps
	}
	window := float64(steps)*dt - tStart
	nbins := 0
	if window > 0 {
		nbins = int(math.Floor(window/binMs + stepTol*dt/binMs))
	}
	return &Population{
		dt: dt, tStart: tStart, binMs: binMs,
		steps: steps, kStart: kStart,
		neurons:  make([]neuron, n),
		counts:   make([]float64, nbins),
		lastStep: -1,
	}
}

// Add records the neurons that spiked during step (time (step+1)·dt), in
// ascending order. Calls come in step order. Spikes outside the window are
// ignored. It panics if a neuron index is out of range or if step goes
// backwards.
func (p *Population) Add(step int64, neurons []uint32) {
	if step < p.lastStep {
		panic(fmt.Sprintf("analysis: step %d after step %d", step, p.lastStep))
	}
	p.lastStep = step
	k := step + 1
	if k <= p.kStart || k > p.steps || len(neurons) == 0 {
		return
	}
	p.spikes += int64(len(neurons))
	x := (float64(k)*p.dt - p.tStart + stepTol*p.dt) / p.binMs
	if j := int(x); x >= 0 && j < len(p.counts) {
		p.counts[j] += float64(len(neurons))
	}
	if p.standsFor != 0 {
		return
	}
	ns := p.neurons
	for _, i := range neurons {
		s := &ns[i]
		if s.last > 0 {
			d := uint64(k - s.last)
			s.isis++
			s.sumSq += d * d
		} else {
			s.first = k
		}
		s.last = k
	}
}

// Summary returns the statistics of the spikes added so far. It does not
// change p.
func (p *Population) Summary() Summary {
	s := Summary{N: len(p.neurons), Spikes: p.spikes, RateHz: math.NaN()}
	if p.standsFor != 0 {
		s.N = p.standsFor
	}
	if window := (float64(p.steps)*p.dt - p.tStart) / 1000; s.N > 0 && window > 0 {
		s.RateHz = float64(p.spikes) / (float64(s.N) * window)
	}
	s.CVISI = p.cv()
	s.Fano, s.PeakHz, s.PeakPower = p.countStats()
	return s
}

// cv is the mean CV of the intervals over the neurons with >= 2 intervals.
func (p *Population) cv() float64 {
	var sum float64
	var k int
	for i := range p.neurons {
		ns := &p.neurons[i]
		if ns.isis < 2 {
			continue
		}
		// With m intervals d summing to S = last − first and Q = Σd²,
		// mean = S/m and var = Q/m − S²/m², so
		// CV = √(m·Q − S²)/S, where m·Q − S² >= 0 (Cauchy–Schwarz).
		m, S := ns.isis, uint64(ns.last-ns.first)
		hi1, lo1 := bits.Mul64(m, ns.sumSq)
		hi2, lo2 := bits.Mul64(S, S)
		lo, borrow := bits.Sub64(lo1, lo2, 0)
		hi, _ := bits.Sub64(hi1, hi2, borrow)
		num := float64(hi)*0x1p64 + float64(lo)
		sum += math.Sqrt(num) / float64(S)
		k++
	}
	if k == 0 {
		return math.NaN()
	}
	return sum / float64(k)
}

// countStats returns the Fano factor and the spectral peak (frequency and
// relative power) of the binned population count.
func (p *Population) countStats() (fano, peakHz, peakPower float64) {
	nan := math.NaN()
	n := len(p.counts)
	if n == 0 {
		return nan, nan, nan
	}
	var total float64
	for _, c := range p.counts {
		total += c
	}
	mean := total / float64(n)
	if mean == 0 {
		return nan, nan, nan
	}
	x := make([]float64, n)
	var ss float64
	for i, c := range p.counts {
		x[i] = c - mean
		ss += x[i] * x[i]
	}
	fano = ss / float64(n) / mean
	if n < 2 || ss == 0 {
		return fano, nan, nan
	}
	pow := power(x)
	var maxPow float64
	for _, v := range pow[1:] {
		maxPow = math.Max(maxPow, v)
	}
	best := 0
	for k := 1; k < len(pow) && maxPow > 0; k++ {
		if pow[k] >= maxPow*(1-tieTol) {
			best = k
			break
		}
	}
	if best == 0 {
		return fano, nan, nan
	}
	return fano, float64(best) / float64(n) * 1000 / p.binMs, pow[best] / (float64(n) * mean)
}
