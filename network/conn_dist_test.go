package network

// Degree distributions of the random rules, tested as NEST tests them
// (reference section 3.6): chi-squared of the degree histogram against its
// law for each of the 20 gofSeeds, then KS on the 20 p-values (twoLevel).
// Sizes are NEST's (N_s = N_t = 50..200, p = 0.5), so the whole file runs in
// well under a second.

import (
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/snn-gpu/snn-gpu/spec"
)

func TestDegreeDistributions(t *testing.T) {
	type side int
	const (
		inDeg side = iota
		outDeg
	)
	cases := []struct {
		name   string
		rule   spec.Rule
		ns, nt int
		same   bool
		side   side
		law    discreteLaw
		// fixed: the degrees have a fixed sum (N_t·K, N_s·K or N), which
		// fixes their mean: the chi-squared then has bins - 2 degrees
		// of freedom, not bins - 1. NEST's test keeps bins - 1, which
		// skews the p-values towards 1: over 400 seeds the KS test
		// rejects that (p < 1e-3 for fixed_indegree's out-degrees at
		// these sizes), while bins - 2 gives KS p between 0.3 and 0.7.
		fixed bool
	}{
		// pairwise_bernoulli: in-degree Bin(N_s, p), out-degree Bin(N_t, p);
		// without autapses in one population, Bin(N - 1, p).
		{"pairwise_bernoulli in", mkRule("pairwise_bernoulli", true, true, "p", 0.5), 100, 200, false, inDeg, binomialLaw(100, 0.5), false},
		{"pairwise_bernoulli out", mkRule("pairwise_bernoulli", true, true, "p", 0.5), 100, 200, false, outDeg, binomialLaw(200, 0.5), false},
		{"pairwise_bernoulli no autapses in", mkRule("pairwise_bernoulli", false, true, "p", 0.3), 150, 0, true, inDeg, binomialLaw(149, 0.3), false},
		{"pairwise_bernoulli small p out", mkRule("pairwise_bernoulli", true, true, "p", 0.02), 200, 400, false, outDeg, binomialLaw(400, 0.02), false},
		// A p drawn per pair from U(0, 1) connects each pair with
		// probability E[p] = 1/2.
		{"pairwise_bernoulli random p in", mkRule("pairwise_bernoulli", true, true, "p", "random.uniform(0, 1)"), 100, 200, false, inDeg, binomialLaw(100, 0.5), false},
		// fixed_indegree with multapses: the N_t·K draws are uniform
		// over the sources, out-degree Bin(N_t·K, 1/N_s); without
		// autapses each of the N-1 other targets draws K times among N-1.
		{"fixed_indegree out", mkRule("fixed_indegree", true, true, "indegree", 20), 100, 200, false, outDeg, binomialLaw(200*20, 1.0/100), true},
		{"fixed_indegree no autapses out", mkRule("fixed_indegree", false, true, "indegree", 15), 150, 0, true, outDeg, binomialLaw(149*15, 1.0/149), true},
		// Without multapses each target takes a uniform K-subset: each
		// pair is present with probability K/N_s, independently across
		// targets, so the out-degree is Bin(N_t, K/N_s).
		{"fixed_indegree no multapses out", mkRule("fixed_indegree", true, false, "indegree", 50), 100, 200, false, outDeg, binomialLaw(200, 0.5), true},
		{"fixed_indegree no multapses no autapses out", mkRule("fixed_indegree", false, false, "indegree", 30), 120, 0, true, outDeg, binomialLaw(119, 30.0/119), true},
		// A random in-degree is round(value) per target.
		{"fixed_indegree random K in", mkRule("fixed_indegree", true, true, "indegree", "5 + random.uniform_int(11)"), 100, 200, false, inDeg, uniformLaw(5, 15), false},
		// fixed_outdegree mirrors fixed_indegree.
		{"fixed_outdegree in", mkRule("fixed_outdegree", true, true, "outdegree", 25), 180, 90, false, inDeg, binomialLaw(180*25, 1.0/90), true},
		{"fixed_outdegree no multapses in", mkRule("fixed_outdegree", true, false, "outdegree", 40), 180, 100, false, inDeg, binomialLaw(180, 0.4), true},
		{"fixed_outdegree no autapses in", mkRule("fixed_outdegree", false, true, "outdegree", 12), 140, 0, true, inDeg, binomialLaw(139*12, 1.0/139), true},
		// fixed_total_number: multinomial, marginals Bin(N, 1/N_t) and
		// Bin(N, 1/N_s); the sum over neurons is fixed, which NEST's
		// test ignores as well (it narrows the histogram's spread by a
		// factor sqrt(1 - 1/N_t), 0.3 % here).
		{"fixed_total_number in", mkRule("fixed_total_number", true, true, "N", 10000), 100, 200, false, inDeg, binomialLaw(10000, 1.0/200), true},
		{"fixed_total_number out", mkRule("fixed_total_number", true, true, "N", 10000), 100, 200, false, outDeg, binomialLaw(10000, 1.0/100), true},
		{"fixed_total_number no autapses out", mkRule("fixed_total_number", false, true, "N", 6000), 150, 0, true, outDeg, binomialLaw(6000, 1.0/150), true},
		// More targets than one block of the multinomial split (1024).
		{"fixed_total_number many targets in", mkRule("fixed_total_number", true, true, "N", 30000), 20, 3000, false, inDeg, binomialLaw(30000, 1.0/3000), true},
		// pairwise_poisson: a sum of N_s Poisson(λ) counts is
		// Poisson(λ·N_s).
		{"pairwise_poisson in", mkRule("pairwise_poisson", true, true, "pairwise_avg_num_conns", 0.3), 100, 200, false, inDeg, poissonLaw(30), false},
		{"pairwise_poisson out", mkRule("pairwise_poisson", true, true, "pairwise_avg_num_conns", 1.7), 100, 200, false, outDeg, poissonLaw(340), false},
		{"pairwise_poisson no autapses in", mkRule("pairwise_poisson", false, true, "pairwise_avg_num_conns", 0.05), 150, 0, true, inDeg, poissonLaw(0.05 * 149), false},
		// symmetric_pairwise_bernoulli between two populations: the
		// in-degree of a target is its own draw, Bin(N_s, p) redrawn
		// while K >= N_s. With N_s = 10 and p = 0.8 the truncation
		// removes P(K = 10) = 0.107 (TestSymmetricTruncation shows that
		// the untruncated law is rejected).
		{"symmetric_pairwise_bernoulli in", symRule(0.8), 10, 200, false, inDeg, truncatedBinomialLaw(10, 0.8), false},
		{"symmetric_pairwise_bernoulli large in", symRule(0.45), 120, 200, false, inDeg, truncatedBinomialLaw(120, 0.45), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nt := c.nt
			if c.same {
				nt = c.ns
			}
			twoLevel(t, c.name+" vs "+c.law.name, func(seed uint32) float64 {
				pr := build(t, 2, testPops(c.ns, nt, c.same, seed, testConn(c.same, c.rule))).Projections[0]
				in, out := degrees(pr, nt)
				lost := 1
				if c.fixed {
					lost = 2
				}
				if c.side == inDeg {
					return chiSquaredDF(t, in, c.law, lost)
				}
				return chiSquaredDF(t, out, c.law, lost)
			})
		})
	}
}

// The truncation of symmetric_pairwise_bernoulli's draw is visible: the
// plain Bin(10, 0.8) is rejected where the truncated law passes above.
func TestSymmetricTruncation(t *testing.T) {
	ps := make([]float64, len(gofSeeds))
	for i, seed := range gofSeeds {
		pr := build(t, 2, testPops(10, 200, false, seed, testConn(false, symRule(0.8)))).Projections[0]
		in, _ := degrees(pr, 200)
		for _, k := range in {
			if k == 10 {
				t.Fatalf("seed %d: a target drew all 10 sources", seed)
			}
		}
		ps[i] = chiSquared(t, in, binomialLaw(10, 0.8))
	}
	if _, p := ksTest(ps, func(x float64) float64 { return x }); p > 1e-4 {
		t.Errorf("untruncated Bin(10, 0.8) accepted: KS p = %g", p)
	}
}

// pairwise_poisson: the number of synapses of each pair is Poisson(λ), for
// a λ drawn by inversion (< 10) and one drawn by PTRS (>= 10), and the total
// is Poisson(λ·N_s·N_t) (one count per seed, tested by its mid-p value).
func TestPairwisePoissonMultiplicity(t *testing.T) {
	for _, c := range []struct {
		lambda float64
		ns, nt int
	}{{1.5, 60, 50}, {12, 20, 25}} {
		twoLevel(t, "pairwise_poisson pair counts", func(seed uint32) float64 {
			r := mkRule("pairwise_poisson", true, true, "pairwise_avg_num_conns", c.lambda)
			pr := build(t, 2, testPops(c.ns, c.nt, false, seed, testConn(false, r))).Projections[0]
			m := multiplicity(pr)
			counts := make([]int, 0, c.ns*c.nt)
			for s := 0; s < c.ns; s++ {
				for tg := 0; tg < c.nt; tg++ {
					counts = append(counts, m[synEdge{uint32(s), uint32(tg)}])
				}
			}
			return chiSquared(t, counts, poissonLaw(c.lambda))
		})
	}
	twoLevel(t, "pairwise_poisson total", func(seed uint32) float64 {
		r := mkRule("pairwise_poisson", true, true, "pairwise_avg_num_conns", 0.25)
		pr := build(t, 2, testPops(100, 200, false, seed, testConn(false, r))).Projections[0]
		q := distuv.Poisson{Lambda: 0.25 * 100 * 200}
		return midP(float64(pr.Synapses()), q.CDF, q.Prob)
	})
}

// Totals of the pairwise rules: pairwise_bernoulli's count is
// Bin(N_s·N_t, p); symmetric_pairwise_bernoulli in one population makes
// twice the sum of the targets' truncated-binomial draws.
func TestTotals(t *testing.T) {
	twoLevel(t, "pairwise_bernoulli total", func(seed uint32) float64 {
		pr := build(t, 2, testPops(100, 200, false, seed, testConn(false, mkRule("pairwise_bernoulli", true, true, "p", 0.1)))).Projections[0]
		b := distuv.Binomial{N: 100 * 200, P: 0.1}
		return midP(float64(pr.Synapses()), b.CDF, b.Prob)
	})
	// Sum of 150 truncated Bin(150, 0.05) draws: the truncation removes
	// nothing measurable (P(K = 150) = 0.05^150), so the sum is
	// Bin(150·150, 0.05); the projection holds each draw twice.
	twoLevel(t, "symmetric_pairwise_bernoulli total", func(seed uint32) float64 {
		pr := build(t, 2, testPops(150, 0, true, seed, testConn(true, symRule(0.05)))).Projections[0]
		if pr.Synapses()%2 != 0 {
			t.Fatalf("seed %d: odd number %d of synapses in a symmetric projection", seed, pr.Synapses())
		}
		b := distuv.Binomial{N: 150 * 150, P: 0.05}
		return midP(float64(pr.Synapses()/2), b.CDF, b.Prob)
	})
}

// Third factor: the number of third-factor pairs is Bin(primary synapses,
// p), and the third neuron is drawn uniformly from the target's pool.
func TestThirdFactorDistribution(t *testing.T) {
	const ns, nt, nth, size = 100, 60, 50, 5
	mk := func(seed uint32, p float64) *Network {
		cn := testConn(false, mkRule("fixed_indegree", true, true, "indegree", 40))
		cn.Third = &spec.ThirdFactor{Population: "C", P: p, PoolType: "random", PoolSize: size,
			SynIn: spec.Synapse{Weight: spec.Constant(1), Delay: spec.Constant(1)}, SynOut: spec.Synapse{Weight: spec.Constant(1), Delay: spec.Constant(1)}}
		pt := testPops(ns, nt, false, seed, cn)
		pt.Populations = append(pt.Populations, spec.Population{Name: "C", Model: "iaf_psc_delta", N: nth})
		return build(t, 2, pt)
	}
	twoLevel(t, "third-factor pairs", func(seed uint32) float64 {
		net := mk(seed, 0.3)
		b := distuv.Binomial{N: nt * 40, P: 0.3}
		return midP(float64(roleProjection(t, net, RoleThirdIn).Synapses()), b.CDF, b.Prob)
	})
	// With p = 1, target t's 40 third-factor synapses fall on its 5 pool
	// members as a multinomial with equal cells: the chi-squared sum over
	// all targets has nt·(size-1) degrees of freedom.
	twoLevel(t, "pool picks", func(seed uint32) float64 {
		out := roleProjection(t, mk(seed, 1), RoleThirdOut)
		count := make([]map[uint32]float64, nt)
		for tg := range count {
			count[tg] = map[uint32]float64{}
		}
		for a := 0; a < nth; a++ {
			for _, tg := range out.Targets[out.Offsets[a]:out.Offsets[a+1]] {
				count[tg][uint32(a)]++
			}
		}
		chi2, e := 0.0, 40.0/size
		for tg := range count {
			if len(count[tg]) > size {
				t.Fatalf("target %d: %d pool members", tg, len(count[tg]))
			}
			seen := 0.0
			for _, c := range count[tg] {
				chi2 += (c - e) * (c - e) / e
				seen++
			}
			chi2 += (size - seen) * e // members never drawn: (0 - e)²/e each
		}
		return distuv.ChiSquared{K: nt * (size - 1)}.Survival(chi2)
	})
	// The pools themselves: each target's pool is a uniform 5-subset of
	// the 50 third neurons, so each third neuron is in Bin(60, 1/10) pools.
	twoLevel(t, "pool membership", func(seed uint32) float64 {
		out := roleProjection(t, mk(seed, 1), RoleThirdOut)
		pools := make([]int, nth)
		for a := 0; a < nth; a++ {
			seen := map[uint32]bool{}
			for _, tg := range out.Targets[out.Offsets[a]:out.Offsets[a+1]] {
				seen[tg] = true
			}
			pools[a] = len(seen)
		}
		// A member with no synapse to its target (probability
		// (4/5)^40 = 1.3e-4 per pool slot) would hide; that is 0.04
		// expected misses over the 300 slots of a seed.
		return chiSquaredDF(t, pools, binomialLaw(nt, float64(size)/nth), 2) // the pools hold nt·size members
	})
}

// A random in-degree is rounded: round(x) for x drawn uniformly from
// [2.5, 5.5) gives 3, 4 and 5 with probabilities 1/3 each, up to the ties at
// 2.5, 3.5, 4.5 of probability 0 (NEST rounds the drawn value too).
func TestRandomDegreeRounding(t *testing.T) {
	twoLevel(t, "round(uniform(2.5, 5.5)) in-degrees", func(seed uint32) float64 {
		r := mkRule("fixed_indegree", true, true, "indegree", "random.uniform(2.5, 5.5)")
		pr := build(t, 2, testPops(50, 300, false, seed, testConn(false, r))).Projections[0]
		in, _ := degrees(pr, 300)
		return chiSquared(t, in, uniformLaw(3, 5))
	})
}
