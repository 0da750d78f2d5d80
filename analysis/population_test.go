package analysis

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// spike is one spike, by stamp (step+1).
type spike struct {
	stamp  int64
	neuron uint32
}

// feed adds the spikes to p in step order, ascending neurons within a step,
// the way a backend does.
func feed(p *Population, spikes []spike) {
	sort.Slice(spikes, func(i, j int) bool {
		if spikes[i].stamp != spikes[j].stamp {
			return spikes[i].stamp < spikes[j].stamp
		}
		return spikes[i].neuron < spikes[j].neuron
	})
	var buf []uint32
	for i := 0; i < len(spikes); {
		j := i
		buf = buf[:0]
		for ; j < len(spikes) && spikes[j].stamp == spikes[i].stamp; j++ {
			buf = append(buf, spikes[j].neuron)
		}
		p.Add(spikes[i].stamp-1, buf)
		i = j
	}
}

// atMs converts times in ms to spikes of one neuron at dt.
func atMs(neuron uint32, dt float64, times ...float64) []spike {
	out := make([]spike, len(times))
	for i, t := range times {
		out[i] = spike{int64(math.Round(t / dt)), neuron}
	}
	return out
}

// same reports whether a and b are equal within tol, NaN matching NaN.
func same(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

func checkSummary(t *testing.T, got, want Summary, tol float64) {
	t.Helper()
	if got.N != want.N || got.Spikes != want.Spikes ||
		!same(got.RateHz, want.RateHz, tol) || !same(got.CVISI, want.CVISI, tol) ||
		!same(got.Fano, want.Fano, tol) || !same(got.PeakHz, want.PeakHz, tol) {
		t.Errorf("summary\n got %+v\nwant %+v", got, want)
	}
}

// TestKnownAnswers covers trains whose statistics are known exactly.
func TestKnownAnswers(t *testing.T) {
	const dt = 0.1
	nan := math.NaN()

	// One neuron firing every 50 ms from t = 25 ms: 40 spikes in 2 s. In 5 ms
	// bins the count is 1 in bins 5, 15, …, 395 (period 10 bins): mean 0.1,
	// variance 0.1 − 0.01, Fano 0.9. The periodogram of this comb has equal
	// power at 20 Hz and all its harmonics; the lowest wins.
	var regular []spike
	for j := 0; j < 40; j++ {
		regular = append(regular, atMs(0, dt, 25+50*float64(j))...)
	}

	// Ten neurons firing every 10 ms, neuron i at i + 0.5 ms + 10·j: every
	// 1 ms bin holds exactly one spike, so the population count is constant.
	var staggered []spike
	for i := 0; i < 10; i++ {
		for j := 0; j < 100; j++ {
			staggered = append(staggered, atMs(uint32(i), dt, float64(i)+0.5+10*float64(j))...)
		}
	}

	tests := []struct {
		name   string
		n      int
		steps  int64
		tStart float64
		binMs  float64
		spikes []spike
		want   Summary
	}{
		{"regular train", 1, 20000, 0, 5, regular,
			Summary{N: 1, Spikes: 40, RateHz: 20, CVISI: 0, Fano: 0.9, PeakHz: 20}},
		{"regular population", 10, 10000, 0, 1, staggered,
			Summary{N: 10, Spikes: 1000, RateHz: 100, CVISI: 0, Fano: 0, PeakHz: nan}},
		{"no spikes", 5, 10000, 0, 1, nil,
			Summary{N: 5, Spikes: 0, RateHz: 0, CVISI: nan, Fano: nan, PeakHz: nan}},
		// One spike in 1000 bins: mean 1/1000, variance 1/1000 − 1/1000²,
		// Fano 0.999; a delta has a flat spectrum, so the lowest frequency
		// (1 Hz for 1 s) wins.
		{"one spike", 4, 10000, 0, 1, atMs(3, dt, 500.3),
			Summary{N: 4, Spikes: 1, RateHz: 0.25, CVISI: nan, Fano: 0.999, PeakHz: 1}},
		// Two intervals of one neuron, 10 and 30 ms: mean 20, sd 10. The three
		// deltas (bins 100, 110, 140) are in phase first at 100 Hz.
		{"two intervals", 2, 10000, 0, 1, atMs(1, dt, 100, 110, 140),
			Summary{N: 2, Spikes: 3, RateHz: 1.5, CVISI: 0.5, Fano: 1 - 3.0/1000, PeakHz: 100}},
		// 1000 ms in 3 ms bins: 333 whole bins; the spike at 999.5 ms lies
		// in the dropped partial bin, so it counts for the rate only.
		{"partial bin dropped", 1, 10000, 0, 3, atMs(0, dt, 999.5),
			Summary{N: 1, Spikes: 1, RateHz: 1, CVISI: nan, Fano: nan, PeakHz: nan}},
		// The spike at the last step (t = steps·dt) is in the window; the
		// window has no partial bin here, but t = 1000 falls on the edge of
		// bin 1000, which does not exist.
		{"last step in window", 1, 10000, 0, 1, atMs(0, dt, 1000),
			Summary{N: 1, Spikes: 1, RateHz: 1, CVISI: nan, Fano: nan, PeakHz: nan}},
		{"spikes after the end ignored", 1, 10000, 0, 1, atMs(0, dt, 1000.1, 1200),
			Summary{N: 1, Spikes: 0, RateHz: 0, CVISI: nan, Fano: nan, PeakHz: nan}},
		{"empty population", 0, 10000, 0, 1, nil,
			Summary{N: 0, Spikes: 0, RateHz: nan, CVISI: nan, Fano: nan, PeakHz: nan}},
		{"window empty (t_start at the end)", 1, 10000, 1000, 1, atMs(0, dt, 10, 20, 30),
			Summary{N: 1, Spikes: 0, RateHz: nan, CVISI: nan, Fano: nan, PeakHz: nan}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPopulation(tc.n, dt, tc.steps, tc.tStart, tc.binMs)
			feed(p, tc.spikes)
			checkSummary(t, p.Summary(), tc.want, 1e-9)
		})
	}
}

// TestTransientCut checks that spikes at t <= t_start are left out, and so
// are the intervals that cross t_start.
func TestTransientCut(t *testing.T) {
	const dt = 0.1
	// Neuron 0: 50, 100 (= t_start, out), 150, 200, 250: two intervals of
	// 50 ms in the window, CV 0. Neuron 1: 90, 160, 300: one interval in the
	// window (140 ms), so it is left out of the CV; counting the interval
	// across the cut (70 ms) would give it CV 1/3.
	early := append(atMs(0, dt, 50, 100, 150, 200, 250), atMs(1, dt, 90, 160, 300)...)
	late := append(atMs(0, dt, 150, 200, 250), atMs(1, dt, 160, 300)...)

	tests := []struct {
		name       string
		tStart     float64
		spikes     []spike
		wantSpikes int64
	}{
		{"cut at 100 ms", 100, early, 5},
		{"nothing before the cut", 100, late, 5},
		{"cut just before a spike", 99.95, early, 6},    // the spike at 100 counts
		{"cut just after a spike", 100.05, early, 5},    // same as 100
		{"negative t_start counts as 0", -5, late, 5},   // whole run
		{"t_start not on the grid", 149.99, early, 5},   // 150 counts
		{"t_start beyond the spikes", 300, early, 0},    // t = 300 is out
		{"t_start on the last spike", 299.99, early, 1}, // only t = 300
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPopulation(2, dt, 4000, tc.tStart, 1)
			feed(p, append([]spike(nil), tc.spikes...))
			s := p.Summary()
			if s.Spikes != tc.wantSpikes {
				t.Errorf("spikes: got %d, want %d", s.Spikes, tc.wantSpikes)
			}
			tw := 400 - math.Max(tc.tStart, 0)
			if want := float64(tc.wantSpikes) / (2 * tw / 1000); !same(s.RateHz, want, 1e-9) {
				t.Errorf("rate: got %g, want %g", s.RateHz, want)
			}
		})
	}

	// The cut result equals a run that never saw the early spikes.
	a := NewPopulation(2, dt, 4000, 100, 1)
	feed(a, early)
	b := NewPopulation(2, dt, 4000, 100, 1)
	feed(b, late)
	checkSummary(t, a.Summary(), b.Summary(), 0)
	if cv := a.Summary().CVISI; cv != 0 {
		t.Errorf("CV: got %g, want 0 (the interval across the cut must not count)", cv)
	}
}

// bernoulliTrain returns the stamps at which a Bernoulli process with
// probability p per step spikes in steps 1..steps: geometric gaps drawn by
// inversion, so each step is an independent trial.
func bernoulliTrain(r *rand.Rand, p float64, steps int64) []int64 {
	var out []int64
	l := math.Log1p(-p)
	for k := int64(0); ; {
		k += 1 + int64(math.Floor(math.Log(1-r.Float64())/l))
		if k > steps {
			return out
		}
		out = append(out, k)
	}
}

// TestPoisson checks CV ≈ 1 and Fano ≈ 1 for independent Poisson trains.
//
// Each neuron is a Bernoulli process with p = rate·dt per step, so its
// intervals are geometric (mean 1/p, variance (1−p)/p²): the true CV is
// √(1−p). Its count in a bin of B steps is Binomial(B, p), and the sum over
// independent neurons has variance/mean = 1−p: the true Fano factor.
//
// Tolerances from the sample sizes:
//   - CV: for exponential intervals the sample CV of m intervals has, by the
//     delta method, sd 1/√m (Var X = 1, Var X² = 20, Cov = 4 for Exp(1):
//     (4·1 + ¼·20 − 2·4)/m = 1/m), and a bias of about −1.5/m (second order;
//     a 20,000-replicate simulation gave −1.48/m at m = 400). The mean over N
//     neurons therefore lies within 4/√(N·m) + 2/m of √(1−p).
//   - Fano: with n bins of mean count μ (≈ Poisson), the sample variance has
//     sd √((μ + 2μ²)/n) (fourth central moment μ(1+3μ)), so the ratio has
//     sd √((2 + 1/μ)/n); we allow 4 sd.
func TestPoisson(t *testing.T) {
	const (
		dt     = 0.1
		n      = 400
		rateHz = 20.0
		steps  = 200000 // 20 s
		binMs  = 2.0
	)
	p := rateHz * dt / 1000
	r := rand.New(rand.NewPCG(12345, 678))
	var spikes []spike
	for i := 0; i < n; i++ {
		for _, k := range bernoulliTrain(r, p, steps) {
			spikes = append(spikes, spike{k, uint32(i)})
		}
	}
	pop := NewPopulation(n, dt, steps, 0, binMs)
	feed(pop, spikes)
	s := pop.Summary()

	m := float64(s.Spikes)/n - 1 // mean intervals per neuron
	cvTol := 4/math.Sqrt(n*m) + 2/m
	if want := math.Sqrt(1 - p); math.Abs(s.CVISI-want) > cvTol {
		t.Errorf("CV %g, want %g ± %g", s.CVISI, want, cvTol)
	}
	bins := float64(steps) * dt / binMs
	mu := float64(s.Spikes) / bins
	fanoTol := 4 * math.Sqrt((2+1/mu)/bins)
	if want := 1 - p; math.Abs(s.Fano-want) > fanoTol {
		t.Errorf("Fano %g, want %g ± %g", s.Fano, want, fanoTol)
	}
	// Without an oscillation each frequency's relative power is about
	// Exp(1)·(1-p): the largest of bins/2 of them exceeds ln(bins/2) + x with
	// probability about e^-x; x = 9 makes a false alarm a 1e-4 event.
	if limit := math.Log(bins/2) + 9; !(s.PeakPower < limit) {
		t.Errorf("peak power %g of independent trains, want < %g", s.PeakPower, limit)
	}
	// The rate: Poisson count over n·T with T = 20 s, 4 sd.
	rateTol := 4 * math.Sqrt(rateHz*n*20) / (n * 20)
	if math.Abs(s.RateHz-rateHz) > rateTol {
		t.Errorf("rate %g, want %g ± %g", s.RateHz, rateHz, rateTol)
	}
	t.Logf("CV %.4f (tol %.4f), Fano %.4f (tol %.4f), rate %.3f Hz", s.CVISI, cvTol, s.Fano, fanoTol, s.RateHz)
}

// TestModulated checks that the spectral peak of a sinusoidally modulated
// population lies within one frequency bin (1/T) of the modulation.
func TestModulated(t *testing.T) {
	const (
		dt    = 0.1
		n     = 200
		steps = 40000 // 4 s: frequency resolution 0.25 Hz
		r0    = 30.0  // Hz
		depth = 0.8
		binMs = 1.0
	)
	tests := []struct {
		name string
		fHz  float64
		tOff float64 // t_start
	}{
		{"37 Hz", 37, 0},
		{"8.3 Hz", 8.3, 0},
		{"61 Hz after a transient", 61, 500},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(tc.fHz*100), 9))
			rmax := r0 * (1 + depth)
			var spikes []spike
			for i := 0; i < n; i++ {
				// Thinning: candidates at rmax, kept with probability r(t)/rmax.
				for _, k := range bernoulliTrain(r, rmax*dt/1000, steps) {
					tm := float64(k) * dt / 1000
					if r.Float64()*rmax < r0*(1+depth*math.Sin(2*math.Pi*tc.fHz*tm)) {
						spikes = append(spikes, spike{k, uint32(i)})
					}
				}
			}
			pop := NewPopulation(n, dt, steps, tc.tOff, binMs)
			feed(pop, spikes)
			s := pop.Summary()
			res := 1000 / (float64(steps)*dt - tc.tOff)
			if math.Abs(s.PeakHz-tc.fHz) > res {
				t.Errorf("peak %g Hz, want %g ± %g", s.PeakHz, tc.fHz, res)
			}
			// A common modulation stands far above the shot-noise level:
			// its power grows with n, that level does not.
			t.Logf("peak power %g", s.PeakPower)
			if s.PeakPower < 100 {
				t.Errorf("peak power %g, want a peak far above the shot noise (> 100)", s.PeakPower)
			}
		})
	}
}

// TestIntervalsExact checks the integer interval bookkeeping on a long,
// irregular train against a direct two-pass computation.
func TestIntervalsExact(t *testing.T) {
	const dt = 0.1
	r := rand.New(rand.NewPCG(3, 4))
	tests := []struct {
		name  string
		steps int64
		maxD  int64
	}{
		{"short intervals", 100000, 20},
		{"long intervals", 5000000, 200000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stamps []int64
			for k := int64(1 + r.Int64N(tc.maxD)); k <= tc.steps; k += 1 + r.Int64N(tc.maxD) {
				stamps = append(stamps, k)
			}
			p := NewPopulation(1, dt, tc.steps, 0, 10)
			for _, k := range stamps {
				p.Add(k-1, []uint32{0})
			}
			var d []float64
			for i := 1; i < len(stamps); i++ {
				d = append(d, float64(stamps[i]-stamps[i-1]))
			}
			var mean, v float64
			for _, x := range d {
				mean += x
			}
			mean /= float64(len(d))
			for _, x := range d {
				v += (x - mean) * (x - mean)
			}
			want := math.Sqrt(v/float64(len(d))) / mean
			if got := p.Summary().CVISI; math.Abs(got-want) > 1e-12*want {
				t.Errorf("CV %.15g, want %.15g", got, want)
			}
		})
	}
}

func TestNewPopulationPanics(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		dt    float64
		steps int64
		bin   float64
	}{
		{"negative n", -1, 0.1, 10, 1},
		{"zero dt", 1, 0, 10, 1},
		{"negative steps", 1, 0.1, -1, 1},
		{"zero bin", 1, 0.1, 10, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			NewPopulation(tc.n, tc.dt, tc.steps, 0, tc.bin)
		})
	}
}

// BenchmarkAdd measures the cost per spike of a 12,500-neuron population
// firing at about 300 Hz (dt 0.1 ms: 375 spikes per step).
func BenchmarkAdd(b *testing.B) {
	const n = 12500
	r := rand.New(rand.NewPCG(1, 1))
	steps := make([][]uint32, 64)
	for s := range steps {
		for i := uint32(0); i < n; i++ {
			if r.Float64() < 0.03 {
				steps[s] = append(steps[s], i)
			}
		}
	}
	p := NewPopulation(n, 0.1, int64(b.N)+1, 0, 1)
	var spikes int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ns := steps[i%len(steps)]
		p.Add(int64(i), ns)
		spikes += int64(len(ns))
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(spikes), "ns/spike")
}

// A node that stands for many neurons repeats its index once per spike:
// the rate is per neuron stood for, the count statistics see every spike,
// and there are no intervals.
func TestStandsFor(t *testing.T) {
	p := NewPopulation(1, 0.5, 2000, 0, 1) // 1 s
	p.StandsFor(100)
	for step := int64(0); step < 2000; step += 2 {
		p.Add(step, []uint32{0, 0, 0})
	}
	s := p.Summary()
	if s.N != 100 || s.Spikes != 3000 || math.Abs(s.RateHz-30) > 1e-12 || !math.IsNaN(s.CVISI) {
		t.Errorf("summary %+v, want N 100, 3000 spikes, 30 Hz, CV NaN", s)
	}
}
