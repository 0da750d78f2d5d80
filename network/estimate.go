package network

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/internal/memory"
	"github.com/snn-gpu/snn-gpu/internal/parallel"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/param"
	"github.com/snn-gpu/snn-gpu/plasticity"
	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/spec"
)

// Shape is what the network of a batch will hold, worked out from the
// specs of its points without building anything: the sizes that memory
// estimates need. Counts are float64 so that absurd specs (10¹² neurons)
// give absurd numbers rather than overflow.
type Shape struct {
	Steps       int64
	MaxDelay    int // the longest delay in steps; where delays are drawn, the largest of a sample
	Pops        []PopShape
	Projections []ProjShape
	Recorders   []RecorderShape
	// GapWindow bounds the steps of a waveform-relaxation window (the
	// communication interval; 1 without relaxation), 0 without gap
	// junctions: the backends' coupling buffers grow with it.
	GapWindow int
	// Structural bounds what structural plasticity holds per member: the
	// calcium and elements of its neurons and the synapses their elements
	// could make within t_sim (planStructural).
	Structural float64
	// Build is the construction's temporary peak beyond what the network
	// keeps: the edges of the largest connection statement as drawn, its
	// assembly cursors, per-neuron draws.
	Build float64
}

// PopShape is a population of a Shape.
type PopShape struct {
	Name      string
	N         int
	Model     *models.Neuron
	History   int // extra state slots per node, the most a member asks for
	SpikeCap  int // spikes a node may emit per step, the most over the members
	PerNeuron int // per-neuron parameters (Population.PerNeuron)
	Spatial   bool
}

// ProjShape is a projection of a Shape.
type ProjShape struct {
	Name     string
	Device   bool    // from a device
	Rows     int     // CSR rows: the sources
	Synapses float64 // expected; an upper bound where a spatial parameter decides
	Weights  bool    // a weight per synapse
	Delays   bool    // a delay per synapse
	// MaxRow is the longest row (synapses from one source), bounded by the
	// targets.
	MaxRow float64
	// Plastic marks a plastic projection (plastic.go); TargetN is then its
	// target population's size, whose neurons keep spike archives.
	Plastic bool
	TargetN int
	// RuleVars is the rule's variables per synapse and member (float64:
	// urbanczik_synapse's W_0, traces and integrals); 0 for STDP.
	RuleVars int
}

// Bytes returns the bytes of the projection's CSR as Projection.Bytes
// counts them.
func (p *ProjShape) Bytes() float64 {
	per := 4.0
	if p.Weights {
		per += 4
	}
	if p.Delays {
		per += 2
	}
	return 8*float64(p.Rows+1) + per*p.Synapses
}

// RecorderShape is a recorder of a Shape.
type RecorderShape struct {
	Model    string
	Pop      int
	Neurons  int
	Vars     int
	Interval int64 // multimeter: steps between samples
}

// maxSteps is the most steps a run may have: well inside int64, so that
// stamps (a step + 1), step counts summed over points and their float64
// roundings cannot overflow.
const maxSteps = 1 << 62

// Plan works out the shape of the network of points (which share one
// structure, as for Build), for threads workers. It refuses runs of more
// steps than can be counted (the sizes that follow from the step would be
// meaningless). Connectivity that a rule draws (random degrees,
// probabilities, delays) is estimated from a sample of draws.
func Plan(points []spec.Network, threads int) (*Shape, error) {
	if len(points) == 0 {
		return nil, fmt.Errorf("network: no points")
	}
	s0 := &points[0]
	dt, tsim := s0.Simulation.Dt, s0.Simulation.TSim
	if steps := tsim / dt; !(steps < maxSteps) {
		return nil, fmt.Errorf("simulation.dt: t_sim = %g ms in steps of dt = %g ms makes %.3g steps; at most %d can be counted: use a larger dt or a shorter t_sim", tsim, dt, steps, int64(maxSteps))
	}
	sh := &Shape{Steps: models.Steps(tsim, dt), MaxDelay: 1}
	for _, c := range s0.Connections {
		if c.Syn.Model == spec.GapJunction {
			w := spec.DefaultWFR()
			if s0.Simulation.WFR != nil {
				w = *s0.Simulation.WFR
			}
			sh.GapWindow = 1
			if w.Use {
				sh.GapWindow = int(max(1, models.Steps(w.CommInterval, dt)))
			}
		}
	}
	sides := map[string]planSide{}
	for i := range s0.Populations {
		sp := &s0.Populations[i]
		m, ok := models.LookupNeuron(sp.Model)
		if !ok {
			return nil, fmt.Errorf("population %s: unknown neuron model %q", sp.Name, sp.Model)
		}
		p := PopShape{Name: sp.Name, N: sp.N, Model: m, SpikeCap: 1, PerNeuron: len(m.PerNeuronParams()), Spatial: sp.Spatial != nil}
		varying := len(sp.Draws)
		for _, v := range sp.PerNeuron {
			if !v.IsConst() {
				varying++
			}
		}
		for b := range points {
			if m.History == nil && m.Multiplicity == nil {
				break // the same for every member
			}
			pb := &points[b].Populations[i]
			params := models.Defaults(m.Params)
			for k, v := range pb.Params {
				params[k] = v
			}
			p.SpikeCap = max(p.SpikeCap, m.SpikeCapacity(params))
			if m.History != nil {
				p.History = max(p.History, m.History(params, models.Lists(pb.Lists), dt))
			}
		}
		// Draws and per-neuron values of one member, as float64, while
		// they are evaluated.
		sh.Build = max(sh.Build, 8*float64(varying)*float64(sp.N))
		sh.Pops = append(sh.Pops, p)
		sides[sp.Name] = planSide{n: sp.N, pop: i, spatial: sp.Spatial}
	}
	for i := range s0.Devices {
		sides[s0.Devices[i].Name] = planSide{n: max(s0.Devices[i].N, 1), pop: -1}
	}
	for i := range s0.Connections {
		if err := sh.planConnection(s0, i, sides, parallel.Threads(threads)); err != nil {
			return nil, fmt.Errorf("connection[%d]: %w", i, err)
		}
	}
	sh.Structural = planStructural(points)
	for _, r := range s0.Recorders {
		side, ok := sides[r.Source]
		if !ok || side.pop < 0 {
			continue // Build reports it
		}
		rs := RecorderShape{Model: r.Model, Pop: side.pop, Neurons: len(r.Neurons), Vars: len(r.RecordFrom)}
		if r.Model == "multimeter" {
			rs.Interval = max(models.Steps(r.Interval, dt), 1)
		}
		sh.Recorders = append(sh.Recorders, rs)
	}
	return sh, nil
}

// maxSynapses is the most synapses one projection may have in this
// version (assemble refuses more).
const maxSynapses = 2 * math.MaxInt32

// Representable reports sizes the data structures cannot index, whatever
// the memory: populations beyond 32-bit neuron indices, projections beyond
// maxSynapses.
func (sh *Shape) Representable() error {
	for i, p := range sh.Pops {
		if p.N > math.MaxInt32 {
			return fmt.Errorf("population[%d].n: %s has %d neurons; at most %d fit the 32-bit neuron indices", i, p.Name, p.N, math.MaxInt32)
		}
	}
	for _, pr := range sh.Projections {
		if pr.Synapses > maxSynapses {
			return fmt.Errorf("%s: about %.3g synapses; at most %d fit one projection", pr.Name, pr.Synapses, int64(maxSynapses))
		}
	}
	return nil
}

// planSide is an end of a connection.
type planSide struct {
	n       int
	pop     int // -1: a device
	spatial *spec.Spatial
}

// planConnection adds the projections of connection statement i.
func (sh *Shape) planConnection(s0 *spec.Network, i int, sides map[string]planSide, threads int) error {
	c := &s0.Connections[i]
	src, ok1 := sides[c.Source]
	tgt, ok2 := sides[c.Target]
	if !ok1 || !ok2 || tgt.pop < 0 {
		return nil // Build reports it
	}
	dt := s0.Simulation.Dt
	key := rng.NewKey(s0.Simulation.Seed, rng.Network)
	ns, nt := float64(src.n), float64(tgt.n)
	same := src.pop >= 0 && src.pop == tgt.pop
	r := c.Rule
	// pool is the number of sources a target may draw from (the
	// candidates of the pairwise rules), limited by the mask.
	pool := ns
	if same && !r.AllowAutapses {
		pool--
	}
	// reach is the longest displacement a synapse may have: across the
	// layers, or across the mask.
	seed := s0.Simulation.Seed
	reach := math.Max(extent(src.spatial, seed, src.pop), extent(tgt.spatial, seed, tgt.pop))
	layerDims := 0
	if src.spatial != nil {
		layerDims = dims(src.spatial)
	}
	if c.Mask != nil && src.spatial != nil {
		pool = math.Min(pool, reachable(c.Mask, src.spatial, src.n))
		if m, err := buildMask(c.Mask, layerDims); err == nil {
			reach = math.Min(reach, m.reach)
		}
	}
	sample := func(name string) drawn {
		v, ok := r.Params[name]
		if !ok {
			return drawn{}
		}
		return sampleValue(v, key, uint32(i), rng.PurposeConnect, reach, layerDims)
	}
	var syn, rows float64 // primary synapses, and the rows that draw them
	switch r.Name {
	case "one_to_one":
		syn, rows = nt, nt
		if same && !r.AllowAutapses {
			syn = 0
		}
	case "all_to_all":
		syn, rows = nt*pool, nt
	case "fixed_indegree":
		syn, rows = nt*sample("indegree").mean, nt
	case "fixed_outdegree":
		syn, rows = ns*sample("outdegree").mean, ns
	case "fixed_total_number":
		syn, rows = sample("N").mean, nt
	case "pairwise_bernoulli", "symmetric_pairwise_bernoulli", "pairwise_poisson":
		// A spatial probability or mean counts at its largest for every
		// pair the mask lets through: an upper bound.
		name := "p"
		if r.Name == "pairwise_poisson" {
			name = "pairwise_avg_num_conns"
		}
		p := sample(name)
		x := p.mean
		if p.spatial {
			x = p.hi
		}
		if name == "p" {
			x = math.Min(x, 1)
		}
		syn, rows = nt*pool*x, nt
	default:
		return nil // Build reports it
	}
	syn = math.Max(syn, 0)
	symmetric := r.MakeSymmetric
	name := c.Source + "->" + c.Target
	per := func(s spec.Synapse) (w, d bool, maxDelay int) {
		w, d = !s.Weight.IsConst(), !s.Delay.IsConst()
		hi := sampleValue(s.Delay, key, uint32(i), rng.PurposeSynParam, reach, layerDims).hi
		return w, d, int(math.Min(math.Max(float64(models.Steps(hi, dt)), 1), math.MaxUint16))
	}
	add := func(name string, device bool, rows int, synapses, maxRow float64, s spec.Synapse) {
		w, d, delay := per(s)
		sh.MaxDelay = max(sh.MaxDelay, delay)
		sh.Projections = append(sh.Projections, ProjShape{Name: name, Device: device, Rows: rows, Synapses: synapses,
			Weights: w, Delays: d, MaxRow: maxRow})
	}
	primary := syn
	if symmetric && same {
		primary *= 2
	}
	add(name, src.pop < 0, src.n, primary, nt, c.Syn)
	if pm, ok := plasticity.Find(c.Syn.Model); ok {
		ps := &sh.Projections[len(sh.Projections)-1]
		ps.Plastic, ps.TargetN = true, tgt.n
		if r, err := pm.Rule(c.Syn.Params, nil); err == nil { // the target's values do not change the count
			ps.RuleVars = r.Vars()
		}
	}
	if symmetric && !same {
		add(c.Target+"->"+c.Source+" (reverse)", false, tgt.n, syn, ns, c.Syn)
	}
	// The edges as drawn, before assembly: the non-driver end (and the
	// source too for third-factor inputs), weight and delay when drawn,
	// one end per row; appends leave up to half again as much capacity.
	perEdge := 4.0
	if !c.Syn.Weight.IsConst() || !c.Syn.Delay.IsConst() {
		perEdge += 6
	}
	drawn := 1.5*perEdge*syn + 8*rows
	if c.Third != nil {
		third := syn * c.Third.P
		a, ok := sides[c.Third.Population]
		if ok && a.pop >= 0 {
			add(c.Source+"->"+c.Third.Population+" (third_in)", false, src.n, third, float64(a.n), c.Third.SynIn)
			add(c.Third.Population+"->"+c.Target+" (third_out)", false, a.n, third, nt, c.Third.SynOut)
			drawn += 1.5*(8+4+12)*third + 16*rows
			if c.Third.PoolType == "random" {
				drawn += nt * float64(c.Third.PoolSize) * 4
			}
		}
	}
	// Assembly: a cursor per chunk (as generate cuts them) and source, for
	// each part; drawn weights and delays get arrays both, and the one
	// that turns out constant is dropped.
	chunks := math.Max(1, math.Min(math.Min(math.Floor((rows+255)/256), float64(8*threads)), math.Floor(float64(4<<20)/math.Max(math.Max(ns, nt), 1))))
	assembly := 8 * chunks * ns * 2
	if w, d := c.Syn.Weight.IsConst(), c.Syn.Delay.IsConst(); w != d {
		assembly += 4 * syn
	}
	sh.Build = max(sh.Build, drawn+assembly)
	return nil
}

// samples is how many draws estimate a drawn value.
const samples = 2048

// drawn summarises a sample of a value's draws.
type drawn struct {
	mean, lo, hi float64
	spatial      bool // the value depends on positions
}

// sampleValue draws a value samples times, from the streams of the first
// rows of purpose and object. Where it depends on positions it is
// evaluated at displacements of up to reach in each of dims dimensions
// (source positions in a box of that size): the farthest a mask, or the
// layers, let a synapse reach. A value that cannot be evaluated counts as 0
// (Build reports it).
func sampleValue(v spec.Value, key rng.Key, object uint32, purpose rng.Purpose, reach float64, dims int) drawn {
	if v.IsConst() {
		return drawn{mean: v.Const, lo: v.Const, hi: v.Const}
	}
	e, err := param.Compile(v.Expr, nil)
	if err != nil {
		return drawn{}
	}
	d := drawn{lo: math.Inf(1), hi: math.Inf(-1), spatial: e.Spatial()}
	var sum float64
	n := 0
	for k := range samples {
		st := rng.NewStream(key, purpose, object, uint32(k), 0)
		env := param.Env{Stream: &st}
		if e.Spatial() {
			for j := range dims {
				env.Source[j] = reach * (st.Float64() - 0.5)
				env.Disp[j] = reach * (2*st.Float64() - 1)
				env.Target[j] = env.Source[j] + env.Disp[j]
			}
		}
		x, err := e.Eval(&env)
		if err != nil || math.IsNaN(x) {
			continue
		}
		sum += x
		n++
		d.lo, d.hi = math.Min(d.lo, x), math.Max(d.hi, x)
	}
	if n == 0 {
		return drawn{}
	}
	d.mean = sum / float64(n)
	return d
}

// extent is the largest side of a layer's box: its extent where given,
// else the unit square of grids or the span of a free layer's positions
// (given, or drawn as Build draws them, for the first samples neurons).
func extent(l *spec.Spatial, seed uint32, pop int) float64 {
	if l == nil {
		return 0
	}
	side := 0.0
	for _, x := range l.Extent {
		side = math.Max(side, x)
	}
	switch {
	case side > 0:
		return side
	case len(l.Shape) > 0:
		return 1
	}
	for d := range max(len(l.Pos), 3) {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range l.Positions {
			if d < len(p) {
				lo, hi = math.Min(lo, p[d]), math.Max(hi, p[d])
			}
		}
		if d < len(l.Pos) {
			s := sampleValue(l.Pos[d], rng.NewKey(seed, rng.Network), uint32(pop), rng.PurposePosition, 0, 0)
			lo, hi = math.Min(lo, s.lo), math.Max(hi, s.hi)
		}
		if hi > lo {
			side = math.Max(side, hi-lo)
		}
	}
	return math.Max(side, 1)
}

// reachable bounds the neurons of a layer that a mask around one driver can
// reach: on a grid, the cells within its reach in every dimension; on a
// free layer, the neurons in the share of the extent the reach covers
// (where the extent is given).
func reachable(m *spec.Mask, l *spec.Spatial, n int) float64 {
	dims := dims(l)
	mk, err := buildMask(m, dims)
	if err != nil || len(l.Shape) == 0 && len(l.Extent) != dims {
		return float64(n)
	}
	count := 1.0
	for d := range dims {
		extent := 1.0
		if len(l.Extent) == dims {
			extent = l.Extent[d]
		}
		if len(l.Shape) > 0 {
			cells := float64(l.Shape[d])
			count *= math.Min(cells, math.Floor(2*mk.reach/(extent/cells))+1)
		} else {
			count *= math.Min(1, 2*mk.reach/extent)
		}
	}
	if len(l.Shape) == 0 {
		count *= float64(n)
	}
	return math.Min(count, float64(n))
}

// dims is the number of dimensions of a layer (buildLayer's rule).
func dims(l *spec.Spatial) int {
	switch {
	case len(l.Shape) > 0:
		return len(l.Shape)
	case len(l.Positions) > 0:
		return len(l.Positions[0])
	}
	return len(l.Pos)
}

// Memory adds the network's terms to e: what the batch shares
// (connectivity, positions, the construction's temporary peak) and what
// each member adds (initial state, per-neuron parameters, constants).
func (sh *Shape) Memory(e *memory.Estimate) {
	for _, p := range sh.Pops {
		n := float64(p.N)
		e.Add("initial state", 0, 4*float64(len(p.Model.State))*n)
		e.Add("per-neuron parameters", 0, 4*float64(p.PerNeuron)*n)
		// Parameters, lists and constants per member: maps of a few
		// dozen entries.
		e.Add("parameters", 0, 64*float64(len(p.Model.Params)))
		if p.Spatial {
			e.Add("positions", (24+16)*n, 0) // positions, and a cell index where a mask asks
		}
	}
	for _, pr := range sh.Projections {
		e.Add("connectivity", pr.Bytes(), 4)
		if pr.Plastic { // MakePlastic: each member's own weights and the rule's variables
			e.Add("plastic weights", 0, (4+8*float64(pr.RuleVars))*pr.Synapses)
		}
	}
	e.Add("structural plasticity (at most)", 0, sh.Structural)
	e.Add("construction (temporary)", sh.Build, 0)
}

// planStructural bounds the bytes structural plasticity keeps for a member,
// the most over the points (package structural): per neuron with elements,
// its calcium and stamp and per element z and z_connected; per synapse an
// edge (two ids) and a target in its projection's CSR, twice over for the
// room slices grow by, and the row offsets of a CSR per pair of
// populations. The synapses of a type are
// at most the elements of its scarcer side could make: each neuron's
// elements grow from z by at most t_sim times the largest rate of their
// curve (growth_rate; a linear curve's rate also grows with the calcium,
// which at most gains beta_Ca every step).
func planStructural(points []spec.Network) float64 {
	most := 0.0
	for _, p := range points {
		if p.Structural == nil {
			continue
		}
		tsim, dt := p.Simulation.TSim, p.Simulation.Dt
		bytes := 0.0
		elements := map[string]float64{} // per element name: the most all neurons may have
		neurons := map[string]float64{}  // per element name: the neurons that carry it
		pops := map[string]float64{}     // per element name: the populations that carry it
		for _, pop := range p.Populations {
			if len(pop.Elements) == 0 {
				continue
			}
			ca := spec.DefaultCalcium()
			if pop.Calcium != nil {
				ca = *pop.Calcium
			}
			caMax := ca.Ca + ca.BetaCa/-math.Expm1(-dt/ca.TauCa)
			n := float64(pop.N)
			bytes += n * (16 + 12*float64(len(pop.Elements)))
			for _, e := range pop.Elements {
				rate := math.Abs(e.GrowthRate)
				if e.Curve == "linear" && e.Eps != 0 {
					rate *= 1 + max(math.Abs(caMax), math.Abs(ca.Ca))/math.Abs(e.Eps)
				}
				elements[e.Name] += n * (max(e.Z, 0) + rate*tsim)
				neurons[e.Name] += n
				pops[e.Name]++
			}
		}
		for _, t := range p.Structural.Synapses {
			synapses := min(elements[t.Pre], elements[t.Post])
			bytes += 2*(8+4)*synapses + 8*(neurons[t.Pre]+1)*pops[t.Post]
		}
		most = max(most, bytes)
	}
	return most
}
