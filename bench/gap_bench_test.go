package bench

import (
	"context"
	"testing"
	"time"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// wfrCounter keeps the iteration counts a backend reports.
type wfrCounter struct {
	testnet.Collector
	stats []engine.WFRStats
}

func (w *wfrCounter) WFR(m int, s engine.WFRStats) { w.stats = append(w.stats, s) }

// benchmarkGapNetwork runs configs/gap_junctions_inhibitory_network.toml
// (500 hh_psc_alpha_gap, 15,000 gap junctions, waveform relaxation) for
// tSim ms at the points given, as one batch, on the CPU backend. Reported:
// neuron-steps per wall second (every member's), wall seconds per simulated
// second and point, and the mean and largest iterations per window.
func benchmarkGapNetwork(b *testing.B, tSim string, points ...int) {
	f, err := configs.Load("gap_junctions_inhibitory_network", configs.Options{Sets: []string{"t_sim=" + tSim}})
	if err != nil {
		b.Fatal(err)
	}
	var specs []spec.Network
	for _, p := range points {
		specs = append(specs, f.Points[p].Net)
	}
	net, err := network.Build(specs, points, 0)
	if err != nil {
		b.Fatal(err)
	}
	var wall time.Duration
	var c *wfrCounter
	for range b.N {
		c = &wfrCounter{}
		t0 := time.Now()
		if err := (&cpu.Backend{}).Run(context.Background(), net, c, nil); err != nil {
			b.Fatal(err)
		}
		wall += time.Since(t0)
	}
	per := wall.Seconds() / float64(b.N)
	simS := float64(net.Steps) * net.Dt / 1000
	b.ReportMetric(float64(net.Steps)*float64(net.Pops[0].N*len(points))/per, "neuron-steps/s")
	b.ReportMetric(per/simS/float64(len(points)), "wall_s/sim_s/point")
	sum, windows, most := 0, 0, 0
	for _, s := range c.stats {
		sum, windows, most = sum+s.Sum, windows+s.Windows, max(most, s.Max)
	}
	b.ReportMetric(float64(sum)/float64(windows), "iterations/window")
	b.ReportMetric(float64(most), "max_iterations/window")
}

// BenchmarkGapNetworkPoint is one point (0.3 nS, the example's), 21 ms.
func BenchmarkGapNetworkPoint(b *testing.B) { benchmarkGapNetwork(b, "21", 2) }

// BenchmarkGapNetworkSweep is the seven gap weights as one batch, 21 ms:
// neuron-steps/s against BenchmarkGapNetworkPoint's is what batching gains.
func BenchmarkGapNetworkSweep(b *testing.B) { benchmarkGapNetwork(b, "21", 0, 1, 2, 3, 4, 5, 6) }
