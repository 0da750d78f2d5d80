package validation

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/output"
)

// gifPopBinMs is the bin of the population activity A_N (the example's
// dt_rec).
const gifPopBinMs = 1.0

// gifPopCounts runs configs/gif_pop_vs_network.toml (both points) with a
// seed and returns, by point and population, the spike count per 1-ms bin
// over the 2000 ms.
func gifPopCounts(t *testing.T, seed uint32) map[int]map[string][]float64 {
	t.Helper()
	s := seed
	_, dir := run(t, "gif_pop_vs_network", configs.Options{Seed: &s})
	spikes, err := output.ReadSpikes(filepath.Join(dir, "spikes.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	const nb = int(2000 / gifPopBinMs)
	out := map[int]map[string][]float64{}
	for _, sp := range spikes {
		if out[sp.Point] == nil {
			out[sp.Point] = map[string][]float64{}
		}
		c := out[sp.Point][sp.Population]
		if c == nil {
			c = make([]float64, nb)
			out[sp.Point][sp.Population] = c
		}
		c[int(math.Ceil(sp.TimeMs/gifPopBinMs))-1]++ // (b, b+1] bins, as NEST stamps
	}
	return out
}

// rateIn is the mean rate (Hz) of n neurons over bins [fromMs, toMs).
func rateIn(c []float64, n int, fromMs, toMs float64) float64 {
	s := 0.0
	for b := int(fromMs / gifPopBinMs); b < int(toMs/gifPopBinMs); b++ {
		s += c[b]
	}
	return s / float64(n) / ((toMs - fromMs) / 1000)
}

// peakRate is the largest rate (Hz) of n neurons in windows of w ms
// between fromMs and toMs.
func peakRate(c []float64, n int, fromMs, toMs, w float64) float64 {
	best := 0.0
	for t := fromMs; t+w <= toMs; t += gifPopBinMs {
		best = math.Max(best, rateIn(c, n, t, t+w))
	}
	return best
}

// oscillationPeriod is the lag (ms) of the highest autocorrelation of the
// activity over [fromMs, toMs) at lags from minMs to maxMs, and that
// autocorrelation (Pearson, 0 for none).
func oscillationPeriod(c []float64, fromMs, toMs, minMs, maxMs float64) (lag, r float64) {
	x := c[int(fromMs/gifPopBinMs):int(toMs/gifPopBinMs)]
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	ac := func(k int) float64 {
		var num, d0, d1 float64
		for i := 0; i+k < len(x); i++ {
			a, b := x[i]-mean, x[i+k]-mean
			num += a * b
			d0 += a * a
			d1 += b * b
		}
		return num / math.Sqrt(d0*d1)
	}
	r = math.Inf(-1)
	for k := int(minMs / gifPopBinMs); k <= int(maxMs/gifPopBinMs); k++ {
		if v := ac(k); v > r {
			r, lag = v, float64(k)*gifPopBinMs
		}
	}
	return lag, r
}

// NEST's gif_pop_psc_exp.py (configs/gif_pop_vs_network.toml): the
// mesoscopic populations and the microscopic network they describe fire
// alike, statistically, before and after the step current, and the step
// sets off the population oscillation the reference describes.
//
// The mesoscopic model is an approximation (quasi-renewal, mean
// connectivity), and its hazard is the trapezoid of two rates where
// gif_psc_exp takes the end-of-step one: uncoupled populations with these
// neurons differ by 0.6-1.2% without adaptation and by 2% (base drive) and
// 7% (stepped drive) with it (own runs, 1000 neurons, 2.5 s). In the network,
// over seeds 1-8, meso/micro rate ratios were: before the step (500-1500 ms)
// 0.96 ± 0.008 (NEST point) and 0.92 ± 0.02 (weaker drive); after it
// (1600-2000 ms) 1.10 ± 0.017 and 1.07 ± 0.015. The test asks, for seeds 1-4,
// both points and both populations, |meso/micro - 1| <= 0.15: the largest
// systematic difference and three seed-to-seed sd.
//
// After the step (NEST point): the E rate peaks (5-ms windows, 1500-1600 ms)
// at 59-86 Hz (meso) and 60-81 Hz (micro) over seeds 1-8, the reference's
// 60-90 Hz; the test asks 40-120 Hz of both. The activity then oscillates:
// the autocorrelation of E's 1-ms counts over 1550-2000 ms peaks, among
// lags 20-100 ms, at 48-59 ms (meso) and 54-66 ms (micro), with
// correlations 0.33-0.75; the test asks a lag within 40-80 ms (the
// reference's 40-60 ms period and our micro spread) and a correlation of
// at least 0.25, five times the sd (1/sqrt(450)) of the autocorrelation of
// activity without structure.
func TestGifPopVsNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("whole-network validation: skipped with -short")
	}
	sizes := map[string]int{"E_meso": 800, "I_meso": 200, "E": 800, "I": 200}
	for seed := uint32(1); seed <= 4; seed++ {
		counts := gifPopCounts(t, seed)
		if len(counts) != 2 {
			t.Fatalf("seed %d: %d points, want 2", seed, len(counts))
		}
		for point, pops := range counts {
			what := fmt.Sprintf("seed %d point %d", seed, point)
			for _, pair := range [][2]string{{"E_meso", "E"}, {"I_meso", "I"}} {
				meso, micro := pops[pair[0]], pops[pair[1]]
				if meso == nil || micro == nil {
					t.Fatalf("%s: no spikes of %s or %s", what, pair[0], pair[1])
				}
				for _, w := range [][2]float64{{500, 1500}, {1600, 2000}} {
					a, b := rateIn(meso, sizes[pair[0]], w[0], w[1]), rateIn(micro, sizes[pair[1]], w[0], w[1])
					t.Logf("%s: %s %.2f Hz, %s %.2f Hz over %g-%g ms", what, pair[0], a, pair[1], b, w[0], w[1])
					if math.Abs(a/b-1) > 0.15 {
						t.Errorf("%s: %s fires at %.2f Hz, %s at %.2f Hz over %g-%g ms: more than 15%% apart",
							what, pair[0], a, pair[1], b, w[0], w[1])
					}
				}
			}
			if point != 0 {
				continue
			}
			for _, pop := range []string{"E_meso", "E"} {
				c := pops[pop]
				peak := peakRate(c, sizes[pop], 1500, 1600, 5)
				lag, r := oscillationPeriod(c, 1550, 2000, 20, 100)
				t.Logf("%s: %s peaks at %.1f Hz after the step; oscillation period %g ms (autocorrelation %.2f)", what, pop, peak, lag, r)
				if peak < 40 || peak > 120 {
					t.Errorf("%s: %s peaks at %.1f Hz after the step, want 40-120 Hz", what, pop, peak)
				}
				if lag < 40 || lag > 80 || r < 0.25 {
					t.Errorf("%s: %s autocorrelation peaks at %g ms (%.2f), want 40-80 ms and >= 0.25", what, pop, lag, r)
				}
			}
		}
	}
}
