package network

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/internal/parallel"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/param"
	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/spec"
)

// side is one end of a connection.
type side struct {
	n     int
	layer *Layer // nil: no positions
}

// synParams draws the weight and delay of one synapse when they are not
// constants.
type synParams struct {
	weight, delay *param.Expr // nil when constant
	dt            float64
	key           string // the synapse's table in a [[connection]]: syn, syn_third_in or syn_third_out
}

func newSynParams(syn spec.Synapse, dt float64, key string) (synParams, error) {
	sp := synParams{dt: dt, key: key}
	for _, x := range []struct {
		v   spec.Value
		dst **param.Expr
		nm  string
	}{{syn.Weight, &sp.weight, "weight"}, {syn.Delay, &sp.delay, "delay"}} {
		if x.v.IsConst() {
			continue
		}
		e, err := param.Compile(x.v.Expr, nil)
		if err != nil {
			return sp, at(key+"."+x.nm, err)
		}
		*x.dst = e
	}
	return sp, nil
}

func (sp *synParams) random() bool { return sp.weight != nil || sp.delay != nil }

// connector draws the synapses of one connection statement.
type connector struct {
	c          spec.Connection
	index      int // connection number: the stream object of its draws
	src, tgt   side
	same       bool // sources and targets are the same neurons
	key        rng.Key
	threads    int
	dt         float64
	mask       *mask
	degree     *param.Expr // indegree, outdegree, N
	prob       *param.Expr // p or pairwise_avg_num_conns
	syn        synParams
	driverSrc  bool // geometry: the driver is the source (pool = target layer)
	third      *thirdFactor
	totalPer   []int // fixed_total_number: synapses per target
	spatialEnv bool  // some parameter or the mask needs positions
	// Cell indexes of the source and target layers, so that masked rules
	// visit only the neurons the mask can reach (nil: visit all).
	srcIx, tgtIx *cellIndex
}

// Stream objects: the primary synapses use the connection number, the others
// add a role in the upper bits (the object field has 24 bits).
const (
	roleReverse = 1 << 20
	roleIn      = 2 << 20
	roleOut     = 3 << 20
)

// edgeSet is the synapses of a rule drawn row by row; a row is a driver
// neuron: a target (driverIsTarget) or a source. explicit sets carry both
// ends of each edge (third_in).
type edgeSet struct {
	driverIsTarget bool
	explicit       bool
	chunks         []chunk
}

type chunk struct {
	lo, hi   int
	explicit bool     // edges carry their source (explicit sets)
	end      []int64  // per row: end of its edges
	other    []uint32 // the non-driver end (the target of an explicit edge)
	src      []uint32 // explicit sets: the source
	weights  []float32
	delays   []uint16
	err      error
}

// rowGen draws the edges of driver row r into g.
type rowGen func(r int, g *gen) error

// gen is the drawing context of one row.
type gen struct {
	cn       *connector
	st, sp   rng.Stream // rule draws, synapse parameter draws
	ch       *chunk
	env      param.Env
	row      int
	in, out  *chunk // third-factor edges of this chunk
	inSP     rng.Stream
	outSP    rng.Stream
	thirdRNG rng.Stream
	near     []uint32 // candidates from a cell index
}

// generate draws rows [0, rows) in parallel chunks. The outcome does not
// depend on the chunking: every row has its own streams.
func (cn *connector) generate(rows int, driverIsTarget bool, object uint32, g rowGen) (*edgeSet, *edgeSet, *edgeSet, error) {
	// Chunks balance the work (results do not depend on them); the CSR
	// assembly keeps a cursor per chunk and neuron, so bound their product.
	n := max(1, min((rows+255)/256, 8*parallel.Threads(cn.threads), (4<<20)/max(cn.src.n, cn.tgt.n, 1)))
	set := &edgeSet{driverIsTarget: driverIsTarget, chunks: make([]chunk, n)}
	var in, out *edgeSet
	if cn.third != nil {
		in = &edgeSet{explicit: true, chunks: make([]chunk, n)}
		out = &edgeSet{driverIsTarget: true, chunks: make([]chunk, n)}
		if !driverIsTarget {
			out.explicit = true // its rows are sources: keep the target of each edge
		}
	}
	for _, es := range []*edgeSet{set, in, out} {
		if es == nil {
			continue
		}
		for c := range es.chunks {
			es.chunks[c].lo, es.chunks[c].hi = c*rows/n, (c+1)*rows/n
			es.chunks[c].explicit = es.explicit
		}
	}
	parallel.For(cn.threads, n, func(_, c int) {
		ch := &set.chunks[c]
		gg := &gen{cn: cn, ch: ch}
		if in != nil {
			gg.in, gg.out = &in.chunks[c], &out.chunks[c]
		}
		for r := ch.lo; r < ch.hi; r++ {
			gg.row = r
			gg.st = rng.NewStream(cn.key, rng.PurposeConnect, object, uint32(r), 0)
			gg.sp = rng.NewStream(cn.key, rng.PurposeSynParam, object, uint32(r), 0)
			if gg.in != nil {
				gg.thirdRNG = rng.NewStream(cn.key, rng.PurposeThird, object, uint32(r), 0)
				gg.inSP = rng.NewStream(cn.key, rng.PurposeSynParam, object|roleIn, uint32(r), 0)
				gg.outSP = rng.NewStream(cn.key, rng.PurposeSynParam, object|roleOut, uint32(r), 0)
			}
			if err := g(r, gg); err != nil {
				ch.err = err
				return
			}
			ch.end = append(ch.end, int64(len(ch.other)))
			if gg.in != nil {
				gg.in.end = append(gg.in.end, int64(len(gg.in.other)))
				gg.out.end = append(gg.out.end, int64(len(gg.out.other)))
			}
		}
	})
	for _, ch := range set.chunks {
		if ch.err != nil {
			return nil, nil, nil, ch.err
		}
	}
	return set, in, out, nil
}

// pair sets the geometry of the pair (source s, target t) in g.env: the
// displacement goes from the driver to the pool neuron, in the pool layer.
func (g *gen) pair(s, t int) {
	cn := g.cn
	if !cn.spatialEnv {
		return
	}
	sp, tp := cn.src.layer.Pos[s], cn.tgt.layer.Pos[t]
	g.env.Source, g.env.Target = sp, tp
	if cn.driverSrc {
		g.env.Disp = cn.tgt.layer.disp(sp, tp)
	} else {
		g.env.Disp = cn.src.layer.disp(tp, sp)
	}
}

// each calls f for every neuron q of a side of n neurons that a mask around
// center can reach: all of them without an index, else the index's
// candidates. Both visit in ascending order, so the draws, and the network,
// are the same either way.
func (g *gen) each(ix *cellIndex, center [3]float64, n int, f func(q int) error) error {
	if ix == nil {
		for q := 0; q < n; q++ {
			if err := f(q); err != nil {
				return err
			}
		}
		return nil
	}
	g.near = ix.near(center, g.cn.mask.reach, g.near[:0])
	for _, q := range g.near {
		if err := f(int(q)); err != nil {
			return err
		}
	}
	return nil
}

// inMask reports whether the pair (s, t), set by pair, passes the mask.
func (g *gen) inMask() bool { return g.cn.mask == nil || g.cn.mask.inside(g.env.Disp) }

// edge records the synapse s → t (the pair must be set) with its drawn
// weight and delay, and its third-factor synapses.
func (g *gen) edge(s, t int) error {
	cn := g.cn
	other := s
	if !cn.rowsAreTargets() {
		other = t
	}
	if err := g.ch.add(uint32(s), uint32(other), &cn.syn, &g.sp, &g.env); err != nil {
		return err
	}
	if cn.third != nil {
		return cn.third.pair(g, s, t)
	}
	return nil
}

// add appends an edge to the chunk: its source (kept only by explicit
// chunks), its non-driver end, and its weight and delay drawn from st when
// they are random.
func (ch *chunk) add(src, other uint32, sp *synParams, st *rng.Stream, env *param.Env) error {
	if ch.explicit {
		ch.src = append(ch.src, src)
	}
	ch.other = append(ch.other, other)
	if !sp.random() {
		return nil
	}
	w, d, err := sp.draw(st, env)
	if err != nil {
		return err
	}
	ch.weights = append(ch.weights, w)
	ch.delays = append(ch.delays, d)
	return nil
}

func (cn *connector) rowsAreTargets() bool { return cn.c.Rule.Name != "fixed_outdegree" }

// draw returns a synapse's weight and delay (zero where constant).
func (sp *synParams) draw(st *rng.Stream, env *param.Env) (float32, uint16, error) {
	env.Stream = st
	var w float32
	var d uint16
	if sp.weight != nil {
		x, err := sp.weight.Eval(env)
		if err != nil {
			return 0, 0, at(sp.key+".weight", err)
		}
		w = float32(x)
	}
	if sp.delay != nil {
		x, err := sp.delay.Eval(env)
		if err != nil {
			return 0, 0, at(sp.key+".delay", err)
		}
		s, err := delaySteps(x, sp.dt)
		if err != nil {
			return 0, 0, at(sp.key+".delay", err)
		}
		d = uint16(s)
	}
	return w, d, nil
}

// delaySteps rounds a delay to the nearest step, as NEST does, and refuses
// delays below one step.
func delaySteps(ms, dt float64) (int, error) {
	s := models.Steps(ms, dt)
	if s < 1 {
		return 0, fmt.Errorf("expected a delay of at least one step (dt = %g ms), got %g ms", dt, ms)
	}
	if s > math.MaxUint16 {
		return 0, fmt.Errorf("expected a delay of at most %d steps (%g ms at dt = %g ms), got %g ms", math.MaxUint16, math.MaxUint16*dt, dt, ms)
	}
	return int(s), nil
}

// evalAt evaluates a rule parameter for the current pair, drawing from the
// row's rule stream.
func (g *gen) evalAt(e *param.Expr) (float64, error) {
	g.env.Stream = &g.st
	return e.Eval(&g.env)
}
