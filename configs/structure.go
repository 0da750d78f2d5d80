package configs

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/units"
)

// This file checks the structure of a config, once for all sweep points:
// sections, keys, names, models and the types that do not depend on the
// values of [vars]. resolve.go then evaluates every point.

// field is a raw TOML value with the path it was found at (raw is nil when
// the key is absent).
type field struct {
	path string
	raw  any
}

// Sections of a config, in the order the documentation gives them.
var sections = []string{"simulation", "vars", "population", "device", "connection", "recorder", "analysis", "output", "sweep", "structural_plasticity"}

// simEntries are the keys of [simulation]; the first three can be swept.
var simEntries = []string{"dt", "t_sim", "seed", "backend", "threads", "batch", "use_wfr", "wfr_comm_interval", "wfr_tol",
	"wfr_max_iterations", "wfr_interpolation_order"}

var sweepableSim = []string{"dt", "t_sim", "seed"}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// doc is a config whose structure has been checked.
type doc struct {
	orig map[string]string // lower-case path → the key as written
	p    problems

	vars   map[string]*varDef // by lower-case name
	order  []*varDef          // evaluation order (dependencies first)
	x      *exprs
	sim    map[string]field // dt, t_sim, seed, backend, threads, batch
	pops   []*popT
	devs   []*devT
	conns  []*connT
	recs   []*recT
	anal   map[string]field
	output Output
	sweep  sweepT
	names  map[string]string // population and device names → path of the definition
	sp     *spT              // [structural_plasticity]; nil: none
}

type varDef struct {
	name, spell, path string
	raw               any    // a number or a string (expression, optional unit)
	from              string // where raw comes from: "[vars]" or "--set NAME=VALUE"
	fileRaw           any    // the file's value (raw, unless --set replaced it)
	fileDim           units.Dim
	deps              []string // the vars its expression uses
	swept             bool
}

type paramF struct {
	field
	name  string        // NEST's spelling
	param *models.Param // nil for a state variable
	unit  string
	kind  valueKind // the parameters accepted besides constants (init values: random ones)
}

type popT struct {
	path, name string
	model      *models.Neuron
	n          field
	params     []paramF
	init       []paramF
	draws      []drawT
	spatial    *spatialT // nil: no positions
	calcium    []paramF  // tau_Ca, beta_Ca, Ca given in params
	elements   []elemT   // synaptic_elements
	// presetBy and presets: preset = { by = "state", names = [...] } picks
	// presets[value of by] at each point (a sweepable brain state).
	presetBy *field
	presets  []models.Preset
}

// drawT is one of a population's draws: a random number per neuron that
// per-neuron parameters and initial values use by name.
type drawT struct {
	field
	name, spell string // lower case, and as the file writes it
}

type devT struct {
	path, name string
	model      *models.Device
	n          field
	params     []paramF
}

type recT struct {
	path       string
	name       string // the recorder column of the outputs
	model      string
	pop        int
	nRec       field
	neurons    field
	recordFrom []string
	interval   field
	start      field
	stop       field
	// weight_recorder: the senders and targets it keeps (weightrec.go).
	senders, targets field
}

// spelled returns the key as the file writes it.
func (d *doc) spelled(path, key string) string {
	if s, ok := d.orig[strings.ToLower(join(path, key))]; ok {
		return s
	}
	return key
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// table checks that raw is a table with no keys but the allowed ones.
func (d *doc) table(path string, raw any, allowed ...string) (map[string]any, bool) {
	m, ok := raw.(map[string]any)
	if !ok {
		d.p.add(path, "expected a table, got %s", describe(raw))
		return nil, false
	}
	for _, k := range sortedKeys(m) {
		if !contains(allowed, k) {
			d.p.add(join(path, d.spelled(path, k)), "unknown key%s; expected one of %s", suggest(k, allowed), quoteList(allowed))
		}
	}
	return m, true
}

// tables reads an array of tables ([[population]]).
func (d *doc) tables(name string, raw any) []map[string]any {
	list, ok := raw.([]any)
	if !ok {
		d.p.add(name, "expected [[%s]] entries (an array of tables), got %s", name, describe(raw))
		return nil
	}
	out := make([]map[string]any, len(list))
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			d.p.add(fmt.Sprintf("%s[%d]", name, i), "expected a table, got %s", describe(e))
			m = map[string]any{}
		}
		out[i] = m
	}
	return out
}

// text reads a required or optional string key.
func (d *doc) text(path string, m map[string]any, key string, required bool) (string, bool) {
	raw, ok := m[key]
	if !ok {
		if required {
			d.p.add(join(path, key), "missing")
		}
		return "", false
	}
	s, err := str(raw)
	if err != nil {
		d.p.report(join(path, key), err)
		return "", false
	}
	return s, true
}

// flag reads an optional boolean key.
func (d *doc) flag(path string, m map[string]any, key string, def bool) bool {
	raw, ok := m[key]
	if !ok {
		return def
	}
	b, err := boolean(raw)
	if err != nil {
		d.p.report(join(path, key), err)
		return def
	}
	return b
}

func (d *doc) structure(root map[string]any) {
	for _, k := range sortedKeys(root) {
		switch {
		case contains(sections, k):
		case contains(simEntries, k):
			d.p.add(d.spelled("", k), "%s belongs in [simulation]", d.spelled("", k))
		default:
			switch root[k].(type) {
			case map[string]any, []any:
				d.p.add("", "unknown section [%s]%s; sections: %s", d.spelled("", k), suggest(k, sections), quoteList(sections))
			default:
				d.p.add(d.spelled("", k), "unknown key outside any section; sections: %s", quoteList(sections))
			}
		}
	}
	d.readVars(root["vars"])
	d.readSimulation(root["simulation"])
	d.names = map[string]string{}
	arrays := []struct {
		name string
		read func(i int, m map[string]any)
	}{{"population", d.readPopulation}, {"device", d.readDevice}, {"connection", d.readConnection}, {"recorder", d.readRecorder}}
	for _, a := range arrays {
		if raw, ok := root[a.name]; ok {
			for i, m := range d.tables(a.name, raw) {
				a.read(i, m)
			}
		}
	}
	if _, isList := root["population"].([]any); len(d.pops) == 0 && (isList || root["population"] == nil) {
		d.p.add("population", "missing: a network needs at least one [[population]]")
	}
	d.anal = map[string]field{}
	if raw, ok := root["analysis"]; ok {
		if m, ok := d.table("analysis", raw, "t_start", "bin_ms"); ok {
			for k, v := range m {
				d.anal[k] = field{join("analysis", k), v}
			}
		}
	}
	if raw, ok := root["structural_plasticity"]; ok {
		d.readStructural(raw)
	}
	d.readOutput(root["output"])
	d.readSweep(root["sweep"])
}

func (d *doc) readVars(raw any) {
	d.vars = map[string]*varDef{}
	if raw == nil {
		return
	}
	m, ok := raw.(map[string]any)
	if !ok {
		d.p.add("vars", "expected a table, got %s", describe(raw))
		return
	}
	for _, k := range sortedKeys(m) {
		spell := d.spelled("vars", k)
		path := join("vars", spell)
		switch {
		case !identifier.MatchString(k):
			d.p.add(path, "a var name must be a letter or _ followed by letters, digits or _")
			continue
		case units.IsSymbol(spell):
			d.p.add(path, "%s is a unit symbol and cannot be a var name", spell)
			continue
		case reservedName(k):
			d.p.add(path, "%s is a function, a reserved word or a name of parameter expressions and cannot be a var name", spell)
			continue
		case contains(simEntries, k):
			d.p.add(path, "%s is a [simulation] entry and cannot be a var name", spell)
			continue
		}
		switch m[k].(type) {
		case int64, float64, string:
		default:
			d.p.add(path, "expected a number or an expression, got %s", describe(m[k]))
			continue
		}
		d.vars[k] = &varDef{name: k, spell: spell, path: path, raw: m[k], from: "[vars]", fileRaw: m[k]}
	}
}

// spell returns a var's name as the file writes it.
func (d *doc) spell(lower string) string {
	if v, ok := d.vars[lower]; ok {
		return v.spell
	}
	return lower
}

func (d *doc) varNames() []string { return sortedKeys(d.vars) }

// compileVars finds what each var depends on, refuses cycles and fixes
// the order in which the vars of a point are evaluated.
func (d *doc) compileVars() {
	d.x = newExprs(d.varNames(), d.spell)
	for _, name := range d.varNames() {
		v := d.vars[name]
		if v.swept = d.isSwept(name); v.swept {
			continue
		}
		s, ok := v.raw.(string)
		if !ok {
			continue
		}
		src, _, _ := units.Split(s)
		if src == "" {
			d.p.add(v.path, "expected a number or an expression, got %s", describe(v.raw))
			continue
		}
		c := d.x.compile(src)
		if c.err != nil {
			d.p.report(v.path, c.err)
			continue
		}
		if len(c.unknown) > 0 {
			sc := &scope{x: d.x}
			d.p.report(v.path, sc.unknownName(c.unknown[0], src))
			continue
		}
		v.deps = c.ids
	}
	// Depth-first search for the order; a grey node met again closes a cycle.
	const (
		white = iota
		grey
		black
	)
	colour := map[string]int{}
	var stack []string
	var visit func(n string)
	visit = func(n string) {
		colour[n] = grey
		stack = append(stack, n)
		for _, dep := range d.vars[n].deps {
			switch colour[dep] {
			case white:
				visit(dep)
			case grey:
				i := len(stack) - 1
				for stack[i] != dep {
					i--
				}
				var cyc []string
				for _, s := range stack[i:] {
					cyc = append(cyc, d.spell(s))
				}
				cyc = append(cyc, d.spell(dep))
				d.p.add(d.vars[dep].path, "cycle: %s", strings.Join(cyc, " -> "))
			}
		}
		stack = stack[:len(stack)-1]
		colour[n] = black
		d.order = append(d.order, d.vars[n])
	}
	for _, name := range d.varNames() {
		if colour[name] == white {
			visit(name)
		}
	}
	if d.p.empty() {
		d.fileDims()
	}
}

// fileDims finds the dimension of each var as the file writes it: a value
// from --set or [sweep] written without a unit takes it (tm = "20 ms" in
// the file, --set tm=30 is 30 ms). Vars the file's values cannot evaluate
// keep none; their errors come when the point is resolved.
func (d *doc) fileDims() {
	s := &scope{x: d.x, env: map[string]binding{}}
	for _, v := range d.order {
		q, err := s.varQuantity(v.fileRaw)
		if err != nil {
			continue
		}
		v.fileDim = q.Dim
		s.env[v.name] = binding{q: q, from: "[vars]"}
	}
}

func (d *doc) readSimulation(raw any) {
	d.sim = map[string]field{}
	if raw == nil {
		return
	}
	m, ok := d.table("simulation", raw, simEntries...)
	if !ok {
		return
	}
	for k, v := range m {
		if contains(simEntries, k) {
			d.sim[k] = field{join("simulation", k), v}
		}
	}
	if f, ok := d.sim["backend"]; ok {
		if _, err := str(f.raw); err != nil {
			d.p.report(f.path, err)
			delete(d.sim, "backend")
		}
	}
}

// named reads the name of a population or device, which must be unique.
func (d *doc) named(path string, m map[string]any) string {
	name, ok := d.text(path, m, "name", true)
	if ok {
		d.define(path, name)
	}
	return name
}

// lookupModel reads the model of a population or device: a registered
// model of that kind.
func lookupModel[T any](d *doc, path string, m map[string]any, lookup func(string) (*T, bool), kind string, known func() []string) *T {
	name, ok := d.text(path, m, "model", true)
	if !ok {
		return nil
	}
	mod, ok := lookup(name)
	if !ok {
		d.p.add(join(path, "model"), "%s", unknownModel(name, kind, known()))
	}
	return mod
}

// define records a population or device name and refuses duplicates.
func (d *doc) define(path, name string) {
	if name == "" {
		d.p.add(join(path, "name"), "expected a non-empty name")
		return
	}
	if prev, dup := d.names[name]; dup {
		d.p.add(join(path, "name"), "%q is already the name of %s; names must be unique across populations and devices", name, prev)
		return
	}
	d.names[name] = path
}

// modelHint explains a model name that is known, but of another kind.
func modelHint(name, want string) string {
	if _, ok := models.LookupNeuron(name); ok && want != "neuron" {
		return fmt.Sprintf("%s is a neuron model: put it in a [[population]]", name)
	}
	if _, ok := models.LookupDevice(name); ok && want != "device" {
		return fmt.Sprintf("%s is a stimulating device: put it in a [[device]]", name)
	}
	if _, ok := models.LookupRecorder(name); ok && want != "recorder" {
		return fmt.Sprintf("%s is a recording device: put it in a [[recorder]]", name)
	}
	return ""
}

func neuronNames() []string {
	var n []string
	for _, m := range models.Neurons() {
		n = append(n, m.Name)
	}
	return n
}

func deviceNames() []string {
	var n []string
	for _, m := range models.Devices() {
		n = append(n, m.Name)
	}
	return n
}

func recorderNames() []string {
	var n []string
	for _, m := range models.Recorders() {
		n = append(n, m.Name)
	}
	return n
}

// unknownModel explains a model name that is not registered for want.
func unknownModel(name, want string, known []string) string {
	if h := modelHint(name, want); h != "" {
		return h
	}
	return fmt.Sprintf("unknown model %q%s; %s models: %s", name, suggest(name, known), want, quoteList(known))
}

func (d *doc) readPopulation(i int, m map[string]any) {
	path := fmt.Sprintf("population[%d]", i)
	d.table(path, m, "name", "model", "n", "params", "init", "draws", "spatial", "synaptic_elements", "preset")
	pop := &popT{path: path, name: d.named(path, m)}
	if raw, ok := m["draws"]; ok {
		pop.draws = d.readDraws(join(path, "draws"), raw)
	}
	pop.model = lookupModel(d, path, m, models.LookupNeuron, "neuron", neuronNames)
	pop.n = field{join(path, "n"), m["n"]}
	if raw, ok := m["spatial"]; ok {
		pop.spatial = d.readSpatial(join(path, "spatial"), raw)
	}
	if m["n"] == nil && (pop.spatial == nil || pop.spatial.layout == "pos") {
		if pop.spatial != nil || m["spatial"] == nil {
			d.p.add(pop.n.path, "missing: the number of neurons, a whole number >= 1")
		}
	}
	if raw, ok := m["synaptic_elements"]; ok {
		pop.elements = d.readElements(join(path, "synaptic_elements"), raw)
	}
	d.pops = append(d.pops, pop)
	if pop.model == nil {
		return
	}
	var paramNames []string
	for _, p := range pop.model.Params {
		paramNames = append(paramNames, p.Name)
	}
	var stateNames []string
	for _, s := range pop.model.State {
		if !s.Internal {
			stateNames = append(stateNames, s.Name)
		}
	}
	given := map[string]string{} // state variables given in params
	if raw, ok := m["params"]; ok {
		pm, ok := raw.(map[string]any)
		if !ok {
			d.p.add(join(path, "params"), "expected a table, got %s", describe(raw))
		}
		for _, k := range sortedKeys(pm) {
			f := field{raw: pm[k]}
			if _, own := models.FindParam(pop.model.Params, k); !own && d.calciumParam(pop, path, k, pm[k]) {
				continue
			}
			if p, ok := models.FindParam(pop.model.Params, k); ok {
				f.path = join(path, "params."+p.Name)
				if d.paramKind(f, p) {
					kind := constOnly
					if p.PerNeuron {
						kind = randomOnly
					}
					pop.params = append(pop.params, paramF{field: f, name: p.Name, param: &p, unit: p.Unit, kind: kind})
				}
				continue
			}
			if si := pop.model.FindState(k); si >= 0 {
				s := pop.model.State[si]
				f.path = join(path, "params."+s.Name)
				if s.Internal {
					d.p.add(f.path, "%s is an internal state variable of %s and cannot be set", s.Name, pop.model.Name)
					continue
				}
				given[s.Name] = f.path
				pop.init = append(pop.init, paramF{field: f, name: s.Name, unit: s.Unit})
				continue
			}
			d.p.add(join(path, "params."+d.spelled(path+".params", k)), "%s has no parameter or state variable of that name%s; parameters: %s; state variables: %s",
				pop.model.Name, suggest(k, append(append([]string(nil), paramNames...), stateNames...)), quoteList(paramNames), quoteList(stateNames))
		}
	}
	if raw, ok := m["preset"]; ok {
		d.readPreset(pop, join(path, "preset"), raw)
	}
	if raw, ok := m["init"]; ok {
		im, ok := raw.(map[string]any)
		if !ok {
			d.p.add(join(path, "init"), "expected a table, got %s", describe(raw))
		}
		for _, k := range sortedKeys(im) {
			si := pop.model.FindState(k)
			if si < 0 {
				d.p.add(join(path, "init."+d.spelled(path+".init", k)), "%s has no state variable of that name%s; state variables: %s", pop.model.Name, suggest(k, stateNames), quoteList(stateNames))
				continue
			}
			s := pop.model.State[si]
			f := field{join(path, "init."+s.Name), im[k]}
			if s.Internal {
				d.p.add(f.path, "%s is an internal state variable of %s and cannot be set", s.Name, pop.model.Name)
				continue
			}
			if prev, dup := given[s.Name]; dup {
				d.p.add(f.path, "%s is also given in %s; give it in one place", s.Name, prev)
				continue
			}
			pop.init = append(pop.init, paramF{field: f, name: s.Name, unit: s.Unit, kind: randomOnly})
		}
	}
}

// readPreset reads a population's preset: preset = "name" applies the
// model's named parameter set where params does not give a value;
// preset = { by = EXPR, names = ["wake", "nrem"] } picks names[EXPR] at
// each point (EXPR a whole number over [vars], so it can be swept).
func (d *doc) readPreset(pop *popT, path string, raw any) {
	var names []string
	for _, p := range pop.model.Presets {
		names = append(names, p.Name)
	}
	if len(names) == 0 {
		d.p.add(path, "%s has no presets", pop.model.Name)
		return
	}
	find := func(path string, raw any) (models.Preset, bool) {
		name, ok := raw.(string)
		if !ok {
			d.p.add(path, "expected the name of a preset of %s (%s), got %s", pop.model.Name, quoteList(names), describe(raw))
			return models.Preset{}, false
		}
		pr, ok := pop.model.FindPreset(name)
		switch {
		case !ok:
			d.p.add(path, "unknown preset %q; %s's presets: %s", name, pop.model.Name, quoteList(names))
			return pr, false
		case pr.Refused != "":
			d.p.add(path, "preset %q of %s cannot be used: %s", pr.Name, pop.model.Name, pr.Refused)
			return pr, false
		}
		return pr, true
	}
	if m, isTable := raw.(map[string]any); isTable {
		d.table(path, m, "by", "names")
		list, ok := m["names"].([]any)
		if !ok || len(list) == 0 {
			d.p.add(join(path, "names"), "expected a list of preset names of %s (%s), got %s", pop.model.Name, quoteList(names), describe(m["names"]))
			return
		}
		if m["by"] == nil {
			d.p.add(join(path, "by"), "missing: the index into names, a whole number or an expression over [vars] (e.g. a swept var)")
			return
		}
		for i, x := range list {
			pr, ok := find(fmt.Sprintf("%s.names[%d]", path, i), x)
			if !ok {
				return
			}
			pop.presets = append(pop.presets, pr)
		}
		pop.presetBy = &field{join(path, "by"), m["by"]}
		return
	}
	if pr, ok := find(path, raw); ok {
		pop.params = append(pop.params, presetParams(pop, pr, path)...)
	}
}

// presetParams are the values of preset pr that the population's params
// do not give, as parameters at path.
func presetParams(pop *popT, pr models.Preset, path string) []paramF {
	given := map[string]bool{}
	for _, p := range pop.params {
		given[p.name] = true
	}
	var out []paramF
	for _, k := range sortedKeys(pr.Params) {
		if given[k] {
			continue
		}
		p, _ := models.FindParam(pop.model.Params, k)
		out = append(out, paramF{field: field{path, pr.Params[k]}, name: p.Name, param: &p, unit: p.Unit, kind: constOnly})
	}
	return out
}

// readDraws reads a population's draws = { r = "random.uniform()", … }:
// names that expressions may use, like [vars] entries, and do not hide one.
func (d *doc) readDraws(path string, raw any) []drawT {
	m, ok := raw.(map[string]any)
	if !ok {
		d.p.add(path, "expected a table of named random parameters, e.g. { r = \"random.uniform()\" }, got %s", describe(raw))
		return nil
	}
	var out []drawT
	for _, k := range sortedKeys(m) {
		spell := d.spelled(path, k)
		p := join(path, spell)
		switch {
		case !identifier.MatchString(k):
			d.p.add(p, "a draw's name must be a letter or _ followed by letters, digits or _")
			continue
		case units.IsSymbol(spell):
			d.p.add(p, "%s is a unit symbol and cannot be a draw's name", spell)
			continue
		case reservedName(k):
			d.p.add(p, "%s is a function, a reserved word or a name of parameter expressions and cannot be a draw's name", spell)
			continue
		}
		if v, isVar := d.vars[k]; isVar {
			d.p.add(p, "%s is also the name of %s; a draw needs a name of its own", spell, v.path)
			continue
		}
		out = append(out, drawT{field: field{p, m[k]}, name: k, spell: spell})
	}
	return out
}

// paramKind checks what can be checked of a parameter before evaluation.
func (d *doc) paramKind(f field, p models.Param) bool {
	switch p.Kind {
	case models.Bool:
		if _, err := boolean(f.raw); err != nil {
			d.p.report(f.path, err)
			return false
		}
	case models.List:
		if _, ok := f.raw.([]any); !ok {
			d.p.add(f.path, "expected a list of numbers, got %s", describe(f.raw))
			return false
		}
	case models.Strings:
		d.p.add(f.path, "parameters that are lists of names are not supported here")
		return false
	}
	return true
}

func (d *doc) readDevice(i int, m map[string]any) {
	path := fmt.Sprintf("device[%d]", i)
	d.table(path, m, "name", "model", "n", "params")
	dev := &devT{path: path, name: d.named(path, m)}
	dev.model = lookupModel(d, path, m, models.LookupDevice, "device", deviceNames)
	dev.n = field{join(path, "n"), m["n"]}
	d.devs = append(d.devs, dev)
	if dev.model == nil {
		return
	}
	raw, ok := m["params"]
	if !ok {
		return
	}
	pm, ok := raw.(map[string]any)
	if !ok {
		d.p.add(join(path, "params"), "expected a table, got %s", describe(raw))
		return
	}
	var names []string
	for _, p := range dev.model.Params {
		names = append(names, p.Name)
	}
	for _, k := range sortedKeys(pm) {
		p, ok := models.FindParam(dev.model.Params, k)
		if !ok {
			d.p.add(join(path, "params."+d.spelled(path+".params", k)), "%s has no parameter of that name%s; parameters: %s", dev.model.Name, suggest(k, names), quoteList(names))
			continue
		}
		f := field{join(path, "params."+p.Name), pm[k]}
		if d.paramKind(f, p) {
			dev.params = append(dev.params, paramF{field: f, name: p.Name, param: &p, unit: p.Unit})
		}
	}
}

func (d *doc) popIndex(name string) int {
	for i, p := range d.pops {
		if p.name == name {
			return i
		}
	}
	return -1
}

func (d *doc) devIndex(name string) int {
	for i, v := range d.devs {
		if v.name == name {
			return i
		}
	}
	return -1
}

func (d *doc) popNames() []string {
	var n []string
	for _, p := range d.pops {
		n = append(n, p.name)
	}
	return n
}

func (d *doc) readRecorder(i int, m map[string]any) {
	path := fmt.Sprintf("recorder[%d]", i)
	r := &recT{path: path, pop: -1}
	name, ok := d.text(path, m, "model", true)
	var keys []string
	switch {
	case !ok:
	case name == "spike_recorder":
		keys = []string{"name", "model", "source", "n_rec", "neurons", "start", "stop"}
	case name == "multimeter":
		keys = []string{"name", "model", "source", "n_rec", "neurons", "record_from", "interval", "start", "stop"}
	case name == models.WeightRecorder.Name:
		keys = []string{"name", "model", "senders", "targets", "start", "stop"}
	default:
		if _, known := models.LookupRecorder(name); known {
			d.p.add(join(path, "model"), "recording device %s is registered but not supported by configs", name)
		} else {
			d.p.add(join(path, "model"), "%s", unknownModel(name, "recorder", recorderNames()))
		}
	}
	r.model = name
	d.nameRecorder(r, m, i)
	if keys != nil {
		for _, k := range sortedKeys(m) {
			if contains(keys, k) {
				continue
			}
			if (k == "record_from" || k == "interval") && name == "spike_recorder" {
				d.p.add(join(path, k), "only a multimeter has %s", k)
				continue
			}
			d.p.add(join(path, d.spelled(path, k)), "unknown key%s; a %s accepts %s", suggest(k, keys), name, quoteList(keys))
		}
	}
	if name == models.WeightRecorder.Name {
		d.readWeightRecorder(r, m)
		return
	}
	if s, ok := d.text(path, m, "source", true); ok {
		r.pop = d.popIndex(s)
		if r.pop < 0 {
			if d.devIndex(s) >= 0 {
				d.p.add(join(path, "source"), "%q is a device; recorders record populations", s)
			} else {
				d.p.add(join(path, "source"), "no population named %q%s", s, suggest(s, d.popNames()))
			}
		}
	}
	r.nRec = field{join(path, "n_rec"), m["n_rec"]}
	r.neurons = field{join(path, "neurons"), m["neurons"]}
	if r.nRec.raw != nil && r.neurons.raw != nil {
		d.p.add(path, "give n_rec or neurons, not both")
	}
	if r.neurons.raw != nil {
		if _, ok := r.neurons.raw.([]any); !ok {
			d.p.add(r.neurons.path, "expected a list of neuron indices, got %s", describe(r.neurons.raw))
			r.neurons.raw = nil
		}
	}
	r.interval = field{join(path, "interval"), m["interval"]}
	r.start = field{join(path, "start"), m["start"]}
	r.stop = field{join(path, "stop"), m["stop"]}
	if name == "multimeter" {
		d.readRecordFrom(r, join(path, "record_from"), m["record_from"])
	}
	d.recs = append(d.recs, r)
}

// nameRecorder gives a recorder its name, "model-i" unless the file names
// it, and refuses a name an earlier recorder has.
func (d *doc) nameRecorder(r *recT, m map[string]any, i int) {
	r.name = fmt.Sprintf("%s-%d", r.model, i)
	given, ok := d.text(r.path, m, "name", false)
	if ok {
		if given == "" {
			d.p.add(join(r.path, "name"), "expected a non-empty name")
			return
		}
		r.name = given
	}
	for _, prev := range d.recs {
		if prev.name != r.name {
			continue
		}
		if ok {
			d.p.add(join(r.path, "name"), "%q is already the name of %s; recorder names must be unique", r.name, prev.path)
		} else {
			d.p.add(r.path, "its default name %q is the name of %s; give it another name", r.name, prev.path)
		}
	}
}

func (d *doc) readRecordFrom(r *recT, path string, raw any) {
	list, ok := raw.([]any)
	if !ok || len(list) == 0 {
		d.p.add(path, "expected a non-empty list of state variables to record, got %s", describe(raw))
		return
	}
	if r.pop < 0 || d.pops[r.pop].model == nil {
		return
	}
	model := d.pops[r.pop].model
	var all []string
	for _, s := range model.State {
		all = append(all, s.Name)
	}
	seen := map[string]bool{}
	for i, e := range list {
		p := fmt.Sprintf("%s[%d]", path, i)
		s, err := str(e)
		if err != nil {
			d.p.report(p, err)
			continue
		}
		si := model.FindState(s)
		if si < 0 && s == network.CalciumVar {
			// Every spiking neuron has the trace (NEST's archiving node); a
			// rate unit has no spikes to feed it.
			if model.Rate != nil {
				d.p.add(p, "%s is a rate model: it has no spikes and no calcium trace; Ca is recorded from spiking neurons", model.Name)
				continue
			}
			if seen[s] {
				d.p.add(p, "%s is listed twice", s)
				continue
			}
			seen[s] = true
			r.recordFrom = append(r.recordFrom, s)
			continue
		}
		if si < 0 {
			d.p.add(p, "%s has no state variable %q%s; state variables: %s", model.Name, s, suggest(s, all), quoteList(all))
			continue
		}
		name := model.State[si].Name
		if seen[name] {
			d.p.add(p, "%s is listed twice", name)
			continue
		}
		seen[name] = true
		r.recordFrom = append(r.recordFrom, name)
	}
}

// compressions are the Parquet codecs output may use.
var compressions = []string{"zstd", "snappy", "gzip", "none"}

func (d *doc) readOutput(raw any) {
	d.output = Output{Spikes: true, State: true, Compression: "zstd"}
	if raw == nil {
		return
	}
	m, ok := d.table("output", raw, "dir", "spikes", "state", "compression", "nest", "csv", "edges")
	if !ok {
		return
	}
	if s, ok := d.text("output", m, "dir", false); ok {
		if s == "" {
			d.p.add("output.dir", "expected a folder, got an empty string")
		}
		d.output.Dir = s
	}
	d.output.Spikes = d.flag("output", m, "spikes", true)
	d.output.State = d.flag("output", m, "state", true)
	d.output.NEST = d.flag("output", m, "nest", false)
	d.output.CSV = d.flag("output", m, "csv", false)
	d.output.Edges = d.flag("output", m, "edges", false)
	if d.output.Edges && d.sp == nil {
		d.p.add("output.edges", "the final edge list is that of structural plasticity's synapses: expected [structural_plasticity] with edges = true")
	}
	if d.output.NEST && !d.output.Spikes {
		d.p.add("output.nest", "the NEST view is written from the recorded spikes: expected spikes = true with nest = true")
	}
	if s, ok := d.text("output", m, "compression", false); ok {
		if !contains(compressions, s) {
			d.p.add("output.compression", "expected one of %s, got %q%s", quoteList(compressions), s, suggest(s, compressions))
		}
		d.output.Compression = s
	}
}

// backend returns simulation.backend (after --set), "auto" by default.
func (d *doc) backend() string {
	f, ok := d.sim["backend"]
	if !ok {
		return "auto"
	}
	s, _ := f.raw.(string)
	return s
}

var backends = []string{"auto", "cpu", "gpu"}

func (d *doc) checkBackend() {
	if f, ok := d.sim["backend"]; ok {
		if s, _ := f.raw.(string); !contains(backends, s) {
			d.p.add(f.path, "expected one of %s, got %q%s", quoteList(backends), s, suggest(s, backends))
		}
	}
}

// caseCollisions reports keys of one table that differ only in case
// (viper would silently keep one of them) and records how each key is
// written, by lower-case path.
func caseCollisions(p *problems, orig map[string]string, path string, v any) {
	switch t := v.(type) {
	case map[string]any:
		seen := map[string]string{}
		keys := sortedKeys(t)
		for _, k := range keys {
			lk := strings.ToLower(k)
			lp := strings.ToLower(join(path, k))
			if prev, dup := seen[lk]; dup {
				p.add(join(path, k), "%s and %s name the same key (keys are not case-sensitive)", prev, k)
				continue
			}
			seen[lk] = k
			orig[lp] = k
			caseCollisions(p, orig, join(path, k), t[k])
		}
	case []any:
		for i, e := range t {
			caseCollisions(p, orig, fmt.Sprintf("%s[%d]", path, i), e)
		}
	}
}

// maxUint32 is the largest seed.
const maxUint32 = math.MaxUint32
