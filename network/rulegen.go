package network

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/rng"
)

// maxTries bounds the draws of the rejection loops (a mask with too few
// neurons, or a tiny spatial p): NEST would loop for ever.
const maxTries = 1_000_000

// rowGenerator returns the row generator of the connection's rule.
func (cn *connector) rowGenerator() (rowGen, error) {
	r := cn.c.Rule
	autapse := func(s, t int) bool { return cn.same && !r.AllowAutapses && s == t }
	switch r.Name {
	case "all_to_all":
		return func(t int, g *gen) error {
			return cn.eachPair(g, t, autapse, func(s int) error { return g.edge(s, t) })
		}, nil
	case "one_to_one":
		return func(t int, g *gen) error {
			if autapse(t, t) {
				return nil
			}
			g.pair(t, t)
			return g.edge(t, t)
		}, nil
	case "fixed_indegree", "fixed_outdegree":
		return cn.fixedDegree(autapse), nil
	case "fixed_total_number":
		return func(t int, g *gen) error {
			for k := 0; k < cn.totalPer[t]; k++ {
				s := int(g.st.Intn(uint32(cn.src.n)))
				for autapse(s, t) {
					s = int(g.st.Intn(uint32(cn.src.n)))
				}
				g.pair(s, t)
				if err := g.edge(s, t); err != nil {
					return err
				}
			}
			return nil
		}, nil
	case "pairwise_bernoulli":
		return cn.pairwiseBernoulli(autapse), nil
	case "pairwise_poisson":
		return func(t int, g *gen) error {
			return cn.eachPair(g, t, autapse, func(s int) error {
				lambda, err := g.evalAt(cn.prob)
				if err != nil {
					return err
				}
				if !(lambda >= 0) {
					return fmt.Errorf("pairwise_avg_num_conns must be >= 0 (drew %g)", lambda)
				}
				for k := g.st.Poisson(lambda); k > 0; k-- {
					if err := g.edge(s, t); err != nil {
						return err
					}
				}
				return nil
			})
		}, nil
	case "symmetric_pairwise_bernoulli":
		p, _ := cn.prob.Constant()
		ns := cn.src.n
		return func(t int, g *gen) error {
			k := uint64(ns)
			for k >= uint64(ns) { // NEST's truncated binomial
				k = g.st.Binomial(uint64(ns), p)
			}
			if cn.same && k > uint64(ns-1) {
				k = uint64(ns - 1)
			}
			taken := make(map[uint32]bool, k)
			for n := uint64(0); n < k; {
				s := g.st.Intn(uint32(ns))
				if cn.same && int(s) == t || taken[s] {
					continue
				}
				taken[s] = true
				g.pair(int(s), t)
				if err := g.edge(int(s), t); err != nil {
					return err
				}
				n++
			}
			return nil
		}, nil
	}
	return nil, fmt.Errorf("connection rule %q is not one of %v", r.Name, Rules)
}

// fixedDegree draws a fixed number of pool neurons for each driver:
// sources for fixed_indegree (rows are targets), targets for
// fixed_outdegree (rows are sources). Spatially, only pool neurons inside
// the mask are candidates, each accepted with probability p, as in NEST.
func (cn *connector) fixedDegree(autapse func(s, t int) bool) rowGen {
	in := cn.c.Rule.Name == "fixed_indegree"
	pool := cn.src.n
	if !in {
		pool = cn.tgt.n
	}
	ends := func(d, q int) (s, t int) {
		if in {
			return q, d
		}
		return d, q
	}
	return func(d int, g *gen) error {
		k, err := cn.degreeOf(g, d, in)
		if err != nil {
			return err
		}
		// Candidates: every pool neuron, or those inside the mask.
		var cand []uint32
		n := pool
		avail := pool
		if cn.mask != nil {
			var ix *cellIndex
			var center [3]float64
			if in {
				ix, center = cn.srcIx, cn.tgtPos(d)
			} else {
				ix, center = cn.tgtIx, cn.srcPos(d)
			}
			_ = g.each(ix, center, pool, func(q int) error {
				s, t := ends(d, q)
				g.pair(s, t)
				if g.inMask() && !autapse(s, t) {
					cand = append(cand, uint32(q))
				}
				return nil
			})
			n, avail = len(cand), len(cand)
		} else if cn.same && !cn.c.Rule.AllowAutapses {
			avail--
		}
		if k > 0 && avail < 1 {
			return fmt.Errorf("neuron %d has no candidate to connect to (mask too small?)", d)
		}
		noMultapse := !cn.c.Rule.AllowMultapses
		if noMultapse && k > avail {
			return fmt.Errorf("neuron %d: %d connections without multapses, but only %d candidates", d, k, avail)
		}
		var taken map[int]bool
		if noMultapse {
			taken = make(map[int]bool, k)
		}
		// Give up when draws are rejected both many times and far more
		// often than accepted: a large degree takes as many draws as it needs.
		for made, rejected := 0, 0; made < k; {
			if rejected > maxTries && rejected > 100*made {
				why := "autapses and multapses are refused, and the candidates are used up"
				if cn.prob != nil {
					why = "its connection probability p is too small where the mask reaches"
				}
				return fmt.Errorf("neuron %d: %d of %d connections made after %d rejected draws: %s", d, made, k, rejected, why)
			}
			q := int(g.st.Intn(uint32(n)))
			if cand != nil {
				q = int(cand[q])
			}
			s, t := ends(d, q)
			if autapse(s, t) || noMultapse && taken[q] {
				rejected++
				continue
			}
			g.pair(s, t)
			if cn.prob != nil {
				p, err := g.evalAt(cn.prob)
				if err != nil {
					return err
				}
				if g.st.Float64() >= p {
					rejected++
					continue
				}
			}
			if noMultapse {
				taken[q] = true
			}
			if err := g.edge(s, t); err != nil {
				return err
			}
			made++
		}
		return nil
	}
}

// degreeOf is the number of connections of driver d (a target when in):
// a constant, or NEST's round(parameter value) drawn for the driver, whose
// position (if any) is both ends of the geometry.
func (cn *connector) degreeOf(g *gen, d int, in bool) (int, error) {
	if x, ok := cn.degree.Constant(); ok {
		return int(x), nil
	}
	if cn.spatialEnv {
		l := cn.tgt.layer
		if !in {
			l = cn.src.layer
		}
		g.env.Source, g.env.Target, g.env.Disp = l.Pos[d], l.Pos[d], [3]float64{}
	}
	x, err := g.evalAt(cn.degree)
	if err != nil {
		return 0, err
	}
	k := math.Round(x)
	if !(k >= 0) || k > math.MaxInt32 {
		return 0, fmt.Errorf("drew a degree of %g for neuron %d: degrees must be >= 0", x, d)
	}
	return int(k), nil
}

// pairwiseBernoulli inspects each (source, target) pair once, connecting
// with probability p. A constant p without a mask skips ahead by geometric
// gaps (the same law, at a cost proportional to the connections made).
func (cn *connector) pairwiseBernoulli(autapse func(s, t int) bool) rowGen {
	ns := cn.src.n
	if p, ok := cn.prob.Constant(); ok && cn.mask == nil {
		lq := math.Log1p(-p)
		return func(t int, g *gen) error {
			if p == 0 {
				return nil
			}
			for s := -1; ; {
				gap := 0.0
				if p < 1 {
					gap = math.Floor(math.Log(g.st.OpenFloat64()) / lq)
				}
				if gap >= float64(ns-1-s) {
					return nil
				}
				s += int(gap) + 1
				if autapse(s, t) {
					continue
				}
				g.pair(s, t)
				if err := g.edge(s, t); err != nil {
					return err
				}
			}
		}
	}
	return func(t int, g *gen) error {
		return cn.eachPair(g, t, autapse, func(s int) error {
			p, err := g.evalAt(cn.prob)
			if err != nil {
				return err
			}
			if g.st.Float64() < p {
				return g.edge(s, t)
			}
			return nil
		})
	}
}

// eachPair calls f for every source that may connect to target t, in
// ascending order: autapses skipped when forbidden, pairs outside the mask
// skipped, the pair's geometry set.
func (cn *connector) eachPair(g *gen, t int, autapse func(s, t int) bool, f func(s int) error) error {
	return g.each(cn.srcIx, cn.tgtPos(t), cn.src.n, func(s int) error {
		if autapse(s, t) {
			return nil
		}
		g.pair(s, t)
		if !g.inMask() {
			return nil
		}
		return f(s)
	})
}

// srcPos and tgtPos are a neuron's position (the origin without a layer,
// where no index asks for it).
func (cn *connector) srcPos(s int) [3]float64 {
	if cn.src.layer == nil {
		return [3]float64{}
	}
	return cn.src.layer.Pos[s]
}

func (cn *connector) tgtPos(t int) [3]float64 {
	if cn.tgt.layer == nil {
		return [3]float64{}
	}
	return cn.tgt.layer.Pos[t]
}

// totalNumber splits fixed_total_number's N synapses over the targets: a
// multinomial with equal cells, drawn as sequential binomials over blocks of
// 1024 targets and then over the targets of each block. The blocks do not
// depend on the thread count, so neither does the split.
func totalNumber(key rng.Key, object uint32, n uint64, nt int) []int {
	const block = 1024
	per := make([]int, nt)
	st := rng.NewStream(key, rng.PurposeQuota, object, 0xFFFFFF, 0)
	left := n
	for b := 0; b < nt; b += block {
		size := min(block, nt-b)
		rest := nt - b
		q := left
		if size < rest {
			q = st.Binomial(left, float64(size)/float64(rest))
		}
		left -= q
		bs := rng.NewStream(key, rng.PurposeQuota, object, uint32(b/block), 0)
		for i := 0; i < size; i++ {
			k := q
			if i < size-1 {
				k = bs.Binomial(q, 1/float64(size-i))
			}
			per[b+i] = int(k)
			q -= k
		}
	}
	return per
}
