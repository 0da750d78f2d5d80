package network

// Construction speed and memory (issue #4 item 4: "a network of 1e8
// synapses builds in seconds"). Run with
//
//	go test -run '^$' -bench BenchmarkBuild -benchtime 1x ./network/
//
// Each sub-benchmark reports build_s (wall time of one Build), synapses/s,
// bytes/synapse (CSR.Bytes over the synapse count) and heap_MB (the heap
// in use right after the build, the CSR included).

import (
	"runtime"
	"testing"
	"time"

	"github.com/snn-gpu/snn-gpu/spec"
)

func BenchmarkBuild(b *testing.B) {
	grid := func(n int) spec.Population {
		return spec.Population{Name: "A", Model: "iaf_psc_delta", N: n * n, Spatial: &spec.Spatial{
			Shape: []int{n, n}, Extent: []float64{1, 1}, EdgeWrap: true}}
	}
	withWeights := func(c spec.Connection) spec.Connection {
		c.Syn.Weight = spec.Param("random.normal(0.1, 0.01)")
		c.Syn.Delay = spec.Param("1 + 0.1*random.uniform_int(11)")
		return c
	}
	cases := []struct {
		name  string
		net   spec.Network
		heavy bool // skipped with -short
	}{
		// 1e8 synapses: 100,000 neurons with 1,000 sources each
		// (NEST's Brunel in-degree at eight times its size).
		{"fixed_indegree_1e8", testPops(100_000, 0, true, 1, testConn(true, mkRule("fixed_indegree", true, true, "indegree", 1000))), true},
		// The same with a random weight and delay per synapse.
		{"fixed_indegree_1e8_random_weights_delays", testPops(100_000, 0, true, 1,
			withWeights(testConn(true, mkRule("fixed_indegree", true, true, "indegree", 1000)))), true},
		// Rows drawn by source and sorted by target.
		{"fixed_outdegree_2e7", testPops(20_000, 0, true, 1, testConn(true, mkRule("fixed_outdegree", true, true, "outdegree", 1000))), false},
		// Geometric skipping: cost proportional to the synapses.
		{"pairwise_bernoulli_2e7", testPops(20_000, 0, true, 1, testConn(true, mkRule("pairwise_bernoulli", false, true, "p", 0.05))), false},
		{"fixed_total_number_2e7", testPops(20_000, 0, true, 1, testConn(true, mkRule("fixed_total_number", true, true, "N", 20_000_000))), false},
		// Spatial: a 6400-neuron periodic grid; the cell index hands each
		// target the neurons near it, those inside the mask draw a gaussian p.
		{"spatial_pairwise_bernoulli_mask_gaussian", spatialNet(1, []spec.Population{grid(80)}, spec.Connection{Source: "A", Target: "A",
			Rule: mkRule("pairwise_bernoulli", false, true, "p", "spatial_distributions.gaussian(spatial.distance, 0, 0.1)"),
			Mask: &spec.Mask{Shape: "circular", Radius: 0.25},
			Syn:  spec.Synapse{Weight: spec.Param("0.1*spatial.distance"), Delay: spec.Param("1 + 5*spatial.distance")}}), false},
		{"spatial_fixed_indegree_mask", spatialNet(1, []spec.Population{grid(80)}, spec.Connection{Source: "A", Target: "A",
			Rule: mkRule("fixed_indegree", false, true, "indegree", 100),
			Mask: &spec.Mask{Shape: "circular", Radius: 0.25},
			Syn:  spec.Synapse{Weight: spec.Constant(1), Delay: spec.Constant(1)}}), false},
		// A large layer: 99,856 neurons, each seeing about 785 in its mask
		// (a full scan would test 1e10 pairs).
		{"spatial_pairwise_bernoulli_1e5_neurons", spatialNet(1, []spec.Population{grid(316)}, spec.Connection{Source: "A", Target: "A",
			Rule: mkRule("pairwise_bernoulli", false, true, "p", "spatial_distributions.gaussian(spatial.distance, 0, 0.03)"),
			Mask: &spec.Mask{Shape: "circular", Radius: 0.05},
			Syn:  spec.Synapse{Weight: spec.Constant(1), Delay: spec.Constant(1)}}), true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if c.heavy && testing.Short() {
				b.Skip("1e8 synapses: not with -short")
			}
			var syn, bytes int64
			var elapsed time.Duration
			var heap uint64
			for i := 0; i < b.N; i++ {
				runtime.GC()
				start := time.Now()
				net, err := Build([]spec.Network{c.net}, []int{0}, 0)
				elapsed += time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				syn, bytes = 0, 0
				for _, pr := range net.Projections {
					syn += pr.Synapses()
					bytes += pr.Bytes()
				}
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				heap = ms.HeapInuse
				runtime.KeepAlive(net)
			}
			sec := elapsed.Seconds() / float64(b.N)
			b.ReportMetric(sec, "build_s")
			b.ReportMetric(float64(syn)/sec, "synapses/s")
			b.ReportMetric(float64(bytes)/float64(syn), "bytes/synapse")
			b.ReportMetric(float64(syn), "synapses")
			b.ReportMetric(float64(heap)/(1<<20), "heap_MB")
		})
	}
}
