package bench

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// hpcScale is the scale of configs/hpc_benchmark.toml the benchmarks run
// (HPC_SCALE overrides it): 0.1 is 1,125 neurons with NEST's 11,250 inputs
// each, 12.7 M synapses, what two cores take in a minute per 100 ms.
func hpcScale() string {
	if s := os.Getenv("HPC_SCALE"); s != "" {
		return s
	}
	return "0.1"
}

// benchmarkHPC runs 100 ms of configs/hpc_benchmark.toml on the CPU (all
// cores), its E->E synapses stdp_pl_synapse_hom or, for the reference,
// static_synapse of the same weight, and reports the synaptic events per
// wall second: of E->E (events/s) and of every projection (all_events/s).
func benchmarkHPC(b *testing.B, plastic bool) {
	f, err := configs.Load("../configs/hpc_benchmark.toml", configs.Options{Sets: []string{"scale=" + hpcScale(), "t_sim=100"}})
	if err != nil {
		b.Fatal(err)
	}
	pt := f.Points[0].Net
	for i, c := range pt.Connections {
		if c.Source == "E" && c.Target == "E" && !plastic {
			pt.Connections[i].Syn.Model, pt.Connections[i].Syn.Params = "static_synapse", nil
		}
	}
	for range b.N {
		b.StopTimer()
		net, err := network.Build([]spec.Network{pt}, []int{0}, 0)
		if err != nil {
			b.Fatal(err)
		}
		c := &testnet.Collector{}
		b.StartTimer()
		start := time.Now()
		if err := (&cpu.Backend{}).Run(context.Background(), net, c, nil); err != nil {
			b.Fatal(err)
		}
		wall := time.Since(start).Seconds()
		var ee, all float64
		for _, s := range c.Spiked {
			for _, pr := range net.Projections {
				if pr.Source.Device || pr.Source.Index != s.Pop {
					continue
				}
				row := pr.Of(0)
				k := float64(row.Offsets[s.Neuron+1] - row.Offsets[s.Neuron])
				all += k
				if net.Pops[pr.Source.Index].Name == "E" && net.Pops[pr.Target].Name == "E" {
					ee += k
				}
			}
		}
		b.ReportMetric(ee/wall, "events/s")
		b.ReportMetric(all/wall, "all_events/s")
		b.ReportMetric(float64(len(c.Spiked))/float64(net.Pops[0].N+net.Pops[1].N)/0.1, "rate_Hz")
		b.ReportMetric(wall/0.1, "wall_s/sim_s")
	}
}

// BenchmarkHPCStatic is the reference: E->E static.
func BenchmarkHPCStatic(b *testing.B) { benchmarkHPC(b, false) }

// BenchmarkHPCPlastic is NEST's hpc_benchmark: E->E stdp_pl_synapse_hom.
func BenchmarkHPCPlastic(b *testing.B) { benchmarkHPC(b, true) }
