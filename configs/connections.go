package configs

import (
	"errors"
	"fmt"
	"github.com/snn-gpu/snn-gpu/plasticity"
	"math"
	"strings"

	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/param"
	"github.com/snn-gpu/snn-gpu/spec"
	"github.com/snn-gpu/snn-gpu/units"
)

// [[connection]]: source, target, rule (rules.go), syn, a mask, and a
// third factor. readConnection checks the structure; the resolver
// evaluates a connection at every point.

var connectionKeys = []string{"source", "target", "rule", "syn", "mask", "third", "syn_third_in", "syn_third_out"}

type connT struct {
	path           string
	source, target string
	srcPop, tgtPop int // index, or -1
	srcDev         int // index, or -1
	rule           string
	ruleParams     []paramF
	autapses       bool
	multapses      bool
	symmetric      bool
	useOnSource    field // raw nil when not given
	oversized      bool
	mask           *maskT
	hasMask        bool // a mask is given (mask is nil when it is broken)
	syn            synT
	third          *thirdT
}

// synT is a synapse specification (syn, syn_third_in, syn_third_out).
type synT struct {
	path                    string
	model                   string
	weight, delay, receptor field
	diffusion               *field           // diffusion_connection's diffusion_factor (nil for other models)
	params                  map[string]field // a plastic model's, by NEST's spelling
	weightRec               field            // a plastic model's weight_recorder (weightrec.go)
}

// thirdT is a third factor (NEST's TripartiteConnect).
type thirdT struct {
	path                  string
	pop                   int // index of the third population, or -1
	name                  string
	p, poolSize           field
	poolType              string
	synIn, synOut         synT
	synInPath, synOutPath string
}

func (d *doc) readConnection(i int, m map[string]any) {
	path := fmt.Sprintf("connection[%d]", i)
	d.table(path, m, connectionKeys...)
	c := &connT{path: path, srcPop: -1, tgtPop: -1, srcDev: -1, rule: "all_to_all", autapses: true, multapses: true}
	if s, ok := d.text(path, m, "source", true); ok {
		c.source = s
		c.srcPop, c.srcDev = d.popIndex(s), d.devIndex(s)
		if c.srcPop < 0 && c.srcDev < 0 {
			d.p.add(join(path, "source"), "no population or device named %q%s", s, suggest(s, sortedKeys(d.names)))
		}
	}
	if s, ok := d.text(path, m, "target", true); ok {
		c.target = s
		c.tgtPop = d.popIndex(s)
		switch {
		case c.tgtPop >= 0:
		case d.devIndex(s) >= 0:
			d.p.add(join(path, "target"), "%q is a device; targets must be populations (recording goes through [[recorder]])", s)
		default:
			d.p.add(join(path, "target"), "no population named %q%s", s, suggest(s, d.popNames()))
		}
	}
	if raw, ok := m["mask"]; ok {
		c.hasMask = true
		c.mask = d.readMask(join(path, "mask"), raw)
	}
	d.readRule(c, join(path, "rule"), m["rule"])
	c.syn = d.readSyn(join(path, "syn"), m["syn"])
	if raw, ok := m["third"]; ok {
		c.third = d.readThird(c, join(path, "third"), raw)
	}
	for _, k := range []string{"syn_third_in", "syn_third_out"} {
		raw, ok := m[k]
		if !ok {
			continue
		}
		if _, has := m["third"]; !has {
			d.p.add(join(path, k), "%s is the synapse of a third factor: give third = { population = …, … } too", k)
			continue
		}
		if c.third == nil {
			continue
		}
		if k == "syn_third_in" {
			c.third.synIn = d.readSyn(join(path, k), raw)
		} else {
			c.third.synOut = d.readSyn(join(path, k), raw)
		}
	}
	d.connectionFlags(c)
	d.conns = append(d.conns, c)
}

// synapseModels are the synapse models snn-gpu builds.
var synapseModels = append([]string{"static_synapse", spec.GapJunction, spec.RateInstantaneous, spec.RateDelayed, spec.DiffusionConnection}, plasticity.Names()...)

func (d *doc) readSyn(path string, raw any) synT {
	s := synT{path: path, model: "static_synapse",
		weight: field{join(path, "weight"), nil}, delay: field{join(path, "delay"), nil}, receptor: field{join(path, "receptor"), nil}}
	if raw == nil {
		return s
	}
	keys := []string{"model", "weight", "delay", "receptor", "drift_factor", "diffusion_factor"}
	var pm *plasticity.Model
	if t, ok := raw.(map[string]any); ok {
		if name, ok := t["model"].(string); ok {
			if pm, ok = plasticity.Find(name); ok {
				s.params = map[string]field{}
				for _, q := range pm.Params {
					keys = append(keys, strings.ToLower(q.Name)) // keys arrive lowercased
				}
				keys = append(keys, "tau_minus", "weight_recorder") // tau_minus refused below, with where it belongs
			}
		}
	}
	m, ok := d.table(path, raw, keys...)
	if !ok {
		return s
	}
	if pm != nil {
		for _, q := range pm.Params {
			k := strings.ToLower(q.Name)
			s.params[q.Name] = field{join(path, k), m[k]}
		}
		s.weightRec = field{join(path, "weight_recorder"), m["weight_recorder"]}
		if m["tau_minus"] != nil {
			d.p.add(join(path, "tau_minus"), "tau_minus is a parameter of the target neurons, as in NEST: set it in the target population's params")
		}
	}
	if name, ok := d.text(path, m, "model", false); ok {
		if !contains(synapseModels, name) {
			d.p.add(join(path, "model"), "unknown synapse model %q%s; synapse models: %s", name, suggest(name, synapseModels), quoteList(synapseModels))
		}
		s.model = name
	}
	s.weight.raw = m["weight"]
	s.delay.raw = m["delay"]
	s.receptor.raw = m["receptor"]
	d.readDiffusion(path, m, &s)
	return s
}

// readDiffusion reads diffusion_connection's drift_factor (kept as the
// weight) and diffusion_factor, and refuses them on other synapses.
func (d *doc) readDiffusion(path string, m map[string]any, s *synT) {
	if s.model != spec.DiffusionConnection {
		for _, k := range []string{"drift_factor", "diffusion_factor"} {
			if m[k] != nil {
				d.p.add(join(path, k), "%s belongs to %s; %s has a weight", k, spec.DiffusionConnection, s.model)
			}
		}
		return
	}
	for _, k := range []string{"weight", "delay"} {
		if m[k] != nil {
			d.p.add(join(path, k), "%s has no %s (NEST): give drift_factor and diffusion_factor", spec.DiffusionConnection, k)
		}
	}
	s.weight = field{join(path, "drift_factor"), m["drift_factor"]}
	s.delay.raw = nil
	s.diffusion = &field{join(path, "diffusion_factor"), m["diffusion_factor"]}
}

var thirdKeys = []string{"population", "rule", "p", "pool_type", "pool_size"}

// poolTypes are the pools of third_factor_bernoulli_with_pool.
var poolTypes = []string{"random", "block"}

func (d *doc) readThird(c *connT, path string, raw any) *thirdT {
	m, ok := d.table(path, raw, thirdKeys...)
	if !ok {
		return nil
	}
	t := &thirdT{path: path, pop: -1, poolType: "random",
		p: field{join(path, "p"), m["p"]}, poolSize: field{join(path, "pool_size"), m["pool_size"]}}
	t.synIn = d.readSyn(join(c.path, "syn_third_in"), nil)
	t.synOut = d.readSyn(join(c.path, "syn_third_out"), nil)
	if name, ok := d.text(path, m, "population", true); ok {
		t.name = name
		t.pop = d.popIndex(name)
		if t.pop < 0 {
			if d.devIndex(name) >= 0 {
				d.p.add(join(path, "population"), "%q is a device; the third factor is a population", name)
			} else {
				d.p.add(join(path, "population"), "no population named %q%s", name, suggest(name, d.popNames()))
			}
		}
	}
	if rule, ok := d.text(path, m, "rule", false); ok && rule != network.ThirdFactorRule {
		d.p.add(join(path, "rule"), "unknown third-factor rule %q%s; third-factor rules: %s", rule, suggest(rule, []string{network.ThirdFactorRule}), network.ThirdFactorRule)
	}
	if s, ok := d.text(path, m, "pool_type", false); ok {
		if !contains(poolTypes, s) {
			d.p.add(join(path, "pool_type"), "expected %s, got %q%s (NEST: pool_type must be 'random' or 'block')", strings.Join(poolTypes, " or "), s, suggest(s, poolTypes))
		}
		t.poolType = s
	}
	return t
}

// connectionFlags applies NEST's constraints that do not depend on values.
func (d *doc) connectionFlags(c *connT) {
	rp := join(c.path, "rule")
	def, known := rules[c.rule]
	if !known {
		return
	}
	if c.symmetric && c.rule == "fixed_total_number" && c.syn.model != spec.GapJunction {
		d.p.add(join(rp, "make_symmetric"), "make_symmetric = true is supported only by the rules one_to_one and symmetric_pairwise_bernoulli, and by fixed_total_number for gap_junction, not for %s (NEST: this connection rule does not support symmetric connections)", c.syn.model)
	}
	if c.symmetric && c.third != nil {
		d.p.add(join(rp, "make_symmetric"), "a third factor cannot be used with make_symmetric = true (NEST)")
	}
	if c.hasMask && !def.spatial {
		d.p.add(c.maskPath(), "rule %s cannot use a mask: NEST connects spatially with %s", c.rule, quoteList(spatialRules))
	}
	if c.oversized && !c.hasMask {
		d.p.add(join(rp, "allow_oversized_mask"), "allow_oversized_mask is about a mask; give mask or leave it out")
	}
	if c.hasMask && c.third != nil {
		d.p.add(c.maskPath(), "a connection with a third factor cannot have a mask (NEST's TripartiteConnect is not spatial)")
	}
	if c.useOnSource.raw != nil && c.third != nil {
		d.p.add(c.useOnSource.path, "a connection with a third factor cannot be spatial (NEST's TripartiteConnect is not)")
	}
}

// maskPath is where the connection's mask is written.
func (c *connT) maskPath() string {
	if c.mask != nil {
		return c.mask.path
	}
	return join(c.path, "mask")
}

// connection evaluates one connection at a point.
func (r *resolver) connection(c *connT) spec.Connection {
	before := len(r.p.list)
	out := spec.Connection{Source: c.source, Target: c.target}
	out.Rule = spec.Rule{Name: c.rule, AllowAutapses: c.autapses, AllowMultapses: c.multapses, MakeSymmetric: c.symmetric,
		AllowOversizedMask: c.oversized}
	if c.useOnSource.raw != nil {
		out.Rule.UseOnSource, _ = boolean(c.useOnSource.raw)
	}
	nSrc, srcKnown := r.sizes[c.source]
	nTgt, tgtKnown := r.sizes[c.target]
	sameSet := c.srcPop >= 0 && c.srcPop == c.tgtPop
	rulePath := c.path + ".rule"
	if c.rule == "one_to_one" && srcKnown && tgtKnown && nSrc != nTgt {
		r.p.add(rulePath, "rule one_to_one needs source and target of equal size, got %s (%d) and %s (%d)", c.source, nSrc, c.target, nTgt)
	}
	var uses []string // fields whose values depend on positions
	for _, g := range c.ruleParams {
		v, ok := r.ruleParam(c, g, nSrc, srcKnown, nTgt, tgtKnown, sameSet)
		if !ok {
			continue
		}
		if out.Rule.Params == nil {
			out.Rule.Params = map[string]spec.Value{}
		}
		out.Rule.Params[g.name] = v
		if isSpatial(v) {
			uses = append(uses, g.path)
		}
	}
	out.Syn = r.synapse(c.syn, anyParam)
	if c.syn.model == spec.GapJunction {
		r.gapJunction(c, out.Syn)
	}
	if c.syn.model == spec.RateInstantaneous && c.syn.delay.raw != nil {
		r.p.add(c.syn.delay.path, "rate_connection_instantaneous has no delay (NEST: the rates of the same step); leave delay out or use rate_connection_delayed")
	}
	for _, f := range []struct {
		v    spec.Value
		path string
	}{{out.Syn.Weight, c.syn.weight.path}, {out.Syn.Delay, c.syn.delay.path}} {
		if isSpatial(f.v) {
			uses = append(uses, f.path)
		}
	}
	r.checkReceptor(c.srcPop, c.srcDev, c.source, c.tgtPop, c.target, c.path+".target", c.syn.receptor.path, out.Syn, c.syn)
	r.checkPlasticTarget(c, out.Syn)
	if c.mask != nil {
		out.Mask, _ = r.mask(c.mask)
	}
	r.spatialConnection(c, &out, uses)
	if c.symmetric {
		for _, f := range []struct {
			v    spec.Value
			path string
		}{{out.Syn.Weight, c.syn.weight.path}, {out.Syn.Delay, c.syn.delay.path}} {
			if !f.v.IsConst() {
				r.p.add(f.path, "make_symmetric needs constant weights and delays (NEST: symmetric connections require parameters that can be reset), got %s", f.v.Expr)
			}
		}
	}
	if c.third != nil {
		out.Third = r.third(c, nTgt, tgtKnown)
	}
	// The network's own checks, once ours have passed.
	if len(r.p.list) == before && srcKnown && tgtKnown {
		if err := network.CheckRule(out.Rule, nSrc, nTgt, sameSet); err != nil {
			r.p.add(rulePath, "%v", err)
		}
		if out.Third != nil {
			if err := network.CheckThird(out.Third, nTgt, r.sizes[c.third.name]); err != nil {
				r.p.add(c.third.path, "%v", err)
			}
		}
	}
	return out
}

// isSpatial reports whether a Value depends on positions.
func isSpatial(v spec.Value) bool {
	if v.IsConst() {
		return false
	}
	e, err := param.Compile(v.Expr, nil)
	return err == nil && e.Spatial()
}

// spatialConnection applies NEST's rules of spatial connections: a mask, a
// spatial parameter, p for a degree rule or use_on_source make one, which
// needs spatial populations of equal dimension at both ends and one of the
// rules NEST connects spatially.
func (r *resolver) spatialConnection(c *connT, out *spec.Connection, uses []string) {
	var why []string
	if c.hasMask {
		why = append(why, c.maskPath())
	}
	if c.useOnSource.raw != nil {
		why = append(why, c.useOnSource.path)
	}
	if _, ok := out.Rule.Params["p"]; ok && (c.rule == "fixed_indegree" || c.rule == "fixed_outdegree") {
		why = append(why, join(c.path, "rule.p"))
	}
	why = append(why, uses...)
	if len(why) == 0 {
		return
	}
	where := why[0]
	if !contains(spatialRules, c.rule) {
		// A mask on another rule is refused with the structure.
		if !c.hasMask {
			r.p.add(where, "rule %s cannot use spatial parameters: NEST connects spatially with %s", c.rule, quoteList(spatialRules))
		}
		return
	}
	if c.third != nil {
		r.p.add(where, "a connection with a third factor cannot be spatial (NEST's TripartiteConnect has no masks or spatial parameters)")
		return
	}
	src, tgt := r.layerOf(c.srcPop), r.layerOf(c.tgtPop)
	switch {
	case c.srcDev >= 0:
		r.p.add(where, "a spatial connection needs spatial populations at both ends; the source %q is a device", c.source)
		return
	case c.srcPop >= 0 && src == nil && r.d.pops[c.srcPop].spatial == nil:
		r.p.add(where, "a spatial connection needs spatial populations at both ends; give %s a spatial table (population %q has none)", c.source, c.source)
		return
	case c.tgtPop >= 0 && tgt == nil && r.d.pops[c.tgtPop].spatial == nil:
		r.p.add(where, "a spatial connection needs spatial populations at both ends; give %s a spatial table (population %q has none)", c.target, c.target)
		return
	case src == nil || tgt == nil:
		return // the layer itself is wrong, and said so
	case src.dims != tgt.dims:
		r.p.add(where, "the source layer %s has %d dimensions, the target layer %s %d; they must agree", c.source, src.dims, c.target, tgt.dims)
		return
	}
	dims := src.dims
	for _, p := range uses {
		if dims == 2 && r.usesZ(out, c, p) {
			r.p.add(p, "uses the z coordinate, but the layers are 2-dimensional")
		}
	}
	if out.Mask == nil {
		return
	}
	if md := maskShapes[out.Mask.Shape].dims; md != dims {
		r.p.add(c.maskPath(), "a %s mask is %d-dimensional, the layers %s and %s are %d-dimensional", out.Mask.Shape, md, c.source, c.target, dims)
		return
	}
	// The pool layer: the target's, unless the driver is the target.
	pool, poolName := tgt, c.target
	if c.rule == "fixed_indegree" || c.rule == "pairwise_bernoulli" && out.Rule.UseOnSource {
		pool, poolName = src, c.source
	}
	if pool.edgeWrap && !c.oversized && pool.extent != nil {
		span := maskSpan(out.Mask)
		for k := 0; k < dims; k++ {
			if span[k] > pool.extent[k]*(1+1e-12) {
				r.p.add(c.maskPath(), "the mask is %g across along %s, more than the periodic layer %s (%g): NEST refuses masks larger than the layer; set allow_oversized_mask = true to allow it",
					span[k], []string{"x", "y", "z"}[k], poolName, pool.extent[k])
				return
			}
		}
	}
}

// usesZ reports whether the value at path reads the z coordinate.
func (r *resolver) usesZ(out *spec.Connection, c *connT, path string) bool {
	var v spec.Value
	switch path {
	case c.syn.weight.path:
		v = out.Syn.Weight
	case c.syn.delay.path:
		v = out.Syn.Delay
	default:
		for _, g := range c.ruleParams {
			if g.path == path {
				v = out.Rule.Params[g.name]
			}
		}
	}
	return !v.IsConst() && usesZ(v.Expr)
}

// layerOf returns the layer of a population at this point (nil when it has
// none or it is broken).
func (r *resolver) layerOf(pop int) *layerInfo {
	if pop < 0 {
		return nil
	}
	return r.layers[r.d.pops[pop].name]
}

// synapse evaluates a synapse specification.
func (r *resolver) synapse(s synT, kind valueKind) spec.Synapse {
	syn := spec.Synapse{Model: s.model, Weight: spec.Constant(defaultWeight), Delay: spec.Constant(defaultDelay)}
	if s.weight.raw != nil {
		v, err := r.s.value(s.weight.raw, "", kind)
		var de *dimError
		if text, ok := s.weight.raw.(string); ok {
			got := strings.TrimSpace(text)
			if errors.As(err, &de) {
				got = de.got
			}
			if _, _, hasUnit := units.Split(text); hasUnit || de != nil {
				err = fmt.Errorf("expected a plain number, got %s; weights take no unit: a weight is in the unit of the target's input (a jump in mV for iaf_psc_delta, pA for current-based models)", got)
			}
		}
		if err != nil {
			r.p.report(s.weight.path, err)
		}
		syn.Weight = v
	}
	if s.delay.raw != nil {
		v, err := r.s.value(s.delay.raw, "ms", kind)
		if err != nil {
			r.p.report(s.delay.path, err)
		} else {
			syn.Delay = v
			r.checkDelay(s.delay.path, v)
		}
	} else {
		r.checkDelay(s.delay.path, syn.Delay)
	}
	if s.diffusion != nil {
		if s.weight.raw == nil {
			syn.Weight = spec.Constant(1) // NEST's drift_factor and diffusion_factor default to 1
		}
		v := spec.Constant(1)
		if s.diffusion.raw != nil {
			var err error
			if v, err = r.s.value(s.diffusion.raw, "", constOnly); err != nil {
				r.p.report(s.diffusion.path, err)
			}
		}
		syn.Diffusion = &v
	}
	if s.params != nil {
		pm, _ := plasticity.Find(s.model)
		syn.Params = map[string]float64{}
		units := map[string]string{}
		for _, q := range pm.Params {
			syn.Params[q.Name] = q.Default
			units[q.Name] = q.Unit
		}
		for name, f := range s.params {
			if f.raw == nil {
				continue
			}
			x, err := r.s.real(f.raw, units[name])
			if err != nil {
				r.p.report(f.path, err)
				continue
			}
			syn.Params[name] = x
		}
		if _, err := pm.Rule(syn.Params, nil); err != nil {
			r.p.report(s.path, err)
		}
		syn.WeightRecorder = r.weightRecorder(s.weightRec)
	}
	if name, ok := s.receptor.raw.(string); ok {
		syn.ReceptorName = name
	} else if s.receptor.raw != nil {
		n, err := r.s.whole(s.receptor.raw, 0, math.MaxInt64)
		if err != nil {
			r.p.report(s.receptor.path, err)
		}
		syn.Receptor = int(n)
	}
	return syn
}

// gapModels lists the neuron models that take gap junctions.
func gapModels() []string {
	var out []string
	for _, m := range models.Neurons() {
		if m.Gap {
			out = append(out, m.Name)
		}
	}
	return out
}

// gapJunction applies the rules of gap_junction connections: between
// populations of models with gap junctions, symmetric by construction
// (NEST refuses the asymmetric ones), with one constant conductance and no
// delay.
func (r *resolver) gapJunction(c *connT, syn spec.Synapse) {
	d := r.d
	for _, end := range []struct {
		pop        int
		name, path string
	}{{c.srcPop, c.source, c.path + ".source"}, {c.tgtPop, c.target, c.path + ".target"}} {
		switch {
		case end.pop < 0:
			r.p.add(end.path, "gap_junction connects populations, and %q is not one", end.name)
		case d.pops[end.pop].model != nil && !d.pops[end.pop].model.Gap:
			r.p.add(end.path, "gap_junction needs a model with gap junctions (%s), and %q is %s",
				quoteList(gapModels()), end.name, d.pops[end.pop].model.Name)
		}
	}
	if c.syn.delay.raw != nil {
		r.p.add(c.syn.delay.path, "gap_junction connections have no delay (NEST: gap junctions act at once, through waveform relaxation); leave delay out")
	}
	if !syn.Weight.IsConst() {
		r.p.add(c.syn.weight.path, "expected one constant conductance (nS) for gap_junction: a drawn weight would differ between the two directions of a junction, got %s", syn.Weight.Expr)
	}
	rp := join(c.path, "rule")
	switch c.rule {
	case "one_to_one", "fixed_total_number":
		if !c.symmetric {
			r.p.add(join(rp, "make_symmetric"), "gap_junction connections must be symmetric: rule %s needs make_symmetric = true", c.rule)
		}
	case "all_to_all":
		if c.srcPop != c.tgtPop {
			r.p.add(rp, "gap_junction connections must be symmetric: all_to_all only within one population (source = target), not from %q to %q", c.source, c.target)
		}
	default:
		r.p.add(join(rp, "rule"), "gap_junction connections must be symmetric, which rule %s cannot promise; use one_to_one or fixed_total_number (N random pairs, drawn with replacement) with make_symmetric = true, or all_to_all within one population", c.rule)
	}
}

// checkDelay refuses the delays that NEST would refuse whatever is drawn:
// a constant below one step after rounding to the nearest step, and a
// uniform parameter whose min is (some draws round below one step). Other
// parameters are rounded as they are drawn; a draw below one step is then
// an error of the build.
func (r *resolver) checkDelay(path string, v spec.Value) {
	if v.IsConst() {
		if models.Steps(v.Const, r.dt) < 1 {
			r.p.add(path, "expected a delay of at least one step (dt = %g ms), got %g ms (%d steps after rounding)", r.dt, v.Const, models.Steps(v.Const, r.dt))
		}
		return
	}
	rc, scale, ok := scaledCall(v.Expr)
	if !ok || rc.name != "uniform" && rc.name != "uniform_int" {
		return
	}
	if lo, _ := rc.support(); models.Steps(lo*scale, r.dt) < 1 {
		r.p.add(path, "expected delays of at least one step (dt = %g ms), but %s draws %g ms, which rounds to %d steps; use a min of at least %g ms",
			r.dt, v.Expr, lo*scale, models.Steps(lo*scale, r.dt), r.dt)
	}
}

// checkPlasticTarget checks what a plastic synapse reads of its target:
// the state variable (urbanczik_synapse: dPI) and the parameters by name,
// and a constant weight against the rule (NEST's sign checks).
func (r *resolver) checkPlasticTarget(c *connT, syn spec.Synapse) {
	pm, ok := plasticity.Find(syn.Model)
	if !ok || syn.Params == nil {
		return
	}
	rule, err := pm.Rule(syn.Params, nil)
	if err != nil {
		return // reported by synapse
	}
	if name := rule.PostState(); name != "" && c.tgtPop >= 0 && r.d.pops[c.tgtPop].model != nil {
		m := r.d.pops[c.tgtPop].model
		missing := m.FindState(name) < 0
		for _, n := range pm.TargetParams {
			_, has := models.FindParam(m.Params, n)
			missing = missing || !has
		}
		if missing {
			r.p.add(join(c.syn.path, "model"), "%s reads its target's state %s and parameters %s: expected a target model that has them (pp_cond_exp_mc_urbanczik), got %s (%s)",
				pm.Name, name, strings.Join(pm.TargetParams, ", "), c.target, m.Name)
		}
	}
	if syn.Weight.IsConst() && rule.Vars() > 0 {
		if err := rule.Init(make([]float64, rule.Vars()), syn.Weight.Const); err != nil {
			r.p.report(c.syn.weight.path, err)
		}
	}
}

// checkReceptor checks that the target has an input of the kind the source
// sends (spikes or currents) with the synapse's receptor: a name among the
// target model's receptor names, or an index among its unnamed inputs.
func (r *resolver) checkReceptor(srcPop, srcDev int, source string, tgtPop int, target, targetPath, receptorPath string, syn spec.Synapse, st synT) {
	receptor := syn.Receptor
	d := r.d
	srcRate := srcPop >= 0 && d.pops[srcPop].model != nil && d.pops[srcPop].model.Rate != nil ||
		srcDev >= 0 && d.devs[srcDev].model != nil && d.devs[srcDev].model.Output == models.RateOutput
	if spec.IsRate(st.model) != srcRate && (srcPop >= 0 && d.pops[srcPop].model != nil || srcDev >= 0 && d.devs[srcDev].model != nil) {
		if srcRate {
			r.p.add(join(st.path, "model"), "%s sends rates: connect it with %s or %s, not %s", source, spec.RateInstantaneous, spec.RateDelayed, st.model)
		} else {
			r.p.add(join(st.path, "model"), "%s sends no rates (it is not a rate model or step_rate_generator), so it cannot use %s", source, st.model)
		}
		return
	}
	if tgtPop < 0 || d.pops[tgtPop].model == nil {
		return
	}
	kind, what := models.SpikePort, "spike"
	if srcDev >= 0 && d.devs[srcDev].model != nil && d.devs[srcDev].model.Output == models.CurrentOutput {
		kind, what = models.CurrentPort, "current"
	}
	if srcRate {
		kind, what = models.RatePort, "rate"
		if st.model == spec.DiffusionConnection {
			kind, what = models.DiffusionPort, spec.DiffusionConnection
		}
	}
	model := d.pops[tgtPop].model
	names := model.Receptors(kind)
	if syn.ReceptorName != "" {
		if pos, _ := model.PortsFor(kind, syn.ReceptorName); pos < 0 {
			if len(names) == 0 {
				r.p.add(receptorPath, "expected a receptor number (%s has no named %s receptors), got %q", model.Name, what, syn.ReceptorName)
			} else {
				r.p.add(receptorPath, "expected one of %s's %s receptors %s, got %q", model.Name, what, strings.Join(names, ", "), syn.ReceptorName)
			}
		}
		return
	}
	count := 0
	for _, p := range model.Ports {
		if p.Kind == kind && p.Receptor == "" {
			count++
		}
	}
	switch {
	case count == 0 && len(names) > 0:
		r.p.add(receptorPath, "expected a receptor name, one of %s's %s receptors %s", model.Name, what, strings.Join(names, ", "))
	case count == 0:
		r.p.add(targetPath, "%s (%s) has no %s input, but %s sends %ss", target, model.Name, what, source, what)
	case count == 1 && receptor != 0:
		r.p.add(receptorPath, "expected receptor 0 (%s has one %s input), got %d", model.Name, what, receptor)
	case receptor >= count:
		r.p.add(receptorPath, "expected a receptor from 0 to %d (%s has %d %s inputs), got %d", count-1, model.Name, count, what, receptor)
	}
}

// third evaluates a third factor with NEST's checks.
func (r *resolver) third(c *connT, nTgt int, tgtKnown bool) *spec.ThirdFactor {
	t := c.third
	out := &spec.ThirdFactor{Population: t.name, P: 1, PoolType: t.poolType}
	nThird, thirdKnown := r.sizes[t.name]
	if t.p.raw != nil {
		if v, err := r.s.value(t.p.raw, "", anyParam); err == nil && !v.IsConst() {
			r.p.add(t.p.path, "expected a probability from 0 to 1 (NEST reads a number), got %s", v.Expr)
		} else {
			x, err := r.s.real(t.p.raw, "")
			switch {
			case err != nil:
				r.p.report(t.p.path, err)
			case !(x >= 0 && x <= 1):
				r.p.add(t.p.path, "expected a probability from 0 to 1, got %s", got(t.p.raw, x))
			}
			out.P = x
		}
	}
	out.PoolSize = nThird
	if t.poolSize.raw != nil {
		hi := int64(math.MaxInt32)
		if thirdKnown {
			hi = int64(nThird)
		}
		k, err := r.s.whole(t.poolSize.raw, 1, hi)
		if err != nil {
			if thirdKnown {
				err = fmt.Errorf("%v (NEST: 1 <= pool_size <= the size of the third population, %s: %d)", err, t.name, nThird)
			}
			r.p.report(t.poolSize.path, err)
		}
		out.PoolSize = int(k)
	}
	if t.poolType == "block" && thirdKnown && tgtKnown && out.PoolSize >= 1 && out.PoolSize <= nThird {
		if !(nTgt*out.PoolSize == nThird || out.PoolSize == 1 && nTgt%nThird == 0) {
			path := t.poolSize.path
			if t.poolSize.raw == nil {
				path = join(t.path, "pool_type")
			}
			r.p.add(path, "block pools need size(target) × pool_size = size(third) (%d × %d ≠ %d), or pool_size = 1 with size(target) a multiple of size(third); otherwise use pool_type = \"random\" (NEST)",
				nTgt, out.PoolSize, nThird)
		}
	}
	out.SynIn = r.synapse(t.synIn, randomOnly)
	out.SynOut = r.synapse(t.synOut, randomOnly)
	r.checkReceptor(c.srcPop, c.srcDev, c.source, t.pop, t.name, join(t.path, "population"), t.synIn.receptor.path, out.SynIn, t.synIn)
	r.checkReceptor(t.pop, -1, t.name, c.tgtPop, c.target, c.path+".target", t.synOut.receptor.path, out.SynOut, t.synOut)
	return out
}
