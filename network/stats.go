package network

import (
	"math"
	"slices"
)

// Stats summarises a projection for inspection.
type Stats struct {
	Synapses  int64
	Autapses  int64 // synapses from a neuron onto itself
	Multapses int64 // synapses repeating an earlier (source, target) pair
	In, Out   Degrees
	// Weight and Delay summarise the member's synapses (delays in ms).
	Weight, Delay Summary
	Bytes         int64 // memory of the CSR
}

// Degrees summarises in- or out-degrees; Hist[k] counts neurons of degree
// Min+k.
type Degrees struct {
	Mean, SD float64
	Min, Max int
	Hist     []int64
}

// Summary is the range and moments of a quantity.
type Summary struct {
	Min, Max, Mean, SD float64
}

// Stats computes the statistics of projection pr of net for batch member m
// (members differ where the projection keeps synapses per member: Of).
func (net *Network) Stats(pr *Projection, m int) Stats {
	c := pr.Of(m)
	st := Stats{Synapses: c.Synapses(), Bytes: c.Bytes()}
	ns := len(c.Offsets) - 1
	nt := net.Pops[pr.Target].N
	in := make([]int, nt)
	out := make([]int, ns)
	same := !pr.Source.Device && pr.Source.Index == pr.Target
	for s := 0; s < ns; s++ {
		row := c.Targets[c.Offsets[s]:c.Offsets[s+1]]
		out[s] = len(row)
		for j, t := range row {
			in[t]++
			if same && int(t) == s {
				st.Autapses++
			}
			if j > 0 && row[j-1] == t { // rows are sorted: repeats are adjacent
				st.Multapses++
			}
		}
	}
	st.In, st.Out = summarizeDegrees(in), summarizeDegrees(out)
	var w, d moments
	for j := range c.Targets {
		x, y := float64(pr.Weight[m]), pr.Delay
		if c.Weights != nil {
			x = float64(c.Weights[j] * pr.Weight[m])
		}
		if c.Delays != nil {
			y = int(c.Delays[j])
		}
		w.add(x)
		d.add(float64(y) * net.Dt)
	}
	st.Weight, st.Delay = w.summary(), d.summary()
	return st
}

func summarizeDegrees(k []int) Degrees {
	if len(k) == 0 {
		return Degrees{}
	}
	var m moments
	for _, x := range k {
		m.add(float64(x))
	}
	s := m.summary()
	d := Degrees{Mean: s.Mean, SD: s.SD, Min: slices.Min(k), Max: slices.Max(k)}
	d.Hist = make([]int64, d.Max-d.Min+1)
	for _, x := range k {
		d.Hist[x-d.Min]++
	}
	return d
}

// moments accumulates with Welford's method.
type moments struct {
	n        float64
	mean, m2 float64
	min, max float64
	seen     bool
}

func (m *moments) add(x float64) {
	if !m.seen {
		m.min, m.max, m.seen = x, x, true
	}
	m.min, m.max = math.Min(m.min, x), math.Max(m.max, x)
	m.n++
	d := x - m.mean
	m.mean += d / m.n
	m.m2 += d * (x - m.mean)
}

func (m *moments) summary() Summary {
	if m.n == 0 {
		return Summary{}
	}
	return Summary{Min: m.min, Max: m.max, Mean: m.mean, SD: math.Sqrt(m.m2 / m.n)}
}
