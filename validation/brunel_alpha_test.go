package validation

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/output"
)

// NEST's brunel_alpha_nest.py (configs/brunel_alpha.toml): the iaf_psc_alpha
// version of NEST's Brunel network, with PSP-normalised current weights.
// NEST 3.10 prints p_rate = 17789.0077 Hz and, for the 50 recorded neurons
// over the whole 1000 ms, 28.54 Hz (E) and 28.62 Hz (I) with its default
// seed (reference 1.4).
//
// Tolerance: NEST's figure is one draw of a seed-dependent estimate, and so
// is ours. Over seeds 1-10 our estimate (50 neurons, whole run) was
// 28.71 ± 0.14 Hz for E and 28.61 ± 0.17 Hz for I (mean ± standard
// deviation; 28.52-29.04 and 28.34-28.80). Two single draws of one
// distribution differ with standard deviation √2·0.17 = 0.24 Hz: we allow
// 1.0 Hz, four of those. The rate of all neurons after the start-up
// (100 ms) spreads less: 28.81 ± 0.10 Hz over the same seeds; it must be
// within 0.5 Hz (five standard deviations) of that.
func TestBrunelAlphaNESTExample(t *testing.T) {
	if testing.Short() {
		t.Skip("whole-network validation: skipped with -short")
	}
	f, err := configs.Load("brunel_alpha", configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := f.Points[0]
	const nestRate = 17789.0077
	if r := p.Vars["p_rate"]; math.Abs(r-nestRate) > 1e-6*nestRate || math.Round(r*1e4)/1e4 != nestRate {
		t.Errorf("p_rate = %.6f Hz, NEST prints %.4f", r, nestRate)
	}
	rows, dir := run(t, "brunel_alpha", configs.Options{})
	for _, pop := range []string{"E", "I"} {
		within(t, pop+" rate after 100 ms (Hz)", rows["0"][pop].RateHz, 28.81, 0.5)
	}
	if e, i := rows["0"]["E"].Synapses, rows["0"]["I"].Synapses; e != 12_500_000 || i != 3_125_000 {
		t.Errorf("recurrent synapses %d E + %d I, want 12,500,000 + 3,125,000", e, i)
	}
	spikes, err := output.ReadSpikes(filepath.Join(dir, "spikes.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]float64{}
	for _, s := range spikes {
		counts[s.Population]++
	}
	within(t, "E rate of the 50 recorded neurons, as NEST prints it (Hz)", counts["E"]/50, 28.54, 1.0)
	within(t, "I rate of the 50 recorded neurons, as NEST prints it (Hz)", counts["I"]/50, 28.62, 1.0)
}
