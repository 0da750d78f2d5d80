package configs

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/snn-gpu/snn-gpu/spec"
)

// This file reads structural plasticity: the calcium parameters (tau_Ca,
// beta_Ca, Ca in a population's params, as NEST keeps them on the neuron),
// [population.synaptic_elements.NAME] and [structural_plasticity] with
// its [structural_plasticity.synapses.NAME] types.

// calciumKeys are the calcium trace's entries of a population's params, in
// NEST's spelling, with their units.
var calciumKeys = map[string]string{"tau_ca": "ms", "beta_ca": "", "ca": ""}

var calciumSpell = map[string]string{"tau_ca": "tau_Ca", "beta_ca": "beta_Ca", "ca": "Ca"}

var elementKeys = []string{"z", "z_connected", "growth_rate", "tau_vacant", "continuous", "growth_curve", "eps", "eta", "psi"}

var spSynapseKeys = []string{"synapse_model", "pre_synaptic_element", "post_synaptic_element", "weight", "delay", "allow_autapses", "allow_multapses"}

// elemT is a synaptic element as the file gives it.
type elemT struct {
	path, name string
	m          map[string]any
}

// spT is [structural_plasticity].
type spT struct {
	interval field
	record   field
	syns     []elemT // name, path and table of each synapse type
}

// readElements reads a population's synaptic_elements table.
func (d *doc) readElements(path string, raw any) []elemT {
	m, ok := raw.(map[string]any)
	if !ok {
		d.p.add(path, "expected a table of elements (synaptic_elements.NAME = { growth_curve = …, … }), got %s", describe(raw))
		return nil
	}
	var out []elemT
	for _, k := range sortedKeys(m) {
		name := d.spelled(path, k)
		p := join(path, name)
		em, ok := d.table(p, m[k], elementKeys...)
		if !ok {
			continue
		}
		if _, ok := em["z_connected"]; ok {
			d.p.add(join(p, "z_connected"), "z_connected counts the element's synapses and cannot be set (it starts at 0: structural plasticity starts with no plastic synapses)")
		}
		out = append(out, elemT{path: p, name: name, m: em})
	}
	return out
}

// readStructural reads [structural_plasticity].
func (d *doc) readStructural(raw any) {
	m, ok := d.table("structural_plasticity", raw, "update_interval", "record_interval", "synapses")
	if !ok {
		return
	}
	d.sp = &spT{interval: field{"structural_plasticity.update_interval", m["update_interval"]},
		record: field{"structural_plasticity.record_interval", m["record_interval"]}}
	sm, ok := m["synapses"].(map[string]any)
	if !ok || len(sm) == 0 {
		d.p.add("structural_plasticity.synapses", "expected at least one synapse type ([structural_plasticity.synapses.NAME] with pre_synaptic_element, post_synaptic_element, …), got %s", describe(m["synapses"]))
		return
	}
	for _, k := range sortedKeys(sm) {
		name := d.spelled("structural_plasticity.synapses", k)
		p := join("structural_plasticity.synapses", name)
		if t, ok := d.table(p, sm[k], spSynapseKeys...); ok {
			d.sp.syns = append(d.sp.syns, elemT{path: p, name: name, m: t})
		}
	}
}

// calcium resolves a population's calcium parameters (nil: none given).
func (r *resolver) calcium(pop *popT) *spec.Calcium {
	if len(pop.calcium) == 0 {
		return nil
	}
	c := spec.DefaultCalcium()
	for _, g := range pop.calcium {
		x, err := r.s.real(g.raw, g.unit)
		if err != nil {
			r.p.report(g.path, err)
			continue
		}
		switch g.name {
		case "tau_Ca":
			if !(x > 0) {
				r.p.add(g.path, "expected a time > 0 ms (NEST: tau_Ca must be > 0), got %g ms", x)
			}
			c.TauCa = x
		case "beta_Ca":
			if !(x > 0) {
				r.p.add(g.path, "expected a number > 0 (NEST: beta_Ca must be > 0), got %g", x)
			}
			c.BetaCa = x
		case "Ca":
			if !(x >= 0) {
				r.p.add(g.path, "expected a concentration >= 0, got %g", x)
			}
			c.Ca = x
		}
	}
	return &c
}

// elements resolves a population's synaptic elements.
func (r *resolver) elements(pop *popT) []spec.Element {
	var out []spec.Element
	for _, el := range pop.elements {
		e := spec.DefaultElement(el.name)
		num := func(key, unit string, ok func(float64) bool, want string) float64 {
			raw, given := el.m[key]
			if !given {
				return math.NaN()
			}
			x, err := r.s.real(raw, unit)
			if err == nil && !ok(x) {
				err = fmt.Errorf("expected %s, got %s", want, got(raw, x))
			}
			if err != nil {
				r.p.report(join(el.path, key), err)
				return math.NaN()
			}
			return x
		}
		set := func(dst *float64, x float64) {
			if !math.IsNaN(x) {
				*dst = x
			}
		}
		anyValue := func(float64) bool { return true }
		set(&e.Z, num("z", "", func(x float64) bool { return x >= 0 }, "a number of elements >= 0"))
		set(&e.GrowthRate, num("growth_rate", "", anyValue, "a rate in elements/ms"))
		set(&e.TauVacant, num("tau_vacant", "", func(x float64) bool { return x >= 0 && x <= 1 }, "a fraction from 0 to 1 (the share of vacant elements removed at each update)"))
		set(&e.Eps, num("eps", "", anyValue, "a calcium concentration"))
		set(&e.Eta, num("eta", "", anyValue, "a calcium concentration"))
		set(&e.Psi, num("psi", "", func(x float64) bool { return x > 0 }, "a width > 0"))
		if raw, ok := el.m["continuous"]; ok {
			b, err := boolean(raw)
			if err != nil {
				r.p.report(join(el.path, "continuous"), err)
			}
			e.Continuous = b
		}
		if raw, ok := el.m["growth_curve"]; ok {
			s, err := str(raw)
			curves := []string{"linear", "gaussian", "sigmoid"}
			if err == nil && !slices.Contains(curves, s) {
				err = fmt.Errorf("unknown growth curve %q%s; expected one of %s", s, suggest(s, curves), quoteList(curves))
			}
			if err != nil {
				r.p.report(join(el.path, "growth_curve"), err)
			}
			e.Curve = s
		}
		for k := range el.m {
			if (k == "eta" && e.Curve != "gaussian") || (k == "psi" && e.Curve != "sigmoid") {
				r.p.add(join(el.path, k), "%s is a parameter of the %s growth curve, not of %s", k, map[string]string{"eta": "gaussian", "psi": "sigmoid"}[k], e.Curve)
			}
		}
		switch {
		case e.Curve == "gaussian" && !(e.Eps > e.Eta):
			r.p.add(join(el.path, "eps"), "a gaussian growth curve needs eps > eta (its zeros), got eps = %g, eta = %g", e.Eps, e.Eta)
		case e.Curve == "linear" && e.Eps == 0:
			r.p.add(join(el.path, "eps"), "a linear growth curve divides by eps: expected eps != 0")
		}
		out = append(out, e)
	}
	return out
}

// structural resolves [structural_plasticity] against the populations'
// elements.
func (r *resolver) structural(pops []spec.Population) *spec.Structural {
	sp := r.d.sp
	has := func(name string) bool {
		for _, p := range pops {
			if slices.ContainsFunc(p.Elements, func(e spec.Element) bool { return e.Name == name }) {
				return true
			}
		}
		return false
	}
	if sp == nil {
		for i, p := range r.d.pops {
			if len(p.elements) > 0 {
				r.p.add(fmt.Sprintf("population[%d].synaptic_elements", i), "synaptic elements need [structural_plasticity] with the synapse types that connect them")
				break
			}
		}
		return nil
	}
	out := &spec.Structural{UpdateInterval: 10000}
	if f := sp.interval; f.raw != nil {
		x, err := r.s.real(f.raw, "ms")
		if err == nil && (!(x >= r.dt) || !multiple(x, r.dt)) {
			err = fmt.Errorf("expected a multiple of dt = %g ms, at least dt, got %s", r.dt, got(f.raw, x))
		}
		if err != nil {
			r.p.report(f.path, err)
		}
		out.UpdateInterval = x
	}
	if f := sp.record; f.raw != nil {
		x, err := r.s.real(f.raw, "ms")
		if err == nil && (!(x >= r.dt) || !multiple(x, r.dt)) {
			err = fmt.Errorf("expected a multiple of dt = %g ms, at least dt, got %s", r.dt, got(f.raw, x))
		}
		if err != nil {
			r.p.report(f.path, err)
		}
		out.RecordInterval = x
	}
	var names []string
	for _, p := range pops {
		for _, e := range p.Elements {
			if !slices.Contains(names, e.Name) {
				names = append(names, e.Name)
			}
		}
	}
	for _, s := range sp.syns {
		t := spec.SPSynapse{Name: s.name, Model: "static_synapse", Delay: r.dt, AllowAutapses: true, AllowMultapses: true}
		if raw, ok := s.m["synapse_model"]; ok {
			m, err := str(raw)
			if err == nil && m != "static_synapse" {
				err = fmt.Errorf("expected static_synapse (the only synapse model structural plasticity creates here), got %q", m)
			}
			if err != nil {
				r.p.report(join(s.path, "synapse_model"), err)
			}
		}
		for _, side := range []struct {
			key string
			dst *string
		}{{"pre_synaptic_element", &t.Pre}, {"post_synaptic_element", &t.Post}} {
			raw, ok := s.m[side.key]
			if !ok {
				r.p.add(join(s.path, side.key), "missing: the name of a synaptic element")
				continue
			}
			name, err := str(raw)
			if err == nil && !has(name) {
				err = fmt.Errorf("no population has the synaptic element %q; elements: %s", name, quoteList(names))
			}
			if err != nil {
				r.p.report(join(s.path, side.key), err)
			}
			*side.dst = name
		}
		if raw, ok := s.m["weight"]; ok {
			x, err := r.s.real(raw, "")
			if err != nil {
				r.p.report(join(s.path, "weight"), err)
			}
			t.Weight = x
		} else {
			t.Weight = 1 // static_synapse's default
		}
		if raw, ok := s.m["delay"]; ok {
			x, err := r.s.real(raw, "ms")
			if err == nil && !(x >= r.dt) {
				err = fmt.Errorf("expected a delay of at least dt = %g ms, got %s", r.dt, got(raw, x))
			}
			if err != nil {
				r.p.report(join(s.path, "delay"), err)
			}
			t.Delay = x
		}
		for _, f := range []struct {
			key string
			dst *bool
		}{{"allow_autapses", &t.AllowAutapses}, {"allow_multapses", &t.AllowMultapses}} {
			if raw, ok := s.m[f.key]; ok {
				b, err := boolean(raw)
				if err != nil {
					r.p.report(join(s.path, f.key), err)
				}
				*f.dst = b
			}
		}
		out.Synapses = append(out.Synapses, t)
	}
	return out
}

// calciumParam reports whether key of a population's params is a calcium
// parameter, and records it.
func (d *doc) calciumParam(pop *popT, path, key string, raw any) bool {
	unit, ok := calciumKeys[strings.ToLower(key)]
	if !ok {
		return false
	}
	name := calciumSpell[strings.ToLower(key)]
	pop.calcium = append(pop.calcium, paramF{field: field{join(path, "params."+name), raw}, name: name, unit: unit})
	return true
}
