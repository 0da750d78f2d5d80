package network

// Construction is deterministic (issue #4 item 4): the same seed gives the
// same CSR, weights and delays for any thread count, and another seed gives
// another network. Rows are drawn in chunks whose number depends on the
// thread count (up to 8 per thread, one per 256 rows), so the driving side
// has 5000 neurons: 1, 2 and 3 threads then cut the rows into 8, 16 and 20
// chunks, and the CSR assembly and row sorting also split differently.

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/snn-gpu/snn-gpu/spec"
)

func TestDeterministicForAnyThreadCount(t *testing.T) {
	const big, small = 5000, 200
	withSyn := func(c spec.Connection, w, d string) spec.Connection {
		if w != "" {
			c.Syn.Weight = spec.Param(w)
		}
		if d != "" {
			c.Syn.Delay = spec.Param(d)
		}
		return c
	}
	oto := mkRule("one_to_one", true, true)
	otoSym := oto
	otoSym.MakeSymmetric = true
	third := func(pool string, size int) *spec.ThirdFactor {
		return &spec.ThirdFactor{Population: "C", P: 0.5, PoolType: pool, PoolSize: size,
			SynIn:  spec.Synapse{Weight: spec.Param("random.normal(1, 0.1)"), Delay: spec.Constant(1)},
			SynOut: spec.Synapse{Weight: spec.Constant(1), Delay: spec.Param("random.uniform(1, 3)")}}
	}
	withThird := func(c spec.Connection, tf *spec.ThirdFactor) spec.Connection { c.Third = tf; return c }
	onSource := mkRule("pairwise_bernoulli", true, true, "p", "spatial_distributions.gaussian(spatial.distance, 0, 0.1)")
	onSource.UseOnSource = true

	// Spatial layers: a 10 × 10 grid of sources, a 100 × 50 grid of
	// targets, both periodic on the unit square, and a free layer of
	// drawn positions.
	srcGrid := spec.Population{Name: "A", Model: "iaf_psc_delta", N: 100, Spatial: &spec.Spatial{Shape: []int{10, 10}, Extent: []float64{1, 1}, EdgeWrap: true}}
	tgtGrid := spec.Population{Name: "B", Model: "iaf_psc_delta", N: big, Spatial: &spec.Spatial{Shape: []int{100, 50}, Extent: []float64{1, 1}, EdgeWrap: true}}
	free := func(n int) spec.Population {
		return spec.Population{Model: "iaf_psc_delta", N: n, Spatial: &spec.Spatial{
			Pos: []spec.Value{spec.Param("random.uniform(-0.5, 0.5)"), spec.Param("random.uniform(-0.5, 0.5)")}, Extent: []float64{1, 1}, EdgeWrap: true}}
	}
	circle := &spec.Mask{Shape: "circular", Radius: 0.15}
	masked := func(c spec.Connection, m *spec.Mask) spec.Connection { c.Mask = m; return c }

	cases := []struct {
		name   string
		ns, nt int
		same   bool
		c      spec.Connection
		layers []spec.Population // replaces A and B
	}{
		{"one_to_one random weights", big, big, false, withSyn(testConn(false, oto), "random.normal(0, 1)", ""), nil},
		{"one_to_one make_symmetric", big, big, false, withSyn(testConn(false, otoSym), "random.uniform()", "random.uniform(1, 2)"), nil},
		{"all_to_all random delays", 40, big, false, withSyn(testConn(false, mkRule("all_to_all", true, true)), "", "random.uniform(1, 5)"), nil},
		{"fixed_indegree", small, big, false, withSyn(testConn(false, mkRule("fixed_indegree", true, true, "indegree", 20)), "random.normal(1, 0.2)", ""), nil},
		{"fixed_indegree no multapses no autapses", big, big, true, testConn(true, mkRule("fixed_indegree", false, false, "indegree", 10)), nil},
		{"fixed_indegree random K", small, big, false, testConn(false, mkRule("fixed_indegree", true, true, "indegree", "random.uniform_int(30)")), nil},
		{"fixed_outdegree", big, small, false, withSyn(testConn(false, mkRule("fixed_outdegree", true, true, "outdegree", 20)), "random.exponential(1)", "random.uniform(1, 9)"), nil},
		{"fixed_outdegree no multapses", big, big, true, testConn(true, mkRule("fixed_outdegree", false, false, "outdegree", 10)), nil},
		{"fixed_total_number", small, big, false, withSyn(testConn(false, mkRule("fixed_total_number", true, true, "N", 100000)), "random.lognormal(0, 0.5)", ""), nil},
		{"pairwise_bernoulli", small, big, false, testConn(false, mkRule("pairwise_bernoulli", true, true, "p", 0.05)), nil},
		{"pairwise_bernoulli random p", small, big, false, withSyn(testConn(false, mkRule("pairwise_bernoulli", true, true, "p", "random.uniform(0, 0.1)")), "random.uniform()", ""), nil},
		{"pairwise_poisson", small, big, false, testConn(false, mkRule("pairwise_poisson", false, true, "pairwise_avg_num_conns", 0.03)), nil},
		{"symmetric_pairwise_bernoulli", big, big, true, withSyn(testConn(true, symRule(0.002)), "random.normal(0, 1)", ""), nil},
		{"symmetric_pairwise_bernoulli two populations", small, big, false, testConn(false, symRule(0.05)), nil},
		{"third factor random pools", small, big, false, withThird(testConn(false, mkRule("fixed_indegree", true, true, "indegree", 8)), third("random", 10)), nil},
		{"third factor block pools", small, big, false, withThird(testConn(false, mkRule("pairwise_bernoulli", true, true, "p", 0.03)), third("block", 1)), nil},
		{"third factor after fixed_outdegree", big, small, false, withThird(testConn(false, mkRule("fixed_outdegree", true, true, "outdegree", 5)), third("random", 3)), nil},
		{"spatial pairwise_bernoulli mask gaussian", 0, 0, false, withSyn(masked(testConn(false, mkRule("pairwise_bernoulli", true, true, "p",
			"spatial_distributions.gaussian(spatial.distance, 0, 0.1)")), circle), "spatial.distance", "1 + 10*spatial.distance"), []spec.Population{srcGrid, tgtGrid}},
		{"spatial use_on_source", 0, 0, false, masked(testConn(false, onSource), circle), []spec.Population{srcGrid, tgtGrid}},
		{"spatial fixed_indegree mask", 0, 0, false, withSyn(masked(testConn(false, mkRule("fixed_indegree", true, false, "indegree", 3)), circle), "random.normal(spatial.distance, 0.1)", ""), []spec.Population{srcGrid, tgtGrid}},
		{"spatial fixed_outdegree mask", 0, 0, false, masked(testConn(false, mkRule("fixed_outdegree", true, true, "outdegree", 40)), circle), []spec.Population{tgtGrid, srcGrid}},
		{"spatial free layers", 0, 0, false, withSyn(masked(testConn(false, mkRule("pairwise_bernoulli", true, true, "p", 0.5)), &spec.Mask{Shape: "circular", Radius: 0.1}),
			"spatial.distance", ""), []spec.Population{free(small), free(big)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mk := func(seed uint32) spec.Network {
				pt := testPops(c.ns, c.nt, c.same, seed, c.c)
				if c.layers != nil {
					pt.Populations = nil
					for i, l := range c.layers {
						l.Name = string(rune('A' + i))
						pt.Populations = append(pt.Populations, l)
					}
				}
				if c.c.Third != nil {
					n := 40
					if c.c.Third.PoolType == "block" {
						n = pt.Populations[1].N // pool_size 1, one per target
					}
					pt.Populations = append(pt.Populations, spec.Population{Name: "C", Model: "iaf_psc_delta", N: n})
				}
				return pt
			}
			ref := build(t, 1, mk(21))
			total := int64(0)
			for _, pr := range ref.Projections {
				ns, nt := projSizes(ref, pr)
				checkCSR(t, pr, ns, nt)
				total += pr.Synapses()
			}
			if total == 0 {
				t.Fatal("no synapses: nothing to compare")
			}
			for _, threads := range []int{2, 3} {
				got := build(t, threads, mk(21))
				if d := diffNetworks(ref, got); d != "" {
					t.Errorf("%d threads differ from 1: %s", threads, d)
				}
			}
			if diffNetworks(ref, build(t, 2, mk(22))) == "" {
				t.Error("seed 22 gave the network of seed 21")
			}
		})
	}
}

// diffNetworks describes the first difference in structure between a and
// b ("" when none): layers, projections, CSR, weights and delays.
func diffNetworks(a, b *Network) string {
	for i := range a.Pops {
		if !reflect.DeepEqual(a.Pops[i].Layer, b.Pops[i].Layer) {
			return fmt.Sprintf("population %s: positions", a.Pops[i].Name)
		}
	}
	if len(a.Projections) != len(b.Projections) {
		return fmt.Sprintf("%d projections against %d", len(a.Projections), len(b.Projections))
	}
	for i, pa := range a.Projections {
		pb := b.Projections[i]
		switch {
		case pa.Name != pb.Name || pa.Role != pb.Role:
			return fmt.Sprintf("projection %d: %s (%s) against %s (%s)", i, pa.Name, pa.Role, pb.Name, pb.Role)
		case !reflect.DeepEqual(pa.Offsets, pb.Offsets):
			return pa.Name + ": offsets"
		case !reflect.DeepEqual(pa.Targets, pb.Targets):
			return pa.Name + ": targets"
		case !reflect.DeepEqual(pa.Weights, pb.Weights) || !reflect.DeepEqual(pa.Weight, pb.Weight):
			return pa.Name + ": weights"
		case !reflect.DeepEqual(pa.Delays, pb.Delays) || pa.Delay != pb.Delay:
			return pa.Name + ": delays"
		}
	}
	if a.MaxDelay != b.MaxDelay {
		return "MaxDelay"
	}
	return ""
}
