package network

// Exact invariants of every connection rule (issue #4, "What the tests must
// show", item 1; reference section 3.2, column "Statistics for tests").

import (
	"fmt"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/spec"
)

// checkCSR checks the layout every projection must have: ns+1 offsets from
// 0 to the synapse count, non-decreasing; targets below nt; rows sorted by
// target; per-synapse weights and delays either absent or one per synapse.
func checkCSR(t *testing.T, pr *Projection, ns, nt int) {
	t.Helper()
	if len(pr.Offsets) != ns+1 || pr.Offsets[0] != 0 || pr.Offsets[ns] != int64(len(pr.Targets)) {
		t.Fatalf("%s: %d offsets from %d to %d for %d sources and %d synapses", pr.Name, len(pr.Offsets),
			pr.Offsets[0], pr.Offsets[len(pr.Offsets)-1], ns, len(pr.Targets))
	}
	for s := 0; s < ns; s++ {
		if pr.Offsets[s+1] < pr.Offsets[s] {
			t.Fatalf("%s: offsets decrease at source %d", pr.Name, s)
		}
		row := pr.Targets[pr.Offsets[s]:pr.Offsets[s+1]]
		for j, tg := range row {
			if int(tg) >= nt {
				t.Fatalf("%s: synapse %d->%d, but the target has %d neurons", pr.Name, s, tg, nt)
			}
			if j > 0 && tg < row[j-1] {
				t.Fatalf("%s: row %d is not sorted by target: %v", pr.Name, s, row)
			}
		}
	}
	for _, x := range []int{len(pr.Weights), len(pr.Delays)} {
		if x != 0 && x != len(pr.Targets) {
			t.Fatalf("%s: %d weights and %d delays for %d synapses", pr.Name, len(pr.Weights), len(pr.Delays), len(pr.Targets))
		}
	}
	for _, d := range pr.Delays {
		if d < 1 {
			t.Fatalf("%s: delay of %d steps", pr.Name, d)
		}
	}
}

// synEdge is a synapse source → target.
type synEdge struct{ s, t uint32 }

// multiplicity counts the synapses of every (source, target) pair.
func multiplicity(pr *Projection) map[synEdge]int {
	m := map[synEdge]int{}
	for s := 0; s+1 < len(pr.Offsets); s++ {
		for _, tg := range pr.Targets[pr.Offsets[s]:pr.Offsets[s+1]] {
			m[synEdge{uint32(s), tg}]++
		}
	}
	return m
}

// roleProjection returns the projection of net with the given role.
func roleProjection(t *testing.T, net *Network, role string) *Projection {
	t.Helper()
	for _, pr := range net.Projections {
		if pr.Role == role {
			return pr
		}
	}
	t.Fatalf("no projection with role %q", role)
	return nil
}

// projSizes returns the source and target population sizes of pr.
func projSizes(net *Network, pr *Projection) (int, int) {
	ns := 0
	if pr.Source.Device {
		ns = net.Devices[pr.Source.Index].N
	} else {
		ns = net.Pops[pr.Source.Index].N
	}
	return ns, net.Pops[pr.Target].N
}

func wantDegrees(t *testing.T, name string, got []int, k int) {
	t.Helper()
	for i, d := range got {
		if d != k {
			t.Fatalf("%s of neuron %d is %d, want exactly %d", name, i, d, k)
		}
	}
}

func TestRuleInvariants(t *testing.T) {
	const ns, nt = 37, 23 // different sizes, so that a swapped end shows
	cases := []struct {
		name  string
		rule  spec.Rule
		same  bool
		n     int // synapses, -1 when random
		check func(t *testing.T, pr *Projection, m map[synEdge]int, in, out []int)
		nsrc  int // sources and targets when not ns and nt
		ntgt  int
	}{
		{name: "one_to_one", rule: mkRule("one_to_one", true, true), n: ns, nsrc: ns, ntgt: ns,
			check: func(t *testing.T, pr *Projection, m map[synEdge]int, in, out []int) {
				for s := 0; s < ns; s++ {
					if m[synEdge{uint32(s), uint32(s)}] != 1 || out[s] != 1 {
						t.Fatalf("source %d is not connected to target %d alone", s, s)
					}
				}
			}},
		{name: "one_to_one same population autapses", rule: mkRule("one_to_one", true, true), same: true, n: ns},
		{name: "one_to_one same population no autapses", rule: mkRule("one_to_one", false, true), same: true, n: 0},
		{name: "all_to_all", rule: mkRule("all_to_all", true, true), n: ns * nt,
			check: func(t *testing.T, pr *Projection, m map[synEdge]int, in, out []int) {
				wantDegrees(t, "in-degree", in, ns)
				wantDegrees(t, "out-degree", out, nt)
				if len(m) != ns*nt {
					t.Fatalf("%d distinct pairs, want %d", len(m), ns*nt)
				}
			}},
		{name: "all_to_all multapses off", rule: mkRule("all_to_all", true, false), n: ns * nt},
		{name: "all_to_all same population autapses", rule: mkRule("all_to_all", true, true), same: true, n: ns * ns},
		{name: "all_to_all same population no autapses", rule: mkRule("all_to_all", false, true), same: true, n: ns * (ns - 1),
			check: func(t *testing.T, pr *Projection, m map[synEdge]int, in, out []int) {
				wantDegrees(t, "in-degree", in, ns-1)
				wantDegrees(t, "out-degree", out, ns-1)
			}},
		{name: "fixed_indegree", rule: mkRule("fixed_indegree", true, true, "indegree", 50), n: nt * 50,
			check: func(t *testing.T, pr *Projection, m map[synEdge]int, in, out []int) {
				wantDegrees(t, "in-degree", in, 50) // K > N_s: multapses are certain
			}},
		{name: "fixed_indegree no multapses", rule: mkRule("fixed_indegree", true, false, "indegree", 30), n: nt * 30,
			check: func(t *testing.T, pr *Projection, m map[synEdge]int, in, out []int) {
				wantDegrees(t, "in-degree", in, 30)
			}},
		{name: "fixed_indegree same no autapses", rule: mkRule("fixed_indegree", false, true, "indegree", 60), same: true, n: ns * 60,
			check: func(t *testing.T, pr *Projection, m map[synEdge]int, in, out []int) {
				wantDegrees(t, "in-degree", in, 60)
			}},
		// K = N - 1 without autapses or multapses: the only network is the
		// full adjacency without its diagonal.
		{name: "fixed_indegree K=N-1 no autapses no multapses", rule: mkRule("fixed_indegree", false, false, "indegree", ns-1), same: true,
			n: ns * (ns - 1), check: func(t *testing.T, pr *Projection, m map[synEdge]int, in, out []int) {
				wantDegrees(t, "out-degree", out, ns-1)
			}},
		{name: "fixed_indegree K=0", rule: mkRule("fixed_indegree", true, true, "indegree", 0), n: 0},
		{name: "fixed_indegree random K", rule: mkRule("fixed_indegree", true, false, "indegree", "3 + random.uniform_int(8)"), n: -1,
			check: func(t *testing.T, pr *Projection, m map[synEdge]int, in, out []int) {
				for i, d := range in {
					if d < 3 || d > 10 {
						t.Fatalf("target %d has in-degree %d, outside 3 + uniform_int(8)", i, d)
					}
				}
			}},
		{name: "fixed_outdegree", rule: mkRule("fixed_outdegree", true, true, "outdegree", 40), n: ns * 40,
			check: func(t *testing.T, pr *Projection, m map[synEdge]int, in, out []int) {
				wantDegrees(t, "out-degree", out, 40)
			}},
		{name: "fixed_outdegree no multapses", rule: mkRule("fixed_outdegree", true, false, "outdegree", 20), n: ns * 20,
			check: func(t *testing.T, pr *Projection, m map[synEdge]int, in, out []int) {
				wantDegrees(t, "out-degree", out, 20)
			}},
		{name: "fixed_outdegree K=N-1 no autapses no multapses", rule: mkRule("fixed_outdegree", false, false, "outdegree", ns-1), same: true,
			n: ns * (ns - 1), check: func(t *testing.T, pr *Projection, m map[synEdge]int, in, out []int) {
				wantDegrees(t, "in-degree", in, ns-1)
			}},
		{name: "fixed_total_number", rule: mkRule("fixed_total_number", true, true, "N", 5000), n: 5000},
		{name: "fixed_total_number same no autapses", rule: mkRule("fixed_total_number", false, true, "N", 3000), same: true, n: 3000},
		{name: "fixed_total_number N=0", rule: mkRule("fixed_total_number", true, true, "N", 0), n: 0},
		{name: "pairwise_bernoulli multapses allowed", rule: mkRule("pairwise_bernoulli", true, true, "p", 0.7), n: -1},
		{name: "pairwise_bernoulli same no autapses", rule: mkRule("pairwise_bernoulli", false, true, "p", 0.7), same: true, n: -1},
		{name: "pairwise_bernoulli random p", rule: mkRule("pairwise_bernoulli", true, true, "p", "random.uniform(0, 1)"), n: -1},
		{name: "pairwise_bernoulli p=1", rule: mkRule("pairwise_bernoulli", true, true, "p", 1), n: ns * nt},
		{name: "pairwise_bernoulli p=0", rule: mkRule("pairwise_bernoulli", true, true, "p", 0), n: 0},
		{name: "pairwise_poisson", rule: mkRule("pairwise_poisson", true, true, "pairwise_avg_num_conns", 2.5), n: -1,
			check: func(t *testing.T, pr *Projection, m map[synEdge]int, in, out []int) {
				// 851 pairs with Poisson(2.5) synapses: a multapse-free
				// draw has probability (1 - P(k >= 2))^851 = 0.
				multi := 0
				for _, k := range m {
					if k > 1 {
						multi++
					}
				}
				if multi == 0 {
					t.Error("no multapses with 2.5 synapses per pair on average")
				}
			}},
		{name: "pairwise_poisson same no autapses", rule: mkRule("pairwise_poisson", false, true, "pairwise_avg_num_conns", 0.8), same: true, n: -1},
		{name: "symmetric_pairwise_bernoulli", rule: symRule(0.3), same: true, n: -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nsrc, ntgt := ns, nt
			if c.nsrc != 0 {
				nsrc, ntgt = c.nsrc, c.ntgt
			}
			if c.same {
				ntgt = nsrc
			}
			net := build(t, 2, testPops(nsrc, ntgt, c.same, 5, testConn(c.same, c.rule)))
			pr := net.Projections[0]
			checkCSR(t, pr, nsrc, ntgt)
			if c.n >= 0 && pr.Synapses() != int64(c.n) {
				t.Errorf("%d synapses, want %d", pr.Synapses(), c.n)
			}
			if pr.Weights != nil || pr.Delays != nil || pr.Weight[0] != 1 || pr.Delay != 10 {
				t.Errorf("constant weight 1 and delay 1 ms stored as weight %v (per synapse %v), delay %d steps (per synapse %v)",
					pr.Weight, pr.Weights != nil, pr.Delay, pr.Delays != nil)
			}
			m := multiplicity(pr)
			if c.same && !c.rule.AllowAutapses {
				noAutapses(t, pr)
			}
			// pairwise_bernoulli never makes multapses, whatever the flag.
			if !c.rule.AllowMultapses || c.rule.Name == "pairwise_bernoulli" {
				noMultapses(t, pr)
			}
			if c.rule.Name == "symmetric_pairwise_bernoulli" {
				for e, k := range m {
					if m[synEdge{e.t, e.s}] != k {
						t.Fatalf("%d synapses %d->%d but %d synapses %d->%d", k, e.s, e.t, m[synEdge{e.t, e.s}], e.t, e.s)
					}
				}
			}
			in, out := degrees(pr, ntgt)
			if c.check != nil {
				c.check(t, pr, m, in, out)
			}
		})
	}
}

func symRule(p float64) spec.Rule {
	r := mkRule("symmetric_pairwise_bernoulli", false, true, "p", p)
	r.MakeSymmetric = true
	return r
}

// NEST's deterministic check (reference 3.6): with p = 1 and 10 neurons,
// pairwise_bernoulli and all_to_all give the full adjacency, its diagonal all
// ones with autapses and all zeros without.
func TestFullAdjacency(t *testing.T) {
	for _, name := range []string{"pairwise_bernoulli", "all_to_all"} {
		for _, autapses := range []bool{true, false} {
			r := mkRule(name, autapses, true)
			if name == "pairwise_bernoulli" {
				r = mkRule(name, autapses, true, "p", 1.0)
			}
			pr := build(t, 2, testPops(10, 10, true, 1, testConn(true, r))).Projections[0]
			checkCSR(t, pr, 10, 10)
			m := multiplicity(pr)
			for s := uint32(0); s < 10; s++ {
				for tg := uint32(0); tg < 10; tg++ {
					want := 1
					if s == tg && !autapses {
						want = 0
					}
					if m[synEdge{s, tg}] != want {
						t.Errorf("%s, autapses %v: A[%d][%d] = %d, want %d", name, autapses, tg, s, m[synEdge{s, tg}], want)
					}
				}
			}
		}
	}
}

// make_symmetric: one_to_one between two populations gives the reverse
// projection with the same (random) weights and delays, and
// symmetric_pairwise_bernoulli between two populations gives as reverse the
// transpose of the primary projection.
func TestMakeSymmetric(t *testing.T) {
	oto := mkRule("one_to_one", true, true)
	oto.MakeSymmetric = true
	for _, c := range []struct {
		name string
		rule spec.Rule
		n    int
	}{{"one_to_one", oto, 40}, {"symmetric_pairwise_bernoulli", symRule(0.2), 40}} {
		t.Run(c.name, func(t *testing.T) {
			cn := testConn(false, c.rule)
			cn.Syn.Weight = spec.Param("random.normal(0, 1)")
			cn.Syn.Delay = spec.Param("random.uniform(0.5, 5)")
			net := build(t, 2, testPops(c.n, c.n, false, 9, cn))
			if len(net.Projections) != 2 {
				t.Fatalf("%d projections, want the primary and its reverse", len(net.Projections))
			}
			fw, bw := roleProjection(t, net, RolePrimary), roleProjection(t, net, RoleReverse)
			if fw.Source.Index != 0 || fw.Target != 1 || bw.Source.Index != 1 || bw.Target != 0 {
				t.Fatalf("primary %v->%d, reverse %v->%d: want A->B and B->A", fw.Source, fw.Target, bw.Source, bw.Target)
			}
			checkCSR(t, fw, c.n, c.n)
			checkCSR(t, bw, c.n, c.n)
			if fw.Synapses() != bw.Synapses() || fw.Synapses() == 0 {
				t.Fatalf("%d synapses forward, %d backward", fw.Synapses(), bw.Synapses())
			}
			type syn struct {
				w float32
				d uint16
			}
			forward := map[synEdge][]syn{}
			for s := 0; s < c.n; s++ {
				for j := fw.Offsets[s]; j < fw.Offsets[s+1]; j++ {
					e := synEdge{uint32(s), fw.Targets[j]}
					forward[e] = append(forward[e], syn{fw.Weights[j], fw.Delays[j]})
				}
			}
			for s := 0; s < c.n; s++ {
				for j := bw.Offsets[s]; j < bw.Offsets[s+1]; j++ {
					e := synEdge{bw.Targets[j], uint32(s)} // the forward edge it mirrors
					list := forward[e]
					if len(list) == 0 || list[0] != (syn{bw.Weights[j], bw.Delays[j]}) {
						t.Fatalf("reverse %d->%d (w %g, d %d) has no forward twin with the same values: %v",
							s, bw.Targets[j], bw.Weights[j], bw.Delays[j], list)
					}
					forward[e] = list[1:]
				}
			}
			if c.name == "one_to_one" {
				for s := 0; s < c.n; s++ {
					if fw.Offsets[s+1]-fw.Offsets[s] != 1 || fw.Targets[fw.Offsets[s]] != uint32(s) {
						t.Fatalf("one_to_one: source %d not connected to %d alone", s, s)
					}
				}
			}
		})
	}
}

// symmetric_pairwise_bernoulli between two populations: the primary's
// in-degree of each target is its own draw, and equals the reverse
// projection's out-degree of the same neuron.
func TestSymmetricDegreesMirror(t *testing.T) {
	net := build(t, 2, testPops(30, 50, false, 4, testConn(false, symRule(0.4))))
	fw, bw := roleProjection(t, net, RolePrimary), roleProjection(t, net, RoleReverse)
	in, _ := degrees(fw, 50)
	checkCSR(t, fw, 30, 50)
	checkCSR(t, bw, 50, 30)
	for tg := range in {
		if int(bw.Offsets[tg+1]-bw.Offsets[tg]) != in[tg] {
			t.Fatalf("neuron %d of B: in-degree %d in A->B but out-degree %d in B->A", tg, in[tg], bw.Offsets[tg+1]-bw.Offsets[tg])
		}
	}
	noMultapses(t, fw) // each target draws distinct sources
}

// Third factor (third_factor_bernoulli_with_pool): every third_in s→a has a
// matching third_out a→t with s→t in the primary projection; pools follow
// the block or random semantics and pool_size.
func TestThirdFactor(t *testing.T) {
	const ns, nt = 40, 30
	cases := []struct {
		name      string
		rule      spec.Rule
		p         float64
		pool      string
		size, nth int
	}{
		{"pairwise_bernoulli block", mkRule("pairwise_bernoulli", true, true, "p", 0.5), 1, "block", 3, nt * 3},
		{"pairwise_bernoulli block p=0.4", mkRule("pairwise_bernoulli", true, true, "p", 0.5), 0.4, "block", 2, nt * 2},
		{"fixed_indegree block pool 1", mkRule("fixed_indegree", true, true, "indegree", 12), 1, "block", 1, nt / 3},
		{"fixed_outdegree random", mkRule("fixed_outdegree", true, true, "outdegree", 9), 0.6, "random", 4, 25},
		{"pairwise_bernoulli random p=1", mkRule("pairwise_bernoulli", true, true, "p", 0.6), 1, "random", 5, 25},
		{"fixed_total_number random", mkRule("fixed_total_number", true, true, "N", 700), 0.5, "random", 25, 25},
		{"all_to_all random pool 1", mkRule("all_to_all", true, true), 0.5, "random", 1, 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cn := testConn(false, c.rule)
			cn.Third = &spec.ThirdFactor{Population: "C", P: c.p, PoolType: c.pool, PoolSize: c.size,
				SynIn:  spec.Synapse{Weight: spec.Constant(2), Delay: spec.Constant(1.5)},
				SynOut: spec.Synapse{Weight: spec.Param("random.uniform(3, 4)"), Delay: spec.Constant(2)}}
			pt := testPops(ns, nt, false, 3, cn)
			pt.Populations = append(pt.Populations, spec.Population{Name: "C", Model: "iaf_psc_delta", N: c.nth})
			net := build(t, 2, pt)
			if len(net.Projections) != 3 {
				t.Fatalf("%d projections, want primary, third_in and third_out", len(net.Projections))
			}
			pr, pin, pout := roleProjection(t, net, RolePrimary), roleProjection(t, net, RoleThirdIn), roleProjection(t, net, RoleThirdOut)
			if pin.Source.Index != 0 || pin.Target != 2 || pout.Source.Index != 2 || pout.Target != 1 {
				t.Fatalf("third_in %v->%d, third_out %v->%d: want A->C and C->B", pin.Source, pin.Target, pout.Source, pout.Target)
			}
			checkCSR(t, pr, ns, nt)
			checkCSR(t, pin, ns, c.nth)
			checkCSR(t, pout, c.nth, nt)
			// Synapse parameters stored as given.
			if pin.Weight[0] != 2 || pin.Delay != 15 || pin.Weights != nil || pout.Delay != 20 || pout.Weights == nil {
				t.Errorf("third_in weight %v delay %d, third_out delay %d per-synapse weights %v", pin.Weight, pin.Delay, pout.Delay, pout.Weights != nil)
			}
			for _, w := range pout.Weights {
				if w < 3 || w >= 4 {
					t.Fatalf("third_out weight %g outside uniform(3, 4)", w)
				}
			}
			if pin.Synapses() != pout.Synapses() {
				t.Fatalf("%d third_in synapses, %d third_out", pin.Synapses(), pout.Synapses())
			}
			if c.p == 1 && pin.Synapses() != pr.Synapses() {
				t.Errorf("p = 1: %d third-factor pairs for %d primary synapses", pin.Synapses(), pr.Synapses())
			}
			prim := multiplicity(pr)
			primIn, primOut := degrees(pr, nt)
			inIn, inOut := degrees(pin, c.nth) // into a, out of s
			outIn, outOut := degrees(pout, nt) // into t, out of a
			for a := 0; a < c.nth; a++ {
				if inIn[a] != outOut[a] {
					t.Fatalf("third neuron %d: %d third_in synapses, %d third_out", a, inIn[a], outOut[a])
				}
			}
			for s := 0; s < ns; s++ {
				if inOut[s] > primOut[s] {
					t.Fatalf("source %d: %d third_in synapses for %d primary ones", s, inOut[s], primOut[s])
				}
			}
			for tg := 0; tg < nt; tg++ {
				if outIn[tg] > primIn[tg] || c.p == 1 && outIn[tg] != primIn[tg] {
					t.Fatalf("target %d: %d third_out synapses for %d primary ones (p = %g)", tg, outIn[tg], primIn[tg], c.p)
				}
			}
			// Pools: the third neurons that reach each target.
			pool := make([]map[uint32]int, nt)
			for tg := range pool {
				pool[tg] = map[uint32]int{}
			}
			for a := 0; a < c.nth; a++ {
				for _, tg := range pout.Targets[pout.Offsets[a]:pout.Offsets[a+1]] {
					pool[tg][uint32(a)]++
				}
			}
			for tg, members := range pool {
				if len(members) > c.size {
					t.Fatalf("target %d is reached from %d third neurons, pool_size %d", tg, len(members), c.size)
				}
				for a := range members {
					if c.pool == "block" && !inBlock(int(a), tg, c.size, nt, c.nth) {
						t.Fatalf("target %d reached from third neuron %d, outside its block", tg, a)
					}
				}
			}
			// Every third_in s→a pairs with a third_out a→t such that s→t is
			// primary: a perfect matching per third neuron.
			for a := 0; a < c.nth; a++ {
				var srcs, tgts []uint32
				for s := 0; s < ns; s++ {
					for _, x := range pin.Targets[pin.Offsets[s]:pin.Offsets[s+1]] {
						if int(x) == a {
							srcs = append(srcs, uint32(s))
						}
					}
				}
				tgts = pout.Targets[pout.Offsets[a]:pout.Offsets[a+1]]
				if !perfectMatching(srcs, tgts, func(s, tg uint32) bool { return prim[synEdge{s, tg}] > 0 }) {
					t.Fatalf("third neuron %d: its third_in sources %v and third_out targets %v do not pair up over primary synapses", a, srcs, tgts)
				}
			}
			if c.pool == "block" && c.size*nt == c.nth && c.p == 1 {
				// a determines t = a / pool_size: the third_in synapses
				// are the primary ones, block by block.
				got := map[synEdge]int{}
				for s := 0; s < ns; s++ {
					for _, a := range pin.Targets[pin.Offsets[s]:pin.Offsets[s+1]] {
						got[synEdge{uint32(s), a / uint32(c.size)}]++
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(prim) {
					t.Errorf("third_in synapses, mapped to their block's target, differ from the primary synapses")
				}
			}
			if c.pool == "random" && c.p == 1 {
				// With every primary synapse drawing, each target with at
				// least 3·pool_size synapses shows its whole pool
				// (missing one member has probability below
				// pool_size·(1-1/pool_size)^(3·pool_size) < 0.25 per target, and
				// at least one target must show it).
				full := 0
				for tg, members := range pool {
					if primIn[tg] >= 3*c.size && len(members) == c.size {
						full++
					}
				}
				if full == 0 {
					t.Errorf("no target shows a full pool of %d", c.size)
				}
			}
		})
	}
}

// inBlock reports whether third neuron a is in the block pool of target tg.
func inBlock(a, tg, size, nt, nth int) bool {
	if nt*size == nth {
		return a >= tg*size && a < (tg+1)*size
	}
	return a == tg/(nt/nth) // pool_size 1, targets a multiple of the third population
}

// perfectMatching reports whether left and right (with repeats) pair up
// one to one along ok (Kuhn's augmenting paths).
func perfectMatching(left, right []uint32, ok func(l, r uint32) bool) bool {
	if len(left) != len(right) {
		return false
	}
	match := make([]int, len(right))
	for i := range match {
		match[i] = -1
	}
	var try func(l int, seen []bool) bool
	try = func(l int, seen []bool) bool {
		for r := range right {
			if seen[r] || !ok(left[l], right[r]) {
				continue
			}
			seen[r] = true
			if match[r] < 0 || try(match[r], seen) {
				match[r] = l
				return true
			}
		}
		return false
	}
	for l := range left {
		if !try(l, make([]bool, len(right))) {
			return false
		}
	}
	return true
}

// NEST's errors for impossible requests, through Build (so that the
// connection's context reaches the message).
func TestImpossibleRequestsFail(t *testing.T) {
	oto := mkRule("one_to_one", true, true)
	oto.MakeSymmetric = true
	sym := symRule(0.5)
	symAut := sym
	symAut.AllowAutapses = true
	noSym := sym
	noSym.MakeSymmetric = false
	cases := []struct {
		name   string
		rule   spec.Rule
		ns, nt int
		same   bool
		want   string
	}{
		{"indegree above sources", mkRule("fixed_indegree", true, false, "indegree", 11), 10, 5, false, "cannot exceed"},
		{"indegree N without autapses", mkRule("fixed_indegree", false, false, "indegree", 10), 10, 10, true, "cannot exceed"},
		{"outdegree above targets", mkRule("fixed_outdegree", true, false, "outdegree", 6), 10, 5, false, "cannot exceed"},
		{"negative indegree", mkRule("fixed_indegree", true, true, "indegree", -1), 10, 5, false, "whole number >= 0"},
		{"fractional outdegree", mkRule("fixed_outdegree", true, true, "outdegree", 2.5), 10, 5, false, "whole number >= 0"},
		{"indegree from nothing", mkRule("fixed_indegree", false, true, "indegree", 1), 1, 1, true, "nothing to connect"},
		{"random indegree above sources", mkRule("fixed_indegree", true, false, "indegree", "20 + random.uniform_int(3)"), 10, 5, false, "only 10 candidates"},
		{"missing indegree", mkRule("fixed_indegree", true, true), 10, 5, false, "needs indegree"},
		{"unknown parameter", mkRule("all_to_all", true, true, "p", 0.5), 10, 5, false, "takes no parameter p"},
		{"fixed_total_number without multapses", mkRule("fixed_total_number", true, false, "N", 5), 10, 5, false, "cannot forbid multapses"},
		{"negative N", mkRule("fixed_total_number", true, true, "N", -3), 10, 5, false, "whole number >= 0"},
		{"p above 1", mkRule("pairwise_bernoulli", true, true, "p", 1.5), 3, 3, false, "p must be in [0, 1]"},
		{"negative p", mkRule("fixed_indegree", true, true, "indegree", 2, "p", -0.1), 3, 3, false, "p must be in [0, 1]"},
		{"p = 1 symmetric", symRule(1), 5, 5, true, "p must be in [0, 1)"},
		{"symmetric with autapses", symAut, 5, 5, true, "allow_autapses = false"},
		{"symmetric without make_symmetric", noSym, 5, 5, true, "make_symmetric = true"},
		{"symmetric random p", func() spec.Rule { r := symRule(0); r.Params["p"] = spec.Param("random.uniform()"); return r }(), 5, 5, true, "constant p"},
		{"poisson without multapses", mkRule("pairwise_poisson", true, false, "pairwise_avg_num_conns", 1), 3, 3, false, "allow_multapses must be true"},
		{"negative poisson mean", mkRule("pairwise_poisson", true, true, "pairwise_avg_num_conns", -1), 3, 3, false, ">= 0"},
		{"drawn negative poisson mean", mkRule("pairwise_poisson", true, true, "pairwise_avg_num_conns", "random.uniform(-2, -1)"), 3, 3, false, ">= 0"},
		{"make_symmetric all_to_all", func() spec.Rule { r := mkRule("all_to_all", true, true); r.MakeSymmetric = true; return r }(), 3, 3, false, "make_symmetric"},
		{"one_to_one sizes", oto, 10, 5, false, "as many sources as targets"},
		{"use_on_source elsewhere", func() spec.Rule { r := mkRule("all_to_all", true, true); r.UseOnSource = true; return r }(), 3, 3, false, "use_on_source"},
		{"conngen", mkRule("conngen", true, true), 3, 3, false, "not one of"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Build([]spec.Network{testPops(c.ns, c.nt, c.same, 1, testConn(c.same, c.rule))}, []int{0}, 2)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
	thirdCases := []struct {
		name string
		tf   spec.ThirdFactor
		nth  int
		want string
	}{
		{"pool too large", spec.ThirdFactor{P: 0.5, PoolType: "random", PoolSize: 11}, 10, "pool_size must be in [1, 10]"},
		{"pool zero", spec.ThirdFactor{P: 0.5, PoolType: "random", PoolSize: 0}, 10, "pool_size"},
		{"block mismatch", spec.ThirdFactor{P: 0.5, PoolType: "block", PoolSize: 2}, 15, "block pool"},
		{"block 1 not a multiple", spec.ThirdFactor{P: 0.5, PoolType: "block", PoolSize: 1}, 7, "block pool"},
		{"p above 1", spec.ThirdFactor{P: 1.5, PoolType: "random", PoolSize: 1}, 10, "p must be in [0, 1]"},
		{"pool type", spec.ThirdFactor{P: 0.5, PoolType: "tiled", PoolSize: 1}, 10, "pool_type"},
	}
	for _, c := range thirdCases {
		t.Run("third factor "+c.name, func(t *testing.T) {
			cn := testConn(false, mkRule("all_to_all", true, true))
			c.tf.Population = "C"
			cn.Third = &c.tf
			pt := testPops(4, 10, false, 1, cn)
			pt.Populations = append(pt.Populations, spec.Population{Name: "C", Model: "iaf_psc_delta", N: c.nth})
			_, err := Build([]spec.Network{pt}, []int{0}, 2)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// In one population, symmetric_pairwise_bernoulli's reverse synapses carry
// the weights and delays of the synapses they mirror, and one_to_one with
// make_symmetric connects each neuron to itself twice (NEST connects again
// with sources and targets swapped, and i → i is its own mirror).
func TestSymmetricSamePopulation(t *testing.T) {
	cn := testConn(true, symRule(0.1))
	cn.Syn.Weight = spec.Param("random.normal(0, 1)")
	cn.Syn.Delay = spec.Param("random.uniform(1, 10)")
	pr := build(t, 2, testPops(300, 0, true, 6, cn)).Projections[0]
	checkCSR(t, pr, 300, 300)
	noAutapses(t, pr)
	type syn struct {
		e synEdge
		w float32
		d uint16
	}
	count := map[syn]int{}
	for s := 0; s < 300; s++ {
		for j := pr.Offsets[s]; j < pr.Offsets[s+1]; j++ {
			count[syn{synEdge{uint32(s), pr.Targets[j]}, pr.Weights[j], pr.Delays[j]}]++
		}
	}
	for x, k := range count {
		if r := (syn{synEdge{x.e.t, x.e.s}, x.w, x.d}); count[r] != k {
			t.Fatalf("%d synapses %d->%d (w %g, d %d) but %d mirrored", k, x.e.s, x.e.t, x.w, x.d, count[r])
		}
	}
	oto := mkRule("one_to_one", true, true)
	oto.MakeSymmetric = true
	pr = build(t, 2, testPops(20, 0, true, 6, testConn(true, oto))).Projections[0]
	checkCSR(t, pr, 20, 20)
	for s := 0; s < 20; s++ {
		if row := pr.Targets[pr.Offsets[s]:pr.Offsets[s+1]]; len(row) != 2 || row[0] != uint32(s) || row[1] != uint32(s) {
			t.Fatalf("neuron %d: row %v, want [%d %d]", s, row, s, s)
		}
	}
}

// Devices may be the source of any rule (NEST: generators as sources are
// fine); make_symmetric needs populations at both ends.
func TestDeviceSources(t *testing.T) {
	mk := func(r spec.Rule) spec.Network {
		pt := testPops(1, 50, false, 1)
		pt.Populations = pt.Populations[1:]
		pt.Devices = []spec.Device{{Name: "A", Model: "poisson_generator", N: 8, Params: map[string]float64{"rate": 10}}}
		pt.Connections = []spec.Connection{testConn(false, r)}
		return pt
	}
	for _, c := range []struct {
		rule spec.Rule
		in   int // in-degree of every target, -1: random
	}{
		{mkRule("all_to_all", true, true), 8},
		{mkRule("fixed_indegree", true, false, "indegree", 8), 8},
		{mkRule("fixed_indegree", true, true, "indegree", 20), 20},
		{mkRule("pairwise_bernoulli", true, true, "p", 0.5), -1},
		{mkRule("fixed_outdegree", true, true, "outdegree", 30), -1},
	} {
		net := build(t, 2, mk(c.rule))
		pr := net.Projections[0]
		if !pr.Source.Device {
			t.Fatalf("%s: source %v is not the device", c.rule.Name, pr.Source)
		}
		checkCSR(t, pr, 8, 50)
		in, _ := degrees(pr, 50)
		if c.in >= 0 {
			wantDegrees(t, c.rule.Name+" in-degree", in, c.in)
		}
	}
	sym := symRule(0.5)
	if _, err := Build([]spec.Network{mk(sym)}, []int{0}, 1); err == nil || !strings.Contains(err.Error(), "populations at both ends") {
		t.Errorf("make_symmetric from a device: error %v", err)
	}
}

// NEST's fixed_indegree with a spatial p loops for ever when p is 0; here
// the draw gives up with an error.
func TestFixedDegreeGivesUp(t *testing.T) {
	g := tgrid{3, 3, 0.1, false}
	cn := spec.Connection{Source: "A", Target: "A", Rule: mkRule("fixed_indegree", true, true, "indegree", 1, "p", "0*spatial.distance"),
		Syn: spec.Synapse{Weight: spec.Constant(1), Delay: spec.Constant(1)}}
	_, err := Build([]spec.Network{spatialNet(1, []spec.Population{g.pop("A")}, cn)}, []int{0}, 1)
	if err == nil || !strings.Contains(err.Error(), "probability p is too small") {
		t.Errorf("p = 0: error %v, want one about p", err)
	}
}

// With multapses, a degree larger than the limit on rejected draws is
// made: only rejections count towards it.
func TestFixedDegreeAboveTheDrawLimit(t *testing.T) {
	k := maxTries + 2
	pop := spec.Population{Name: "A", Model: "iaf_psc_delta", N: 2}
	cn := spec.Connection{Source: "A", Target: "A", Rule: mkRule("fixed_indegree", false, true, "indegree", float64(k)),
		Syn: spec.Synapse{Weight: spec.Constant(1), Delay: spec.Constant(1)}}
	net, err := Build([]spec.Network{spatialNet(1, []spec.Population{pop}, cn)}, []int{0}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := net.Projections[0].Synapses(); got != int64(2*k) {
		t.Errorf("%d synapses, want %d", got, 2*k)
	}
}
