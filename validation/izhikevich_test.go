package validation

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/snn-gpu/snn-gpu/analysis"
	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/output"
)

// seedRates runs a shipped config with seeds 1 … k and returns the mean
// rate of each population over the seeds, the population count of every
// run (all populations together) in 1-ms bins, and the summary rows of
// seed 1.
func seedRates(t *testing.T, name string, k int) (map[string]float64, [][]float64, map[string]output.SummaryRow) {
	t.Helper()
	mean := map[string]float64{}
	var counts [][]float64
	var first map[string]output.SummaryRow
	for seed := uint32(1); seed <= uint32(k); seed++ {
		s := seed
		rows, dir := run(t, name, configs.Options{Seed: &s})
		if seed == 1 {
			first = rows["0"]
		}
		for pop, r := range rows["0"] {
			mean[pop] += r.RateHz / float64(k)
			t.Logf("%s seed %d: %s %.3f Hz", name, seed, pop, r.RateHz)
		}
		spikes, err := output.ReadSpikes(filepath.Join(dir, "spikes.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		c := make([]float64, 1000)
		for _, sp := range spikes {
			c[int(math.Ceil(sp.TimeMs))-1]++ // bin b holds (b, b+1] ms
		}
		counts = append(counts, c)
	}
	return mean, counts, first
}

// Izhikevich (2003), configs/izhikevich2003.toml: 800 E + 200 I neurons with
// a, b, c, d per neuron, dense random weights, thalamic noise, the paper's
// integration at 1 ms.
//
// Rates. The reference re-ran net.m with 3 seeds: E 7.64–7.70 Hz, I
// 7.11–7.42 Hz over the whole second (midpoints 7.67 and 7.265). Over seeds
// 1–12 our rates were E 7.70 ± 0.175 Hz and I 7.42 ± 0.26 Hz (mean ±
// standard deviation; ranges 7.27–7.99 and 6.90–7.83). The test compares
// the mean of seeds 1–5 with the reference's midpoint; with our standard
// deviations the difference of a 5-seed and a 3-seed mean has a standard
// deviation of sd·√(1/5 + 1/3): 0.13 Hz (E) and 0.19 Hz (I). We allow three
// of them: 0.38 Hz and 0.57 Hz.
//
// Rhythm. The paper's Fig. 3 shows alpha (about 10 Hz) and gamma (about
// 40 Hz) rhythms; the reference finds population spectra peaking anywhere
// between 8 and 40 Hz. What is robust across seeds is where the power is,
// not one peak: the share of the variance of the population count (1-ms
// bins, after 100 ms of start-up) in 8–40 Hz. Independent Poisson firing
// would put 29 of the 450 frequencies' worth there, a share of 0.064; over
// seeds 1–12 ours was 0.33–0.53, and the gamma band 25–45 Hz alone held
// 0.14–0.32 (Poisson: 0.040). Each seed must put at least 0.25 in 8–40 Hz
// (four times the Poisson share) and 0.1 in 25–45 Hz.
func TestIzhikevich2003(t *testing.T) {
	if testing.Short() {
		t.Skip("whole-network validation: skipped with -short")
	}
	mean, counts, _ := seedRates(t, "izhikevich2003", 5)
	within(t, "E rate, mean of seeds 1-5 (Hz)", mean["E"], 7.67, 0.38)
	within(t, "I rate, mean of seeds 1-5 (Hz)", mean["I"], 7.265, 0.57)
	for i, c := range counts {
		band := analysis.BandFraction(c[100:], 1, 8, 40)
		gamma := analysis.BandFraction(c[100:], 1, 25, 45)
		t.Logf("seed %d: share of the variance in 8-40 Hz %.3f, in 25-45 Hz %.3f", i+1, band, gamma)
		if !(band >= 0.25) || !(gamma >= 0.1) {
			t.Errorf("seed %d: %s", i+1, fmt.Sprintf("shares of the population count's variance %.3f in 8-40 Hz (want >= 0.25; Poisson 0.064) and %.3f in 25-45 Hz (want >= 0.1; Poisson 0.040)", band, gamma))
		}
	}
}

// F. Musacchio's two-population tutorial, configs/izhikevich_two_populations.toml:
// 800 RS + 200 CH (c = -51) neurons, noise_generator drive, fixed
// in-degrees, consistent integration at 0.1 ms.
//
// The reference's re-simulation with NEST's semantics (2 seeds) gives about
// 19.3 Hz (E) and 45.8 Hz (I), to 0.1 Hz. Over seeds 1–12 ours were
// E 19.20 ± 0.11 Hz and I 45.74 ± 0.11 Hz (ranges 19.07–19.44 and
// 45.60–45.89). The difference of a 5-seed and a 2-seed mean has a
// standard deviation of 0.11·√(1/5 + 1/2) = 0.09 Hz; with the reference's
// rounding (±0.05 Hz) we allow three standard deviations and the rounding:
// 0.33 Hz for each population. The firing is regular and partly locked:
// the population activity peaks near 19 Hz (reference: 18.75 Hz; ours
// 19.0 Hz for each of seeds 1–12, with the periodogram's 1-Hz resolution):
// within 1.5 Hz.
func TestIzhikevichTwoPopulations(t *testing.T) {
	if testing.Short() {
		t.Skip("whole-network validation: skipped with -short")
	}
	mean, _, seed1 := seedRates(t, "izhikevich_two_populations", 5)
	within(t, "E rate, mean of seeds 1-5 (Hz)", mean["E"], 19.3, 0.33)
	within(t, "I rate, mean of seeds 1-5 (Hz)", mean["I"], 45.8, 0.33)
	within(t, "E spectral peak, seed 1 (Hz)", seed1["E"].PeakHz, 18.75, 1.5)
}
