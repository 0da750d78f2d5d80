package compare

import (
	"cmp"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"

	"github.com/snn-gpu/snn-gpu/analysis"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/output"
)

// The statistics compared, in summary.parquet's order.
const (
	rate = iota
	cv
	fano
	peakHz
	peakPower
	nStats
)

var statNames = [nStats]string{"rate_hz", "cv_isi", "fano", "peak_hz", "peak_power"}

// statsOf returns a summary row's statistics (NaN: none).
func statsOf(r output.SummaryRow) [nStats]float64 {
	return [nStats]float64{r.RateHz, r.CVISI, r.Fano, r.PeakHz, r.PeakPower}
}

// The errors from spikes are jackknife errors over segments of the
// analysis window and over groups of the recorded neurons.
const (
	segments   = 8  // of the window
	groups     = 16 // of the neurons, at most
	minSegment = 4  // bins per segment for the spectral peak's error
)

// Basis says what a run's errors were estimated from.
type Basis int

const (
	// FromSummary: the summary's numbers alone (the rate's error; the
	// others have none).
	FromSummary Basis = iota
	// FromSomeSpikes: the recorded spikes of some of the neurons, which
	// give the spread of the neurons' rates and CVs.
	FromSomeSpikes
	// FromAllSpikes: the spikes of every neuron over the whole analysis
	// window, which also give the errors of the count statistics.
	FromAllSpikes
)

func (b Basis) String() string {
	return [...]string{"the summary", "some neurons' spikes", "every neuron's spikes"}[b]
}

// window is a point's analysis window.
type window struct {
	dt            float64
	steps         int64 // last stamp simulated
	kStart        int64 // stamps above are in the window
	tStart, binMs float64
}

func windowOf(p *pointJSON) window {
	n := &p.Network
	w := window{dt: float64(n.Simulation.Dt), tStart: math.Max(float64(n.Analysis.TStart), 0), binMs: float64(n.Analysis.BinMs)}
	w.steps = models.Steps(float64(n.Simulation.TSim), w.dt)
	w.kStart = int64(math.Floor(w.tStart/w.dt + 1e-6)) // as package analysis cuts it
	return w
}

// seconds is the window's length.
func (w window) seconds() float64 { return (float64(w.steps)*w.dt - w.tStart) / 1000 }

// uncertainty estimates the standard errors of a summary row's statistics
// in run r (NaN: none), and says from what. See doc.go for the estimators
// and why.
func (r *run) uncertainty(row output.SummaryRow) ([nStats]float64, Basis) {
	var se [nStats]float64
	for i := range se {
		se[i] = math.NaN()
	}
	p := r.points[row.Point]
	w := windowOf(p)
	secs := w.seconds()
	if !(secs > 0) || row.N <= 0 || !(w.dt > 0) || !(w.binMs > 0) || math.IsNaN(row.RateHz) {
		return se, FromSummary
	}
	n := float64(row.N)
	// Without spikes: the count's Poisson error, times the population
	// count's Fano factor where that is above 1.
	count := row.RateHz * n * secs // spikes in the window
	se[rate] = math.Sqrt(math.Max(row.Fano, 1)*count) / (n * secs)

	trains, ok := r.trains(row, p, w)
	if !ok || len(trains) < 2 || w.segmentSteps() < 1 {
		return se, FromSummary
	}
	v := perNeuron(trains, w)
	se[rate] = math.Sqrt(meanVariance(v.rates, v.rateReps, n))
	if len(v.cvs) >= 2 {
		// The population's CV is a mean over its neurons that have one:
		// as many, in proportion, as among the recorded.
		m := math.Max(2, math.Round(float64(len(v.cvs))*n/float64(len(trains))))
		se[cv] = math.Sqrt(meanVariance(v.cvs, v.cvReps, m))
	}
	if !whole(row, w, trains) {
		return se, FromSomeSpikes
	}
	se[fano] = fanoError(trains, w)
	se[peakHz] = peakError(trains, w, row.N)
	return se, FromAllSpikes
}

// segmentSteps is the length of a segment of the window in steps (the
// window's last steps beyond segments whole ones are left out).
func (w window) segmentSteps() int64 { return (w.steps - w.kStart) / segments }

// segment returns the segment of a stamp, -1 if none.
func (w window) segment(k int64) int {
	length := w.segmentSteps()
	if k <= w.kStart || k > w.kStart+segments*length {
		return -1
	}
	return int((k - w.kStart - 1) / length)
}

// neuronValues are the recorded neurons' rates and CVs, each with its
// jackknife replicates (the value without one segment).
type neuronValues struct {
	rates, cvs       []float64
	rateReps, cvReps [][segments]float64
}

// perNeuron computes every recorded neuron's rate over the segments, and
// the CV of its intervals (between spikes in the window, as package
// analysis takes them), each interval in the segment it ends in. A
// neuron has a CV when it has one without any one segment.
func perNeuron(trains [][]int64, w window) neuronValues {
	segSecs := float64(w.segmentSteps()) * w.dt / 1000
	v := neuronValues{rates: make([]float64, len(trains)), rateReps: make([][segments]float64, len(trains))}
	for i, t := range trains {
		var counts [segments]float64
		var ivs [segments]sums
		var total float64
		last := int64(0)
		for _, k := range t {
			s := w.segment(k)
			if s < 0 {
				continue
			}
			counts[s]++
			total++
			if last > 0 {
				ivs[s] = ivs[s].add(float64(k - last))
			}
			last = k
		}
		var all sums
		for s := range segments {
			all = all.plus(ivs[s])
		}
		v.rates[i] = total / (segments * segSecs)
		var reps [segments]float64
		ok := true
		for s := range segments {
			v.rateReps[i][s] = (total - counts[s]) / ((segments - 1) * segSecs)
			reps[s] = all.minus(ivs[s]).cv()
			ok = ok && !math.IsNaN(reps[s])
		}
		if ok {
			v.cvs = append(v.cvs, all.cv())
			v.cvReps = append(v.cvReps, reps)
		}
	}
	return v
}

// sums are the count, sum and sum of squares of intervals.
type sums struct{ m, s, q float64 }

func (a sums) add(d float64) sums { return sums{a.m + 1, a.s + d, a.q + d*d} }
func (a sums) plus(b sums) sums   { return sums{a.m + b.m, a.s + b.s, a.q + b.q} }
func (a sums) minus(b sums) sums  { return sums{a.m - b.m, a.s - b.s, a.q - b.q} }

// cv is the intervals' CV, sd/mean (sd with ddof 0): √(m·q − s²)/s; NaN
// for fewer than 2 intervals.
func (a sums) cv() float64 {
	if a.m < 2 || a.s <= 0 {
		return math.NaN()
	}
	return math.Sqrt(math.Max(a.m*a.q-a.s*a.s, 0)) / a.s
}

// meanVariance is the variance of a mean over m neurons of per-neuron
// values, from the recorded neurons' values x and their replicates rep
// (rep[i][s]: neuron i's value without segment s of the window). It is the
// spread of the values over m (the neurons' lasting differences and each
// one's noise), plus the covariance that the neurons share (the
// population's common fluctuations), which no number of neurons averages
// away: m − 1 of every m pairs of neurons covary as the recorded pairs do
// on average. The shared covariance comes from the jackknife over
// segments: the variance of the recorded neurons' mean is the sum of
// their own variances and covariances over n². Negative covariance counts
// as none.
func meanVariance(x []float64, rep [][segments]float64, m float64) float64 {
	n := float64(len(x))
	_, sd := stat.MeanStdDev(x, nil)
	var own float64
	var mean [segments]float64
	for i := range x {
		own += jackknife(segments, func(s int) float64 { return rep[i][s] })
		for s := range mean {
			mean[s] += rep[i][s] / n
		}
	}
	all := jackknife(segments, func(s int) float64 { return mean[s] })
	cov := math.Max((n*n*all-own)/(n*(n-1)), 0)
	return sd*sd/m + cov*(m-1)/m
}

// crossed is the variance of a statistic of neurons × time: the sum of its
// delete-a-group jackknife variances over the g groups of neurons (times
// scale) and over the segments of the window. theta(g, s) is the
// statistic without group g and segment s (-1: none left out). The sum is
// conservative for crossed random effects: each part also holds the
// noise of the single neuron in the single segment (Owen 2007, the
// pigeonhole bootstrap). NaN if a replicate is NaN.
func crossed(g int, scale float64, theta func(g, s int) float64) float64 {
	return scale*jackknife(g, func(i int) float64 { return theta(i, -1) }) +
		jackknife(segments, func(i int) float64 { return theta(-1, i) })
}

// jackknife is the delete-one jackknife variance (n−1)/n Σ(θ₋ᵢ − θ̄)² of
// the n replicates theta(i); NaN if one is NaN.
func jackknife(n int, theta func(i int) float64) float64 {
	reps := make([]float64, n)
	for i := range reps {
		reps[i] = theta(i)
	}
	_, sd := stat.MeanStdDev(reps, nil)
	return sd * sd * float64((n-1)*(n-1)) / float64(n)
}

// trains returns the stamps of every neuron of a spike recorder of the
// row's population that records over the whole analysis window (the one
// recording the most neurons), indexed by its recorded neurons; false if
// none does, or the folder has no spikes.
func (r *run) trains(row output.SummaryRow, p *pointJSON, w window) ([][]int64, bool) {
	if r.spikes == nil {
		return nil, false
	}
	var best *recorderJSON
	var neurons []int
	for i := range p.Network.Recorders {
		rec := &p.Network.Recorders[i]
		if rec.Model != "spike_recorder" || rec.Source != row.Population ||
			models.Steps(float64(rec.Start), w.dt) > w.kStart || models.Steps(float64(rec.Stop), w.dt) < w.steps {
			continue
		}
		var ids []int
		for j := range rec.First {
			ids = append(ids, j)
		}
		ids = append(ids, rec.Neurons...)
		if best == nil || len(ids) > len(neurons) {
			best, neurons = rec, ids
		}
	}
	if best == nil {
		return nil, false
	}
	slot := map[int32]int{}
	for i, id := range neurons {
		slot[int32(id)] = i
	}
	trains := make([][]int64, len(neurons))
	for _, s := range r.spikes[key{row.Point, row.Population}] {
		i, ok := slot[s.Neuron]
		if s.Recorder != best.Name || !ok {
			continue
		}
		trains[i] = append(trains[i], int64(math.Round(s.TimeMs/w.dt)))
	}
	return trains, true
}

// whole reports whether the trains are the whole population the row
// describes: every neuron, and the summary's rate.
func whole(row output.SummaryRow, w window, trains [][]int64) bool {
	if len(trains) != row.N {
		return false
	}
	var count int
	for _, t := range trains {
		for _, k := range t {
			if k > w.kStart && k <= w.steps {
				count++
			}
		}
	}
	got := float64(count) / (float64(row.N) * w.seconds())
	return math.Abs(got-row.RateHz) <= 1e-9*math.Abs(row.RateHz)
}

// bins is the number of whole bins of the window.
func (w window) bins() int {
	return int(math.Floor((float64(w.steps)*w.dt-w.tStart)/w.binMs + 1e-6*w.dt/w.binMs))
}

// fanoError is the standard error of the Fano factor of the population
// count of the trains (the whole population's), by the crossed jackknife
// over groups of neurons and segments of the window; NaN if a replicate
// has no spikes or a segment no bin.
func fanoError(trains [][]int64, w window) float64 {
	g := min(groups, len(trains))
	per := w.bins() / segments
	if per < 1 {
		return math.NaN()
	}
	// The count per group of neurons and bin, binned as package analysis
	// bins it.
	counts := make([][]float64, g)
	for j := range counts {
		counts[j] = make([]float64, segments*per)
	}
	for i, t := range trains {
		for _, k := range t {
			if b := int((float64(k)*w.dt - w.tStart + 1e-6*w.dt) / w.binMs); k > w.kStart && b < segments*per {
				counts[i%g][b]++
			}
		}
	}
	return math.Sqrt(crossed(g, 1, func(skipG, skipS int) float64 {
		var s1, s2, nb float64
		for b := range segments * per {
			if b/per == skipS {
				continue
			}
			var x float64
			for j := range g {
				if j != skipG {
					x += counts[j][b]
				}
			}
			s1, s2, nb = s1+x, s2+x*x, nb+1
		}
		mean := s1 / nb
		return (s2/nb - mean*mean) / mean
	}))
}

// peakError is the standard error of the frequency of the spectral peak
// of the population count of the trains (the whole population's, n
// neurons). A periodogram's ordinates do not average over a longer
// window: the peak's frequency is as uncertain as the spread of the peaks
// of the segments (each found by package analysis), and known at best to
// a step of the window's frequency grid. NaN with fewer than minSegment
// segments that have a peak, or bins.
func peakError(trains [][]int64, w window, n int) float64 {
	per := w.bins() / segments
	if per < minSegment {
		return math.NaN()
	}
	parts := make([]*analysis.Population, segments)
	for s := range parts {
		t0 := w.tStart + float64(s*per)*w.binMs
		end := int64(math.Floor((t0+float64(per)*w.binMs)/w.dt + 1e-6))
		parts[s] = analysis.NewPopulation(n, w.dt, end, t0, w.binMs)
	}
	feed(trains, parts...)
	var peaks []float64
	for _, p := range parts {
		if f := p.Summary().PeakHz; !math.IsNaN(f) {
			peaks = append(peaks, f)
		}
	}
	if len(peaks) < minSegment {
		return math.NaN()
	}
	_, sd := stat.MeanStdDev(peaks, nil)
	return math.Max(sd, 1000/(float64(w.bins())*w.binMs))
}

// feed adds the trains' spikes (stamps, by neuron) to the accumulators the
// way a backend does: step by step, the neurons of a step in ascending
// order.
func feed(trains [][]int64, pops ...*analysis.Population) {
	type spike struct {
		stamp  int64
		neuron uint32
	}
	var all []spike
	for i, t := range trains {
		for _, k := range t {
			all = append(all, spike{k, uint32(i)})
		}
	}
	slices.SortFunc(all, func(a, b spike) int {
		return cmp.Or(cmp.Compare(a.stamp, b.stamp), cmp.Compare(a.neuron, b.neuron))
	})
	var step []uint32
	for i := 0; i < len(all); {
		j := i
		step = step[:0]
		for ; j < len(all) && all[j].stamp == all[i].stamp; j++ {
			step = append(step, all[j].neuron)
		}
		for _, p := range pops {
			p.Add(all[i].stamp-1, step)
		}
		i = j
	}
}
