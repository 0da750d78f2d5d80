package configs

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/spec"
	"github.com/snn-gpu/snn-gpu/units"
)

// Defaults of [simulation], [analysis], recorders and synapses.
const (
	defaultDt       = 0.1
	defaultTSim     = 1000.0
	defaultSeed     = 1
	defaultInterval = 1.0
	defaultBin      = 1.0
	defaultWeight   = 1.0
	defaultDelay    = 1.0
)

// resolver evaluates one sweep point.
type resolver struct {
	d       *doc
	s       scope
	p       problems
	swept   map[string]float64
	dt      float64
	vars    map[string]float64
	threads int
	batch   int
	sizes   map[string]int // population and device sizes (absent: unknown)
}

// resolve evaluates point values (aligned with d.sweep.names) into a network.
func (d *doc) resolve(values []float64) (*resolver, spec.Network) {
	r := &resolver{d: d, swept: map[string]float64{}, vars: map[string]float64{}, sizes: map[string]int{}}
	for i, n := range d.sweep.names {
		r.swept[n] = values[i]
	}
	r.s = scope{x: d.x, env: map[string]any{}}
	var net spec.Network
	if !r.evalVars() {
		return r, net
	}
	var ok bool
	if net.Simulation, ok = r.simulation(); !ok {
		return r, net
	}
	for _, pop := range d.pops {
		net.Populations = append(net.Populations, r.population(pop))
	}
	for _, dev := range d.devs {
		net.Devices = append(net.Devices, r.device(dev))
	}
	for _, c := range d.conns {
		net.Connections = append(net.Connections, r.connection(c))
	}
	for _, rec := range d.recs {
		net.Recorders = append(net.Recorders, r.recorder(rec))
	}
	net.Analysis = r.analysis(net.Simulation.TSim)
	return r, net
}

func (r *resolver) evalVars() bool {
	ok := true
	for _, v := range r.d.order {
		var x float64
		var err error
		if sv, swept := r.swept[v.name]; swept {
			x = sv
		} else {
			x, err = r.s.varNumber(v.raw)
		}
		if err != nil {
			r.p.report(v.path, err)
			ok = false
			x = math.NaN()
		}
		r.s.env[v.name] = x
		r.vars[v.spell] = x
	}
	return ok
}

// simField returns a [simulation] entry: the swept value, the file's (or
// --set's), or nothing (the default applies).
func (r *resolver) simField(name string) field {
	if x, ok := r.swept[name]; ok {
		return field{"sweep." + name, x}
	}
	if f, ok := r.d.sim[name]; ok {
		return f
	}
	return field{path: "simulation." + name}
}

func (r *resolver) simulation() (spec.Simulation, bool) {
	sim := spec.Simulation{Dt: defaultDt, TSim: defaultTSim, Seed: defaultSeed}
	if f := r.simField("dt"); f.raw != nil {
		x, err := r.s.real(f.raw, "ms")
		if err == nil && !(x > 0) {
			err = fmt.Errorf("expected a time > 0 ms, got %s", got(f.raw, x))
		}
		if err != nil {
			r.p.report(f.path, err)
			return sim, false
		}
		sim.Dt = x
	}
	r.dt = sim.Dt
	if f := r.simField("t_sim"); f.raw != nil {
		x, err := r.s.real(f.raw, "ms")
		if err == nil && !(x > 0) {
			err = fmt.Errorf("expected a time > 0 ms, got %s", got(f.raw, x))
		}
		if err != nil {
			r.p.report(f.path, err)
		} else {
			sim.TSim = x
		}
	}
	if !multiple(sim.TSim, sim.Dt) {
		r.p.add(r.simField("t_sim").path, "expected a multiple of dt = %g ms, got %g ms", sim.Dt, sim.TSim)
	}
	if f := r.simField("seed"); f.raw != nil {
		n, err := r.s.whole(f.raw, 0, maxUint32)
		if err != nil {
			r.p.report(f.path, err)
		}
		sim.Seed = uint32(n)
	}
	for _, name := range []string{"threads", "batch"} {
		if f := r.simField(name); f.raw != nil {
			n, err := r.s.whole(f.raw, 0, math.MaxInt64)
			if err != nil {
				r.p.report(f.path, err)
			}
			if name == "threads" {
				r.threads = int(n)
			} else {
				r.batch = int(n)
			}
		}
	}
	return sim, true
}

// multiple reports whether x is a whole multiple of dt (up to rounding).
func multiple(x, dt float64) bool {
	s := x / dt
	return math.Abs(s-math.Round(s)) <= 1e-9*math.Max(1, math.Abs(s))
}

// size reads a population or device size.
func (r *resolver) size(name string, f field, def int64) int {
	n := def
	if f.raw != nil {
		var err error
		n, err = r.s.whole(f.raw, 1, math.MaxInt64)
		if err != nil {
			r.p.report(f.path, err)
			return 0
		}
	}
	r.sizes[name] = int(n)
	return int(n)
}

// params evaluates a model's parameters over its defaults.
func (r *resolver) params(defs []models.Param, given []paramF) (models.Values, models.Lists, bool) {
	vals := models.Defaults(defs)
	var lists models.Lists
	ok := true
	for _, g := range given {
		if g.param == nil {
			continue
		}
		switch g.param.Kind {
		case models.Real:
			x, err := r.s.realInf(g.raw, g.unit, math.IsInf(g.param.Default, 0))
			if err != nil {
				r.p.report(g.path, err)
				ok = false
			}
			vals[g.name] = x
		case models.Integer:
			n, err := r.s.whole(g.raw, math.MinInt64, math.MaxInt64)
			if err != nil {
				r.p.report(g.path, err)
				ok = false
			}
			vals[g.name] = float64(n)
		case models.Bool:
			b, _ := boolean(g.raw) // checked in structure.go
			vals[g.name] = 0
			if b {
				vals[g.name] = 1
			}
		case models.List:
			raw := g.raw.([]any) // checked in structure.go
			l := make([]float64, len(raw))
			for i, e := range raw {
				x, err := r.s.real(e, g.unit)
				if err != nil {
					r.p.report(fmt.Sprintf("%s[%d]", g.path, i), err)
					ok = false
				}
				l[i] = x
			}
			if lists == nil {
				lists = models.Lists{}
			}
			lists[g.name] = l
		}
	}
	return vals, lists, ok
}

func (r *resolver) population(pop *popT) spec.Population {
	out := spec.Population{Name: pop.name, Model: pop.model.Name}
	out.N = r.size(pop.name, pop.n, 0)
	vals, _, ok := r.params(pop.model.Params, pop.params)
	out.Params = vals
	if ok {
		if err := pop.model.Check(vals, r.dt); err != nil {
			r.p.report(pop.path+".params", err)
		}
	}
	for _, g := range pop.init {
		v, err := r.s.value(g.raw, g.unit, g.dist)
		if err != nil {
			r.p.report(g.path, err)
			continue
		}
		if out.Init == nil {
			out.Init = map[string]spec.Value{}
		}
		out.Init[g.name] = v
	}
	return out
}

func (r *resolver) device(dev *devT) spec.Device {
	out := spec.Device{Name: dev.name, Model: dev.model.Name}
	out.N = r.size(dev.name, dev.n, 1)
	vals, lists, ok := r.params(dev.model.Params, dev.params)
	out.Params, out.Lists = vals, lists
	if ok {
		if err := dev.model.Check(vals, lists, r.dt); err != nil {
			r.p.report(dev.path+".params", err)
		}
	}
	return out
}

func (r *resolver) connection(c *connT) spec.Connection {
	out := spec.Connection{Source: c.source, Target: c.target}
	out.Rule = spec.Rule{Name: c.rule, AllowAutapses: c.autapses, AllowMultapses: c.multapses, MakeSymmetric: c.symmetric}
	nSrc, srcKnown := r.sizes[c.source]
	nTgt, tgtKnown := r.sizes[c.target]
	sameSet := c.srcPop >= 0 && c.srcPop == c.tgtPop
	rulePath := c.path + ".rule"
	if c.rule == "one_to_one" && srcKnown && tgtKnown && nSrc != nTgt {
		r.p.add(rulePath, "rule one_to_one needs source and target of equal size, got %s (%d) and %s (%d)", c.source, nSrc, c.target, nTgt)
	}
	for _, g := range c.ruleParams {
		v, ok := r.ruleParam(c, g, nSrc, srcKnown, nTgt, tgtKnown, sameSet)
		if !ok {
			continue
		}
		if out.Rule.Params == nil {
			out.Rule.Params = map[string]spec.Value{}
		}
		out.Rule.Params[g.name] = v
	}
	out.Syn = r.synapse(c)
	return out
}

func (r *resolver) synapse(c *connT) spec.Synapse {
	syn := spec.Synapse{Model: c.synModel, Weight: spec.Constant(defaultWeight), Delay: spec.Constant(defaultDelay)}
	if c.weight.raw != nil {
		v, err := r.s.value(c.weight.raw, "", true)
		if text, ok := c.weight.raw.(string); ok {
			if _, _, hasUnit := units.Split(text); hasUnit {
				err = fmt.Errorf("expected a plain number, got %s; weights take no unit: a weight is in the unit of the target's input (a jump in mV for iaf_psc_delta, pA for current-based models)", strings.TrimSpace(text))
			}
		}
		if err != nil {
			r.p.report(c.weight.path, err)
		}
		syn.Weight = v
	}
	if c.delay.raw != nil {
		v, err := r.s.value(c.delay.raw, "ms", true)
		if err != nil {
			r.p.report(c.delay.path, err)
		} else {
			syn.Delay = v
		}
	}
	// NEST rounds delays to the nearest step and refuses those below one.
	if lo, _ := support(syn.Delay); models.Steps(lo, r.dt) < 1 {
		if syn.Delay.IsConst() {
			r.p.add(c.delay.path, "expected a delay of at least one step (dt = %g ms), got %g ms (%d steps after rounding)", r.dt, syn.Delay.Const, models.Steps(lo, r.dt))
		} else {
			r.p.add(c.delay.path, "expected delays of at least one step (dt = %g ms), but %s can be smaller; use uniform with min >= %g ms", r.dt, show(syn.Delay, "ms"), r.dt)
		}
	}
	if c.receptor.raw != nil {
		n, err := r.s.whole(c.receptor.raw, 0, math.MaxInt64)
		if err != nil {
			r.p.report(c.receptor.path, err)
		}
		syn.Receptor = int(n)
	}
	r.checkReceptor(c, syn.Receptor)
	return syn
}

// checkReceptor checks that the target has an input of the kind the source
// sends (spikes or currents) with that receptor index.
func (r *resolver) checkReceptor(c *connT, receptor int) {
	d := r.d
	if c.tgtPop < 0 || d.pops[c.tgtPop].model == nil {
		return
	}
	kind, what := models.SpikePort, "spike"
	if c.srcDev >= 0 && d.devs[c.srcDev].model != nil && d.devs[c.srcDev].model.Output == models.CurrentOutput {
		kind, what = models.CurrentPort, "current"
	}
	model := d.pops[c.tgtPop].model
	count := 0
	for _, p := range model.Ports {
		if p.Kind == kind {
			count++
		}
	}
	switch {
	case count == 0:
		r.p.add(c.path+".target", "%s (%s) has no %s input, but %s sends %ss", c.target, model.Name, what, c.source, what)
	case count == 1 && receptor != 0:
		r.p.add(c.receptor.path, "expected receptor 0 (%s has one %s input), got %d", model.Name, what, receptor)
	case receptor >= count:
		r.p.add(c.receptor.path, "expected a receptor from 0 to %d (%s has %d %s inputs), got %d", count-1, model.Name, count, what, receptor)
	}
}

func (r *resolver) recorder(rec *recT) spec.Recorder {
	d := r.d
	out := spec.Recorder{Model: rec.model, Start: 0, Stop: math.Inf(1), RecordFrom: rec.recordFrom}
	if rec.pop < 0 {
		return out
	}
	pop := d.pops[rec.pop]
	out.Source = pop.name
	n, known := r.sizes[pop.name]
	switch {
	case rec.nRec.raw != nil:
		hi := int64(math.MaxInt64)
		if known {
			hi = int64(n)
		}
		k, err := r.s.whole(rec.nRec.raw, 1, hi)
		if err != nil {
			if known {
				err = fmt.Errorf("%v (%s has %d neurons)", err, pop.name, n)
			}
			r.p.report(rec.nRec.path, err)
			break
		}
		out.Neurons = firstN(int(k))
	case rec.neurons.raw != nil:
		list := rec.neurons.raw.([]any)
		seen := map[int]bool{}
		hi := int64(math.MaxInt64)
		if known {
			hi = int64(n - 1)
		}
		for i, e := range list {
			k, err := r.s.whole(e, 0, hi)
			if err != nil {
				r.p.report(fmt.Sprintf("%s[%d]", rec.neurons.path, i), err)
				continue
			}
			if seen[int(k)] {
				r.p.add(fmt.Sprintf("%s[%d]", rec.neurons.path, i), "neuron %d is listed twice", k)
				continue
			}
			seen[int(k)] = true
			out.Neurons = append(out.Neurons, int(k))
		}
		sort.Ints(out.Neurons)
	default:
		if known {
			out.Neurons = firstN(n)
		}
	}
	if rec.model == "multimeter" {
		out.Interval = defaultInterval
		if rec.interval.raw != nil {
			x, err := r.s.real(rec.interval.raw, "ms")
			if err != nil {
				r.p.report(rec.interval.path, err)
			} else {
				out.Interval = x
			}
		}
		if !(out.Interval > 0) || !multiple(out.Interval, r.dt) {
			r.p.add(rec.interval.path, "expected a multiple of dt = %g ms (at least one step), got %g ms", r.dt, out.Interval)
		}
	}
	if rec.start.raw != nil {
		x, err := r.s.real(rec.start.raw, "ms")
		if err != nil {
			r.p.report(rec.start.path, err)
		}
		out.Start = x
	}
	if rec.stop.raw != nil {
		x, err := r.s.realInf(rec.stop.raw, "ms", true)
		if err != nil {
			r.p.report(rec.stop.path, err)
		}
		out.Stop = x
	}
	if !(out.Stop >= out.Start) {
		r.p.add(rec.stop.path, "expected stop >= start (%g ms), got %g ms", out.Start, out.Stop)
	}
	return out
}

var (
	firstMu    sync.Mutex
	firstCache []int
)

// firstN returns 0, 1, …, n-1; the slices are shared between points and
// must not be modified.
func firstN(n int) []int {
	firstMu.Lock()
	defer firstMu.Unlock()
	if n > len(firstCache) {
		firstCache = make([]int, n)
		for i := range firstCache {
			firstCache[i] = i
		}
	}
	return firstCache[:n:n]
}

func (r *resolver) analysis(tSim float64) spec.Analysis {
	a := spec.Analysis{TStart: 0, BinMs: defaultBin}
	if !multiple(defaultBin, r.dt) {
		if _, set := r.d.anal["bin_ms"]; !set {
			r.p.add("analysis.bin_ms", "the default %g ms is not a multiple of dt = %g ms; set bin_ms", defaultBin, r.dt)
		}
	}
	if f, ok := r.d.anal["t_start"]; ok {
		x, err := r.s.real(f.raw, "ms")
		switch {
		case err != nil:
			r.p.report(f.path, err)
		case !(x >= 0 && x < tSim):
			r.p.add(f.path, "expected a time >= 0 and below t_sim = %g ms, got %s", tSim, got(f.raw, x))
		default:
			a.TStart = x
		}
	}
	if f, ok := r.d.anal["bin_ms"]; ok {
		x, err := r.s.real(f.raw, "ms")
		switch {
		case err != nil:
			r.p.report(f.path, err)
		case !(x > 0) || !multiple(x, r.dt):
			r.p.add(f.path, "expected a multiple of dt = %g ms (at least one step), got %s", r.dt, got(f.raw, x))
		default:
			a.BinMs = x
		}
	}
	return a
}
