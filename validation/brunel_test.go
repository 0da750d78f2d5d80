package validation

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/internal/runner"
	"github.com/snn-gpu/snn-gpu/output"
)

// run runs a shipped config end to end on the CPU backend and returns its
// summary rows by label (or point number) and population.
func run(t *testing.T, name string, opt configs.Options) (map[string]map[string]output.SummaryRow, string) {
	t.Helper()
	all, dir := runRows(t, name, opt)
	rows := map[string]map[string]output.SummaryRow{}
	for _, r := range all {
		key := r.Label
		if key == "" {
			key = "0"
		}
		if rows[key] == nil {
			rows[key] = map[string]output.SummaryRow{}
		}
		rows[key][r.Population] = r
	}
	return rows, dir
}

// runRows runs a config on the CPU and returns every summary row (a sweep
// without labels included) and the output folder.
func runRows(t *testing.T, name string, opt configs.Options) ([]output.SummaryRow, string) {
	t.Helper()
	f, err := configs.Load(name, opt)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	res, err := runner.Run(context.Background(), f, runner.Options{Backend: "cpu", Threads: 0, Batch: -1, OutDir: dir, Point: -1})
	if err != nil {
		t.Fatal(err)
	}
	return res.Rows, dir
}

func within(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !(math.Abs(got-want) <= tol) {
		t.Errorf("%s = %.4g, want %.4g ± %.3g", what, got, want, tol)
	}
}

// NEST's brunel_delta_nest.py (configs/brunel.toml): the network settles at
// the mean-field rate. Siegert theory gives 32.03 Hz (reference 1.4); a
// NEST run prints "about 32 ± 0.5 spks/s" for both populations, a range
// that covers the finite-size and shot-noise corrections to the diffusion
// approximation (the estimate's own sampling error, 12,500 neurons × 0.9 s,
// is below 0.05 Hz). The firing is regular because V_reset = 0 (CV 0.17 in
// the reference's re-simulation: we allow 0.1–0.3).
func TestBrunelNESTExample(t *testing.T) {
	if testing.Short() {
		t.Skip("whole-network validation: skipped with -short")
	}
	rows, dir := run(t, "brunel", configs.Options{})
	for _, pop := range []string{"E", "I"} {
		r := rows["0"][pop]
		within(t, pop+" rate (Hz)", r.RateHz, 32.03, 0.5)
		within(t, pop+" ISI CV", r.CVISI, 0.2, 0.1)
	}
	if e, i := rows["0"]["E"].Synapses, rows["0"]["I"].Synapses; e != 12_500_000 || i != 3_125_000 {
		t.Errorf("recurrent synapses %d E + %d I, want 12,500,000 + 3,125,000", e, i)
	}
	// The rate NEST's script prints: spikes of the 50 recorded neurons of
	// each population over the whole 1000 ms, start-up included.
	spikes, err := output.ReadSpikes(filepath.Join(dir, "spikes.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]float64{}
	for _, s := range spikes {
		counts[s.Population]++
	}
	for _, pop := range []string{"E", "I"} {
		within(t, pop+" rate of the 50 recorded neurons (Hz)", counts[pop]/50, 32.03, 0.5)
	}
}

// Brunel (2000), Fig. 8 and Table 1 (configs/brunel_states.toml, V_reset =
// 10 mV). Tolerances follow the reference's acceptance tests (section 1.2):
// rate within 10 % of the paper's simulation (Table 1), or of the Siegert
// rate for state A, which has no Table 1 entry (our re-simulations across
// seeds spread by 2-5 %); ISI CV < 0.1 for the regular state A and > 0.3
// for B, C and D; the global frequency within 20 % of Table 1 for B and D
// (the raw periodogram peak of 0.8 s of data has 1.25 Hz resolution and
// the seed-to-seed spread of the reference is about 10 %); and the
// asynchronous state C without an oscillation: its spectral peak more than
// 10 times lower, relative to the shot noise, than the fast oscillation of B.
func TestBrunelStates(t *testing.T) {
	if testing.Short() {
		t.Skip("whole-network validation: skipped with -short")
	}
	rows, _ := run(t, "brunel_states", configs.Options{})
	want := []struct {
		state            string
		rate, peak       float64 // Hz; peak 0: not checked
		cvBelow, cvAbove float64
	}{
		{"A", 327.0, 0, 0.1, 0},
		{"B", 60.7, 180, 0, 0.3},
		{"C", 37.7, 0, 0, 0.3},
		{"D", 5.5, 22, 0, 0.3},
	}
	for _, w := range want {
		for _, pop := range []string{"E", "I"} {
			r, ok := rows[w.state][pop]
			if !ok {
				t.Fatalf("no summary row for state %s population %s", w.state, pop)
			}
			what := w.state + " " + pop
			within(t, what+" rate (Hz)", r.RateHz, w.rate, 0.1*w.rate)
			if w.peak > 0 {
				within(t, what+" global frequency (Hz)", r.PeakHz, w.peak, 0.2*w.peak)
			}
			if w.cvBelow > 0 && !(r.CVISI < w.cvBelow) {
				t.Errorf("%s ISI CV = %.3g, want < %g (regular firing)", what, r.CVISI, w.cvBelow)
			}
			if w.cvAbove > 0 && !(r.CVISI > w.cvAbove) {
				t.Errorf("%s ISI CV = %.3g, want > %g (irregular firing)", what, r.CVISI, w.cvAbove)
			}
		}
	}
	// A fires regularly near saturation, in lock step: its global
	// frequency is its neurons' own rate.
	within(t, "A global frequency / rate", rows["A"]["E"].PeakHz/rows["A"]["E"].RateHz, 1, 0.05)
	if b, c := rows["B"]["E"].PeakPower, rows["C"]["E"].PeakPower; !(c < b/10) {
		t.Errorf("spectral peak power: C (AI) %.3g, B (SI fast) %.3g: want C 10× below B", c, b)
	}
}
