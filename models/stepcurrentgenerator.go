package models

import (
	"fmt"
	"math"
	"sort"
)

// Const layout of step_current_generator: window, count n, n stamps (steps
// at which the amplitude changes), n amplitudes (kernels/step_current_generator.cu
// mirrors it).
const (
	scgMin = iota
	scgMax
	scgCount
	scgStamps
)

// StepCurrentGenerator is NEST's step_current_generator: a piecewise
// constant current whose amplitude changes at given times.
var StepCurrentGenerator = &Device{
	Name: "step_current_generator",
	Doc: `Piecewise constant current (NEST's step_current_generator): amplitude_values[i] (pA) from
amplitude_times[i] on, 0 before the first time; sent times the weight, so that through a delay d the
value set at time T acts on the neuron from T + d. Times must be > 0, strictly increasing and on the grid
(allow_offgrid_times rounds them up to the end of their step instead). Active, as every NEST current
generator, at steps s with start < (s+2)·dt <= stop.`,
	Params: append([]Param{
		{Name: "amplitude_times", Unit: "ms", Kind: List, Doc: "times at which the amplitude changes"},
		{Name: "amplitude_values", Unit: "pA", Kind: List, Doc: "the amplitude from each time on"},
		{Name: "allow_offgrid_times", Kind: Bool, Default: 0, Doc: "round times that are not on the grid up to the end of their step"},
	}, windowParams...),
	Output: CurrentOutput,
	Check: func(p Values, l Lists, dt float64) error {
		if err := checkWindow(p); err != nil {
			return err
		}
		ts, vs := l["amplitude_times"], l["amplitude_values"]
		if len(ts) != len(vs) {
			return fmt.Errorf("amplitude_times has %d entries, amplitude_values %d: they must have the same length", len(ts), len(vs))
		}
		_, err := ampStamps(ts, dt, p["allow_offgrid_times"] != 0)
		return err
	},
	Derive: func(p Values, l Lists, dt float64) []float64 {
		w := deriveWindow(p, dt)
		stamps, _ := ampStamps(l["amplitude_times"], dt, p["allow_offgrid_times"] != 0)
		c := []float64{w.min, w.max, float64(len(stamps))}
		c = append(c, stamps...)
		return append(c, l["amplitude_values"]...)
	},
	Source: func(c []float64, s int64) float32 {
		if !(window{c[scgMin], c[scgMax]}).active(s + 2) {
			return 0
		}
		// NEST changes the amplitude in the step before its stamp (curr_time
		// + 1 == stamp), so step s sends the value of the last stamp <= s+1.
		n := int(c[scgCount])
		stamps := c[scgStamps : scgStamps+n]
		i := sort.SearchFloat64s(stamps, float64(s+2)) // first stamp > s+1
		if i == 0 {
			return 0
		}
		return float32(c[scgStamps+n+i-1])
	},
}

func init() { RegisterDevice(StepCurrentGenerator) }

// ampStamps converts amplitude times to steps as NEST does: times must be
// > 0 and on the grid, or with allowOffgrid are rounded up to the end of
// their step; the steps must increase strictly.
func ampStamps(ts []float64, dt float64, allowOffgrid bool) ([]float64, error) {
	out := make([]float64, len(ts))
	for i, t := range ts {
		if !(t > 0) {
			return nil, fmt.Errorf("amplitude_times[%d] = %g ms: the amplitude can only change at times > 0", i, t)
		}
		steps := t / dt
		s := math.Round(steps)
		if math.Abs(steps-s) > 1e-6*math.Max(1, steps) {
			if !allowOffgrid {
				return nil, fmt.Errorf("amplitude_times[%d] = %g ms is not a multiple of the resolution %g ms (allow_offgrid_times rounds it up)", i, t, dt)
			}
			s = math.Ceil(steps)
		}
		if i > 0 && s <= out[i-1] {
			return nil, fmt.Errorf("amplitude_times must increase strictly, step by step (amplitude_times[%d] = %g ms falls in step %g, the one before in %g)", i, t, s, out[i-1])
		}
		out[i] = s
	}
	return out, nil
}
