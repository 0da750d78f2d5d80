package analysis

import "math"

// RateSummary is the statistics of a rate population (rate models) from
// the samples of its recorded rate.
type RateSummary struct {
	Mean, SD float64 // over every sampled value after t_start (SD with ddof 0); NaN without one
	Final    float64 // mean of the last sample's values
	// SettleMs is when the population mean settled: the first sample time
	// after which it stays within 10 % of its largest magnitude over the
	// run of Final. In the decision example the winner's is the decision
	// time, the loser's when it reached 0.
	SettleMs float64
}

// Rate accumulates a RateSummary, sample by sample. It is not safe for
// concurrent use.
type Rate struct {
	tStart      float64
	n           float64
	mean, m2    float64 // Welford's running mean and sum of squared deviations
	times, pops []float64
	last        float64
}

// NewRate returns an accumulator that leaves out samples at or before
// tStart (ms) from Mean and SD.
func NewRate(tStart float64) *Rate { return &Rate{tStart: tStart, last: math.NaN()} }

// Add takes the rates of the sample at time tMs.
func (r *Rate) Add(tMs float64, values []float32) {
	if len(values) == 0 {
		return
	}
	var s float64
	for _, v := range values {
		x := float64(v)
		s += x
		if tMs > r.tStart {
			r.n++
			d := x - r.mean
			r.mean += d / r.n
			r.m2 += d * (x - r.mean)
		}
	}
	r.last = s / float64(len(values))
	r.times = append(r.times, tMs)
	r.pops = append(r.pops, r.last)
}

// Summary returns the statistics so far.
func (r *Rate) Summary() RateSummary {
	s := RateSummary{Mean: math.NaN(), SD: math.NaN(), Final: r.last, SettleMs: math.NaN()}
	if r.n > 0 {
		s.Mean, s.SD = r.mean, math.Sqrt(r.m2/r.n)
	}
	if len(r.pops) == 0 {
		return s
	}
	peak := 0.0
	for _, x := range r.pops {
		peak = max(peak, math.Abs(x))
	}
	band := 0.1 * peak
	s.SettleMs = r.times[0]
	for i, x := range r.pops {
		if math.Abs(x-r.last) > band && i+1 < len(r.pops) {
			s.SettleMs = r.times[i+1]
		}
	}
	return s
}
