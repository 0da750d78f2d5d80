package network

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/spec"
)

func build(t *testing.T, threads int, n spec.Network) *Network {
	t.Helper()
	net, err := Build([]spec.Network{n}, []int{0}, threads)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// degrees returns the in-degree of every target and the out-degree of every
// source of a projection.
func degrees(pr *Projection, nt int) (in, out []int) {
	in = make([]int, nt)
	out = make([]int, len(pr.Offsets)-1)
	for s := range out {
		out[s] = int(pr.Offsets[s+1] - pr.Offsets[s])
		for _, t := range pr.Targets[pr.Offsets[s]:pr.Offsets[s+1]] {
			in[t]++
		}
	}
	return in, out
}

// chiSquaredBinomial returns the p-value of a chi-squared test of counts
// against Binomial(n, p), merging tail bins until each expects >= 5.
func chiSquaredBinomial(counts []int, n float64, p float64) float64 {
	hist := map[int]float64{}
	for _, c := range counts {
		hist[c]++
	}
	// Bins k in (mean-8sd, mean+8sd]; both tails join the outer bins.
	b := distuv.Binomial{N: n, P: p}
	total := float64(len(counts))
	mean, sd := n*p, math.Sqrt(n*p*(1-p))
	lo, hi := int(mean-8*sd), int(mean+8*sd)
	var obs, exp []float64
	accO, accE := 0.0, b.CDF(float64(lo))*total
	for k, c := range hist {
		if k <= lo {
			accO += c
		}
	}
	for k := lo + 1; k <= hi; k++ {
		accO += hist[k]
		accE += b.Prob(float64(k)) * total
		if accE >= 5 {
			obs, exp = append(obs, accO), append(exp, accE)
			accO, accE = 0, 0
		}
	}
	for k, c := range hist {
		if k > hi {
			accO += c
		}
	}
	accE += (1 - b.CDF(float64(hi))) * total
	obs[len(obs)-1] += accO
	exp[len(exp)-1] += accE
	chi2 := 0.0
	for i := range obs {
		chi2 += (obs[i] - exp[i]) * (obs[i] - exp[i]) / exp[i]
	}
	return 1 - distuv.ChiSquared{K: float64(len(obs) - 1)}.CDF(chi2)
}

// NEST's brunel_delta_nest.py: 12,500,000 excitatory and 3,125,000
// inhibitory recurrent synapses, in-degrees exactly CE = 1000 and CI = 250,
// out-degrees Binomial(12,500,000, 1/10,000) and Binomial(3,125,000, 1/2,500)
// (mean 1250, sd 35.4), autapses and multapses at the rates the reference
// derives (section 1.5).
func TestBrunelConnectivity(t *testing.T) {
	net := build(t, 2, testnet.Brunel(2500, 5, 2, 0, 10, 1))
	byName := map[string]*Projection{}
	for _, pr := range net.Projections {
		byName[pr.Name] = pr
	}
	var exc, inh int64
	for _, name := range []string{"E->E", "E->I"} {
		exc += byName[name].Synapses()
	}
	for _, name := range []string{"I->E", "I->I"} {
		inh += byName[name].Synapses()
	}
	if exc != 12_500_000 || inh != 3_125_000 {
		t.Fatalf("recurrent synapses: %d E + %d I, want 12500000 + 3125000", exc, inh)
	}
	if n := byName["noise->E"].Synapses() + byName["noise->I"].Synapses(); n != 12_500 {
		t.Errorf("Poisson generator synapses: %d, want 12500", n)
	}

	for _, c := range []struct {
		src, tgtE, tgtI string
		k, ns           int
	}{{"E", "E->E", "E->I", 1000, 10000}, {"I", "I->E", "I->I", 250, 2500}} {
		out := make([]int, c.ns)
		for _, name := range []string{c.tgtE, c.tgtI} {
			pr := byName[name]
			in, o := degrees(pr, net.Pops[pr.Target].N)
			for tgt, d := range in {
				if d != c.k {
					t.Fatalf("%s: target %d has in-degree %d, want %d", name, tgt, d, c.k)
				}
			}
			for s := range o {
				out[s] += o[s]
			}
		}
		// Out-degree: Binomial(12500·k, 1/ns); its sample sd has standard
		// error sd/sqrt(2·ns); allow 5 of those.
		n, p := 12500*float64(c.k), 1/float64(c.ns)
		var sum, sq float64
		for _, d := range out {
			sum += float64(d)
		}
		mean := sum / float64(c.ns)
		for _, d := range out {
			sq += (float64(d) - mean) * (float64(d) - mean)
		}
		sd, wantSD := math.Sqrt(sq/float64(c.ns-1)), math.Sqrt(n*p*(1-p))
		if mean != n*p {
			t.Errorf("%s out-degree mean %g, want %g (the total is fixed)", c.src, mean, n*p)
		}
		if se := wantSD / math.Sqrt(2*float64(c.ns)); math.Abs(sd-wantSD) > 5*se {
			t.Errorf("%s out-degree sd %g, want %g ± %g", c.src, sd, wantSD, 5*se)
		}
		if pv := chiSquaredBinomial(out, n, p); pv < 1e-3 {
			t.Errorf("%s out-degree histogram: chi-squared p = %g against Binomial(%g, %g)", c.src, pv, n, p)
		}
	}

	// Autapses: each of the N·k draws of a same-population projection hits
	// its own target with probability 1/N: expect k per projection (1000
	// for E->E, 250 for I->I), Poisson spread. Multapses: per target the
	// expected number of repeated draws is k - N(1-(1-1/N)^k).
	for _, c := range []struct {
		name string
		n, k float64
	}{{"E->E", 10000, 1000}, {"I->I", 2500, 250}} {
		pr := byName[c.name]
		var aut, rep float64
		for s := 0; s+1 < len(pr.Offsets); s++ {
			row := pr.Targets[pr.Offsets[s]:pr.Offsets[s+1]]
			for j, tg := range row {
				if int(tg) == s {
					aut++
				}
				if j > 0 && row[j-1] == tg {
					rep++
				}
			}
		}
		if math.Abs(aut-c.k) > 5*math.Sqrt(c.k) {
			t.Errorf("%s: %g autapses, want %g ± %g", c.name, aut, c.k, 5*math.Sqrt(c.k))
		}
		wantRep := c.n * (c.k - c.n*(1-math.Pow(1-1/c.n, c.k)))
		if math.Abs(rep-wantRep) > 5*math.Sqrt(wantRep) {
			t.Errorf("%s: %g repeated pairs, want %g ± %g", c.name, rep, wantRep, 5*math.Sqrt(wantRep))
		}
	}
}

// The network is a function of the seed alone: any thread count gives the
// same CSR, and another seed gives another network.
func TestSameNetworkForAnyThreadCount(t *testing.T) {
	pt := testnet.Brunel(200, 5, 2, 0, 10, 7)
	a := build(t, 1, pt)
	for _, threads := range []int{2, 5} {
		b := build(t, threads, pt)
		for i := range a.Projections {
			if !reflect.DeepEqual(a.Projections[i].CSR, b.Projections[i].CSR) {
				t.Fatalf("%d threads: projection %s differs", threads, a.Projections[i].Name)
			}
		}
	}
	pt.Simulation.Seed = 8
	c := build(t, 2, pt)
	if reflect.DeepEqual(a.Projections[2].CSR, c.Projections[2].CSR) {
		t.Error("another seed gave the same network")
	}
}

func TestRules(t *testing.T) {
	rule := func(name string, params map[string]float64, autapses, multapses bool) spec.Rule {
		r := spec.Rule{Name: name, AllowAutapses: autapses, AllowMultapses: multapses, Params: map[string]spec.Value{}}
		for k, v := range params {
			r.Params[k] = spec.Constant(v)
		}
		return r
	}
	cases := []struct {
		name     string
		rule     spec.Rule
		same     bool
		ns, nt   int
		synapses int // -1: random, checked by check
		check    func(t *testing.T, pr *Projection)
	}{
		{"all_to_all", rule("all_to_all", nil, true, true), false, 7, 5, 35, nil},
		{"all_to_all no autapses", rule("all_to_all", nil, false, true), true, 6, 6, 30, noAutapses},
		{"one_to_one", rule("one_to_one", nil, true, true), false, 9, 9, 9, func(t *testing.T, pr *Projection) {
			for s := 0; s < 9; s++ {
				if pr.Offsets[s+1]-pr.Offsets[s] != 1 || pr.Targets[pr.Offsets[s]] != uint32(s) {
					t.Fatalf("source %d is not connected to target %d alone", s, s)
				}
			}
		}},
		{"one_to_one no autapses", rule("one_to_one", nil, false, true), true, 4, 4, 0, nil},
		{"fixed_indegree no autapses no multapses", rule("fixed_indegree", map[string]float64{"indegree": 9}, false, false), true, 10, 10, 90,
			func(t *testing.T, pr *Projection) {
				noAutapses(t, pr)
				noMultapses(t, pr)
			}},
		{"pairwise_bernoulli p=1", rule("pairwise_bernoulli", map[string]float64{"p": 1}, true, true), true, 10, 10, 100, nil},
		{"pairwise_bernoulli p=1 no autapses", rule("pairwise_bernoulli", map[string]float64{"p": 1}, false, true), true, 10, 10, 90, noAutapses},
		{"pairwise_bernoulli p=0", rule("pairwise_bernoulli", map[string]float64{"p": 0}, true, true), false, 10, 10, 0, nil},
		{"pairwise_bernoulli p=0.3", rule("pairwise_bernoulli", map[string]float64{"p": 0.3}, true, true), false, 300, 400, -1,
			func(t *testing.T, pr *Projection) {
				noMultapses(t, pr)
				// Count ~ Binomial(120000, 0.3): sd 158.7.
				n := float64(pr.Synapses())
				if math.Abs(n-36000) > 5*158.7 {
					t.Errorf("%g synapses, want 36000 ± %g", n, 5*158.7)
				}
				in, _ := degrees(pr, 400)
				if pv := chiSquaredBinomial(in, 300, 0.3); pv < 1e-3 {
					t.Errorf("in-degree histogram: chi-squared p = %g against Binomial(300, 0.3)", pv)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := spec.Network{
				Simulation:  spec.Simulation{Dt: 0.1, TSim: 1, Seed: 3},
				Populations: []spec.Population{{Name: "A", Model: "iaf_psc_delta", N: c.ns}, {Name: "B", Model: "iaf_psc_delta", N: c.nt}},
				Connections: []spec.Connection{{Source: "A", Target: "B", Rule: c.rule,
					Syn: spec.Synapse{Weight: spec.Constant(1), Delay: spec.Constant(1)}}},
			}
			if c.same {
				n.Connections[0].Target = "A"
			}
			pr := build(t, 2, n).Projections[0]
			if c.synapses >= 0 && pr.Synapses() != int64(c.synapses) {
				t.Errorf("%d synapses, want %d", pr.Synapses(), c.synapses)
			}
			for s := 0; s+1 < len(pr.Offsets); s++ {
				row := pr.Targets[pr.Offsets[s]:pr.Offsets[s+1]]
				for j := 1; j < len(row); j++ {
					if row[j] < row[j-1] {
						t.Fatalf("row %d is not sorted by target", s)
					}
				}
			}
			if c.check != nil {
				c.check(t, pr)
			}
		})
	}
}

func noAutapses(t *testing.T, pr *Projection) {
	t.Helper()
	for s := 0; s+1 < len(pr.Offsets); s++ {
		for _, tg := range pr.Targets[pr.Offsets[s]:pr.Offsets[s+1]] {
			if int(tg) == s {
				t.Fatalf("autapse on %d", s)
			}
		}
	}
}

func noMultapses(t *testing.T, pr *Projection) {
	t.Helper()
	for s := 0; s+1 < len(pr.Offsets); s++ {
		row := pr.Targets[pr.Offsets[s]:pr.Offsets[s+1]]
		for j := 1; j < len(row); j++ {
			if row[j] == row[j-1] {
				t.Fatalf("multapse %d->%d", s, row[j])
			}
		}
	}
}

func TestImpossibleRequestsAreRefused(t *testing.T) {
	cases := []struct {
		rule   spec.Rule
		ns, nt int
		same   bool
		want   string
	}{
		{spec.Rule{Name: "fixed_indegree", Params: map[string]spec.Value{"indegree": spec.Constant(11)}}, 10, 5, false, "cannot exceed"},
		{spec.Rule{Name: "fixed_indegree", Params: map[string]spec.Value{"indegree": spec.Constant(10)}, AllowMultapses: false}, 10, 10, true, "cannot exceed"},
		{spec.Rule{Name: "fixed_indegree", Params: map[string]spec.Value{"indegree": spec.Constant(-1)}, AllowMultapses: true}, 10, 5, false, "whole number >= 0"},
		{spec.Rule{Name: "one_to_one"}, 10, 5, false, "as many sources as targets"},
		{spec.Rule{Name: "pairwise_bernoulli", Params: map[string]spec.Value{"p": spec.Constant(1.5)}}, 3, 3, false, "p must be in [0, 1]"},
		{spec.Rule{Name: "all_to_all", MakeSymmetric: true}, 3, 3, false, "make_symmetric"},
		{spec.Rule{Name: "conngen"}, 3, 3, false, "not one of"},
	}
	for _, c := range cases {
		err := CheckRule(c.rule, c.ns, c.nt, c.same)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: error %v, want %q", c.rule.Name, c.rule.Params, err, c.want)
		}
	}
}
