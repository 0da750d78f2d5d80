package configs

import (
	"fmt"
	"math"
	"strings"

	"github.com/snn-gpu/snn-gpu/spec"
)

// Connection rules: which NEST rules are built, their keys, and NEST's
// constraints on them. readRule checks what does not depend on values;
// ruleParam checks the values of a point against the population sizes.

// rules are the NEST connection rules snn-gpu builds, with their own keys
// (NEST's spelling).
var rules = map[string][]string{
	"one_to_one":                   nil,
	"all_to_all":                   nil,
	"fixed_indegree":               {"indegree"},
	"fixed_outdegree":              {"outdegree"},
	"fixed_total_number":           {"N"},
	"pairwise_bernoulli":           {"p"},
	"symmetric_pairwise_bernoulli": {"p"},
	"pairwise_poisson":             {"pairwise_avg_num_conns"},
}

// outOfScope are NEST rules snn-gpu refuses.
var outOfScope = map[string]string{
	"third_factor_bernoulli_with_pool": "tripartite (third-factor) connectivity is out of scope",
	"tripartite_bernoulli_with_pool":   "tripartite (third-factor) connectivity is out of scope",
	"conngen":                          "the Connection Generator interface (CSA, libneurosim) is out of scope",
}

var commonRuleKeys = []string{"allow_autapses", "allow_multapses", "make_symmetric"}

func ruleNames() []string { return sortedKeys(rules) }

func (d *doc) readRule(c *connT, path string, raw any) {
	var m map[string]any
	switch r := raw.(type) {
	case nil:
		return
	case string:
		c.rule = r
	case map[string]any:
		m = r
		if name, ok := d.text(path, m, "rule", false); ok {
			c.rule = name
		}
	default:
		d.p.add(path, "expected a rule name or a table { rule = \"fixed_indegree\", indegree = … }, got %s", describe(raw))
		return
	}
	keys, ok := rules[c.rule]
	if !ok {
		if why, out := outOfScope[c.rule]; out {
			d.p.add(join(path, "rule"), "rule %s is not supported: %s; rules: %s", c.rule, why, quoteList(ruleNames()))
		} else {
			d.p.add(join(path, "rule"), "unknown rule %q%s; rules: %s", c.rule, suggest(c.rule, ruleNames()), quoteList(ruleNames()))
		}
		return
	}
	if m == nil {
		m = map[string]any{}
	}
	allowed := append(append([]string{"rule"}, commonRuleKeys...), keys...)
	for _, k := range sortedKeys(m) {
		if !contains(allowed, k) && !containsFold(keys, k) {
			d.p.add(join(path, d.spelled(path, k)), "unknown key%s; rule %s accepts %s", suggest(k, allowed), c.rule, quoteList(allowed[1:]))
		}
	}
	c.autapses = d.flag(path, m, "allow_autapses", true)
	c.multapses = d.flag(path, m, "allow_multapses", true)
	c.symmetric = d.flag(path, m, "make_symmetric", false)
	for _, key := range keys {
		raw, ok := lookupFold(m, key)
		if !ok {
			d.p.add(join(path, key), "missing: rule %s needs %s", c.rule, key)
			continue
		}
		c.ruleParams = append(c.ruleParams, paramF{field: field{join(path, key), raw}, name: key})
	}
	// NEST's constraints on the flags, which do not depend on sizes.
	switch c.rule {
	case "symmetric_pairwise_bernoulli":
		if c.autapses || !c.multapses || !c.symmetric {
			d.p.add(path, "rule symmetric_pairwise_bernoulli needs allow_autapses = false, allow_multapses = true and make_symmetric = true (got %v, %v, %v)", c.autapses, c.multapses, c.symmetric)
		}
	case "one_to_one":
	default:
		if c.symmetric {
			d.p.add(join(path, "make_symmetric"), "make_symmetric = true is supported only by the rules one_to_one and symmetric_pairwise_bernoulli, not %s", c.rule)
		}
	}
	if c.symmetric && c.srcDev >= 0 {
		d.p.add(join(path, "make_symmetric"), "make_symmetric needs a population as source (the reverse connections end at the source), not the device %q", c.source)
	}
	if !c.multapses {
		switch c.rule {
		case "fixed_total_number":
			d.p.add(join(path, "allow_multapses"), "rule fixed_total_number cannot forbid multapses (NEST does not implement it); allow_multapses must be true")
		case "pairwise_poisson":
			d.p.add(join(path, "allow_multapses"), "rule pairwise_poisson creates multapses by design; allow_multapses must be true")
		}
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func lookupFold(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// ruleParam evaluates and checks one parameter of a connection rule.
func (r *resolver) ruleParam(c *connT, g paramF, nSrc int, srcKnown bool, nTgt int, tgtKnown, sameSet bool) (spec.Value, bool) {
	_, isTable := g.raw.(map[string]any)
	fail := func(format string, args ...any) (spec.Value, bool) {
		r.p.add(g.path, format, args...)
		return spec.Value{}, false
	}
	switch g.name {
	case "indegree", "outdegree", "N":
		var v spec.Value
		if isTable && g.name != "N" {
			var err error
			if v, err = r.s.value(g.raw, "", true); err != nil {
				r.p.report(g.path, err)
				return spec.Value{}, false
			}
			if lo, _ := support(v); lo < 0 {
				return fail("expected a whole number >= 0 or a distribution of them, got %s, which can be negative", show(v, ""))
			}
		} else {
			n, err := r.s.whole(g.raw, 0, math.MaxInt64)
			if err != nil {
				r.p.report(g.path, err)
				return spec.Value{}, false
			}
			v = spec.Constant(float64(n))
		}
		// Without multapses a degree cannot exceed the number of candidates.
		pool, poolKnown, poolName := nSrc, srcKnown, c.source
		if g.name == "outdegree" {
			pool, poolKnown, poolName = nTgt, tgtKnown, c.target
		}
		if g.name != "N" && !c.multapses && poolKnown {
			limit := pool
			why := fmt.Sprintf("the size of %s", poolName)
			if sameSet && !c.autapses {
				limit--
				why += ", less one without autapses"
			}
			_, hi := support(v)
			if math.IsInf(hi, 1) {
				return fail("with allow_multapses = false a %s must be bounded, got %s", g.name, show(v, ""))
			}
			if hi > float64(limit) {
				return fail("expected at most %d (%s) with allow_multapses = false, got %s", limit, why, show(v, ""))
			}
		}
		if g.name == "N" && sameSet && !c.autapses && srcKnown && nSrc == 1 && v.Const > 0 {
			return fail("cannot draw %g connections within a population of one neuron without autapses", v.Const)
		}
		return v, true
	case "p":
		if c.rule == "symmetric_pairwise_bernoulli" {
			x, err := r.s.real(g.raw, "")
			if err != nil {
				r.p.report(g.path, err)
				return spec.Value{}, false
			}
			if !(x >= 0 && x < 1) {
				return fail("expected a probability >= 0 and < 1, got %s", got(g.raw, x))
			}
			return spec.Constant(x), true
		}
		v, err := r.s.value(g.raw, "", true)
		if err != nil {
			r.p.report(g.path, err)
			return spec.Value{}, false
		}
		if !v.IsConst() && v.Dist != "uniform" {
			return fail("expected a probability or a uniform distribution of probabilities, got %s", show(v, ""))
		}
		if lo, hi := support(v); !(lo >= 0 && hi <= 1) {
			if v.IsConst() {
				return fail("expected a probability from 0 to 1, got %s", got(g.raw, v.Const))
			}
			return fail("expected probabilities from 0 to 1, got %s", show(v, ""))
		}
		return v, true
	case "pairwise_avg_num_conns":
		v, err := r.s.value(g.raw, "", true)
		if err != nil {
			r.p.report(g.path, err)
			return spec.Value{}, false
		}
		if lo, _ := support(v); !(lo >= 0) {
			if v.IsConst() {
				return fail("expected a number >= 0, got %s", got(g.raw, v.Const))
			}
			return fail("expected numbers >= 0, got %s, which can be negative", show(v, ""))
		}
		return v, true
	}
	return spec.Value{}, false
}
