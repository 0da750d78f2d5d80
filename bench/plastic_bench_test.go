package bench

import (
	"context"
	"testing"
	"time"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/plasticity"
	"github.com/snn-gpu/snn-gpu/spec"
)

// stdpNet: 2,000 parrots repeating their own 20-Hz Poisson trains onto
// 2,000 iaf_psc_delta neurons (indegree 500: 1 M synapses, delay 1.5 ms)
// that their own Poisson drive keeps firing; 2 s at 0.1 ms.
func stdpNet() spec.Network {
	c := func(src, tgt string, rule spec.Rule, w, d float64) spec.Connection {
		return spec.Connection{Source: src, Target: tgt, Rule: rule,
			Syn: spec.Synapse{Model: "static_synapse", Weight: spec.Constant(w), Delay: spec.Constant(d)}}
	}
	all := spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true}
	in := spec.Rule{Name: "fixed_indegree", Params: map[string]spec.Value{"indegree": spec.Constant(500)}, AllowAutapses: true, AllowMultapses: true}
	return spec.Network{
		Simulation: spec.Simulation{Dt: 0.1, TSim: 2000, Seed: 1},
		Populations: []spec.Population{{Name: "pre", Model: "parrot_neuron", N: 2000},
			{Name: "post", Model: "iaf_psc_delta", N: 2000}},
		Devices: []spec.Device{{Name: "pg", Model: "poisson_generator", N: 1, Params: map[string]float64{"rate": 20}},
			{Name: "drive", Model: "poisson_generator", N: 1, Params: map[string]float64{"rate": 8000}}},
		Connections: []spec.Connection{c("pg", "pre", all, 1, 1), c("drive", "post", all, 0.2, 1), c("pre", "post", in, 0.01, 1.5)},
		Analysis:    spec.Analysis{BinMs: 1},
	}
}

// benchmarkSTDP runs stdpNet with connection 2 static or plastic
// (stdp_synapse at its defaults but Wmax 0.02, twice the initial weight, so that the
// firing stays near the static network's) on one thread and reports the
// synaptic events of that connection per wall second.
func benchmarkSTDP(b *testing.B, plastic bool) {
	for range b.N {
		net, err := network.Build([]spec.Network{stdpNet()}, []int{0}, 0)
		if err != nil {
			b.Fatal(err)
		}
		var pr *network.Projection
		for _, p := range net.Projections {
			if p.Connection == 2 {
				pr = p
			}
		}
		if plastic {
			r := plasticity.DefaultSTDP
			r.Wmax = 0.02
			if err := pr.MakePlastic([]plasticity.Rule{r}); err != nil {
				b.Fatal(err)
			}
		}
		c := &testnet.Collector{}
		start := time.Now()
		if err := (&cpu.Backend{Threads: 1}).Run(context.Background(), net, c, nil); err != nil {
			b.Fatal(err)
		}
		wall := time.Since(start).Seconds()
		var pre int
		for _, s := range c.Spiked {
			if s.Pop == 0 {
				pre++
			}
		}
		b.ReportMetric(float64(pre)*500/wall, "events/s")
		b.ReportMetric(float64(len(c.Spiked)-pre)/2000/2, "post_Hz")
		b.ReportMetric(wall/2, "wall_s/sim_s")
	}
}

// BenchmarkSTDPStatic is the reference: the same network, static synapses.
func BenchmarkSTDPStatic(b *testing.B) { benchmarkSTDP(b, false) }

// BenchmarkSTDPPlastic makes the 1 M synapses stdp_synapse.
func BenchmarkSTDPPlastic(b *testing.B) { benchmarkSTDP(b, true) }
