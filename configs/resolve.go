package configs

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/param"
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
	swept   map[string]units.Quantity
	values  []float64 // the swept values in NEST's units, aligned with d.sweep.names
	dt      float64
	vars    map[string]float64
	threads int
	batch   int
	sizes   map[string]int        // population and device sizes (absent: unknown)
	layers  map[string]*layerInfo // spatial populations (absent: none, or broken)
}

// resolve evaluates point values (aligned with d.sweep.names) into a network.
func (d *doc) resolve(values []units.Quantity) (*resolver, spec.Network) {
	r := &resolver{d: d, swept: map[string]units.Quantity{}, vars: map[string]float64{}, sizes: map[string]int{}, layers: map[string]*layerInfo{}}
	for i, n := range d.sweep.names {
		r.swept[n] = values[i]
	}
	r.s = scope{x: d.x, env: map[string]binding{}}
	var net spec.Network
	if !r.evalVars() {
		return r, net
	}
	for i, n := range d.sweep.names {
		x := values[i].V
		if b, isVar := r.s.env[n]; isVar {
			x, _ = b.q.NEST()
		}
		r.values = append(r.values, x)
	}
	var ok bool
	if net.Simulation, ok = r.simulation(); !ok {
		return r, net
	}
	for _, pop := range d.pops {
		p := r.population(pop)
		p.Calcium, p.Elements = r.calcium(pop), r.elements(pop)
		net.Populations = append(net.Populations, p)
	}
	net.Structural = r.structural(net.Populations)
	for _, dev := range d.devs {
		net.Devices = append(net.Devices, r.device(dev))
	}
	for _, c := range d.conns {
		net.Connections = append(net.Connections, r.connection(c))
	}
	for _, rec := range d.recs {
		if rec.model != models.WeightRecorder.Name { // resolved with the synapses that name it
			net.Recorders = append(net.Recorders, r.recorder(rec))
		}
	}
	net.Analysis = r.analysis(net.Simulation.TSim)
	return r, net
}

func (r *resolver) evalVars() bool {
	ok := true
	for _, v := range r.d.order {
		b, err := r.varBinding(v)
		if err != nil {
			path := v.path
			if v.swept {
				path = "sweep.params." + v.spell
			}
			r.p.report(path, err)
			ok = false
			b.q = units.Plain(math.NaN())
		}
		r.s.env[v.name] = b
		r.vars[v.spell], _ = b.q.NEST()
	}
	return ok
}

// varBinding evaluates a var. A value from --set or [sweep] keeps the
// dimension the file gives the var: written without a unit it is taken in
// NEST's unit of that dimension, with a unit it must have that dimension.
func (r *resolver) varBinding(v *varDef) (binding, error) {
	b := binding{from: v.from}
	if q, swept := r.swept[v.name]; swept {
		b = binding{q: q, from: "[sweep]"}
	} else {
		var err error
		if b.q, err = r.s.varQuantity(v.raw); err != nil {
			return b, err
		}
	}
	if b.from == "[vars]" || v.fileDim == units.None {
		return b, nil
	}
	u := units.NESTUnit(v.fileDim)
	switch b.q.Dim {
	case units.None:
		b.q = u.Quantity(b.q.V)
	case v.fileDim:
	default:
		return b, fmt.Errorf("%s is a %s in the file (%s); expected %s or a plain number (taken in %s), got %s, a %s",
			v.spell, v.fileDim, describe(v.fileRaw), units.Describe(u), u.Symbol, b.q, b.q.Dim)
	}
	return b, nil
}

// simField returns a [simulation] entry: the swept value, the file's (or
// --set's), or nothing (the default applies).
func (r *resolver) simField(name string) field {
	if q, ok := r.swept[name]; ok {
		return field{"sweep." + name, q.V}
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
	sim.WFR = r.wfr()
	return sim, true
}

// wfr resolves the waveform-relaxation entries of [simulation]: nil where
// none is given and no connection is a gap_junction.
func (r *resolver) wfr() *spec.WFR {
	given := false
	for _, k := range []string{"use_wfr", "wfr_comm_interval", "wfr_tol", "wfr_max_iterations", "wfr_interpolation_order"} {
		given = given || r.simField(k).raw != nil
	}
	for _, c := range r.d.conns {
		given = given || c.syn.model == spec.GapJunction
	}
	if !given {
		return nil
	}
	w := spec.DefaultWFR()
	if f := r.simField("use_wfr"); f.raw != nil {
		b, err := boolean(f.raw)
		if err != nil {
			r.p.report(f.path, err)
		}
		w.Use = b
	}
	if f := r.simField("wfr_comm_interval"); f.raw != nil {
		x, err := r.s.real(f.raw, "ms")
		switch {
		case err != nil:
			r.p.report(f.path, err)
		case !(x >= r.dt) || !multiple(x, r.dt):
			r.p.add(f.path, "expected a multiple of dt = %g ms, at least dt (NEST: wfr_comm_interval must be >= resolution), got %g ms", r.dt, x)
		case !w.Use:
			r.p.add(f.path, "wfr_comm_interval is about waveform relaxation, which use_wfr = false turns off (NEST then communicates every step)")
		}
		w.CommInterval = x
	}
	if !w.Use {
		w.CommInterval = r.dt
	}
	if f := r.simField("wfr_tol"); f.raw != nil {
		x, err := r.s.real(f.raw, "mV")
		if err == nil && !(x >= 0) {
			err = fmt.Errorf("expected a tolerance >= 0 mV, got %s", got(f.raw, x))
		}
		if err != nil {
			r.p.report(f.path, err)
		}
		w.Tol = x
	}
	if f := r.simField("wfr_max_iterations"); f.raw != nil {
		n, err := r.s.whole(f.raw, 1, 1<<20)
		if err != nil {
			r.p.report(f.path, err)
		}
		w.MaxIterations = int(n)
	}
	if f := r.simField("wfr_interpolation_order"); f.raw != nil {
		n, err := r.s.whole(f.raw, 0, 3)
		if err == nil && n == 2 {
			err = fmt.Errorf("expected 0, 1 or 3 (NEST's interpolation orders), got 2")
		}
		if err != nil {
			r.p.report(f.path, err)
		}
		w.InterpolationOrder = int(n)
	}
	return &w
}

// multiple reports whether x is a whole multiple of dt (up to rounding).
func multiple(x, dt float64) bool {
	s := x / dt
	return math.Abs(s-math.Round(s)) <= 1e-9*math.Max(1, math.Abs(s))
}

// maxNodes is the largest population or device: neurons are numbered with
// 32-bit signed integers on both backends.
const maxNodes = 1<<31 - 1

// size reads a population or device size.
func (r *resolver) size(name string, f field, def int64) int {
	n := def
	if f.raw != nil {
		var err error
		n, err = r.s.whole(f.raw, 1, maxNodes)
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
	if pop.spatial != nil {
		n := 0
		if pop.n.raw != nil {
			n = r.size(pop.name, pop.n, 0)
			delete(r.sizes, pop.name) // known once the layer is
		}
		if pop.n.raw == nil || n > 0 {
			if sp, info, size := r.spatial(pop.spatial, n, pop.n.path); sp != nil {
				out.Spatial, out.N = sp, size
				r.sizes[pop.name] = size
				r.layers[pop.name] = info
			}
		}
	} else {
		out.N = r.size(pop.name, pop.n, 0)
	}
	// The draws: random parameters over [vars]; the population's other
	// values may use them by name (ps), which makes those per-neuron values.
	ps := r.s
	for _, dr := range pop.draws {
		ps.draws = append(ps.draws, dr.spell) // even when broken: its users are not wrong
		v, err := r.s.value(dr.raw, "", randomOnly)
		if err != nil {
			for _, other := range pop.draws {
				if s, ok := dr.raw.(string); ok && other.name != dr.name && slices.Contains(drawRefs(s), other.name) {
					err = fmt.Errorf("%v (a draw cannot use another draw: write %s's formula where it is used)", err, other.spell)
					break
				}
			}
			r.p.report(dr.path, err)
			continue
		}
		if out.Draws == nil {
			out.Draws = map[string]spec.Value{}
		}
		out.Draws[dr.spell] = v
	}
	// PerNeuron parameters may take per-neuron values; the others must be
	// one value, and say so when they get more.
	var plain []paramF
	params := pop.params
	if pop.presetBy != nil {
		k, err := r.s.whole(pop.presetBy.raw, 0, int64(len(pop.presets)-1))
		if err != nil {
			r.p.report(pop.presetBy.path, err)
		} else {
			params = append(slices.Clone(params), presetParams(pop, pop.presets[k], pop.presetBy.path)...)
		}
	}
	for _, g := range params {
		if g.param.Kind != models.Real {
			plain = append(plain, g)
			continue
		}
		if g.param.PerNeuron {
			v, err := ps.value(g.raw, g.unit, g.kind)
			switch {
			case err != nil:
				r.p.report(g.path, err)
			case v.IsConst():
				plain = append(plain, paramF{field: field{g.path, v.Const}, name: g.name, param: g.param, unit: g.unit})
			default:
				if out.PerNeuron == nil {
					out.PerNeuron = map[string]spec.Value{}
				}
				out.PerNeuron[g.name] = v
			}
			continue
		}
		if v, err := ps.value(g.raw, g.unit, randomOnly); err == nil && !v.IsConst() {
			what := "the random parameter"
			if e, err := param.Compile(v.Expr, nil, ps.draws...); err == nil && !e.Random() {
				what = "the per-neuron value"
			}
			r.p.add(g.path, "expected %s, got %s %s; %s", unitName(g.unit), what, v.Expr, onePerPopulation(pop.model, g.name))
			continue
		}
		plain = append(plain, g)
	}
	vals, lists, ok := r.params(pop.model.Params, plain)
	out.Params, out.Lists = vals, lists
	if ok {
		if err := pop.model.Check(vals, lists, r.dt); err != nil {
			r.p.report(pop.path+".params", err)
		}
	}
	for _, g := range pop.init {
		v, err := ps.value(g.raw, g.unit, g.kind)
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

// drawRefs returns the identifiers of an expression, in lower case (for
// messages: the draws it names).
func drawRefs(src string) []string {
	names, _ := param.Names(src)
	for i, n := range names {
		names[i] = strings.ToLower(n)
	}
	return names
}

// onePerPopulation explains that a parameter takes one value per
// population, and which of the model's parameters may differ between
// neurons.
func onePerPopulation(m *models.Neuron, name string) string {
	var per []string
	for _, i := range m.PerNeuronParams() {
		per = append(per, m.Params[i].Name)
	}
	if len(per) == 0 {
		return fmt.Sprintf("%s of %s takes one value per population (no parameter of %s differs between neurons)", name, m.Name, m.Name)
	}
	return fmt.Sprintf("%s of %s takes one value per population (per neuron: %s)", name, m.Name, quoteList(per))
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

func (r *resolver) recorder(rec *recT) spec.Recorder {
	d := r.d
	out := spec.Recorder{Name: rec.name, Model: rec.model, Start: 0, Stop: math.Inf(1), RecordFrom: rec.recordFrom}
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
		out.First = int(k)
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
			out.First = n
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
	out.Start, out.Stop = r.window(rec)
	return out
}

// window resolves a recorder's start and stop (ms; default 0 and +Inf).
func (r *resolver) window(rec *recT) (start, stop float64) {
	stop = math.Inf(1)
	if rec.start.raw != nil {
		x, err := r.s.real(rec.start.raw, "ms")
		if err != nil {
			r.p.report(rec.start.path, err)
		}
		start = x
	}
	if rec.stop.raw != nil {
		x, err := r.s.realInf(rec.stop.raw, "ms", true)
		if err != nil {
			r.p.report(rec.stop.path, err)
		}
		stop = x
	}
	if !(stop >= start) {
		r.p.add(rec.stop.path, "expected stop >= start (%g ms), got %g ms", start, stop)
	}
	return start, stop
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
