package network

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/spec"
)

// Rules lists the connection rules, with NEST's names.
var Rules = []string{"one_to_one", "all_to_all", "fixed_indegree", "fixed_outdegree", "fixed_total_number",
	"pairwise_bernoulli", "symmetric_pairwise_bernoulli", "pairwise_poisson"}

// ThirdFactorRule is the rule of a connection's third factor.
const ThirdFactorRule = "third_factor_bernoulli_with_pool"

// ruleKeys are the parameters each rule reads (beyond the flags).
var ruleKeys = map[string][]string{
	"one_to_one":                   nil,
	"all_to_all":                   nil,
	"fixed_indegree":               {"indegree", "p"},
	"fixed_outdegree":              {"outdegree", "p"},
	"fixed_total_number":           {"N"},
	"pairwise_bernoulli":           {"p"},
	"symmetric_pairwise_bernoulli": {"p"},
	"pairwise_poisson":             {"pairwise_avg_num_conns"},
}

// required are the parameters a rule cannot do without.
var required = map[string]string{
	"fixed_indegree": "indegree", "fixed_outdegree": "outdegree", "fixed_total_number": "N",
	"pairwise_bernoulli": "p", "symmetric_pairwise_bernoulli": "p", "pairwise_poisson": "pairwise_avg_num_conns",
}

// CheckRule reports whether rule r can connect ns sources to nt targets
// (same: they are the same neurons, so autapses are possible), with NEST's
// errors for impossible requests. Only constant parameters are checked
// against the sizes; random and spatial ones are checked as they are drawn.
func CheckRule(r spec.Rule, ns, nt int, same bool) error {
	keys, ok := ruleKeys[r.Name]
	if !ok {
		return fmt.Errorf("connection rule %q is not one of %v", r.Name, Rules)
	}
	for k := range r.Params {
		if !contains(keys, k) {
			return fmt.Errorf("rule %s takes no parameter %s", r.Name, k)
		}
	}
	if k := required[r.Name]; k != "" {
		if _, ok := r.Params[k]; !ok {
			return fmt.Errorf("rule %s needs %s", r.Name, k)
		}
	}
	if r.MakeSymmetric && r.Name != "one_to_one" && r.Name != "symmetric_pairwise_bernoulli" && r.Name != "fixed_total_number" {
		return fmt.Errorf("make_symmetric is only supported by one_to_one (as in NEST), and fixed_total_number for gap junctions, not %s", r.Name)
	}
	if r.UseOnSource && r.Name != "pairwise_bernoulli" {
		return fmt.Errorf("use_on_source is a pairwise_bernoulli option")
	}
	constant := func(k string) (float64, bool) {
		v, ok := r.Params[k]
		return v.Const, ok && v.IsConst()
	}
	avail := func(n int) int {
		if same && !r.AllowAutapses {
			return n - 1
		}
		return n
	}
	degree := func(k string, pool int) error {
		d, ok := constant(k)
		if !ok {
			return nil
		}
		if d < 0 || d != math.Trunc(d) {
			return fmt.Errorf("%s must be a whole number >= 0 (got %g)", k, d)
		}
		if d > 0 && avail(pool) < 1 {
			return fmt.Errorf("%s %g: nothing to connect to", k, d)
		}
		if !r.AllowMultapses && int(d) > avail(pool) {
			return fmt.Errorf("%s %g cannot exceed the number of available neurons (%d) when multapses are not allowed", k, d, avail(pool))
		}
		return nil
	}
	probability := func(open bool) error {
		p, ok := constant("p")
		if !ok {
			return nil
		}
		if !(p >= 0 && p <= 1) || open && p == 1 {
			if open {
				return fmt.Errorf("p must be in [0, 1) (got %g)", p)
			}
			return fmt.Errorf("p must be in [0, 1] (got %g)", p)
		}
		return nil
	}
	switch r.Name {
	case "one_to_one":
		if ns != nt {
			return fmt.Errorf("one_to_one needs as many sources as targets (got %d and %d)", ns, nt)
		}
	case "fixed_indegree":
		if err := degree("indegree", ns); err != nil {
			return err
		}
		return probability(false)
	case "fixed_outdegree":
		if err := degree("outdegree", nt); err != nil {
			return err
		}
		return probability(false)
	case "fixed_total_number":
		if !r.AllowMultapses {
			return fmt.Errorf("fixed_total_number cannot forbid multapses (NEST: not implemented)")
		}
		n, ok := constant("N")
		if ok && (n < 0 || n != math.Trunc(n)) {
			return fmt.Errorf("N must be a whole number >= 0 (got %g)", n)
		}
		if ok && n > 0 && (nt == 0 || avail(ns) < 1) {
			return fmt.Errorf("N %g: nothing to connect", n)
		}
	case "pairwise_bernoulli":
		return probability(false)
	case "symmetric_pairwise_bernoulli":
		if r.AllowAutapses || !r.AllowMultapses || !r.MakeSymmetric {
			return fmt.Errorf("symmetric_pairwise_bernoulli needs allow_autapses = false, allow_multapses = true and make_symmetric = true (as NEST)")
		}
		if _, ok := constant("p"); !ok {
			return fmt.Errorf("symmetric_pairwise_bernoulli needs a constant p")
		}
		return probability(true)
	case "pairwise_poisson":
		if !r.AllowMultapses {
			return fmt.Errorf("pairwise_poisson creates multapses: allow_multapses must be true")
		}
		if l, ok := constant("pairwise_avg_num_conns"); ok && !(l >= 0) {
			return fmt.Errorf("pairwise_avg_num_conns must be >= 0 (got %g)", l)
		}
	}
	return nil
}

// CheckThird applies NEST's checks of third_factor_bernoulli_with_pool to a
// third population of nThird neurons and nt targets.
func CheckThird(t *spec.ThirdFactor, nt, nThird int) error {
	if !(t.P >= 0 && t.P <= 1) {
		return fmt.Errorf("third factor: p must be in [0, 1] (got %g)", t.P)
	}
	if t.PoolSize < 1 || t.PoolSize > nThird {
		return fmt.Errorf("third factor: pool_size must be in [1, %d] (got %d)", nThird, t.PoolSize)
	}
	switch t.PoolType {
	case "random":
	case "block":
		if !(nt*t.PoolSize == nThird || t.PoolSize == 1 && nt%nThird == 0) {
			return fmt.Errorf("third factor: a block pool needs targets × pool_size = third population (%d × %d ≠ %d), "+
				"or pool_size 1 with the targets a multiple of the third population", nt, t.PoolSize, nThird)
		}
	default:
		return fmt.Errorf("third factor: pool_type must be random or block (got %q)", t.PoolType)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
