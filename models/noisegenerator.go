package models

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/rng"
)

// Const layout of noise_generator (kernels/noise_generator.cu mirrors it).
const (
	noiseMin        = iota // window
	noiseMax               //
	noiseMean              // mean (pA)
	noiseStd               // std (pA)
	noiseStdMod            // std_mod (pA)
	noiseDtSteps           // dt in steps (at least 1)
	noiseFirst             // the first active step: draws happen at noiseFirst + k·dt
	noiseTurnsStep         // frequency·h/1000: turns of the modulation per step
	noisePhaseTurns        // phase/360
	noiseConstCount
)

// NoiseGenerator is NEST's noise_generator: a piecewise constant Gaussian
// current, drawn anew every dt for every target on its own.
var NoiseGenerator = &Device{
	Name: "noise_generator",
	Doc: `Gaussian white noise current (NEST's noise_generator): every outgoing connection gets its own current
I = mean + sqrt(std² + y·std_mod²)·N(0,1), drawn at the first active step and every dt after it, and held
in between; y = sin(2π·frequency·t + phase) modulates the variance (std_mod <= std). The current, times the
weight, arrives after the connection's delay. Active, as every NEST current generator, at steps s with
start < (s+2)·dt <= stop. Draws come from a counter-based stream per synapse and draw step, so they do not
depend on threads, batches or backend.`,
	Params: append([]Param{
		{Name: "mean", Unit: "pA", Default: 0, Doc: "mean current"},
		{Name: "std", Unit: "pA", Default: 0, Doc: "standard deviation of the current"},
		{Name: "dt", Unit: "ms", Default: 1, Doc: "interval between new draws, a multiple of the resolution"},
		{Name: "std_mod", Unit: "pA", Default: 0, Doc: "modulation of the standard deviation (<= std)"},
		{Name: "frequency", Unit: "Hz", Default: 0, Doc: "frequency of the modulation"},
		{Name: "phase", Default: 0, Doc: "phase of the modulation, in degrees"},
	}, windowParams...),
	Output: CurrentOutput,
	Check: func(p Values, _ Lists, dt float64) error {
		if err := nonNegative(p, "std", "std_mod", "dt"); err != nil {
			return err
		}
		if p["std_mod"] > p["std"] {
			return fmt.Errorf("std_mod must be <= std (got std_mod %g, std %g)", p["std_mod"], p["std"])
		}
		if steps := p["dt"] / dt; math.Abs(steps-math.Round(steps)) > 1e-6*math.Max(1, steps) {
			return fmt.Errorf("dt = %g ms is not a multiple of the resolution %g ms", p["dt"], dt)
		}
		return checkWindow(p)
	},
	Derive: func(p Values, _ Lists, dt float64) []float64 {
		w := deriveWindow(p, dt)
		c := make([]float64, noiseConstCount)
		c[noiseMin], c[noiseMax] = w.min, w.max
		c[noiseMean], c[noiseStd], c[noiseStdMod] = p["mean"], p["std"], p["std_mod"]
		// NEST draws when now >= next_step and sets next_step = now + dt
		// steps: dt = 0 draws every step, like dt = h.
		c[noiseDtSteps] = float64(max(1, Steps(p["dt"], dt)))
		c[noiseFirst] = math.Max(0, w.min-1) // the first s >= 0 with min < s+2
		c[noiseTurnsStep] = p["frequency"] * dt / 1000
		c[noisePhaseTurns] = p["phase"] / 360
		return c
	},
	Active: func(c []float64, s int64) bool {
		return (c[noiseMean] != 0 || c[noiseStd] != 0) && window{c[noiseMin], c[noiseMax]}.active(s+2)
	},
	Synapse: noiseCurrents,
}

func init() { RegisterDevice(NoiseGenerator) }

// NoiseDrawStep returns the step at which the current sent at step s was
// drawn (s must be active): the first active step and every dt steps after.
func NoiseDrawStep(c []float64, s int64) int64 {
	first, every := int64(c[noiseFirst]), int64(c[noiseDtSteps])
	return first + (s-first)/every*every
}

// noiseCurrents fills out[j] with the current of synapse first+j at step s:
// mean + sd·z, z the portable normal of the stream (PurposeNoise,
// projection, synapse, draw step). NEST's modulation state y = sin(ω·t +
// phase) advances by ω·h once per active step from t = 0, so at the draw
// step d it is sin(phase + ω·h·(d - first + 1)).
func noiseCurrents(c []float64, s int64, key rng.Key, object uint32, first int, out []float32) {
	d := NoiseDrawStep(c, s)
	mean, sd := c[noiseMean], c[noiseStd]
	if mod := c[noiseStdMod]; mod != 0 {
		y := rng.SinTurns(c[noisePhaseTurns] + float64(c[noiseTurnsStep]*float64(d-int64(c[noiseFirst])+1)))
		sd = math.Sqrt(float64(sd*sd) + float64(float64(y*mod)*mod))
	}
	if sd == 0 {
		for j := range out {
			out[j] = float32(mean)
		}
		return
	}
	for j := range out {
		st := rng.NewStream(key, rng.PurposeNoise, object, uint32(first+j), uint32(d))
		out[j] = float32(mean + float64(sd*st.PortableNormal()))
	}
}
