package configs

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/spec"
)

func mustLoad(t *testing.T, path string, opt Options) *File {
	t.Helper()
	f, err := Load(path, opt)
	if err != nil {
		t.Fatalf("Load(%q): %v", path, err)
	}
	return f
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

func conn(t *testing.T, n *spec.Network, source, target string) spec.Connection {
	t.Helper()
	for _, c := range n.Connections {
		if c.Source == source && c.Target == target {
			return c
		}
	}
	t.Fatalf("no connection %s -> %s", source, target)
	return spec.Connection{}
}

func TestBrunel(t *testing.T) {
	f := mustLoad(t, "brunel", Options{})
	if f.Path != "embedded:brunel.toml" || f.Output.Dir != "out/brunel" || f.Backend != "auto" || f.Output.Compression != "zstd" || !f.Output.Spikes || !f.Output.State {
		t.Errorf("file = %+v", f)
	}
	if len(f.Points) != 1 || f.Points[0].Index != 0 || len(f.Swept) != 0 || f.Points[0].Values != nil {
		t.Fatalf("points = %+v, swept %v", f.Points, f.Swept)
	}
	p := f.Points[0]
	n := &p.Net
	for name, want := range map[string]float64{"NE": 10000, "NI": 2500, "CE": 1000, "CI": 250, "J_ex": 0.1, "J_in": -0.5, "nu_th": 0.01, "nu_ex": 0.02, "p_rate": 20000} {
		if !near(p.Vars[name], want) {
			t.Errorf("vars.%s = %v, want %v", name, p.Vars[name], want)
		}
	}
	if n.Simulation != (spec.Simulation{Dt: 0.1, TSim: 1000, Seed: 1}) {
		t.Errorf("simulation = %+v", n.Simulation)
	}
	if n.Analysis != (spec.Analysis{TStart: 100, BinMs: 1}) {
		t.Errorf("analysis = %+v", n.Analysis)
	}
	if len(n.Populations) != 2 || n.Populations[0].N != 10000 || n.Populations[1].N != 2500 {
		t.Fatalf("populations = %+v", n.Populations)
	}
	for _, pop := range n.Populations {
		want := map[string]float64{"C_m": 1, "tau_m": 20, "t_ref": 2, "E_L": 0, "V_reset": 0, "V_th": 20, "I_e": 0, "V_min": math.Inf(-1), "refractory_input": 0, "tau_minus": 20}
		if !reflect.DeepEqual(pop.Params, want) {
			t.Errorf("%s params = %v, want %v", pop.Name, pop.Params, want)
		}
		if !reflect.DeepEqual(pop.Init, map[string]spec.Value{"V_m": spec.Constant(0)}) {
			t.Errorf("%s init = %v", pop.Name, pop.Init)
		}
	}
	if len(n.Devices) != 1 || n.Devices[0].Model != "poisson_generator" || n.Devices[0].N != 1 || !near(n.Devices[0].Params["rate"], 20000) {
		t.Errorf("devices = %+v", n.Devices)
	}
	if len(n.Connections) != 6 {
		t.Fatalf("%d connections", len(n.Connections))
	}
	for _, c := range []struct {
		src, tgt, rule string
		k, w           float64
	}{
		{"noise", "E", "all_to_all", 0, 0.1}, {"noise", "I", "all_to_all", 0, 0.1},
		{"E", "E", "fixed_indegree", 1000, 0.1}, {"E", "I", "fixed_indegree", 1000, 0.1},
		{"I", "E", "fixed_indegree", 250, -0.5}, {"I", "I", "fixed_indegree", 250, -0.5},
	} {
		got := conn(t, n, c.src, c.tgt)
		if got.Rule.Name != c.rule || !got.Rule.AllowAutapses || !got.Rule.AllowMultapses || got.Rule.MakeSymmetric {
			t.Errorf("%s->%s rule = %+v", c.src, c.tgt, got.Rule)
		}
		if c.k != 0 && !reflect.DeepEqual(got.Rule.Params["indegree"], spec.Constant(c.k)) {
			t.Errorf("%s->%s indegree = %+v, want %v", c.src, c.tgt, got.Rule.Params, c.k)
		}
		if !got.Syn.Weight.IsConst() || !near(got.Syn.Weight.Const, c.w) || !reflect.DeepEqual(got.Syn.Delay, spec.Constant(1.5)) || got.Syn.Model != "static_synapse" || got.Syn.Receptor != 0 {
			t.Errorf("%s->%s syn = %+v", c.src, c.tgt, got.Syn)
		}
	}
	if len(n.Recorders) != 2 {
		t.Fatalf("recorders = %+v", n.Recorders)
	}
	for i, src := range []string{"E", "I"} {
		r := n.Recorders[i]
		if r.Model != "spike_recorder" || r.Source != src || r.First != 50 || r.Neurons != nil || r.Start != 0 || !math.IsInf(r.Stop, 1) {
			t.Errorf("recorder %d = %+v", i, r)
		}
	}

	// The file on disk (the test runs in configs/) and the embedded copy are the same config.
	disk := mustLoad(t, "brunel.toml", Options{})
	if disk.Path != "brunel.toml" || disk.Hash != f.Hash || disk.Output.Dir != "out/brunel" {
		t.Errorf("disk copy: path %q hash %s, embedded hash %s", disk.Path, disk.Hash, f.Hash)
	}
	if _, err := Load("configs/brunel.toml", Options{}); err != nil {
		t.Errorf("configs/brunel.toml: %v", err)
	}
	if _, err := Load("no_such_example", Options{}); err == nil || !strings.Contains(err.Error(), "brunel_states") {
		t.Errorf("missing file: err = %v", err)
	}
}

func TestBrunelStates(t *testing.T) {
	f := mustLoad(t, "brunel_states", Options{})
	if !reflect.DeepEqual(f.Swept, []string{"eta", "g"}) || len(f.Points) != 4 {
		t.Fatalf("swept %v, %d points", f.Swept, len(f.Points))
	}
	want := []struct {
		label       string
		eta, g      float64
		jIn, pRate  float64
		firstPrefix string
	}{
		{"A", 2, 3, -0.3, 20000, ""}, {"B", 4, 6, -0.6, 40000, ""}, {"C", 2, 5, -0.5, 20000, ""}, {"D", 0.9, 4.5, -0.45, 9000, ""},
	}
	for i, w := range want {
		p := f.Points[i]
		if p.Index != i || p.Label != w.label || !reflect.DeepEqual(p.Values, []float64{w.eta, w.g}) {
			t.Errorf("point %d = %d %q %v", i, p.Index, p.Label, p.Values)
		}
		n := &p.Net
		if n.Simulation.TSim != 1000 || n.Analysis.TStart != 200 {
			t.Errorf("point %d: t_sim %v, t_start %v", i, n.Simulation.TSim, n.Analysis.TStart)
		}
		for _, pop := range n.Populations {
			if pop.Params["V_reset"] != 10 || pop.Params["V_th"] != 20 {
				t.Errorf("point %d %s: V_reset %v V_th %v", i, pop.Name, pop.Params["V_reset"], pop.Params["V_th"])
			}
		}
		if w := conn(t, n, "I", "E").Syn.Weight.Const; !near(w, want[i].jIn) {
			t.Errorf("point %d: J_in = %v, want %v", i, w, want[i].jIn)
		}
		if w := conn(t, n, "E", "I").Syn.Weight.Const; !near(w, 0.1) {
			t.Errorf("point %d: J_ex = %v", i, w)
		}
		if r := n.Devices[0].Params["rate"]; !near(r, w.pRate) {
			t.Errorf("point %d: p_rate = %v, want %v", i, r, w.pRate)
		}
		if k := conn(t, n, "E", "E").Rule.Params["indegree"].Const; k != 1000 {
			t.Errorf("point %d: CE = %v", i, k)
		}
	}
}

// TestBadConfigs loads every broken fixture: each error must name the file,
// the field and what was expected.
func TestBadConfigs(t *testing.T) {
	seed := uint32(9)
	cases := []struct {
		file string
		opt  Options
		want []string
	}{
		{"syntax", Options{}, []string{"line 3, column 9"}},
		{"unknown_section", Options{}, []string{"unknown section [simulaton] (did you mean simulation?)"}},
		{"toplevel_key", Options{}, []string{"dt: dt belongs in [simulation]"}},
		{"unknown_key", Options{}, []string{"population[0].size: unknown key", "name, model, n, params, init"}},
		{"case_collision", Options{}, []string{"population[0].params.v_th: V_th and v_th name the same key"}},
		{"no_population", Options{}, []string{"population: missing: a network needs at least one [[population]]"}},
		{"population_empty", Options{}, []string{"population: missing: a network needs at least one [[population]]"}},
		{"population_table", Options{}, []string{"population: expected [[population]] entries (an array of tables), got a table"}},
		{"unknown_model", Options{}, []string{`population[1].model: unknown model "iaf_psc_delt" (did you mean iaf_psc_delta?)`}},
		{"model_kind", Options{}, []string{"population[0].model: poisson_generator is a stimulating device: put it in a [[device]]"}},
		{"size_zero", Options{}, []string{"population[0].n: expected a whole number from 1 to 2147483647, got 0"}},
		{"size_fraction", Options{}, []string{"population[0].n: expected a whole number from 1 to 2147483647, got NE/3 = 3.33"}},
		{"size_missing", Options{}, []string{"population[0].n: missing"}},
		{"wrong_unit", Options{}, []string{"population[0].params.V_th: expected a voltage in mV (or V, uV, µV), got 20 ms (a time)"}},
		{"unknown_param", Options{}, []string{"population[0].params.V_tth: iaf_psc_delta has no parameter or state variable of that name (did you mean V_th?)"}},
		{"internal_state", Options{}, []string{"population[0].params.refractory_steps: refractory_steps is an internal state variable"}},
		{"state_twice", Options{}, []string{"population[0].init.V_m: V_m is also given in population[0].params.V_m"}},
		{"model_check", Options{}, []string{"population[0].params: V_reset must be < V_th"}},
		{"list_params_type", Options{}, []string{"population[0].params.tau_sfa: expected a list of numbers, got fast"}},
		{"list_params_bad", Options{}, []string{
			"population[0].params: tau_stc and q_stc must have the same length (got 2 and 1)",
			"population[1].params.V_reset: expected a voltage in mV, got a list",
			"population[2].params: tau_sfa has 5 elements; at most 4 sfa components are supported"}},
		{"bool_type", Options{}, []string{"population[0].params.refractory_input: expected true or false, got 1"}},
		{"duplicate_name", Options{}, []string{`device[0].name: "E" is already the name of population[0]`}},
		{"device_param_unknown", Options{}, []string{"device[0].params.rat: poisson_generator has no parameter of that name (did you mean rate?)"}},
		{"device_bad", Options{}, []string{
			"device[0].params.spike_times[1]: expected a time in ms (or s, us, µs), got 3 mV (a voltage)",
			"device[1].params: spike_times must be sorted",
			"device[2].params.rate: expected a frequency in Hz (or kHz), got 10 ms (a time)"}},
		{"spike_generator_forms_bad", Options{}, []string{
			"device[0].params: pattern_rate = 10 Hz needs spike_period > 0 (the pattern's length)",
			"device[1].params: spike_times[1] = 250 ms: with spike_period = 200 ms the times of one period must lie in (0, 200] ms",
			"device[2].params.weight_frequency: expected a frequency in Hz (or kHz), got 10 ms (a time)"}},
		{"unknown_source", Options{}, []string{`connection[0].source: no population or device named "EE" (did you mean E?)`}},
		{"device_target", Options{}, []string{`connection[0].target: "pg" is a device; targets must be populations`}},
		{"indegree_negative", Options{}, []string{"connection[2].rule.indegree: expected a whole number >= 0, got -5"}},
		{"indegree_fraction", Options{}, []string{"connection[2].rule.indegree: expected a whole number >= 0, got 2.5"}},
		{"indegree_multapses", Options{}, []string{"connection[2].rule.indegree: expected at most 5 (the size of I) with allow_multapses = false, got 6"}},
		{"indegree_autapses", Options{}, []string{"connection[0].rule.indegree: expected at most 9 (the size of E, less one without autapses)"}},
		{"outdegree_multapses", Options{}, []string{"connection[2].rule.outdegree: expected at most 5 (the size of I) with allow_multapses = false, got 6"}},
		{"rule_unknown", Options{}, []string{`connection[0].rule.rule: unknown rule "fixed_indegre" (did you mean fixed_indegree?)`}},
		{"rule_out_of_scope", Options{}, []string{
			"connection[0].rule.rule: third_factor_bernoulli_with_pool is not a connection rule here: it is the rule of a third factor: write third = {",
			"connection[1].rule.rule: tripartite_bernoulli_with_pool is not a connection rule here: it is NEST 3.7's tripartite rule",
			"connection[2].rule.rule: conngen is not a connection rule here: the Connection Generator interface (CSA, libneurosim) is out of scope"}},
		{"rule_unknown_key", Options{}, []string{"connection[0].rule.outdegree: unknown key", "rule fixed_indegree accepts"}},
		{"rule_missing_param", Options{}, []string{"connection[0].rule.p: missing: rule pairwise_bernoulli needs p"}},
		{"rule_bool", Options{}, []string{"connection[0].rule.allow_autapses: expected true or false, got no"}},
		{"p_range", Options{}, []string{"connection[0].rule.p: expected a probability from 0 to 1, got 1.5"}},
		{"one_to_one_sizes", Options{}, []string{"connection[1].rule: rule one_to_one needs source and target of equal size, got E (10) and I (5)"}},
		{"symmetric_flags", Options{}, []string{
			"connection[0].rule.allow_autapses: rule symmetric_pairwise_bernoulli needs allow_autapses = false (NEST: autapses must be disabled)",
			"connection[0].rule.make_symmetric: rule symmetric_pairwise_bernoulli needs make_symmetric = true (NEST: symmetric connections must be enabled)"}},
		{"make_symmetric", Options{}, []string{"connection[0].rule.make_symmetric: make_symmetric = true is supported only by"}},
		{"total_number_multapses", Options{}, []string{"connection[0].rule.allow_multapses: rule fixed_total_number cannot forbid multapses"}},
		{"poisson_multapses", Options{}, []string{"connection[0].rule.allow_multapses: rule pairwise_poisson creates multapses by design"}},
		{"poisson_negative", Options{}, []string{"connection[0].rule.pairwise_avg_num_conns: expected a number >= 0, got -0.5"}},
		{"delay_small", Options{}, []string{"connection[0].syn.delay: expected a delay of at least one step (dt = 0.1 ms), got 0.04 ms"}},
		{"delay_dist", Options{}, []string{"connection[0].syn.delay: expected delays of at least one step (dt = 0.1 ms), but random.uniform(0.02, 2) draws 0.02 ms, which rounds to 0 steps"}},
		{"delay_unit", Options{}, []string{"connection[0].syn.delay: expected a time in ms (or s, us, µs), got 1.5 mV (a voltage)"}},
		{"weight_unit", Options{}, []string{"connection[0].syn.weight: expected a plain number, got 0.1 mV (a voltage); weights take no unit"}},
		{"receptor", Options{}, []string{"connection[0].syn.receptor: expected receptor 0 (iaf_psc_delta has one spike input), got 1"}},
		{"syn_model", Options{}, []string{`connection[0].syn.model: unknown synapse model "tsodyks_synapse"`}},
		{"gap_bad", Options{}, []string{
			"simulation.wfr_comm_interval: expected a multiple of dt = 0.05 ms, at least dt",
			"simulation.wfr_interpolation_order: expected 0, 1 or 3",
			"connection[0].rule.rule: gap_junction connections must be symmetric, which rule fixed_indegree cannot promise",
			`connection[1].target: gap_junction needs a model with gap junctions (hh_psc_alpha_gap), and "L" is iaf_psc_alpha`,
			"connection[1].syn.delay: gap_junction connections have no delay",
			"connection[2].syn.weight: expected one constant conductance (nS) for gap_junction",
			"connection[2].rule.make_symmetric: gap_junction connections must be symmetric: rule one_to_one needs make_symmetric = true",
			`connection[3].rule: gap_junction connections must be symmetric: all_to_all only within one population (source = target), not from "H" to "G"`}},
		{"structural_bad", Options{}, []string{
			"population[0].params.tau_Ca: expected a time > 0 ms (NEST: tau_Ca must be > 0), got -5 ms",
			`population[0].synaptic_elements.Axon.growth_curve: unknown growth curve "gausian" (did you mean gaussian?)`,
			"population[0].synaptic_elements.Den.tau_vacant: expected a fraction from 0 to 1",
			"population[0].synaptic_elements.Den.eps: a gaussian growth curve needs eps > eta (its zeros), got eps = 0.1, eta = 0.2",
			"population[0].synaptic_elements.Spine.psi: psi is a parameter of the sigmoid growth curve, not of linear",
			"structural_plasticity.update_interval: expected a multiple of dt = 0.1 ms, at least dt, got 10.05",
			`structural_plasticity.synapses.ex.post_synaptic_element: no population has the synaptic element "Dendrite"; elements: Axon, Den, Spine`,
			`structural_plasticity.synapses.ex.synapse_model: expected static_synapse (the only synapse model structural plasticity creates here), got "stdp_synapse"`,
			"structural_plasticity.synapses.ex.delay: expected a delay of at least dt = 0.1 ms, got 0"}},
		{"structural_zconn", Options{}, []string{
			"population[0].synaptic_elements.Axon.z_connected: z_connected counts the element's synapses and cannot be set",
			"population[0].synaptic_elements.Axon.grow_rate: unknown key (did you mean growth_rate?)"}},
		{"structural_orphan", Options{}, []string{"population[0].synaptic_elements: synaptic elements need [structural_plasticity] with the synapse types that connect them"}},
		{"gap_symmetric", Options{}, []string{
			"connection[0].rule.make_symmetric: make_symmetric = true is supported only by the rules one_to_one and symmetric_pairwise_bernoulli, and by fixed_total_number for gap_junction"}},
		{"rate_bad", Options{}, []string{
			"connection[0].syn.model: R sends rates: connect it with rate_connection_instantaneous or rate_connection_delayed, not static_synapse",
			"connection[1].syn.delay: rate_connection_instantaneous has no delay",
			"connection[2].target: S (iaf_psc_delta) has no rate input, but R sends rates",
			"connection[3].syn.model: pg sends no rates (it is not a rate model or step_rate_generator), so it cannot use rate_connection_delayed"}},
		{"syn_key", Options{}, []string{"connection[0].syn.wieght: unknown key (did you mean weight?)"}},
		{"var_cycle", Options{}, []string{"vars.a: cycle: a -> b -> c -> a"}},
		{"var_unknown", Options{}, []string{`vars.p_rate: unknown name nu_thh in "1000*nu_thh"`, "(did you mean nu_th?)"}},
		{"var_unit_name", Options{}, []string{"vars.ms: ms is a unit symbol and cannot be a var name"}},
		{"var_reserved", Options{}, []string{
			"vars.sqrt: sqrt is a function, a reserved word or a name of parameter expressions",
			"vars.random: random is a function, a reserved word or a name of parameter expressions",
			"vars.pi: pi is a function, a reserved word or a name of parameter expressions"}},
		{"var_param", Options{}, []string{`vars.w: vars are numbers, not parameters: write "random.normal(0, 1)" where it is used`}},
		{"var_type", Options{}, []string{"vars.flag: expected a number or an expression, got true"}},
		{"expr_syntax", Options{}, []string{`connection[0].syn.weight: cannot read expression "2 *"`}},
		{"expr_unknown", Options{}, []string{`connection[0].syn.weight: unknown name g in "-g*J"`}},
		{"simulation_bad", Options{}, []string{"simulation.dt: expected a time > 0 ms, got -0.1"}},
		{"backend_bad", Options{}, []string{`simulation.backend: expected one of auto, cpu, gpu, got "cuda"`}},
		{"threads_bad", Options{}, []string{"simulation.threads: expected a whole number >= 0, got -2", "simulation.batch: expected a whole number >= 0, got 1.5"}},
		{"t_sim_grid", Options{}, []string{"simulation.t_sim: expected a multiple of dt = 0.1 ms, got 100.05 ms"}},
		{"simulation_key", Options{}, []string{"simulation.resolution: unknown key; expected one of dt, t_sim, seed"}},
		{"seed_range", Options{}, []string{"simulation.seed: expected a whole number from 0 to 4294967295, got 4294967296"}},
		{"output_bad", Options{}, []string{`output.compression: expected one of zstd, snappy, gzip, none, got "lz4"`, "output.spikes: expected true or false, got yes", "output.csv: expected true or false, got 1",
			"output.edges: the final edge list is that of structural plasticity's synapses: expected [structural_plasticity] with edges = true"}},
		{"output_nest", Options{}, []string{"output.nest: the NEST view is written from the recorded spikes: expected spikes = true with nest = true"}},
		{"analysis_bad", Options{}, []string{"analysis.t_start: expected a time >= 0 and below t_sim = 100 ms, got 200", "analysis.bin_ms: expected a multiple of dt = 0.1 ms"}},
		{"recorder_bad", Options{}, []string{
			"recorder[1].interval: only a multimeter has interval",
			`recorder[2].record_from[0]: iaf_psc_delta has no state variable "V_mm" (did you mean V_m?)`,
			`recorder[3].model: unknown model "voltmeter"`,
			"recorder[4].record_from[1]: lin_rate_ipn is a rate model: it has no spikes and no calcium trace; Ca is recorded from spiking neurons"}},
		{"recorder_nrec", Options{}, []string{"recorder[0].n_rec: expected a whole number from 1 to 10, got 20 (E has 10 neurons)"}},
		{"recorder_neurons", Options{}, []string{"recorder[0].neurons[2]: expected a whole number from 0 to 9, got 10"}},
		{"multimeter_interval", Options{}, []string{"recorder[0].interval: expected a multiple of dt = 0.1 ms (at least one step), got 0.25 ms"}},
		{"dist_bad", Options{}, []string{
			"population[0].init.V_m.uniform: expected min < max, got min -50, max -70",
			`population[1].init.V_m: unknown distribution "unifrom" (did you mean uniform?)`,
			"population[2].init.V_m.normal: unknown argument sd; normal takes mean, std"}},
		{"symmetric_p", Options{}, []string{"connection[0].rule.p: expected a probability >= 0 and < 1, got 1"}},
		{"diffusion_bad", Options{}, []string{
			"connection[0].syn.weight: diffusion_connection has no weight (NEST): give drift_factor and diffusion_factor",
			"connection[1].syn.delay: diffusion_connection has no delay (NEST)",
			"connection[2].syn.drift_factor: drift_factor belongs to diffusion_connection; rate_connection_instantaneous has a weight"}},
		{"diffusion_target", Options{}, []string{
			"connection[0].target: R (lin_rate_ipn) has no diffusion_connection input",
			"connection[1].syn.diffusion_factor: expected a number, got the random parameter random.uniform(0, 1)",
			"connection[2].target: S (siegert_neuron) has no rate input, but R sends rates"}},
		{"symmetric_device", Options{}, []string{`connection[0].rule.make_symmetric: make_symmetric needs a population as source`}},
		{"recorder_choice", Options{}, []string{
			"recorder[0]: give n_rec or neurons, not both",
			`recorder[1].source: "pg" is a device; recorders record populations`,
			"recorder[1].record_from: expected a non-empty list of state variables to record, got nothing",
			`recorder[2].source: no population named "F"`}},
		{"recorder_repeat", Options{}, []string{"recorder[1].record_from[1]: V_m is listed twice"}},
		{"names_bad", Options{}, []string{
			"population[0].name: missing",
			`population[2].name: "E" is already the name of population[1]`,
			`device[0].model: unknown model "poisson_gen" (did you mean poisson_generator?)`,
			`connection[0].target: no population named "EE" (did you mean E?)`}},
		// Parameter expressions: syntax, NEST's argument checks, and where they are accepted.
		{"param_bad", Options{}, []string{
			"population[0].params.I_e: expected a current in pA, got the random parameter random.uniform(0, 10)",
			"population[0].init.V_m: expected a constant or a random parameter, got -70 + spatial.distance, which depends on positions",
			`connection[0].syn.weight: cannot read parameter "random.unifrom(0, J)": unknown function random.unifrom (did you mean random.uniform?)`,
			"connection[1].syn.weight: cannot read parameter \"random.normal(mean=J, sd=0.1)\": random.normal has no argument sd (did you mean std?); its arguments: mean, std",
			"connection[2].syn.weight: cannot read parameter \"random.normal(mean=J, 0.1)\": random.normal: a positional argument follows a keyword argument",
			"connection[3].rule.N: rule fixed_total_number takes a constant N (NEST reads a whole number), got random.uniform_int(10)",
			"connection[3].syn.weight: random.uniform needs min < max, got min 2, max 1",
			"connection[4].syn.weight: random.uniform_int needs a whole number max >= 1, got 0",
			"connection[4].syn.delay: expected delays of at least one step (dt = 0.1 ms), but random.uniform(0.01, 1) draws 0.01 ms, which rounds to 0 steps",
			"connection[5].syn.weight: expected a plain number, got random.uniform() mV; weights take no unit",
			"connection[5].syn.delay: random.normal needs std > 0, got 0",
			"connection[6].syn.delay: expected delays of at least one step (dt = 0.1 ms), but random.uniform(0.00001, 0.001) * 1000 draws 0.01 ms",
			"connection[7].rule.indegree: expected a whole number >= 0 or a parameter that draws them, got random.uniform(-3, 2), which draws negative numbers",
			"connection[8].rule.outdegree: expected at most 10 (the size of E) with allow_multapses = false, got random.uniform_int(12)"}},
		{"symmetric_param", Options{}, []string{
			"connection[0].syn.weight: make_symmetric needs constant weights and delays (NEST: symmetric connections require parameters that can be reset), got random.uniform(0, 1)",
			"connection[1].rule.p: rule symmetric_pairwise_bernoulli takes a constant p (NEST reads a number), got random.uniform(0, 0.5)"}},
		// Spatial populations: the structure first, then the values.
		{"spatial_struct_bad", Options{}, []string{
			"population[0].spatial: expected a table, got a list",
			`population[1].spatial: expected shape = [nx, ny] (a grid layer), positions = [[x, y], …] or pos = "random.uniform(-0.5, 0.5)" (a free layer)`,
			"population[2].spatial: give one of shape, positions and pos, not shape and positions",
			"population[3].spatial.shape: expected a list, got 4",
			"population[4].spatial.num_dimensions: num_dimensions is for a free layer whose positions are drawn (pos); a grid layer has the dimensions of its shape",
			"population[5].spatial.num_dimensions: pos is a list of one parameter per dimension: leave num_dimensions out",
			"population[6].n: missing: the number of neurons",
			"population[7].spatial.extnt: unknown key (did you mean extent?)",
			"population[7].spatial.edge_wrap: expected true or false, got yes"}},
		{"spatial_bad", Options{}, []string{
			"population[0].spatial.shape: expected 2 or 3 sizes ([nx, ny] or [nx, ny, nz]), got 1",
			"population[1].spatial.shape[1]: expected a whole number from 1 to 2147483647, got 0",
			"population[2].n: expected 9 (the grid's 3 × 3 neurons) or nothing, got 10",
			"population[3].spatial.positions[1]: expected 2 coordinates, as population[3].spatial.positions[0] has, got 3",
			"population[4].n: expected 2 (the number of positions) or nothing, got 3",
			"population[5].spatial.extent: expected 2 values (the layer has 2 dimensions), got 3",
			"population[6].spatial.extent[1]: expected a size > 0, got 0",
			"population[7].spatial.center: the center of a free layer needs an extent",
			"population[8].spatial.edge_wrap: periodic boundaries need the layer's size: give extent",
			"population[9].spatial.positions[1]: position [0.5, 0.5] is outside the layer: coordinate 0 must be in [-0.5, 0.5) (periodic)",
			"population[10].spatial.num_dimensions: missing: the number of dimensions (2 or 3) of the positions pos draws; or give extent",
			"population[11].spatial.num_dimensions: expected a whole number from 2 to 3, got 4",
			"population[12].spatial.pos[0]: expected a constant or a random parameter, got spatial.distance, which depends on positions",
			"population[13].spatial.pos: pos draws the positions: give random parameters; positions = [[x, y], …] lists fixed ones",
			"population[14].spatial.extent: missing: a free layer of one neuron needs an extent (NEST)"}},
		// Masks: NEST's dictionary shape, then NEST's checks of the values.
		{"mask_struct_bad", Options{}, []string{
			"connection[0].rule.mask.circlar: unknown mask (did you mean circular?); masks: box, circular, doughnut, ellipsoidal, elliptical, rectangular, spherical",
			"connection[1].rule.mask.grid: grid masks are not supported",
			"connection[2].rule.mask: expected one mask shape, got circular and doughnut",
			"connection[3].rule.mask.circular.radius: missing: a circular mask needs radius",
			"connection[4].rule.mask.rectangular.polar_angle: polar_angle is not defined in 2-D (NEST)",
			"connection[5].rule.mask.circular.anchor: anchor is also given beside the shape (connection[5].rule.mask.anchor); give it once",
			"connection[6].mask: rule all_to_all cannot use a mask: NEST connects spatially with pairwise_bernoulli, fixed_indegree, fixed_outdegree, pairwise_poisson",
			"connection[7].rule.mask: the mask is also given as connection[7].mask; give it once",
			"connection[8].rule.allow_oversized_mask: allow_oversized_mask is about a mask; give mask or leave it out",
			"connection[9].rule.use_on_source: use_on_source can only be set when using pairwise_bernoulli (NEST)"}},
		{"mask_bad", Options{}, []string{
			"connection[0].rule.mask.circular.radius: expected radius > 0, got -0.5",
			"connection[1].rule.mask.doughnut.outer_radius: expected inner_radius < outer_radius (NEST), got 0.3 and 0.2",
			"connection[2].rule.mask.rectangular.upper_right: upper_right must be strictly to the right of and above lower_left in every dimension (NEST)",
			"connection[3].rule.mask.elliptical.minor_axis: expected major_axis >= minor_axis (NEST), got 0.2 and 0.4",
			"connection[4].rule.mask.ellipsoidal.polar_axis: expected polar_axis > 0, got 0",
			"connection[5].rule.mask.anchor: expected 2 coordinates (a circular mask is 2-dimensional), got 3",
			"connection[6].rule.mask.box.lower_left: expected 3 coordinates (a box mask is 3-dimensional), got 2"}},
		{"spatial_conn_bad", Options{}, []string{
			`connection[0].rule.mask: a spatial connection needs spatial populations at both ends; give E a spatial table (population "E" has none)`,
			`connection[1].rule.p: a spatial connection needs spatial populations at both ends; give E a spatial table`,
			`connection[2].rule.mask: a spatial connection needs spatial populations at both ends; the source "pg" is a device`,
			"connection[3].rule.mask: the source layer G has 2 dimensions, the target layer G3 3; they must agree",
			"connection[4].rule.mask: a spherical mask is 3-dimensional, the layers G and G are 2-dimensional",
			"connection[5].rule.mask: the mask is 1.2 across along x, more than the periodic layer G (1): NEST refuses masks larger than the layer; set allow_oversized_mask = true to allow it",
			"connection[6].syn.weight: rule all_to_all cannot use spatial parameters: NEST connects spatially with pairwise_bernoulli, fixed_indegree, fixed_outdegree, pairwise_poisson",
			"connection[7].syn.delay: uses the z coordinate, but the layers are 2-dimensional",
			"connection[8].rule.p: a spatial connection needs spatial populations at both ends",
			"connection[9].rule.use_on_source: a spatial connection needs spatial populations at both ends"}},
		// Third factors.
		{"third_struct_bad", Options{}, []string{
			"connection[0].syn_third_in: syn_third_in is the synapse of a third factor: give third = { population = …, … } too",
			`connection[1].third.population: "pg" is a device; the third factor is a population`,
			"connection[2].third.size: unknown key; expected one of population, rule, p, pool_type, pool_size",
			`connection[2].third.rule: unknown third-factor rule "tripartite_bernoulli_with_pool" (did you mean third_factor_bernoulli_with_pool?)`,
			`connection[2].third.pool_type: expected random or block, got "blocks" (did you mean block?)`,
			"connection[3].rule.make_symmetric: a third factor cannot be used with make_symmetric = true (NEST)",
			"connection[4].rule.mask: a connection with a third factor cannot have a mask (NEST's TripartiteConnect is not spatial)"}},
		{"third_bad", Options{}, []string{
			"connection[0].third.p: expected a probability from 0 to 1, got 1.5",
			"connection[0].third.pool_size: expected a whole number from 1 to 6, got 0 (NEST: 1 <= pool_size <= the size of the third population, A: 6)",
			"connection[1].third.pool_size: expected a whole number from 1 to 6, got 7",
			"connection[2].third.pool_size: block pools need size(target) × pool_size = size(third) (20 × 2 ≠ 6), or pool_size = 1 with size(target) a multiple of size(third)",
			"connection[3].third.pool_type: block pools need size(target) × pool_size = size(third) (20 × 6 ≠ 6)",
			"connection[4].syn_third_out.weight: expected a constant or a random parameter, got spatial.distance, which depends on positions",
			"connection[4].syn_third_in.receptor: expected receptor 0 (iaf_psc_delta has one spike input), got 1"}},
		{"draws_names_bad", Options{}, []string{
			"population[0].draws.g: g is also the name of vars.g; a draw needs a name of its own",
			"population[0].draws.pi: pi is a function, a reserved word or a name of parameter expressions and cannot be a draw's name",
			"population[0].draws.ms: ms is a unit symbol and cannot be a draw's name",
			`population[1].draws: expected a table of named random parameters, e.g. { r = "random.uniform()" }, got random.uniform()`}},
		{"draws_bad", Options{}, []string{
			`population[0].draws.rr: unknown name r in "2*r": expressions may use the [vars] entries, unit symbols (2*ms) and functions (a draw cannot use another draw: write r's formula where it is used)`,
			"population[0].params.V_th: expected a voltage in mV, got the per-neuron value 30 + r; V_th of izhikevich takes one value per population (per neuron: a, b, c, d)",
			"population[0].params.I_e: expected a current in pA, got the random parameter random.normal(0, 1); I_e of izhikevich takes one value per population (per neuron: a, b, c, d)",
			`population[0].params.c: unknown name q in "-65 + q": expressions may use the [vars] entries and the population's draws (r, rr)`,
			"population[1].params.V_th: expected a voltage in mV, got the per-neuron value -55 + r; V_th of iaf_psc_delta takes one value per population (no parameter of iaf_psc_delta differs between neurons)"}},
		{"sweep_unknown", Options{}, []string{"sweep.params.gg: no [vars] or [simulation] entry named gg"}},
		{"sweep_not_sweepable", Options{}, []string{"sweep.params.threads: threads cannot be swept"}},
		{"sweep_zip_length", Options{}, []string{`sweep.params: mode = "zip" needs lists of equal length, got eta with 2 values and g with 3`}},
		{"sweep_list_names", Options{}, []string{"sweep.points[1]: every point must give the same names; sweep.points[0] gives eta, g, this one g"}},
		{"sweep_label_dup", Options{}, []string{`sweep.points[1].label: label "x" is already used by sweep.points[0]`}},
		{"preset_bad", Options{}, []string{
			`population[0].preset: preset "rem" of ca_adex cannot be used: no parameter set for REM`,
			`population[1].preset: unknown preset "sleep"; ca_adex's presets: wake, nrem, rem`,
			`population[2].preset: iaf_psc_alpha has no presets`}},
		{"receptor_bad", Options{}, []string{
			`connection[0].syn.receptor: expected one of ca_adex's spike receptors exc_spikes_soma, inh_spikes_soma, exc_spikes_distal, inh_spikes_distal, spikes_ampa_d, spikes_beta_d, spikes_ampa_nmda_d, got "dendritic_exc"`,
			`connection[1].syn.receptor: expected a receptor name, one of ca_adex's spike receptors exc_spikes_soma`,
			`connection[2].syn.receptor: expected a receptor number (iaf_psc_alpha has no named spike receptors), got "spikes_ampa_d"`}},
		{"sweep_mode", Options{}, []string{`sweep.mode: expected one of grid, zip, list, got "random"`}},
		{"sweep_value", Options{}, []string{`sweep.params.g[1]: swept values must be constants, got "2*J" (which uses J)`}},
		// Errors of some points carry the point; an error of every point is said once, without.
		{"sweep_point", Options{}, []string{
			"point 1 (g=4, NE=4): connection[0].rule.indegree: expected at most 4 (the size of E) with allow_multapses = false, got 5",
			"point 3 (g=6, NE=4): connection[0].rule.indegree"}},
		{"small", Options{Sets: []string{"gg=4"}}, []string{"--set gg=4: no [vars] or [simulation] entry named gg (did you mean g?)"}},
		{"small", Options{Sets: []string{"g"}}, []string{"--set g: expected NAME=VALUE"}},
		{"small", Options{Sets: []string{"g=2 *"}}, []string{`vars.g (set by --set): cannot read expression "2 *"`}},
		{"small", Options{Sets: []string{"t_sim=2 mV"}}, []string{"simulation.t_sim (set by --set): expected a time in ms (or s, us, µs), got 2 mV (a voltage)"}},
		{"small", Options{Sets: []string{"n_E=-1"}}, []string{"population[0].n: expected a whole number from 1 to 2147483647, got n_E = -1"}},
		{"sweep_zip", Options{Sets: []string{"G=4"}}, []string{"--set G=4: G is swept by [sweep]"}},
		{"sweep_zip", Options{Seed: &seed}, []string{"--seed: seed is swept by [sweep]"}},
	}
	for _, c := range cases {
		path := "testdata/" + c.file + ".toml"
		_, err := Load(path, c.opt)
		if err == nil {
			t.Errorf("%s %v: loaded, want an error", c.file, c.opt)
			continue
		}
		msg := err.Error()
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: error\n%s\nwant it to contain\n%s", c.file, msg, w)
			}
		}
		for _, line := range strings.Split(msg, "\n") {
			if !strings.HasPrefix(line, path+": ") {
				t.Errorf("%s: line %q does not start with the file name", c.file, line)
			}
		}
	}
	// sweep_every_point: every point fails the same way, so no point prefix.
	_, err := Load("testdata/sweep_every_point.toml", Options{})
	if err == nil || strings.Contains(err.Error(), "point 0") || strings.Count(err.Error(), "\n") != 0 ||
		!strings.Contains(err.Error(), "testdata/sweep_every_point.toml: population[0].params.V_th: expected a voltage in mV") {
		t.Errorf("sweep_every_point: %v", err)
	}
}

// TestFixturesCovered makes sure every fixture is used by a test.
func TestFixturesCovered(t *testing.T) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var src []byte
	tests, _ := filepath.Glob("*_test.go")
	for _, name := range tests {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, b...)
	}
	for _, e := range entries {
		if e.IsDir() { // testdata/fuzz: the fuzzers' crashers
			continue
		}
		name := strings.TrimSuffix(e.Name(), ".toml")
		if !strings.Contains(string(src), `"`+name+`"`) && !strings.Contains(string(src), "testdata/"+e.Name()) {
			t.Errorf("fixture %s is not used", e.Name())
		}
	}
}

func TestExpressionsAndUnits(t *testing.T) {
	f := mustLoad(t, "testdata/exprs.toml", Options{})
	p := f.Points[0]
	want := map[string]float64{
		"total": 16, "a_X": 8, "B_y": 8, "trunc": 7, "neg_trunc": -7, "half_even": 2, "fl": -2, "ce": 2,
		"root": 4, "e0": 1, "l1": 0, "ab": 2, "mn": 1, "mx": 3, "div": 3.5, "neg_pow": -4,
		"t_in_s": 2000, "rate_khz": 1500, "chain": 500, "intval": 3,
	}
	if !reflect.DeepEqual(p.Vars, want) {
		t.Errorf("vars = %v\nwant %v", p.Vars, want)
	}
	n := &p.Net
	pop := n.Populations[0]
	if pop.N != 6 {
		t.Errorf("n = %d", pop.N)
	}
	for k, v := range map[string]float64{"C_m": 250, "tau_m": 20, "V_th": -55, "E_L": -70, "I_e": 1000, "t_ref": 2} {
		if !near(pop.Params[k], v) {
			t.Errorf("%s = %v, want %v", k, pop.Params[k], v)
		}
	}
	pg := n.Devices[0]
	if pg.Params["rate"] != 2000 || pg.Params["start"] != 1 || !math.IsInf(pg.Params["stop"], 1) {
		t.Errorf("poisson_generator = %v", pg.Params)
	}
	if sg := n.Devices[1]; !reflect.DeepEqual(sg.Lists["spike_times"], []float64{1, 2, 3}) {
		t.Errorf("spike_times = %v", sg.Lists)
	}
	if s := n.Connections[0].Syn; !reflect.DeepEqual(s.Weight, spec.Constant(0.5)) || !reflect.DeepEqual(s.Delay, spec.Constant(1.5)) {
		t.Errorf("syn = %+v", s)
	}
	r := n.Recorders[0]
	if !reflect.DeepEqual(r.RecordFrom, []string{"V_m", "refractory_steps"}) || r.Interval != 0.5 || r.Start != 10 ||
		!reflect.DeepEqual(r.Neurons, []int{0, 2, 5}) || !math.IsInf(r.Stop, 1) {
		t.Errorf("multimeter = %+v", r)
	}
}

// TestDistributions: the table form of random parameters becomes NEST's
// expression, with NEST's default arguments and units applied.
func TestDistributions(t *testing.T) {
	n := &mustLoad(t, "testdata/dists.toml", Options{}).Points[0].Net
	checks := []struct {
		what string
		got  spec.Value
		want string
	}{
		{"A init", n.Populations[0].Init["V_m"], "random.uniform(-70, -50)"},
		{"B init", n.Populations[1].Init["V_m"], "random.normal(-65, 2)"},
		{"C init (NEST's default arguments)", n.Populations[2].Init["V_m"], "random.uniform(0, 1)"},
		{"indegree", n.Connections[0].Rule.Params["indegree"], "random.uniform_int(5)"},
		{"lognormal weight", n.Connections[0].Syn.Weight, "random.lognormal(0, 0.5)"},
		{"delay", n.Connections[0].Syn.Delay, "random.uniform(1, 2)"},
		{"p", n.Connections[1].Rule.Params["p"], "random.uniform(0.1, 0.2)"},
		{"exponential weight", n.Connections[1].Syn.Weight, "random.exponential(0.2)"},
		{"pairwise_avg_num_conns", n.Connections[2].Rule.Params["pairwise_avg_num_conns"], "random.exponential(2)"},
		{"normal weight, default std", n.Connections[2].Syn.Weight, "random.normal(0.1, 1)"},
	}
	for _, c := range checks {
		if c.got != spec.Param(c.want) {
			t.Errorf("%s = %+v, want %q", c.what, c.got, c.want)
		}
	}
}

// [output] csv = true asks for the CSV tables; the option is in the
// config's text, so a run with it is another run (another hash) than one
// without.
func TestOutputCSV(t *testing.T) {
	text, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		more string
		csv  bool
	}{{"", false}, {"csv = false\n", false}, {"csv = true\n", true}}
	hashes := map[bool]string{}
	for _, c := range cases {
		f, err := Parse(append(slices.Clone(text), c.more...), "small.toml", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if f.Output.CSV != c.csv {
			t.Errorf("%q: csv %v, want %v", c.more, f.Output.CSV, c.csv)
		}
		hashes[f.Output.CSV] = f.Hash
	}
	if hashes[true] == hashes[false] {
		t.Error("csv = true does not change the run's hash")
	}
}

func TestOptions(t *testing.T) {
	base := mustLoad(t, "testdata/small.toml", Options{})
	if base.Backend != "cpu" || base.Threads != 2 || base.Batch != 0 || base.Output != (Output{Dir: "results/small", Spikes: true, State: false, Compression: "none"}) {
		t.Errorf("small = %+v", base)
	}
	seven := uint32(7)
	cases := []struct {
		name  string
		opt   Options
		check func(f *File) bool
	}{
		{"var", Options{Sets: []string{"g=4"}}, func(f *File) bool { return near(f.Points[0].Net.Connections[0].Syn.Weight.Const, -0.4) }},
		{"var expression", Options{Sets: []string{"J_in = -3*J"}}, func(f *File) bool { return near(f.Points[0].Net.Connections[0].Syn.Weight.Const, -0.3) }},
		{"var, other case", Options{Sets: []string{"N_e=12"}}, func(f *File) bool { return f.Points[0].Net.Populations[0].N == 12 }},
		{"last wins", Options{Sets: []string{"g=4", "g=6"}}, func(f *File) bool { return near(f.Points[0].Vars["g"], 6) }},
		{"quantity", Options{Sets: []string{"t_sim=0.2 s"}}, func(f *File) bool { return f.Points[0].Net.Simulation.TSim == 200 }},
		{"dt", Options{Sets: []string{"dt=0.05"}}, func(f *File) bool { return f.Points[0].Net.Simulation.Dt == 0.05 }},
		{"backend", Options{Sets: []string{"backend=gpu"}}, func(f *File) bool { return f.Backend == "gpu" }},
		{"threads, batch", Options{Sets: []string{"threads=8", "batch=16"}}, func(f *File) bool { return f.Threads == 8 && f.Batch == 16 }},
		{"seed", Options{Sets: []string{"seed=5"}}, func(f *File) bool { return f.Points[0].Net.Simulation.Seed == 5 }},
		{"--seed", Options{Seed: &seven}, func(f *File) bool { return f.Points[0].Net.Simulation.Seed == 7 }},
		{"--seed after --set seed", Options{Sets: []string{"seed=5"}, Seed: &seven}, func(f *File) bool { return f.Points[0].Net.Simulation.Seed == 7 }},
	}
	for _, c := range cases {
		f, err := Load("testdata/small.toml", c.opt)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !c.check(f) {
			t.Errorf("%s: not applied: %+v", c.name, f.Points[0].Net)
		}
		if f.Hash == base.Hash {
			t.Errorf("%s: hash unchanged", c.name)
		}
	}
	// The hash depends on what the options mean, not on how they are written.
	a := mustLoad(t, "testdata/small.toml", Options{Sets: []string{"g=4", "J=0.2"}, Seed: &seven})
	b := mustLoad(t, "testdata/small.toml", Options{Sets: []string{" j = 0.2", "G=4", "seed=7"}})
	c := mustLoad(t, "testdata/small.toml", Options{Sets: []string{"g=3", "J=0.2", "g=4"}, Seed: &seven})
	if a.Hash != b.Hash || a.Hash != c.Hash {
		t.Errorf("hashes differ: %s %s %s", a.Hash, b.Hash, c.Hash)
	}
	if again := mustLoad(t, "testdata/small.toml", Options{}); again.Hash != base.Hash || len(base.Hash) != 64 {
		t.Errorf("hash not stable: %s %s", base.Hash, again.Hash)
	}
}

func TestSweepExpansion(t *testing.T) {
	g := mustLoad(t, "testdata/sweep_grid.toml", Options{})
	if !reflect.DeepEqual(g.Swept, []string{"eta", "g", "t_sim"}) || len(g.Points) != 12 {
		t.Fatalf("grid: swept %v, %d points", g.Swept, len(g.Points))
	}
	// Names sorted, the first varying slowest.
	var got [][]float64
	for i, p := range g.Points {
		if p.Index != i || p.Label != "" {
			t.Errorf("grid point %d: index %d label %q", i, p.Index, p.Label)
		}
		got = append(got, p.Values)
		n := &p.Net
		if n.Simulation.TSim != p.Values[2] || !near(n.Devices[0].Params["rate"], 1000*p.Values[0]) ||
			!near(n.Connections[1].Syn.Weight.Const, -0.1*p.Values[1]) || !near(p.Vars["g"], p.Values[1]) {
			t.Errorf("grid point %d %v not applied: %+v", i, p.Values, n)
		}
	}
	want := [][]float64{
		{0.9, 3, 100}, {0.9, 3, 200}, {0.9, 4.5, 100}, {0.9, 4.5, 200}, {0.9, 6, 100}, {0.9, 6, 200},
		{2, 3, 100}, {2, 3, 200}, {2, 4.5, 100}, {2, 4.5, 200}, {2, 6, 100}, {2, 6, 200},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("grid order = %v\nwant %v", got, want)
	}

	z := mustLoad(t, "testdata/sweep_zip.toml", Options{})
	if !reflect.DeepEqual(z.Swept, []string{"eta", "g", "seed"}) || len(z.Points) != 2 {
		t.Fatalf("zip: swept %v, %d points", z.Swept, len(z.Points))
	}
	if !reflect.DeepEqual(z.Points[1].Values, []float64{2, 4.5, 8}) || z.Points[1].Net.Simulation.Seed != 8 || z.Points[0].Net.Simulation.Seed != 7 {
		t.Errorf("zip points = %+v", z.Points)
	}

	// A swept var is a constant at every point, so it breaks a dependency cycle.
	c := mustLoad(t, "testdata/sweep_breaks_cycle.toml", Options{})
	if len(c.Points) != 2 || c.Points[0].Net.Populations[0].N != 6 || c.Points[1].Net.Populations[0].N != 8 || c.Points[1].Label != "y" {
		t.Errorf("sweep_breaks_cycle: %+v", c.Points)
	}

	// Overriding an unswept entry still works with a sweep.
	o := mustLoad(t, "testdata/sweep_zip.toml", Options{Sets: []string{"J=0.2"}})
	if !near(o.Points[1].Net.Connections[1].Syn.Weight.Const, -0.9) {
		t.Errorf("--set with a sweep: %+v", o.Points[1].Net.Connections[1].Syn)
	}
}

func TestRules(t *testing.T) {
	n := &mustLoad(t, "testdata/rules_ok.toml", Options{}).Points[0].Net
	want := []struct {
		rule   string
		params map[string]spec.Value
		flags  [3]bool
	}{
		{"one_to_one", nil, [3]bool{true, true, true}},
		{"fixed_outdegree", map[string]spec.Value{"outdegree": spec.Constant(10)}, [3]bool{true, false, false}},
		{"fixed_total_number", map[string]spec.Value{"N": spec.Constant(30)}, [3]bool{false, true, false}},
		{"symmetric_pairwise_bernoulli", map[string]spec.Value{"p": spec.Constant(0.2)}, [3]bool{false, true, true}},
		{"pairwise_bernoulli", map[string]spec.Value{"p": spec.Constant(1)}, [3]bool{true, true, false}},
		{"pairwise_poisson", map[string]spec.Value{"pairwise_avg_num_conns": spec.Constant(2.5)}, [3]bool{true, true, false}},
		{"one_to_one", nil, [3]bool{true, true, false}},
	}
	for i, w := range want {
		r := n.Connections[i].Rule
		if r.Name != w.rule || !reflect.DeepEqual(r.Params, w.params) || [3]bool{r.AllowAutapses, r.AllowMultapses, r.MakeSymmetric} != w.flags {
			t.Errorf("connection %d: rule %+v, want %+v", i, r, w)
		}
	}
	if dc := n.Devices[0]; dc.N != 10 || dc.Params["amplitude"] != 100 {
		t.Errorf("dc_generator = %+v", dc)
	}
	if s := n.Connections[6].Syn; !reflect.DeepEqual(s.Weight, spec.Constant(2)) || s.Receptor != 0 {
		t.Errorf("dc syn = %+v", s)
	}
}

func TestErrorListIsCapped(t *testing.T) {
	var list []string
	for i := 0; i < maxProblems+5; i++ {
		list = append(list, "x")
	}
	msg := newError("f.toml", list).Error()
	if strings.Count(msg, "\n") != maxProblems || !strings.HasSuffix(msg, "... and 5 more problems") {
		t.Errorf("error = %q", msg)
	}
}

func TestSuggest(t *testing.T) {
	cases := []struct{ name, want string }{
		{"iaf_psc_delt", " (did you mean iaf_psc_delta?)"},
		{"v_tH", " (did you mean V_th?)"},
		{"zzzz", ""},
		{"x", ""},
		{"iaf_psc", " (did you mean iaf_psc_delta?)"},
	}
	for _, c := range cases {
		if got := suggest(c.name, []string{"iaf_psc_delta", "V_th", "V_reset", "y"}); got != c.want {
			t.Errorf("suggest(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

// brunel_alpha.toml: the numbers of NEST's brunel_alpha_nest.py, computed
// by its expressions (LambertWm1 included).
func TestBrunelAlpha(t *testing.T) {
	f := mustLoad(t, "brunel_alpha", Options{})
	p := f.Points[0]
	for name, want := range map[string]float64{
		"t_max": 2.7565854767698394, "J_unit": 0.0048355536417246268, "J_ex": 20.68015524367846,
		"J_in": -5 * 20.68015524367846, "p_rate": 17789.0077147219,
	} {
		if got := p.Vars[name]; math.Abs(got-want) > 1e-9*math.Abs(want) {
			t.Errorf("vars.%s = %.12g, want %.12g", name, got, want)
		}
	}
	n := p.Net
	if n.Populations[0].Model != "iaf_psc_alpha" || n.Populations[0].Params["tau_syn_ex"] != 0.5 || n.Populations[1].Params["C_m"] != 250 {
		t.Errorf("populations = %+v", n.Populations)
	}
}

// izhikevich2003.toml: one draw r per neuron, per-neuron parameters over
// it stored as expressions (vars inlined, r kept), constants as numbers.
func TestIzhikevich2003(t *testing.T) {
	n := mustLoad(t, "izhikevich2003", Options{Sets: []string{"w_E=0.25"}}).Points[0].Net
	if n.Simulation != (spec.Simulation{Dt: 1, TSim: 1000, Seed: 1}) {
		t.Errorf("simulation = %+v", n.Simulation)
	}
	e, i := n.Populations[0], n.Populations[1]
	r := map[string]spec.Value{"r": spec.Param("random.uniform()")}
	if e.N != 800 || i.N != 200 || !reflect.DeepEqual(e.Draws, r) || !reflect.DeepEqual(i.Draws, r) {
		t.Fatalf("populations %+v", n.Populations)
	}
	if want := map[string]spec.Value{"c": spec.Param("-65 + 15*r**2"), "d": spec.Param("8 - 6*r**2")}; !reflect.DeepEqual(e.PerNeuron, want) {
		t.Errorf("E per-neuron %v, want %v", e.PerNeuron, want)
	}
	if want := map[string]spec.Value{"a": spec.Param("0.02 + 0.08*r"), "b": spec.Param("0.25 - 0.05*r")}; !reflect.DeepEqual(i.PerNeuron, want) {
		t.Errorf("I per-neuron %v, want %v", i.PerNeuron, want)
	}
	if e.Params["a"] != 0.02 || e.Params["b"] != 0.2 || e.Params["c"] != -65 || i.Params["c"] != -65 || i.Params["d"] != 2 ||
		e.Params["consistent_integration"] != 0 || e.Params["V_th"] != 30 {
		t.Errorf("params E %v, I %v", e.Params, i.Params)
	}
	if e.Init["U_m"] != spec.Constant(-13) || i.Init["U_m"] != spec.Param("(0.25 - 0.05*r)*(-65)") || e.Init["V_m"] != spec.Constant(-65) {
		t.Errorf("init E %v, I %v", e.Init, i.Init)
	}
	for _, c := range n.Connections[2:] {
		if want := map[string]string{"E": "0.25*random.uniform()", "I": "-1*random.uniform()"}[c.Source]; c.Syn.Weight.Expr != want || c.Rule.Name != "all_to_all" || !c.Rule.AllowAutapses {
			t.Errorf("%s -> %s: %+v", c.Source, c.Target, c)
		}
	}
	tp := mustLoad(t, "izhikevich_two_populations", Options{}).Points[0].Net
	if tp.Populations[1].Params["c"] != -51 || len(tp.Populations[1].PerNeuron) != 0 || tp.Populations[0].Params["consistent_integration"] != 1 {
		t.Errorf("two populations: %+v", tp.Populations)
	}
}

// gif_population.toml: the model's list parameters reach the network as
// numbers, units applied, and the two points differ in the drive only.
func TestGIFPopulationConfig(t *testing.T) {
	f := mustLoad(t, "gif_population", Options{})
	if len(f.Points) != 2 {
		t.Fatalf("%d points", len(f.Points))
	}
	want := map[string][]float64{"q_stc": {56.7, -6.9}, "tau_stc": {57.8, 218.2}, "q_sfa": {11.7, 1.8}, "tau_sfa": {53.8, 640}}
	for k, pt := range f.Points {
		p := pt.Net.Populations[0]
		if p.Model != "gif_psc_exp" || p.N != 100 || !reflect.DeepEqual(p.Lists, want) {
			t.Errorf("point %d: %s n=%d lists %v, want %v", k, p.Model, p.N, p.Lists, want)
		}
		if p.Params["C_m"] != 83.1 || p.Params["tau_syn_ex"] != 10 || p.Params["tau_syn_in"] != 2 {
			t.Errorf("point %d: params %v", k, p.Params)
		}
	}
	if n := f.Points[1].Net.Devices[0]; n.N != 67 || n.Params["rate"] != 12 {
		t.Errorf("musacchio point: %d generators at %g Hz, want 67 at 12", n.N, n.Params["rate"])
	}
}

// Per-neuron parameters may depend on swept vars: each point stores its
// own expression, and the points share one structure (sweep.Key). Draw
// names are matched without regard to case, and units apply.
func TestDrawsInASweep(t *testing.T) {
	f := mustLoad(t, "testdata/draws_sweep.toml", Options{})
	if len(f.Points) != 2 {
		t.Fatalf("%d points", len(f.Points))
	}
	for k, span := range []string{"15", "10"} {
		p := f.Points[k].Net.Populations[0]
		want := map[string]spec.Value{"c": spec.Param("-65 + " + span + "*r**2"), "d": spec.Param("8 - 6*R**2")}
		if !reflect.DeepEqual(p.PerNeuron, want) || !reflect.DeepEqual(p.Draws, map[string]spec.Value{"R": spec.Param("random.uniform()")}) {
			t.Errorf("point %d: per-neuron %v, draws %v", k, p.PerNeuron, p.Draws)
		}
		if p.Params["b"] != 0.25 || p.Init["V_m"] != spec.Param("-65 + r") || p.Init["U_m"] != spec.Param("random.uniform(-14, -12)") {
			t.Errorf("point %d: params %v init %v", k, p.Params, p.Init)
		}
	}
}

// preset = { by, names } picks a brain state per point: a swept var
// selects it, explicit params win, an index out of range is refused.
func TestPresetSweep(t *testing.T) {
	f := mustLoad(t, "testdata/preset_sweep.toml", Options{})
	if len(f.Points) != 2 {
		t.Fatalf("%d points, want 2", len(f.Points))
	}
	wake, nrem := f.Points[0].Net.Populations[0].Params, f.Points[1].Net.Populations[0].Params
	if wake["g_C_d"] != 19.777320239615996 || wake["e_L_d"] != -55.000000000000014 || wake["b"] != 100 {
		t.Errorf("wake params %v: want the defaults but b = 100", wake)
	}
	if nrem["g_C_d"] != 0 || nrem["b"] != 100 || nrem["e_L_s"] != -69.24596493128396-5 || nrem["e_L_d"] != -55.000000000000014-5 {
		t.Errorf("nrem params %v: want nrem's changes but b = 100", nrem)
	}
	if _, err := Load("testdata/preset_sweep.toml", Options{Sets: []string{"state=2"}}); err == nil ||
		!strings.Contains(err.Error(), "--set state=2: state is swept by [sweep]") {
		t.Errorf("--set of the swept var: %v", err)
	}
	text, err := os.ReadFile("testdata/preset_sweep.toml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(text), "state = [0, 1]", "state = [0, 2]", 1)
	if _, err := Parse([]byte(bad), "p.toml", Options{}); err == nil || !strings.Contains(err.Error(), "population[0].preset.by: expected a whole number from 0 to 1") {
		t.Errorf("state = 2: %v", err)
	}
}

// Ca is recordable from spiking neurons (here with synaptic elements): the
// multimeter keeps it in record_from's order.
func TestCalciumRecorder(t *testing.T) {
	f, err := Load("testdata/calcium_recorder.toml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Points[0].Net.Recorders[0].RecordFrom; !slices.Equal(got, []string{"Ca", "V_m"}) {
		t.Fatalf("record_from %q, want [Ca V_m]", got)
	}
}

// spike_generator's compact forms load with units and vars (docs/configs.md):
// the resolved parameters in NEST's units.
func TestSpikeGeneratorForms(t *testing.T) {
	f := mustLoad(t, "testdata/spike_generator_forms.toml", Options{})
	d := f.Points[0].Net.Devices
	if d[0].N != 10 || d[0].Params["pattern_rate"] != 10 || d[0].Params["spike_period"] != 200 || len(d[0].Lists["spike_times"]) != 0 {
		t.Errorf("pattern: n %d, params %v, lists %v", d[0].N, d[0].Params, d[0].Lists)
	}
	want := map[string]float64{"spike_period": 0.1, "weight_offset": 5.4, "weight_amplitude": 4.8, "weight_frequency": 10,
		"weight_phase": 90, "weight_start": 400, "weight_stop": 20400}
	for k, v := range want {
		if got := d[1].Params[k]; math.Abs(got-v) > 1e-12*v {
			t.Errorf("teacher %s = %g, want %g", k, got, v)
		}
	}
}
