package models

import (
	"fmt"
	"math"
	"sort"
)

// Const layout of spike_generator: window, count n, n stamps (steps), n
// factors (weight × multiplicity, summed over equal stamps).
const (
	sgMin = iota
	sgMax
	sgCount
	sgStamps
)

// SpikeGenerator is NEST's spike_generator: spikes at given times, sent
// through its connections like a neuron's spikes.
var SpikeGenerator = &Device{
	Name: "spike_generator",
	Doc: `Spikes at given times (NEST's spike_generator). A spike time t (a multiple of the resolution,
t > 0) is stamped t and arrives t + delay, like a neuron's spike. spike_weights, when given, multiply
the connection weight of each spike; spike_multiplicities count it several times.`,
	Params: append([]Param{
		{Name: "spike_times", Unit: "ms", Kind: List, Doc: "spike times, nondecreasing"},
		{Name: "spike_weights", Kind: List, Doc: "per-spike weight factors (empty: 1)"},
		{Name: "spike_multiplicities", Kind: List, Doc: "per-spike multiplicities (empty: 1)"},
	}, windowParams...),
	Output: SpikeOutput,
	Check: func(p Values, l Lists, dt float64) error {
		if err := checkWindow(p); err != nil {
			return err
		}
		ts := l["spike_times"]
		for i, t := range ts {
			steps := t / dt
			if math.Abs(steps-math.Round(steps)) > 1e-6*math.Max(1, math.Abs(steps)) {
				return fmt.Errorf("spike_times[%d] = %g ms is not a multiple of the resolution %g ms", i, t, dt)
			}
			if math.Round(steps) < 1 {
				return fmt.Errorf("spike_times[%d] = %g ms: spike times must be > 0", i, t)
			}
			if i > 0 && t < ts[i-1] {
				return fmt.Errorf("spike_times must be sorted (spike_times[%d] = %g < %g)", i, t, ts[i-1])
			}
		}
		for _, name := range []string{"spike_weights", "spike_multiplicities"} {
			if n := len(l[name]); n != 0 && n != len(ts) {
				return fmt.Errorf("%s has %d entries, spike_times %d: give one per spike or none", name, n, len(ts))
			}
		}
		return nil
	},
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
		c := []float64{w.min, w.max, float64(len(stamps))}
		c = append(c, stamps...)
		return append(c, factors...)
	},
	Source: func(c []float64, s int64) float32 {
		stamp := float64(s + 1) // a spike sent during step s is stamped s+1
		n := int(c[sgCount])
		stamps := c[sgStamps : sgStamps+n]
		i := sort.SearchFloat64s(stamps, stamp)
		if i == n || stamps[i] != stamp || !(window{c[sgMin], c[sgMax]}).active(s+1) {
			return 0
		}
		return float32(c[sgStamps+n+i])
	},
}

func init() { RegisterDevice(SpikeGenerator) }
