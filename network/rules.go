package network

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/spec"
)

// rowRule appends the sources of target t to dst, drawing from st (the
// target's own stream) in a fixed order.
type rowRule func(t int, st *rng.Stream, dst []uint32) []uint32

// ruleShape is what a rule needs to know about its endpoints.
type ruleShape struct {
	ns, nt int
	same   bool // sources and targets are the same neurons (autapses possible)
}

// Rules lists the connection rules Build implements.
var Rules = []string{"all_to_all", "one_to_one", "fixed_indegree", "pairwise_bernoulli"}

// CheckRule reports whether rule r can connect ns sources to nt targets
// (same: they are the same population), with NEST's errors for impossible
// requests. Configs call it so that such errors come before anything runs.
func CheckRule(r spec.Rule, ns, nt int, same bool) error {
	_, err := makeRule(r, ruleShape{ns, nt, same})
	return err
}

func constParam(r spec.Rule, name string) (float64, error) {
	v, ok := r.Params[name]
	if !ok {
		return 0, fmt.Errorf("rule %s needs %s", r.Name, name)
	}
	if !v.IsConst() {
		return 0, fmt.Errorf("rule %s: a random %s is not supported yet; give a number", r.Name, name)
	}
	return v.Const, nil
}

func makeRule(r spec.Rule, sh ruleShape) (rowRule, error) {
	if r.MakeSymmetric && r.Name != "one_to_one" {
		return nil, fmt.Errorf("make_symmetric is only supported by one_to_one (as in NEST), not %s", r.Name)
	}
	autapse := sh.same && !r.AllowAutapses
	switch r.Name {
	case "all_to_all":
		return func(t int, _ *rng.Stream, dst []uint32) []uint32 {
			for s := 0; s < sh.ns; s++ {
				if !(autapse && s == t) {
					dst = append(dst, uint32(s))
				}
			}
			return dst
		}, nil
	case "one_to_one":
		if sh.ns != sh.nt {
			return nil, fmt.Errorf("one_to_one needs as many sources as targets (got %d and %d)", sh.ns, sh.nt)
		}
		if r.MakeSymmetric {
			return nil, fmt.Errorf("make_symmetric is not supported yet")
		}
		return func(t int, _ *rng.Stream, dst []uint32) []uint32 {
			if autapse {
				return dst
			}
			return append(dst, uint32(t))
		}, nil
	case "fixed_indegree":
		kf, err := constParam(r, "indegree")
		if err != nil {
			return nil, err
		}
		if kf < 0 || kf != math.Trunc(kf) {
			return nil, fmt.Errorf("indegree must be a whole number >= 0 (got %g)", kf)
		}
		k := int(kf)
		avail := sh.ns
		if autapse {
			avail--
		}
		if k > 0 && avail < 1 {
			return nil, fmt.Errorf("indegree %d: no source to draw from", k)
		}
		if !r.AllowMultapses && k > avail {
			return nil, fmt.Errorf("indegree %d cannot exceed the number of available sources (%d) when multapses are not allowed", k, avail)
		}
		return fixedIndegree(k, sh.ns, autapse, !r.AllowMultapses), nil
	case "pairwise_bernoulli":
		p, err := constParam(r, "p")
		if err != nil {
			return nil, err
		}
		if !(p >= 0 && p <= 1) {
			return nil, fmt.Errorf("p must be in [0, 1] (got %g)", p)
		}
		return pairwiseBernoulli(p, sh.ns, autapse), nil
	}
	return nil, fmt.Errorf("connection rule %q is not supported (supported: %v)", r.Name, Rules)
}

// fixedIndegree draws k sources uniformly for each target, redrawing
// autapses (when forbidden) and repeats (when multapses are forbidden),
// as NEST's fixed_indegree does.
func fixedIndegree(k, ns int, noAutapse, noMultapse bool) rowRule {
	return func(t int, st *rng.Stream, dst []uint32) []uint32 {
		first := len(dst)
		var taken map[uint32]bool
		if noMultapse {
			taken = make(map[uint32]bool, k)
		}
		for len(dst)-first < k {
			s := st.Intn(uint32(ns))
			if noAutapse && int(s) == t {
				continue
			}
			if noMultapse {
				if taken[s] {
					continue
				}
				taken[s] = true
			}
			dst = append(dst, s)
		}
		return dst
	}
}

// pairwiseBernoulli connects each source to the target with probability p,
// in source order, skipping ahead by geometric gaps (the same law as one
// Bernoulli draw per pair, at a cost proportional to the connections made).
func pairwiseBernoulli(p float64, ns int, noAutapse bool) rowRule {
	lq := math.Log1p(-p)
	return func(t int, st *rng.Stream, dst []uint32) []uint32 {
		if p == 0 {
			return dst
		}
		for s := -1; ; {
			gap := 0.0
			if p < 1 {
				gap = math.Floor(math.Log(st.OpenFloat64()) / lq)
			}
			if gap >= float64(ns-1-s) {
				return dst
			}
			s += int(gap) + 1
			if !(noAutapse && s == t) {
				dst = append(dst, uint32(s))
			}
		}
	}
}
