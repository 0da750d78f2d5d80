package compare

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/snn-gpu/snn-gpu/analysis"
	"github.com/snn-gpu/snn-gpu/output"
	"github.com/snn-gpu/snn-gpu/spec"
)

// Synthetic populations: dt 0.1 ms, 2 s, no transient, 1 ms bins.
const (
	synDt    = 0.1
	synSteps = 20000
	synBinMs = 1.0
	synN     = 100
)

// synthetic builds the run of a population "E" whose neurons fired the
// trains (stamps), every neuron recorded, and its summary row as the
// runner computes it (package analysis).
func synthetic(trains [][]int64) (*run, output.SummaryRow) {
	p := &pointJSON{Network: networkJSON{
		Simulation: simulationJSON{Dt: synDt, TSim: synSteps * synDt},
		Analysis:   analysisJSON{BinMs: synBinMs},
		Recorders:  []recorderJSON{{Name: "sr", Model: "spike_recorder", Source: "E", First: len(trains), Stop: spec.Float(math.Inf(1))}},
	}}
	r := &run{points: map[int]*pointJSON{0: p}, spikes: map[key][]output.SpikeRow{}}
	for i, t := range trains {
		for _, k := range t {
			r.spikes[key{0, "E"}] = append(r.spikes[key{0, "E"}], output.SpikeRow{Population: "E", Recorder: "sr", Neuron: int32(i), TimeMs: float64(k) * synDt})
		}
	}
	a := analysis.NewPopulation(len(trains), synDt, synSteps, 0, synBinMs)
	feed(trains, a)
	s := a.Summary()
	return r, output.SummaryRow{Population: "E", N: s.N, RateHz: s.RateHz, CVISI: s.CVISI, Fano: s.Fano, PeakHz: s.PeakHz, PeakPower: s.PeakPower}
}

// gammaTrain draws a renewal train of intervals Gamma(order) with the
// rate given by rate(t) (Hz, t in s), piecewise constant over blocks of
// 100 ms: time is rescaled block by block.
func gammaTrain(rng *rand.Rand, order int, rate func(block int) float64) []int64 {
	var out []int64
	const block = 0.1
	t, b := 0.0, 0 // time (s), block
	for {
		// An interval of unit mean, in "operational time", spent at the
		// blocks' rates.
		need := 0.0
		for range order {
			need += rng.ExpFloat64()
		}
		need /= float64(order)
		for need > 0 {
			end := float64(b+1) * block
			if r := rate(b); r > 0 && (end-t)*r >= need {
				t += need / r
				need = 0
			} else {
				if r > 0 {
					need -= (end - t) * r
				}
				t, b = end, b+1
			}
			if t >= synSteps*synDt/1000 {
				return out
			}
		}
		if k := int64(math.Ceil(t * 1000 / synDt)); k >= 1 && k <= synSteps {
			out = append(out, k)
		}
	}
}

// The errors are calibrated: between independent draws of one model,
// z = (B − A)/error has a root mean square near 1 (or below: the errors are
// conservative), also where neurons differ lastingly or share fluctuations.
// Errors from the spread of the neurons alone would be far too small for
// shared fluctuations.
func TestErrorsAreCalibrated(t *testing.T) {
	cases := []struct {
		name string
		// draw returns one population's trains.
		draw func(rng *rand.Rand) [][]int64
	}{
		{"independent Poisson neurons", func(rng *rand.Rand) [][]int64 {
			trains := make([][]int64, synN)
			for i := range trains {
				trains[i] = gammaTrain(rng, 1, func(int) float64 { return 10 })
			}
			return trains
		}},
		{"regular neurons of different rates", func(rng *rand.Rand) [][]int64 {
			trains := make([][]int64, synN)
			for i := range trains {
				r := 5 + 20*rng.Float64()
				trains[i] = gammaTrain(rng, 8, func(int) float64 { return r })
			}
			return trains
		}},
		{"a shared fluctuating drive", func(rng *rand.Rand) [][]int64 {
			gains := make([]float64, 20)
			for i := range gains {
				gains[i] = math.Max(0, 1+0.5*rng.NormFloat64())
			}
			trains := make([][]int64, synN)
			for i := range trains {
				trains[i] = gammaTrain(rng, 1, func(b int) float64 { return 10 * gains[min(b, len(gains)-1)] })
			}
			return trains
		}},
	}
	const pairs = 30
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			var z [nStats][]float64
			var naive []float64 // of the rate, from the neurons' spread alone
			for range pairs {
				var vals, errs [2][nStats]float64
				var spread [2]float64
				for k := range 2 {
					trains := c.draw(rng)
					r, row := synthetic(trains)
					var basis Basis
					errs[k], basis = r.uncertainty(row)
					if basis != FromAllSpikes {
						t.Fatalf("errors from %s, want every neuron's spikes", basis)
					}
					vals[k] = statsOf(row)
					_, sd := stat.MeanStdDev(perNeuron(trains, windowOf(r.points[0])).rates, nil)
					spread[k] = sd / math.Sqrt(synN)
				}
				for s := range nStats {
					if e := math.Hypot(errs[0][s], errs[1][s]); !math.IsNaN(e) {
						z[s] = append(z[s], (vals[1][s]-vals[0][s])/e)
					}
				}
				naive = append(naive, (vals[1][rate]-vals[0][rate])/math.Hypot(spread[0], spread[1]))
			}
			for _, s := range []int{rate, cv, fano} {
				if len(z[s]) != pairs {
					t.Fatalf("%s: %d of %d pairs have errors", statNames[s], len(z[s]), pairs)
				}
				if q := rms(z[s]); q < 0.5 || q > 1.3 {
					t.Errorf("%s: rms z %.2f over %d pairs, want 0.5 to 1.3", statNames[s], q, pairs)
				} else {
					t.Logf("%s: rms z %.2f", statNames[s], q)
				}
			}
			if c.name == "a shared fluctuating drive" {
				if q := rms(naive); q < 2 {
					t.Errorf("rate: rms z %.2f with the neurons' spread alone: the case does not need the shared covariance", q)
				}
			}
		})
	}
}

func rms(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s / float64(len(x)))
}
