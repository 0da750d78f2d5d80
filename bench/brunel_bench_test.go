package bench

import (
	"context"
	"testing"
	"time"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/parallel"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// events counts synaptic events: every spike of a population delivered
// through each of its outgoing recurrent synapses.
type events struct {
	outdeg [][]int64 // [population][neuron]
	n      int64
}

func newEvents(net *network.Network) *events {
	e := &events{outdeg: make([][]int64, len(net.Pops))}
	for i, p := range net.Pops {
		e.outdeg[i] = make([]int64, p.N)
	}
	for _, pr := range net.Projections {
		if pr.Source.Device {
			continue
		}
		for s := range e.outdeg[pr.Source.Index] {
			e.outdeg[pr.Source.Index][s] += pr.Offsets[s+1] - pr.Offsets[s]
		}
	}
	return e
}

func (e *events) Spikes(_, pop int, _ int64, neurons []uint32) {
	for _, n := range neurons {
		e.n += e.outdeg[pop][n]
	}
}

func (e *events) Sample(int, int, int64, []float32) {}

// benchmarkBrunel runs configs/brunel.toml (NEST's brunel_delta_nest.py:
// 12,500 neurons, 15.6 M synapses, 1 s) with batch copies of the point.
// Reported: wall seconds per simulated second, recurrent synaptic events
// per wall second, CSR bytes per synapse and the build time.
func benchmarkBrunel(b *testing.B, threads, batch int) {
	f, err := configs.Load("brunel", configs.Options{})
	if err != nil {
		b.Fatal(err)
	}
	pts := make([]spec.Network, batch)
	idx := make([]int, batch)
	for i := range pts {
		pts[i], idx[i] = f.Points[0].Net, i
	}
	t0 := time.Now()
	net, err := network.Build(pts, idx, threads)
	if err != nil {
		b.Fatal(err)
	}
	build := time.Since(t0)
	var bytes, synapses int64
	for _, pr := range net.Projections {
		bytes += pr.Bytes()
		synapses += pr.Synapses()
	}
	var ev int64
	simSeconds := float64(net.Steps) * net.Dt / 1000
	for b.Loop() {
		e := newEvents(net)
		if err := (&cpu.Backend{Threads: threads}).Run(context.Background(), net, e, nil); err != nil {
			b.Fatal(err)
		}
		ev += e.n
	}
	wall := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(wall/simSeconds/float64(batch), "wall_s/sim_s")
	b.ReportMetric(float64(ev)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(bytes)/float64(synapses), "B/synapse")
	b.ReportMetric(build.Seconds(), "build_s")
}

// BenchmarkBrunel runs one Brunel network on all cores.
func BenchmarkBrunel(b *testing.B) { benchmarkBrunel(b, 0, 1) }

// BenchmarkBrunelOneThread runs it on one core: events/s is then per core.
func BenchmarkBrunelOneThread(b *testing.B) { benchmarkBrunel(b, 1, 1) }

// BenchmarkBrunelBatch runs as many copies as cores in one batch (one CSR):
// wall_s/sim_s is then per network.
func BenchmarkBrunelBatch(b *testing.B) { benchmarkBrunel(b, 0, parallel.Threads(0)) }
