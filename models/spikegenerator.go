package models

import (
	"fmt"
	"math"
	"sort"

	"github.com/snn-gpu/snn-gpu/rng"
)

// Const layout of spike_generator: window, period (steps, 0: none), the
// pattern's mean count per step (0: none), the weight function (offset,
// amplitude, turns per step, phase in turns, its window [start, stop) in
// steps), count n, n stamps (steps), n factors (weight × multiplicity,
// summed over equal stamps), then the pattern's Poisson threshold table.
const (
	sgMin = iota
	sgMax
	sgPeriod
	sgLambda
	sgOffset
	sgAmplitude
	sgTurns
	sgPhase
	sgWStart
	sgWStop
	sgCount
	sgStamps
)

// SpikeGenerator is NEST's spike_generator: spikes at given times, sent
// through its connections like a neuron's spikes; with spike_period the
// times repeat, with pattern_rate every node draws its own frozen Poisson
// train, and the weight function scales each spike by a function of its time.
var SpikeGenerator = &Device{
	Name: "spike_generator",
	Doc: `Spikes at given times (NEST's spike_generator). A spike time t (a multiple of the resolution,
t > 0) is stamped t and arrives t + delay, like a neuron's spike. spike_weights, when given, multiply
the connection weight of each spike; spike_multiplicities count it several times.
Beyond NEST (compact forms of long inputs): spike_period > 0 repeats the spike times (all in
(0, spike_period]) every period; pattern_rate > 0 (with spike_period, without spike_times) gives every
node its own Poisson train of that rate over one period, drawn once from the seed (the same at every
point of a sweep) and replayed every period; the weight function multiplies each spike at time t by
weight_offset + weight_amplitude·sin(2π·weight_frequency·t + weight_phase) for weight_start <= t <
weight_stop and by 0 outside (defaults: 1 everywhere).`,
	Params: append([]Param{
		{Name: "spike_times", Unit: "ms", Kind: List, Doc: "spike times, nondecreasing"},
		{Name: "spike_weights", Kind: List, Doc: "per-spike weight factors (empty: 1)"},
		{Name: "spike_multiplicities", Kind: List, Doc: "per-spike multiplicities (empty: 1)"},
		{Name: "spike_period", Unit: "ms", Default: 0, Doc: "repeat the spike times (or the pattern) every period; 0: once"},
		{Name: "pattern_rate", Unit: "Hz", Default: 0, Doc: "per node, a frozen Poisson train of this rate over one period (needs spike_period)"},
		{Name: "weight_offset", Default: 1, Doc: "weight function: constant part"},
		{Name: "weight_amplitude", Default: 0, Doc: "weight function: amplitude of the sinusoid"},
		{Name: "weight_frequency", Unit: "Hz", Default: 0, Doc: "weight function: frequency of the sinusoid"},
		{Name: "weight_phase", Default: 0, Doc: "weight function: phase of the sinusoid (degrees)"},
		{Name: "weight_start", Unit: "ms", Default: 0, Doc: "weight function: 0 for spike times before"},
		{Name: "weight_stop", Unit: "ms", Default: math.Inf(1), Doc: "weight function: 0 for spike times at or after"},
	}, windowParams...),
	Output: SpikeOutput,
	Check:  checkSpikeGenerator,
	Derive: func(p Values, l Lists, dt float64) []float64 {
		w := deriveWindow(p, dt)
		ts, ws, ms := l["spike_times"], l["spike_weights"], l["spike_multiplicities"]
		var stamps, factors []float64
		for i, t := range ts {
			f := 1.0
			if len(ws) > 0 {
				f *= ws[i]
			}
			if len(ms) > 0 {
				f *= ms[i]
			}
			s := float64(Steps(t, dt))
			if n := len(stamps); n > 0 && stamps[n-1] == s {
				factors[n-1] += f
				continue
			}
			stamps = append(stamps, s)
			factors = append(factors, f)
		}
		lambda := p["pattern_rate"] * dt / 1000
		c := []float64{w.min, w.max, float64(Steps(p["spike_period"], dt)), lambda,
			p["weight_offset"], p["weight_amplitude"], p["weight_frequency"] * dt / 1000, p["weight_phase"] / 360,
			float64(Steps(p["weight_start"], dt)), float64(Steps(p["weight_stop"], dt)), float64(len(stamps))}
		c = append(c, stamps...)
		c = append(c, factors...)
		if lambda > 0 {
			c = append(c, rng.PoissonThresholds(lambda, math.Exp(-lambda))...)
		}
		return c
	},
	Node: spikeGeneratorNode,
}

func checkSpikeGenerator(p Values, l Lists, dt float64) error {
	if err := checkWindow(p); err != nil {
		return err
	}
	onGrid := func(name string, t float64) error {
		steps := t / dt
		if math.Abs(steps-math.Round(steps)) > 1e-6*math.Max(1, math.Abs(steps)) {
			return fmt.Errorf("%s = %g ms is not a multiple of the resolution %g ms", name, t, dt)
		}
		return nil
	}
	period := p["spike_period"]
	if err := onGrid("spike_period", period); err != nil {
		return err
	}
	if period < 0 {
		return fmt.Errorf("spike_period = %g ms: expected 0 (no repetition) or a positive multiple of the resolution", period)
	}
	ts := l["spike_times"]
	for i, t := range ts {
		if err := onGrid(fmt.Sprintf("spike_times[%d]", i), t); err != nil {
			return err
		}
		if math.Round(t/dt) < 1 {
			return fmt.Errorf("spike_times[%d] = %g ms: spike times must be > 0", i, t)
		}
		if i > 0 && t < ts[i-1] {
			return fmt.Errorf("spike_times must be sorted (spike_times[%d] = %g < %g)", i, t, ts[i-1])
		}
		if period > 0 && Steps(t, dt) > Steps(period, dt) {
			return fmt.Errorf("spike_times[%d] = %g ms: with spike_period = %g ms the times of one period must lie in (0, %g] ms", i, t, period, period)
		}
	}
	for _, name := range []string{"spike_weights", "spike_multiplicities"} {
		if n := len(l[name]); n != 0 && n != len(ts) {
			return fmt.Errorf("%s has %d entries, spike_times %d: give one per spike or none", name, n, len(ts))
		}
	}
	if err := nonNegative(p, "pattern_rate"); err != nil {
		return err
	}
	if p["pattern_rate"] > 0 {
		if period == 0 {
			return fmt.Errorf("pattern_rate = %g Hz needs spike_period > 0 (the pattern's length)", p["pattern_rate"])
		}
		if len(ts) > 0 {
			return fmt.Errorf("pattern_rate = %g Hz draws the spike times: give no spike_times (got %d)", p["pattern_rate"], len(ts))
		}
		if lambda := p["pattern_rate"] * dt / 1000; lambda >= rng.PoissonSmall {
			return fmt.Errorf("pattern_rate = %g Hz is a mean of %.3g spikes per step of %g ms; expected below %g per step (%g Hz)",
				p["pattern_rate"], lambda, dt, rng.PoissonSmall, rng.PoissonSmall*1000/dt)
		}
	}
	for _, name := range []string{"weight_offset", "weight_amplitude", "weight_frequency", "weight_phase"} {
		if math.IsInf(p[name], 0) || math.IsNaN(p[name]) {
			return fmt.Errorf("%s = %g: expected a finite number", name, p[name])
		}
	}
	if !(p["weight_stop"] > p["weight_start"]) {
		return fmt.Errorf("weight_stop must be > weight_start (got weight_start %g, weight_stop %g)", p["weight_start"], p["weight_stop"])
	}
	return nil
}

// spikeGeneratorNode is the factor node sends at step s: a spike sent during
// step s is stamped s+1; with a period the stamp is reduced into the first
// period (1 … P); the pattern's count of a node and a stamp comes from one
// Philox word (key: the network's, so every point of a sweep replays the
// same pattern), inverted through the threshold table.
func spikeGeneratorNode(c []float64, s int64, key rng.Key, device uint32, node int) float32 {
	stamp := s + 1
	if !(window{c[sgMin], c[sgMax]}).active(stamp) {
		return 0
	}
	k := stamp
	if p := int64(c[sgPeriod]); p > 0 {
		k = (stamp-1)%p + 1
	}
	n := int(c[sgCount])
	var f float64
	if c[sgLambda] > 0 {
		w := rng.Philox(key, rng.Counter{uint32(node), uint32(k), 0, rng.Word3(rng.PurposePattern, device)})
		f = float64(rng.PoissonFromThresholds(w[0], c[sgStamps+2*n:]))
	} else {
		stamps := c[sgStamps : sgStamps+n]
		i := sort.SearchFloat64s(stamps, float64(k))
		if i == n || stamps[i] != float64(k) {
			return 0
		}
		f = c[sgStamps+n+i]
	}
	if f == 0 {
		return 0
	}
	if t := float64(stamp); t < c[sgWStart] || t >= c[sgWStop] {
		return 0
	}
	g := c[sgOffset]
	if c[sgAmplitude] != 0 {
		g += float64(c[sgAmplitude] * rng.SinTurns(float64(c[sgTurns]*float64(stamp))+c[sgPhase]))
	}
	return float32(f * g)
}

func init() { RegisterDevice(SpikeGenerator) }
