package cpu

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// BenchmarkEventDelivery measures the event-delivery loop alone on one
// core: the recurrent projections of the Brunel network (1250 synapses per
// source) delivering the spikes of an asynchronous step at 32 Hz (40 E and
// 10 I sources per 0.1-ms step) into the delay ring buffers.
func BenchmarkEventDelivery(b *testing.B) {
	s := brunelSim(b)
	defer s.pool.Close()
	net := s.net
	// Spreads the spiking sources over the populations like a real step.
	for pi, p := range s.pops {
		k := p.N / 250
		for i := 0; i < k; i++ {
			p.spikes[0] = append(p.spikes[0], uint32(i*250+pi))
		}
		s.sent[0][pi] = p.spikes[0]
	}
	var events int64
	for _, pr := range net.Projections {
		if pr.Source.Device {
			continue
		}
		for _, src := range s.pops[pr.Source.Index].spikes[0] {
			events += pr.Offsets[src+1] - pr.Offsets[src]
		}
	}
	// Only the recurrent projections: drop the Poisson drive from the loop.
	for t := range s.byTgt {
		var rec []*network.Projection
		for _, pr := range s.byTgt[t] {
			if !pr.Source.Device {
				rec = append(rec, pr)
			}
		}
		s.byTgt[t] = rec
	}
	step := int64(0)
	for b.Loop() {
		for i := range s.deliver {
			s.deliverRange(0, &s.deliver[i], step, int(step%int64(s.slots)), s.sent[s.deliver[i].member])
		}
		step++
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// brunelSim returns the Brunel network of configs/brunel.toml (12,500
// neurons) ready to step on one thread; the caller closes its pool.
func brunelSim(b *testing.B) *sim {
	net, err := network.Build([]spec.Network{testnet.Brunel(2500, 5, 2, 0, 1, 1)}, []int{0}, 0)
	if err != nil {
		b.Fatal(err)
	}
	return newSim(net, 1, true)
}
