package bench

import (
	"context"
	"testing"
	"time"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// urbNet is the example's input at 50 times its size: 200 parrots
// repeating their own 10-Hz Poisson trains onto 50 pp_cond_exp_mc_urbanczik
// (all to all: 10,000 synapses of 90 pA, delay 0.1 ms, dendritic_exc),
// static or urbanczik_synapse (the example's eta 0.17, Wmax 1350); 1 s at
// 0.1 ms.
func urbNet(plastic bool) spec.Network {
	all := spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true}
	syn := spec.Synapse{Model: "static_synapse", Weight: spec.Constant(90), Delay: spec.Constant(0.1), ReceptorName: "dendritic_exc"}
	if plastic {
		syn.Model = "urbanczik_synapse"
		syn.Params = map[string]float64{"eta": 0.17, "tau_Delta": 100, "Wmin": 0, "Wmax": 1350}
	}
	return spec.Network{
		Simulation: spec.Simulation{Dt: 0.1, TSim: 1000, Seed: 1},
		Populations: []spec.Population{{Name: "pre", Model: "parrot_neuron", N: 200},
			{Name: "post", Model: "pp_cond_exp_mc_urbanczik", N: 50}},
		Devices: []spec.Device{{Name: "pg", Model: "poisson_generator", N: 1, Params: map[string]float64{"rate": 10}}},
		Connections: []spec.Connection{
			{Source: "pg", Target: "pre", Rule: all, Syn: spec.Synapse{Model: "static_synapse", Weight: spec.Constant(1), Delay: spec.Constant(1)}},
			{Source: "pre", Target: "post", Rule: all, Syn: syn}},
		Analysis: spec.Analysis{BinMs: 1},
	}
}

// benchmarkUrbanczik runs urbNet on one thread and reports the synaptic
// events of the 10,000 synapses per wall second.
func benchmarkUrbanczik(b *testing.B, plastic bool) {
	if _, ok := models.LookupNeuron("pp_cond_exp_mc_urbanczik"); !ok {
		b.Skip("pp_cond_exp_mc_urbanczik is not on this branch yet")
	}
	for range b.N {
		net, err := network.Build([]spec.Network{urbNet(plastic)}, []int{0}, 0)
		if err != nil {
			b.Fatal(err)
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
		b.ReportMetric(float64(pre)*50/wall, "events/s")
		b.ReportMetric(float64(len(c.Spiked)-pre)/50, "post_Hz")
		b.ReportMetric(wall, "wall_s/sim_s")
	}
}

// BenchmarkUrbanczikStatic is the reference: the same network, static synapses.
func BenchmarkUrbanczikStatic(b *testing.B) { benchmarkUrbanczik(b, false) }

// BenchmarkUrbanczikPlastic makes the 10,000 synapses urbanczik_synapse.
func BenchmarkUrbanczikPlastic(b *testing.B) { benchmarkUrbanczik(b, true) }
