package cpu_test

import (
	"context"
	"testing"
	"time"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// rateBenchNet is lin_rate_ipn_network at 10,000 units (8,000 E, 2,000 I)
// with 100 inputs per unit (80 delayed E, 20 instantaneous I, 5 ms, w as
// the example's scaled to the in-degree), 100 ms at 0.1 ms, nothing
// recorded: 1,000 steps of 10,000 updates and 1,000,000 rate terms.
func rateBenchNet() spec.Network {
	p := map[string]float64{"tau": 10, "mu": 2, "sigma": 5}
	in := func(src, tgt, model string, k int, w, d float64) spec.Connection {
		return spec.Connection{Source: src, Target: tgt,
			Rule: spec.Rule{Name: "fixed_indegree", AllowAutapses: true, AllowMultapses: true, Params: map[string]spec.Value{"indegree": spec.Constant(float64(k))}},
			Syn:  spec.Synapse{Model: model, Weight: spec.Constant(w), Delay: spec.Constant(d)}}
	}
	w := 0.1 / 100
	return spec.Network{
		Simulation:  spec.Simulation{Dt: 0.1, TSim: 100, Seed: 1},
		Populations: []spec.Population{{Name: "E", Model: "lin_rate_ipn", N: 8000, Params: p}, {Name: "I", Model: "lin_rate_ipn", N: 2000, Params: p}},
		Connections: []spec.Connection{
			in("E", "E", spec.RateDelayed, 80, w, 5), in("E", "I", spec.RateDelayed, 80, w, 5),
			in("I", "E", spec.RateInstantaneous, 20, -5*w, 0), in("I", "I", spec.RateInstantaneous, 20, -5*w, 0),
		},
		Analysis: spec.Analysis{BinMs: 1},
	}
}

// BenchmarkRateNetwork times whole runs of rateBenchNet on one thread and
// on all cores: rate-unit updates and rate-connection terms per second.
func BenchmarkRateNetwork(b *testing.B) {
	pt := rateBenchNet()
	net, err := network.Build([]spec.Network{pt}, []int{0}, 0)
	if err != nil {
		b.Fatal(err)
	}
	var terms int64
	for _, pr := range net.Projections {
		terms += pr.Synapses()
	}
	for _, c := range []struct {
		name    string
		threads int
	}{{"1-thread", 1}, {"all-cores", 0}} {
		b.Run(c.name, func(b *testing.B) {
			be := &cpu.Backend{Threads: c.threads}
			b.ResetTimer()
			for range b.N {
				if err := be.Run(context.Background(), net, &testnet.Collector{}, nil); err != nil {
					b.Fatal(err)
				}
			}
			secs := b.Elapsed().Seconds()
			steps := float64(b.N) * float64(net.Steps)
			b.ReportMetric(steps*10000/secs, "updates/s")
			b.ReportMetric(steps*float64(terms)/secs, "terms/s")
		})
	}
}

// BenchmarkRateDecisionSweep runs configs/rate_neuron_dm.toml's 3×3 sweep
// (200,000 steps of two units) as one batch of nine and as nine runs of
// one, on all cores: the batch shares each step's fixed costs.
func BenchmarkRateDecisionSweep(b *testing.B) {
	f, err := configs.Load("rate_neuron_dm", configs.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var pts []spec.Network
	var idx []int
	for _, p := range f.Points {
		pts, idx = append(pts, p.Net), append(idx, p.Index)
	}
	run := func(b *testing.B, pts []spec.Network, idx []int) {
		net, err := network.Build(pts, idx, 0)
		if err != nil {
			b.Fatal(err)
		}
		if err := (&cpu.Backend{}).Run(context.Background(), net, &testnet.Collector{}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("one-batch", func(b *testing.B) {
		for range b.N {
			run(b, pts, idx)
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/sweep")
	})
	b.Run("nine-runs", func(b *testing.B) {
		start := time.Now()
		for range b.N {
			for k := range pts {
				run(b, pts[k:k+1], idx[k:k+1])
			}
		}
		b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/sweep")
	})
}
