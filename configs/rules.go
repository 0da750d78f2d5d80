package configs

import (
	"fmt"
	"math"
	"strings"

	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// Connection rules: NEST's rules, their keys, and NEST's constraints on
// them. readRule checks what does not depend on values; ruleParam checks
// the values of a point against the population sizes; network.CheckRule
// has the last word.

// ruleDef is a rule's own keys (NEST's spelling).
type ruleDef struct {
	required []string
	optional []string
	spatial  bool // NEST connects it spatially (masks, spatial parameters)
}

var rules = map[string]ruleDef{
	"one_to_one":                   {},
	"all_to_all":                   {},
	"fixed_indegree":               {required: []string{"indegree"}, optional: []string{"p"}, spatial: true},
	"fixed_outdegree":              {required: []string{"outdegree"}, optional: []string{"p"}, spatial: true},
	"fixed_total_number":           {required: []string{"N"}},
	"pairwise_bernoulli":           {required: []string{"p"}, optional: []string{"use_on_source"}, spatial: true},
	"symmetric_pairwise_bernoulli": {required: []string{"p"}},
	"pairwise_poisson":             {required: []string{"pairwise_avg_num_conns"}, spatial: true},
}

// notRules are NEST's names that are not rules of a [[connection]].
var notRules = map[string]string{
	network.ThirdFactorRule: "it is the rule of a third factor: write third = { population = \"A\", rule = \"third_factor_bernoulli_with_pool\", p = …, pool_type = …, pool_size = … } beside the primary rule",
	"tripartite_bernoulli_with_pool": "it is NEST 3.7's tripartite rule; since NEST 3.9 a primary rule (pairwise_bernoulli with p = p_primary) " +
		"and third = { population = \"A\", rule = \"third_factor_bernoulli_with_pool\", p = p_third_if_primary, pool_type = …, pool_size = … } say the same",
	"conngen": "the Connection Generator interface (CSA, libneurosim) is out of scope",
}

var commonRuleKeys = []string{"allow_autapses", "allow_multapses", "make_symmetric"}

// spatialRuleKeys are read for the rules that connect spatially.
var spatialRuleKeys = []string{"mask", "allow_oversized_mask"}

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
	def, ok := rules[c.rule]
	if !ok {
		if why, known := notRules[c.rule]; known {
			d.p.add(join(path, "rule"), "%s is not a connection rule here: %s; rules: %s", c.rule, why, quoteList(ruleNames()))
		} else {
			d.p.add(join(path, "rule"), "unknown rule %q%s; rules: %s", c.rule, suggest(c.rule, ruleNames()), quoteList(ruleNames()))
		}
		return
	}
	if m == nil {
		m = map[string]any{}
	}
	own := append(append([]string(nil), def.required...), def.optional...)
	allowed := append(append([]string{"rule"}, commonRuleKeys...), own...)
	if def.spatial {
		allowed = append(allowed, spatialRuleKeys...)
	}
	for _, k := range sortedKeys(m) {
		if contains(allowed, k) || containsFold(own, k) {
			continue
		}
		kp := join(path, d.spelled(path, k))
		switch {
		case k == "use_on_source":
			d.p.add(kp, "use_on_source can only be set when using pairwise_bernoulli (NEST)")
		case contains(spatialRuleKeys, k):
			d.p.add(kp, "rule %s cannot use a mask: NEST connects spatially with %s", c.rule, quoteList(spatialRules))
		default:
			d.p.add(kp, "unknown key%s; rule %s accepts %s", suggest(k, allowed), c.rule, quoteList(allowed[1:]))
		}
	}
	c.autapses = d.flag(path, m, "allow_autapses", true)
	c.multapses = d.flag(path, m, "allow_multapses", true)
	c.symmetric = d.flag(path, m, "make_symmetric", false)
	if def.spatial {
		c.oversized = d.flag(path, m, "allow_oversized_mask", false)
		if raw, ok := m["mask"]; ok {
			if c.hasMask {
				d.p.add(join(path, "mask"), "the mask is also given as %s.mask; give it once", c.path)
			} else {
				c.hasMask = true
				c.mask = d.readMask(join(path, "mask"), raw)
			}
		}
	}
	if raw, ok := m["use_on_source"]; ok && c.rule == "pairwise_bernoulli" {
		c.useOnSource = field{join(path, "use_on_source"), raw}
		if _, err := boolean(raw); err != nil {
			d.p.report(c.useOnSource.path, err)
			c.useOnSource.raw = nil
		}
	}
	for _, key := range own {
		if key == "use_on_source" {
			continue
		}
		raw, ok := lookupFold(m, key)
		if !ok {
			if contains(def.required, key) {
				d.p.add(join(path, key), "missing: rule %s needs %s", c.rule, key)
			}
			continue
		}
		c.ruleParams = append(c.ruleParams, paramF{field: field{join(path, key), raw}, name: key})
	}
	// NEST's constraints on the flags, which do not depend on sizes.
	switch c.rule {
	case "symmetric_pairwise_bernoulli":
		if c.autapses {
			d.p.add(join(path, "allow_autapses"), "rule symmetric_pairwise_bernoulli needs allow_autapses = false (NEST: autapses must be disabled)")
		}
		if !c.multapses {
			d.p.add(join(path, "allow_multapses"), "rule symmetric_pairwise_bernoulli needs allow_multapses = true (NEST: multapses must be enabled)")
		}
		if !c.symmetric {
			d.p.add(join(path, "make_symmetric"), "rule symmetric_pairwise_bernoulli needs make_symmetric = true (NEST: symmetric connections must be enabled)")
		}
	case "one_to_one", "fixed_total_number": // the latter for gap_junction only (connectionFlags)
	default:
		if c.symmetric {
			d.p.add(join(path, "make_symmetric"), "make_symmetric = true is supported only by the rules one_to_one and symmetric_pairwise_bernoulli, not %s (NEST: this connection rule does not support symmetric connections)", c.rule)
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
// Constants are checked against the sizes; of parameters only what holds
// for every draw can be checked (a uniform degree above the pool without
// multapses, say); the rest is checked as the network draws them.
func (r *resolver) ruleParam(c *connT, g paramF, nSrc int, srcKnown bool, nTgt int, tgtKnown, sameSet bool) (spec.Value, bool) {
	fail := func(format string, args ...any) (spec.Value, bool) {
		r.p.add(g.path, format, args...)
		return spec.Value{}, false
	}
	report := func(err error) (spec.Value, bool) {
		r.p.report(g.path, err)
		return spec.Value{}, false
	}
	switch g.name {
	case "N":
		if v, err := r.s.value(g.raw, "", anyParam); err == nil && !v.IsConst() {
			return fail("rule fixed_total_number takes a constant N (NEST reads a whole number), got %s", v.Expr)
		}
		n, err := r.s.whole(g.raw, 0, math.MaxInt64)
		if err != nil {
			return report(err)
		}
		if sameSet && !c.autapses && srcKnown && nSrc == 1 && n > 0 {
			return fail("cannot draw %d connections within a population of one neuron without autapses", n)
		}
		return spec.Constant(float64(n)), true
	case "indegree", "outdegree":
		var v spec.Value
		if s, isText := g.raw.(string); isText || isTable(g.raw) {
			var err error
			if v, err = r.s.value(g.raw, "", anyParam); err != nil {
				return report(err)
			}
			if v.IsConst() {
				// An expression of [vars]: a whole number, as a plain one.
				if n, ok := wholeValue(v.Const); !ok || n < 0 {
					return fail("expected a whole number >= 0, got %s", got(s, v.Const))
				}
			}
		} else {
			n, err := r.s.whole(g.raw, 0, math.MaxInt64)
			if err != nil {
				return report(err)
			}
			v = spec.Constant(float64(n))
		}
		lo, hi, known := support(v)
		if known && !v.IsConst() && math.Round(lo) < 0 {
			return fail("expected a whole number >= 0 or a parameter that draws them, got %s, which draws negative numbers", show(v, ""))
		}
		// Without multapses a degree cannot exceed the number of candidates.
		pool, poolKnown, poolName := nSrc, srcKnown, c.source
		if g.name == "outdegree" {
			pool, poolKnown, poolName = nTgt, tgtKnown, c.target
		}
		if !c.multapses && poolKnown && known {
			limit := pool
			why := fmt.Sprintf("the size of %s", poolName)
			if sameSet && !c.autapses {
				limit--
				why += ", less one without autapses"
			}
			if !v.IsConst() {
				hi = math.Round(hi) // NEST rounds a drawn degree
			}
			if hi > float64(limit) {
				return fail("expected at most %d (%s) with allow_multapses = false, got %s", limit, why, show(v, ""))
			}
		}
		return v, true
	case "p":
		if c.rule == "symmetric_pairwise_bernoulli" {
			if v, err := r.s.value(g.raw, "", anyParam); err == nil && !v.IsConst() {
				return fail("rule symmetric_pairwise_bernoulli takes a constant p (NEST reads a number), got %s", v.Expr)
			}
			x, err := r.s.real(g.raw, "")
			if err != nil {
				return report(err)
			}
			if !(x >= 0 && x < 1) {
				return fail("expected a probability >= 0 and < 1, got %s", got(g.raw, x))
			}
			return spec.Constant(x), true
		}
		v, err := r.s.value(g.raw, "", anyParam)
		if err != nil {
			return report(err)
		}
		if v.IsConst() && !(v.Const >= 0 && v.Const <= 1) {
			return fail("expected a probability from 0 to 1, got %s", got(g.raw, v.Const))
		}
		return v, true
	case "pairwise_avg_num_conns":
		v, err := r.s.value(g.raw, "", anyParam)
		if err != nil {
			return report(err)
		}
		if v.IsConst() && !(v.Const >= 0) {
			return fail("expected a number >= 0, got %s", got(g.raw, v.Const))
		}
		if lo, _, known := support(v); known && !v.IsConst() && lo < 0 {
			return fail("expected numbers >= 0, got %s, which draws negative numbers", show(v, ""))
		}
		return v, true
	}
	return spec.Value{}, false
}

func isTable(raw any) bool {
	_, ok := raw.(map[string]any)
	return ok
}
