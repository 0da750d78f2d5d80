package engine

import (
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/structural"
)

// Plastic returns the sink a backend runs a network with structural
// plasticity through: every spike reaches the calcium traces and elements
// first (SpikeFeed), then the multimeters that record Ca get its value at
// each sample time in their columns. Backends sample only the models'
// state; Ca lives in structural plasticity, outside it.
func Plastic(net *network.Network, sp *structural.Plasticity, sink Sink) Sink {
	return Sinks{SpikeFeed{Plasticity: sp}, &calciumMeter{Sink: sink, net: net, sp: sp}}
}

// calciumMeter inserts the Ca column into the samples of the multimeters
// that record it.
type calciumMeter struct {
	Sink
	net *network.Network
	sp  *structural.Plasticity
	buf []float32
}

func (c *calciumMeter) Sample(m, rec int, step int64, values []float32) {
	r := &c.net.Recorders[rec]
	if r.Ca < 0 {
		c.Sink.Sample(m, rec, step, values)
		return
	}
	n := len(r.Neurons)
	c.buf = c.buf[:0]
	for v := range r.VarNames {
		switch {
		case v == r.Ca:
			for _, i := range r.Neurons {
				c.buf = append(c.buf, float32(c.sp.CalciumAt(m, r.Pop, int(i), step+1)))
			}
		case v < r.Ca:
			c.buf = append(c.buf, values[v*n:(v+1)*n]...)
		default:
			c.buf = append(c.buf, values[(v-1)*n:v*n]...)
		}
	}
	c.Sink.Sample(m, rec, step, c.buf)
}

// Structure and WFR pass on what the wrapped sink takes.
func (c *calciumMeter) Structure(m int, st structural.Snapshot) { Sinks{c.Sink}.Structure(m, st) }
func (c *calciumMeter) WFR(m int, st WFRStats)                  { Sinks{c.Sink}.WFR(m, st) }
