package models

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/rng"
)

const (
	poissonMin = iota // window
	poissonMax
	poissonLambda     // rate·dt/1000: mean count per step
	poissonThresholds // for lambda < rng.PoissonSmall: rng.PoissonThresholds, to the end
)

// PoissonGenerator is NEST's poisson_generator: every target gets its own
// Poisson spike train; per step a Poisson(rate·dt) count is sent as one
// event whose multiplicity scales the weight.
var PoissonGenerator = &Device{
	Name: "poisson_generator",
	Doc: `Independent Poisson spike trains (NEST's poisson_generator): each outgoing connection gets, per step,
a count k ~ Poisson(rate·dt) and delivers k·weight after its delay. Active for steps s with
start < s·dt <= stop (relative to origin).`,
	Params: append([]Param{
		{Name: "rate", Unit: "Hz", Default: 0, Doc: "mean firing rate"},
	}, windowParams...),
	Output: SpikeOutput,
	Check: func(p Values, _ Lists, dt float64) error {
		if err := nonNegative(p, "rate"); err != nil {
			return err
		}
		if lambda := p["rate"] * dt / 1000; lambda >= rng.PoissonMax {
			return fmt.Errorf("rate = %g Hz is a mean of %.3g spikes per step of %g ms; counts per step are 32-bit, so the rate must stay below %.3g Hz at this dt",
				p["rate"], lambda, dt, rng.PoissonMax*1000/dt)
		}
		return checkWindow(p)
	},
	Derive: func(p Values, _ Lists, dt float64) []float64 {
		w := deriveWindow(p, dt)
		lambda := p["rate"] * dt / 1000
		c := []float64{w.min, w.max, lambda}
		if lambda < rng.PoissonSmall {
			c = append(c, rng.PoissonThresholds(lambda, math.Exp(-lambda))...)
		}
		return c
	},
	Active: func(c []float64, s int64) bool {
		return c[poissonLambda] > 0 && window{c[poissonMin], c[poissonMax]}.active(s)
	},
	Synapse: poissonCounts,
}

func init() { RegisterDevice(PoissonGenerator) }

// poissonVector says whether poissonCounts uses rng.PoissonCounts64 (where
// it has vector code); tests clear it to check the other path.
var poissonVector = rng.Vector()

// poissonCounts draws the counts of synapses first, first+1, … at step s.
// For small means one Philox block serves four consecutive synapses (word
// j&3 of block j>>2); larger means draw from a stream per synapse.
func poissonCounts(c []float64, s int64, key rng.Key, object uint32, first int, out []float32) {
	lambda := c[poissonLambda]
	w3 := rng.Word3(rng.PurposePoisson, object)
	if lambda >= rng.PoissonSmall {
		for j := range out {
			st := rng.NewStream(key, rng.PurposePoisson, object, uint32(first+j), uint32(s))
			out[j] = float32(st.Poisson(lambda))
		}
		return
	}
	table := c[poissonThresholds:]
	// Vector code draws 64 synapses in about the time Philox takes for one
	// block, so it pays from a handful of synapses on.
	if head, ok := rng.NewThresholds4(table); ok && poissonVector && len(out) >= 8 {
		poissonCounts64(table, &head, s, key, w3, first, out)
		return
	}
	for j := 0; j < len(out); {
		syn := first + j
		if syn&3 == 0 && len(out)-j >= 16 {
			// Four blocks at once (rng.Philox4: the same words, faster).
			b := uint32(syn >> 2)
			blocks := rng.Philox4(key, &[4]rng.Counter{{b, uint32(s), 0, w3}, {b + 1, uint32(s), 0, w3}, {b + 2, uint32(s), 0, w3}, {b + 3, uint32(s), 0, w3}})
			o := out[j : j+16]
			for q := range blocks {
				for w := range blocks[q] {
					o[4*q+w] = float32(rng.PoissonFromThresholds(blocks[q][w], table))
				}
			}
			j += 16
			continue
		}
		block := rng.Philox(key, rng.Counter{uint32(syn >> 2), uint32(s), 0, w3})
		for w := syn & 3; w < 4 && j < len(out); w++ {
			out[j] = float32(rng.PoissonFromThresholds(block[w], table))
			j++
		}
	}
}

// poissonCounts64 is poissonCounts with rng.PoissonCounts64 (the same
// words, so the same counts): 64 synapses from a multiple of four straight
// into out, a head or tail through a buffer.
func poissonCounts64(table []float64, head *rng.Thresholds4, s int64, key rng.Key, w3 uint32, first int, out []float32) {
	var buf [64]float32
	for j := 0; j < len(out); {
		syn, o := first+j, out[j:]
		c := rng.Counter{uint32(syn >> 2), uint32(s), 0, w3}
		if syn&3 == 0 && len(o) >= 64 {
			rng.PoissonCounts64(key, c, table, head, (*[64]float32)(o))
			j += 64
			continue
		}
		rng.PoissonCounts64(key, c, table, head, &buf)
		j += copy(o, buf[syn&3:])
	}
}
