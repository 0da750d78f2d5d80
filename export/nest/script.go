package nest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/param"
	"github.com/snn-gpu/snn-gpu/spec"
)

// runtime is the Python every script shares: the statistics, the CSV
// tables, the command line.
//
//go:embed runtime.py
var runtime string

// Source names what a script exports: run.json's identity of the point,
// so that snn-gpu compare pairs the script's output with a run of ours.
type Source struct {
	Config     string    // the config as given on the command line
	ConfigHash string    // configs.File.Hash
	Point      int       // the sweep point
	Swept      []string  // the swept names, aligned with Values
	Values     []float64 // the point's swept values
	Label      string    // the point's label, if any
	DefaultOut string    // the script's output folder when --out is not given
}

// nestModels are the models of ours that NEST 3 has under the same name
// with the same parameters (checked against NEST 3.10's defaults).
// snnOnlyParams are device parameters NEST's model lacks: left out of the
// script at their defaults, refused otherwise.
var snnOnlyParams = map[string]map[string]bool{
	"spike_generator": {"spike_period": true, "pattern_rate": true, "weight_offset": true, "weight_amplitude": true,
		"weight_frequency": true, "weight_phase": true, "weight_start": true, "weight_stop": true},
}

var nestModels = map[string]bool{
	"iaf_psc_delta": true, "iaf_psc_alpha": true, "iaf_psc_exp": true, "izhikevich": true,
	"gif_psc_exp": true, "gif_cond_exp": true, "gif_pop_psc_exp": true,
	"poisson_generator": true, "dc_generator": true, "noise_generator": true, "spike_generator": true,
	"step_current_generator": true, "spike_recorder": true, "multimeter": true, "static_synapse": true,
	"hh_psc_alpha": true, "hh_psc_alpha_gap": true, spec.GapJunction: true,
	spec.RateInstantaneous: true, spec.RateDelayed: true,
	"siegert_neuron": true, spec.DiffusionConnection: true,
	"parrot_neuron": true, "stdp_synapse": true, "stdp_synapse_hom": true, "stdp_pl_synapse_hom": true,
}

// notWritten are NEST models the export cannot write yet, and why.
var notWritten = map[string]string{
	"pp_cond_exp_mc_urbanczik": "pp_cond_exp_mc_urbanczik's export (NEST nests its parameters in soma and dendritic dictionaries) is not written yet",
}

func init() {
	for _, m := range models.RateModels {
		nestModels[m] = true
	}
}

// scriptNames are the script's own Python names and Python's keywords,
// which a draw (a Python variable in the script) may not take.
var scriptNames = func() map[string]bool {
	m := map[string]bool{}
	for _, name := range strings.Fields(`nest np math pop dev rec summary synapses stands_for threads third gap_rng gap_pairs same a b
		False None True and as assert async await break class continue def del elif else except finally for
		from global if import in is lambda nonlocal not or pass raise return try while with yield`) {
		m[name] = true
	}
	return m
}()

// Script writes the PyNEST script of net. It refuses, before writing
// anything, what NEST cannot express; the error names every such value by
// its config path (population[1].params, connection[2].rule.indegree).
func Script(net *spec.Network, src Source) ([]byte, error) {
	w := &writer{}
	if net.Structural != nil {
		w.refuse("structural_plasticity", "structural plasticity is not exported (yet): validation/testdata/nest_structural_plasticity.py is NEST's example as a script")
	}
	w.header(net, src)
	w.line(0, "def build(threads):")
	w.line(1, `"""Create and connect the network; return its nodes."""`)
	w.line(1, "nest.ResetKernel()")
	seed := net.Simulation.Seed
	if seed == 0 { // NEST's seeds start at 1
		seed = 1
	}
	w.seed = uint64(seed)
	w.line(1, "nest.set(resolution=%s, rng_seed=%d, local_num_threads=threads, print_time=False)", num(net.Simulation.Dt), seed)
	if r := net.Simulation.WFR; r != nil && !r.Use { // NEST refuses the wfr_* settings without it
		w.line(1, "nest.set(use_wfr=False)")
	} else if r != nil {
		w.line(1, "nest.set(use_wfr=%s, wfr_comm_interval=%s, wfr_tol=%s, wfr_max_iterations=%d, wfr_interpolation_order=%d)",
			pyBool(r.Use), num(r.CommInterval), num(r.Tol), r.MaxIterations, r.InterpolationOrder)
	}
	w.line(1, "pop, dev, rec, summary, stands_for = {}, {}, {}, {}, {}")
	w.line(1, "synapses = {}  # recurrent synapses from each population, for the summary")
	for i := range net.Populations {
		w.population(i, &net.Populations[i])
	}
	for i := range net.Devices {
		w.device(i, &net.Devices[i])
	}
	nodes := map[string]string{}
	for _, p := range net.Populations {
		nodes[p.Name] = "pop[" + strconv.Quote(p.Name) + "]"
	}
	for _, d := range net.Devices {
		nodes[d.Name] = "dev[" + strconv.Quote(d.Name) + "]"
	}
	if len(net.Connections) > 0 {
		w.line(0, "")
		w.line(1, "# Connections, in the config's order")
		w.line(1, "new_connections()  # count from here on")
	}
	for i := range net.Connections {
		w.connection(i, &net.Connections[i], nodes)
	}
	w.recorders(net)
	w.line(1, "return types.SimpleNamespace(populations=pop, recorders=rec, summary_recorders=summary, stands_for=stands_for,")
	w.line(1, "                             synapses=synapses)")
	w.line(0, "")
	w.line(0, "")
	w.line(0, `if __name__ == "__main__":`)
	w.line(1, "main(build)")
	if len(w.errs) > 0 {
		return nil, fmt.Errorf("NEST cannot run this network:\n  %s", strings.Join(w.errs, "\n  "))
	}
	return w.buf.Bytes(), nil
}

// writer accumulates the script and the refusals.
type writer struct {
	buf    bytes.Buffer
	errs   []string
	seed   uint64 // NEST's rng_seed, which the script's own draws are seeded from too
	copies int    // synapse models copied so far (plastic.go)
}

func (w *writer) line(indent int, format string, args ...any) {
	if format != "" {
		w.buf.WriteString(strings.Repeat("    ", indent))
		fmt.Fprintf(&w.buf, format, args...)
	}
	w.buf.WriteByte('\n')
}

func (w *writer) refuse(path, format string, args ...any) {
	w.errs = append(w.errs, path+": "+fmt.Sprintf(format, args...))
}

// num writes x as a Python number (whole numbers without a point, which
// NEST takes for both its integer and its real parameters).
func num(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "math.inf"
	case math.IsInf(x, -1):
		return "-math.inf"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// value writes v as Python: a number, a nest.Parameter or numpy over vars.
func (w *writer) value(path string, v spec.Value, vars ...string) string {
	if v.IsConst() {
		return num(v.Const)
	}
	s, err := param.PyNEST(v.Expr, vars...)
	if err != nil {
		w.refuse(path, "%v", err)
		return "None"
	}
	return s
}

func (w *writer) header(net *spec.Network, src Source) {
	w.line(0, "#!/usr/bin/env python3")
	w.line(0, `"""PyNEST 3 script of %s, point %d, exported by snn-gpu (snn-gpu export nest).`, src.Config, src.Point)
	w.line(0, "")
	w.line(0, "It builds and simulates the network of the resolved config in NEST and writes, in the output")
	w.line(0, "folder, spikes.csv, summary.csv (and state.csv for multimeters) in snn-gpu's CSV schema, run.json")
	w.line(0, "and timing.json, so that `snn-gpu compare OURS THIS_FOLDER` sets the two runs side by side.")
	w.line(0, "It needs NEST 3 and numpy.")
	w.line(0, `"""`)
	w.line(0, "import argparse")
	w.line(0, "import json")
	w.line(0, "import math")
	w.line(0, "import os")
	w.line(0, "import time")
	w.line(0, "import types")
	w.line(0, "")
	w.line(0, "import numpy as np")
	w.line(0, "")
	w.line(0, "import nest")
	w.line(0, "")
	w.line(0, "CONFIG = %s", strconv.Quote(src.Config))
	w.line(0, "CONFIG_HASH = %s", strconv.Quote(src.ConfigHash))
	w.line(0, "POINT = %d", src.Point)
	w.line(0, "LABEL = %s", strconv.Quote(src.Label))
	swept := make([]string, len(src.Swept))
	for i, name := range src.Swept {
		swept[i] = strconv.Quote(name) + ": " + num(src.Values[i])
	}
	w.line(0, "SWEPT = {%s}  # the point's swept values", strings.Join(swept, ", "))
	w.line(0, "DEFAULT_OUT = %s", strconv.Quote(src.DefaultOut))
	// run.json's part that snn-gpu compare reads: the run's settings and recorders.
	run, _ := json.MarshalIndent(struct {
		Simulation spec.Simulation `json:"simulation"`
		Recorders  []spec.Recorder `json:"recorders"`
		Analysis   spec.Analysis   `json:"analysis"`
	}{net.Simulation, net.Recorders, net.Analysis}, "", " ")
	w.line(0, "# The run's settings, recorders and analysis window (run.json; JSON spells infinity \"Infinity\")")
	w.line(0, "RUN = json.loads(r'''%s''')", run)
	w.line(0, `RECORDERS = [{**r, "stop": float(r["stop"])} for r in RUN["recorders"] or []]`)
	w.line(0, "")
	w.buf.WriteString(runtime)
	w.line(0, "")
	w.line(0, "")
}

// params writes a parameter dictionary of a model, in name order: booleans
// as True/False, the rest as numbers, then the list parameters.
func (w *writer) params(indent int, ps []models.Param, values map[string]float64, lists map[string][]float64) {
	names := make([]string, 0, len(values)+len(lists))
	for k := range values {
		names = append(names, k)
	}
	for k := range lists {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		var text string
		if l, ok := lists[k]; ok {
			items := make([]string, len(l))
			for i, x := range l {
				items[i] = num(x)
			}
			text = "[" + strings.Join(items, ", ") + "]"
		} else {
			text = num(values[k])
			if p, ok := models.FindParam(ps, k); ok && p.Kind == models.Bool {
				text = pyBool(values[k] != 0)
			}
		}
		w.line(indent, "%s: %s,", strconv.Quote(k), text)
	}
}

func (w *writer) population(i int, p *spec.Population) {
	path := fmt.Sprintf("population[%d]", i)
	m, ok := models.LookupNeuron(p.Model)
	if why, ok := notWritten[p.Model]; ok {
		w.refuse(path+".model", "%s", why)
		return
	}
	if !ok || !nestModels[p.Model] {
		w.refuse(path+".model", "%s exists only in snn-gpu: NEST has no such model", p.Model)
		return
	}
	name := strconv.Quote(p.Name)
	w.line(0, "")
	w.line(1, "# Population %s: %d × %s", p.Name, p.N, p.Model)
	positions := w.positions(path+".spatial", p.Spatial)
	count := fmt.Sprintf(", %d", p.N)
	if p.Spatial != nil && len(p.Spatial.Shape) > 0 {
		count = "" // a grid's shape gives the number
	}
	w.line(1, "pop[%s] = nest.Create(%s%s, params={", name, strconv.Quote(p.Model), count)
	w.params(2, m.Params, p.Params, p.Lists)
	w.line(1, "}%s)", positions)
	draws := slices.Sorted(maps.Keys(p.Draws))
	for _, d := range draws {
		if scriptNames[d] {
			w.refuse(path+".draws."+d, "%s is a Python keyword or a name the script uses itself: rename the draw", d)
		}
		// One value per neuron from NEST's random stream, held as an array
		// for the per-neuron parameters and initial values that use it.
		w.line(1, "%s = np.array([%s.GetValue() for _ in range(%d)])", d, w.value(path+".draws."+d, p.Draws[d]), p.N)
	}
	for _, group := range []struct {
		what   string
		values map[string]spec.Value
	}{{"per_neuron", p.PerNeuron}, {"init", p.Init}} {
		for _, k := range slices.Sorted(maps.Keys(group.values)) {
			w.line(1, "pop[%s].set(%s=%s)", name, k, w.value(path+"."+group.what+"."+k, group.values[k], draws...))
		}
	}
	mult := 1
	if m.Multiplicity != nil {
		mult = m.Multiplicity(p.Params)
	}
	w.line(1, "synapses[%s] = 0", name)
	if m.Rate != nil { // rate models send no spikes; NEST refuses the connection
		w.line(1, "summary[%s] = nest.Create(\"spike_recorder\")  # a rate population: no spikes", name)
	} else {
		w.line(1, "summary[%s] = nest.Create(\"spike_recorder\")  # every neuron, for the summary", name)
		w.line(1, "nest.Connect(pop[%s], summary[%s])", name, name)
	}
	if mult != 1 {
		w.line(1, "stands_for[%s] = %d  # neurons its %d node(s) stand for", name, p.N*mult, p.N)
	}
}

// positions writes the positions argument of a spatial population.
func (w *writer) positions(path string, s *spec.Spatial) string {
	if s == nil {
		return ""
	}
	var args []string
	list := func(xs []float64) string {
		items := make([]string, len(xs))
		for i, x := range xs {
			items[i] = num(x)
		}
		return "[" + strings.Join(items, ", ") + "]"
	}
	kind := "free"
	switch {
	case len(s.Shape) > 0:
		kind = "grid"
		shape := make([]float64, len(s.Shape))
		for i, n := range s.Shape {
			shape[i] = float64(n)
		}
		args = append(args, "shape="+list(shape))
	case len(s.Positions) > 0:
		rows := make([]string, len(s.Positions))
		for i, p := range s.Positions {
			rows[i] = list(p)
		}
		args = append(args, "pos=["+strings.Join(rows, ", ")+"]")
	default:
		pos := make([]string, len(s.Pos))
		for i, v := range s.Pos {
			pos[i] = w.value(fmt.Sprintf("%s.pos[%d]", path, i), v)
		}
		args = append(args, "pos=["+strings.Join(pos, ", ")+"]")
	}
	if len(s.Extent) > 0 {
		args = append(args, "extent="+list(s.Extent))
	}
	if len(s.Center) > 0 {
		args = append(args, "center="+list(s.Center))
	}
	if s.EdgeWrap {
		args = append(args, "edge_wrap=True")
	}
	return ", positions=nest.spatial." + kind + "(" + strings.Join(args, ", ") + ")"
}

func (w *writer) device(i int, d *spec.Device) {
	path := fmt.Sprintf("device[%d]", i)
	m, ok := models.LookupDevice(d.Model)
	if d.Model == models.StepRateGenerator.Name {
		// NEST delivers its rate 1 ms (a min_delay) later than ours
		// (measured: rate_neuron_dm's stimulus); exported, the two runs
		// would differ.
		w.refuse(path+".model", "step_rate_generator's timing differs in NEST (its rate arrives a min_delay later): not exported")
		return
	}
	if !ok || !nestModels[d.Model] {
		w.refuse(path+".model", "%s exists only in snn-gpu: NEST has no such device", d.Model)
		return
	}
	params := d.Params
	if extra := snnOnlyParams[d.Model]; extra != nil {
		params = map[string]float64{}
		for _, k := range slices.Sorted(maps.Keys(d.Params)) { // refusals in a fixed order
			v := d.Params[k]
			if !extra[k] {
				params[k] = v
				continue
			}
			if p, _ := models.FindParam(m.Params, k); v != p.Default {
				w.refuse(path+".params."+k, "%s = %g: %s's %s exists only in snn-gpu (NEST takes the spike times and weights as arrays): not exported", k, v, d.Model, k)
			}
		}
	}
	w.line(0, "")
	w.line(1, "# Device %s: %d × %s", d.Name, d.N, d.Model)
	w.line(1, "dev[%s] = nest.Create(%s, %d, params={", strconv.Quote(d.Name), strconv.Quote(d.Model), d.N)
	w.params(2, m.Params, params, d.Lists)
	w.line(1, "})")
}

// ruleParams are the numbers each rule takes, in NEST's spelling; degrees
// and counts must be whole.
var ruleParams = map[string][]string{
	"all_to_all": nil, "one_to_one": nil,
	"fixed_indegree": {"indegree"}, "fixed_outdegree": {"outdegree"}, "fixed_total_number": {"N"},
	"pairwise_bernoulli": {"p"}, "symmetric_pairwise_bernoulli": {"p"}, "pairwise_poisson": {"pairwise_avg_num_conns"},
}

func (w *writer) connection(i int, c *spec.Connection, nodes map[string]string) {
	path := fmt.Sprintf("connection[%d]", i)
	names, ok := ruleParams[c.Rule.Name]
	if !ok {
		w.refuse(path+".rule", "%s is not one of NEST's rules", c.Rule.Name)
		return
	}
	conn := []string{`"rule": ` + strconv.Quote(c.Rule.Name)}
	for _, k := range names {
		if v, ok := c.Rule.Params[k]; ok {
			conn = append(conn, strconv.Quote(k)+": "+w.value(path+".rule."+k, v))
		}
	}
	conn = append(conn, `"allow_autapses": `+pyBool(c.Rule.AllowAutapses), `"allow_multapses": `+pyBool(c.Rule.AllowMultapses))
	if c.Rule.MakeSymmetric {
		conn = append(conn, `"make_symmetric": True`)
	}
	if c.Rule.UseOnSource {
		conn = append(conn, `"use_on_source": True`)
	}
	if c.Rule.AllowOversizedMask {
		conn = append(conn, `"allow_oversized_mask": True`)
	}
	if c.Mask != nil {
		conn = append(conn, `"mask": `+mask(c.Mask))
	}
	src, tgt := nodes[c.Source], nodes[c.Target]
	if c.Rule.Name == "fixed_total_number" && c.Rule.MakeSymmetric {
		w.symmetricPairs(i, c, src, tgt)
		return
	}
	third := ""
	if c.Third != nil {
		third = ", third factor " + c.Third.Population
	}
	w.line(1, "# %s → %s: %s%s", c.Source, c.Target, c.Rule.Name, third)
	connSpec := "{" + strings.Join(conn, ", ") + "}"
	syn := w.synapse(path+".syn", c.Syn)
	if c.Third == nil {
		w.line(1, "nest.Connect(%s, %s,", src, tgt)
		w.line(1, "             %s,", connSpec)
		w.line(1, "             %s)", syn)
		w.count(c.Source, nodes, "new_connections()")
		return
	}
	t := c.Third
	w.line(1, "nest.TripartiteConnect(%s, %s, pop[%s],", src, tgt, strconv.Quote(t.Population))
	w.line(1, "                       %s,", connSpec)
	w.line(1, `                       {"rule": "third_factor_bernoulli_with_pool", "p": %s, "pool_type": %s, "pool_size": %d},`,
		num(t.P), strconv.Quote(t.PoolType), t.PoolSize)
	w.line(1, `                       {"primary": %s,`, syn)
	w.line(1, `                        "third_in": %s,`, w.synapse(path+".third.third_in", t.SynIn))
	w.line(1, `                        "third_out": %s})`, w.synapse(path+".third.third_out", t.SynOut))
	// The third factor's synapses to the target are its own; its
	// statement may be the only one from it to the target.
	w.line(1, "third = len(nest.GetConnections(pop[%s], %s))", strconv.Quote(t.Population), tgt)
	w.count(c.Source, nodes, "new_connections() - third")
	w.line(1, "synapses[%s] += third", strconv.Quote(t.Population))
}

// symmetricPairs writes our "N random pairs, made symmetric" (the gap
// junctions of NEST's inhibitory-network example), which NEST's
// fixed_total_number cannot make symmetric: the pairs are drawn in numpy, as
// NEST's example draws them, and connected one to one, made symmetric.
func (w *writer) symmetricPairs(i int, c *spec.Connection, src, tgt string) {
	path := fmt.Sprintf("connection[%d]", i)
	n := c.Rule.Params["N"]
	w.line(1, "# %s → %s: %s random pairs, made symmetric (drawn here: NEST's fixed_total_number cannot be symmetric)",
		c.Source, c.Target, w.value(path+".rule.N", n))
	w.line(1, "gap_rng = np.random.default_rng([%d, %d])  # the seed and the statement", w.seed, i)
	w.line(1, "gap_pairs = np.stack([gap_rng.integers(0, len(%[1]s), %[3]s), gap_rng.integers(0, len(%[2]s), %[3]s)])",
		src, tgt, w.value(path+".rule.N", n))
	if !c.Rule.AllowAutapses && src == tgt {
		w.line(1, "while (same := gap_pairs[0] == gap_pairs[1]).any():  # no autapses: redraw")
		w.line(2, "gap_pairs[1, same] = gap_rng.integers(0, len(%s), same.sum())", tgt)
	}
	w.line(1, "for a, b in gap_pairs.T:  # a pair at a time: NEST makes arrays of ids one_to_one, not symmetric")
	w.line(2, `nest.Connect(%s[int(a)], %s[int(b)], {"rule": "one_to_one", "make_symmetric": True},`, src, tgt)
	w.line(2, "             %s)", w.synapse(path+".syn", c.Syn))
	w.count(c.Source, map[string]string{c.Source: src}, "new_connections()")
}

// count adds a statement's synapses to its source's count, if the source
// is a population (a device's synapses are not in the summary).
func (w *writer) count(source string, nodes map[string]string, added string) {
	if strings.HasPrefix(nodes[source], "dev[") {
		w.line(1, "new_connections()  # a device's synapses are not in the summary")
		return
	}
	w.line(1, "synapses[%s] += %s", strconv.Quote(source), added)
}

func (w *writer) synapse(path string, s spec.Synapse) string {
	switch {
	case s.Model == "urbanczik_synapse":
		w.refuse(path+".model", "urbanczik_synapse's export (with its neuron's nested dictionaries) is not written yet")
	case !nestModels[s.Model]:
		w.refuse(path+".model", "%s exists only in snn-gpu: NEST has no such synapse", s.Model)
	}
	if s.Model == spec.DiffusionConnection { // no weight, no delay
		return fmt.Sprintf(`{"synapse_model": %s, "drift_factor": %s, "diffusion_factor": %s}`, strconv.Quote(s.Model),
			w.value(path+".drift_factor", s.Weight), w.value(path+".diffusion_factor", *s.Diffusion))
	}
	model, params := w.plastic(path, s)
	out := fmt.Sprintf(`{"synapse_model": %s, "weight": %s%s`, strconv.Quote(model), w.value(path+".weight", s.Weight), params)
	if s.Model != spec.GapJunction && s.Model != spec.RateInstantaneous { // no delay: at once
		out += `, "delay": ` + w.value(path+".delay", s.Delay)
	}
	if s.Receptor != 0 {
		out += fmt.Sprintf(`, "receptor_type": %d`, s.Receptor)
	}
	return out + "}"
}

// mask writes a NEST mask dictionary with the fields its shape takes.
func mask(m *spec.Mask) string {
	var fields []string
	add := func(name string, x float64) {
		if x != 0 {
			fields = append(fields, strconv.Quote(name)+": "+num(x))
		}
	}
	addList := func(name string, xs []float64) {
		if len(xs) > 0 {
			items := make([]string, len(xs))
			for i, x := range xs {
				items[i] = num(x)
			}
			fields = append(fields, strconv.Quote(name)+": ["+strings.Join(items, ", ")+"]")
		}
	}
	addList("lower_left", m.LowerLeft)
	addList("upper_right", m.UpperRight)
	add("radius", m.Radius)
	add("inner_radius", m.InnerRadius)
	add("outer_radius", m.OuterRadius)
	add("major_axis", m.MajorAxis)
	add("minor_axis", m.MinorAxis)
	add("polar_axis", m.PolarAxis)
	add("azimuth_angle", m.AzimuthAngle)
	add("polar_angle", m.PolarAngle)
	out := "{" + strconv.Quote(m.Shape) + ": {" + strings.Join(fields, ", ") + "}"
	if len(m.Anchor) > 0 {
		items := make([]string, len(m.Anchor))
		for i, x := range m.Anchor {
			items[i] = num(x)
		}
		out += `, "anchor": [` + strings.Join(items, ", ") + "]"
	}
	return out + "}"
}

func (w *writer) recorders(net *spec.Network) {
	if len(net.Recorders) == 0 {
		return
	}
	w.line(0, "")
	w.line(1, "# Recorders")
	for i, r := range net.Recorders {
		path := fmt.Sprintf("recorder[%d]", i)
		if !nestModels[r.Model] {
			w.refuse(path+".model", "%s exists only in snn-gpu: NEST has no such recorder", r.Model)
			continue
		}
		params := []string{`"start": ` + num(r.Start)}
		if !math.IsInf(r.Stop, 1) {
			params = append(params, `"stop": `+num(r.Stop))
		}
		if r.Model == "multimeter" {
			if slices.Contains(r.RecordFrom, "Ca") {
				w.refuse(path+".record_from", "NEST's multimeter does not record Ca (it is read with GetStatus, not a recordable)")
			}
			from := make([]string, len(r.RecordFrom))
			for k, v := range r.RecordFrom {
				from[k] = strconv.Quote(v)
			}
			params = append(params, `"record_from": [`+strings.Join(from, ", ")+"]", `"interval": `+num(r.Interval))
		}
		name := strconv.Quote(r.Name)
		w.line(1, "rec[%s] = nest.Create(%s, params={%s})", name, strconv.Quote(r.Model), strings.Join(params, ", "))
		neurons := "pop[" + strconv.Quote(r.Source) + "]"
		switch {
		case len(r.Neurons) > 0:
			items := make([]string, len(r.Neurons))
			for k, n := range r.Neurons {
				items[k] = strconv.Itoa(n)
			}
			neurons += "[[" + strings.Join(items, ", ") + "]]"
		case r.First > 0:
			neurons += fmt.Sprintf("[:%d]", r.First)
		}
		if r.Model == "multimeter" {
			w.line(1, "nest.Connect(rec[%s], %s)", name, neurons)
		} else {
			w.line(1, "nest.Connect(%s, rec[%s])", neurons, name)
		}
	}
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}
