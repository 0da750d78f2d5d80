package validation

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/output"
)

// burst is a run of bins whose population rate exceeds a threshold, with
// gaps shorter than the merge distance closed.
type burst struct {
	onMs, offMs float64
	spikes      float64
}

// bursts finds the population bursts in counts (spikes per bin of binMs,
// n neurons): bins above thrHz are active; active bins less than gapMs
// apart belong to one burst.
func bursts(counts []float64, binMs float64, n int, thrHz, gapMs float64) []burst {
	thr := thrHz * float64(n) * binMs / 1000
	var out []burst
	last := math.Inf(-1)
	for b, c := range counts {
		t := float64(b) * binMs
		if c <= thr {
			continue
		}
		if len(out) == 0 || t-last > gapMs {
			out = append(out, burst{onMs: t})
		}
		last = t
		out[len(out)-1].offMs = t + binMs
	}
	// Spikes of the bursts: everything from onset to end.
	for i := range out {
		for b := int(out[i].onMs / binMs); b < int(out[i].offMs/binMs); b++ {
			out[i].spikes += counts[b]
		}
	}
	return out
}

// gifPopulation runs configs/gif_population.toml (both points) with a
// seed and returns, by point, the population count in 5-ms bins (the
// tutorial's histogram) over tSim.
func gifPopulation(t *testing.T, seed uint32, tSim float64) map[int][]float64 {
	t.Helper()
	s := seed
	_, dir := run(t, "gif_population", configs.Options{Seed: &s, Sets: []string{fmt.Sprintf("t_sim=%g", tSim)}})
	spikes, err := output.ReadSpikes(filepath.Join(dir, "spikes.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	nb := int(tSim / gifBinMs)
	out := map[int][]float64{0: make([]float64, nb), 1: make([]float64, nb)}
	for _, sp := range spikes {
		out[sp.Point][int(math.Ceil(sp.TimeMs/gifBinMs))-1]++ // (b, b+1] bins, as NEST stamps
	}
	return out
}

const gifBinMs = 5.0

// NEST's gif_population.py (configs/gif_population.toml): 100 gif_psc_exp
// neurons with Mensi et al.'s adaptation, recurrent excitation and Poisson
// drive fire in synchronous bursts.
//
// The reference re-simulated the example (3 seeds of its own
// implementation): about 14-15 spikes/s; bursts of about 100 ms separated by
// near-silent phases, the first at about 65 ms, later ones 350-720 ms apart.
// Musacchio's stronger drive (point "musacchio"): about 31 spikes/s and,
// after the first 800-1000 ms, regular bursts every 265-285 ms.
//
// Bursts are runs of 5-ms bins above 30 Hz (three times the NEST point's
// mean rate; asynchronous Poisson firing at 14 Hz would exceed it in a bin
// with probability below 1e-4), with gaps under 50 ms closed. Over seeds
// 1-12 ours gave: NEST point, rates 13.9-14.5 Hz over 2 s, first burst at
// 65-85 ms, onsets 345-740 ms apart, 0.91-0.92 of the spikes inside bursts;
// Musacchio point, 29.4-32.4 Hz, onsets after 700 ms 250-290 ms apart. The
// test runs seeds 1-4 and asks, per seed: the rate within the reference's
// range widened by three of our seed-to-seed standard deviations (0.15 Hz
// and 0.9 Hz); the first burst within 50-100 ms; later onsets 300-800 ms
// apart (the reference's range, widened by the 5-ms bins and the 50-ms
// merge); at least 0.8 of the spikes inside bursts; for Musacchio's point
// at least three onsets after 700 ms, 240-310 ms apart (the reference's
// period ± its 10-ms spread and two bins).
func TestGIFPopulation(t *testing.T) {
	if testing.Short() {
		t.Skip("whole-network validation: skipped with -short")
	}
	for seed := uint32(1); seed <= 4; seed++ {
		counts := gifPopulation(t, seed, 2000)
		for point, c := range counts {
			total, in := 0.0, 0.0
			for _, x := range c {
				total += x
			}
			bs := bursts(c, gifBinMs, 100, 30, 50)
			var ons []float64
			for _, b := range bs {
				in += b.spikes
				ons = append(ons, b.onMs)
			}
			rate := total / 100 / 2
			what := fmt.Sprintf("seed %d point %d", seed, point)
			t.Logf("%s: rate %.2f Hz, bursts at %v ms, %.3f of spikes inside", what, rate, ons, in/total)
			if point == 0 {
				within(t, what+": rate (Hz)", rate, 14.5, 0.95)
				if len(ons) < 3 {
					t.Errorf("%s: %d bursts in 2 s, want at least 3", what, len(ons))
					continue
				}
				within(t, what+": first burst (ms)", ons[0], 75, 25)
				for k := 1; k < len(ons); k++ {
					within(t, fmt.Sprintf("%s: interval %d between burst onsets (ms)", what, k), ons[k]-ons[k-1], 550, 250)
				}
				if in/total < 0.8 {
					t.Errorf("%s: %.3f of the spikes inside bursts, want >= 0.8 (synchronous bursts)", what, in/total)
				}
				continue
			}
			within(t, what+": rate (Hz)", rate, 31, 2.7)
			var late []float64
			for _, on := range ons {
				if on > 700 {
					late = append(late, on)
				}
			}
			if len(late) < 3 {
				t.Errorf("%s: %d burst onsets after 700 ms (%v), want at least 3", what, len(late), ons)
				continue
			}
			for k := 1; k < len(late); k++ {
				within(t, fmt.Sprintf("%s: period %d (ms)", what, k), late[k]-late[k-1], 275, 35)
			}
		}
	}
}
