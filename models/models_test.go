package models

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/units"
)

// Every model lists its parameters with NEST's units and a default, and its
// constants derive without error from the defaults.
func TestRegistryIsConsistent(t *testing.T) {
	for _, m := range Neurons() {
		p := Defaults(m.Params)
		if err := m.Check(p, nil, 0.1); err != nil {
			t.Errorf("%s: defaults fail Check: %v", m.Name, err)
		}
		if c := m.Derive(p, nil, 0.1); len(c) == 0 {
			t.Errorf("%s: no constants", m.Name)
		}
		checkUnits(t, m.Name, m.Params)
		if m.Rate != nil { // rates in NEST's arbitrary units: weights are factors
			kind := RatePort
			if m == SiegertNeuron { // diffusion_connection's drift and diffusion ports
				kind = DiffusionPort
			}
			if pos, neg := m.PortsFor(kind, ""); pos < 0 || neg < 0 || m.WeightUnit == nil || m.WeightUnit(p) != "" {
				t.Errorf("%s: a rate model needs rate ports and dimensionless weights", m.Name)
			}
		} else if m.WeightUnit == nil || m.WeightUnit(p) == "" {
			t.Errorf("%s: no unit of its spike weights", m.Name)
		} else if u := m.WeightUnit(p); u != "mV/ms" && u != "spikes" { // izhikevich's paper scheme: a current with R = 1; parrot_neuron: a count
			checkUnits(t, m.Name, []Param{{Name: "weight", Unit: u}})
		}
		for _, port := range m.Ports {
			checkUnits(t, m.Name, []Param{{Name: port.Name, Unit: port.WeightUnit}})
		}
		for _, s := range m.State {
			units.Canonical(s.Unit)
			if s.Relative != "" {
				if _, ok := FindParam(m.Params, s.Relative); !ok {
					t.Errorf("%s.%s is relative to unknown parameter %s", m.Name, s.Name, s.Relative)
				}
			}
		}
		takes := false
		for _, r := range append(m.Receptors(SpikePort), "") {
			// A named receptor may take positive weights only (network
			// refuses negative ones there: pp_cond_exp_mc_urbanczik's).
			if pos, neg := m.PortsFor(SpikePort, r); pos >= 0 && (neg >= 0 || r != "") {
				takes = true
			}
		}
		if !takes && m.Rate == nil {
			t.Errorf("%s takes no spikes", m.Name)
		}
		// Per-neuron parameters are reals, and no state is stored
		// relative to one (recordings add one offset per member).
		for _, i := range m.PerNeuronParams() {
			p := m.Params[i]
			if p.Kind != Real {
				t.Errorf("%s.%s is PerNeuron but not a real", m.Name, p.Name)
			}
			for _, s := range m.State {
				if s.Relative == p.Name {
					t.Errorf("%s.%s is stored relative to %s, which is PerNeuron", m.Name, s.Name, p.Name)
				}
			}
		}
	}
	for _, d := range Devices() {
		checkUnits(t, d.Name, d.Params)
		if err := d.Check(Defaults(d.Params), Lists{}, 0.1); err != nil {
			t.Errorf("%s: defaults fail Check: %v", d.Name, err)
		}
		if n := len(slices.DeleteFunc([]bool{d.Source != nil, d.Synapse != nil, d.Node != nil}, func(b bool) bool { return !b })); n != 1 {
			t.Errorf("%s must have exactly one of Source, Synapse and Node (has %d)", d.Name, n)
		}
	}
	if _, ok := LookupNeuron("iaf_psc_delta"); !ok {
		t.Fatal("iaf_psc_delta is not registered")
	}
	p := Defaults(Izhikevich.Params)
	p["consistent_integration"] = 0
	if u := Izhikevich.WeightUnit(p); u != "mV/ms" {
		t.Errorf("izhikevich with the paper's scheme: weights in %q, want mV/ms", u)
	}
}

func checkUnits(t *testing.T, model string, ps []Param) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: %v", model, r)
		}
	}()
	for _, p := range ps {
		units.Canonical(p.Unit)
	}
}

// NEST's consistency checks, as errors that name the parameter.
func TestChecks(t *testing.T) {
	delta := func(k string, v float64) Values {
		p := Defaults(IafPscDelta.Params)
		p[k] = v
		return p
	}
	cases := []struct {
		err  error
		want string
	}{
		{IafPscDelta.Check(delta("C_m", 0), nil, 0.1), "C_m must be > 0"},
		{IafPscDelta.Check(delta("tau_m", -1), nil, 0.1), "tau_m must be > 0"},
		{IafPscDelta.Check(delta("t_ref", -0.1), nil, 0.1), "t_ref must be >= 0"},
		{IafPscDelta.Check(delta("V_reset", -55), nil, 0.1), "V_reset must be < V_th"},
		{PoissonGenerator.Check(Values{"rate": -1, "start": 0, "stop": 1, "origin": 0}, nil, 0.1), "rate must be >= 0"},
		{DCGenerator.Check(Values{"amplitude": 1, "start": 5, "stop": 1, "origin": 0}, nil, 0.1), "stop must be >= start"},
		{SpikeGenerator.Check(Defaults(SpikeGenerator.Params), Lists{"spike_times": {1.05}}, 0.1), "not a multiple of the resolution"},
		{SpikeGenerator.Check(Defaults(SpikeGenerator.Params), Lists{"spike_times": {0}}, 0.1), "must be > 0"},
		{SpikeGenerator.Check(Defaults(SpikeGenerator.Params), Lists{"spike_times": {2, 1}}, 0.1), "must be sorted"},
		{SpikeGenerator.Check(Defaults(SpikeGenerator.Params), Lists{"spike_times": {1, 2}, "spike_weights": {1}}, 0.1), "one per spike"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("error %v, want %q", c.err, c.want)
		}
	}
}

// poisson_generator: active for steps start < s <= stop; per synapse and
// step a Poisson(rate·dt) count, independent across synapses and steps.
func TestPoissonGenerator(t *testing.T) {
	p := Values{"rate": 12000, "start": 1, "stop": 5, "origin": 0}
	c := PoissonGenerator.Derive(p, nil, 0.1)
	for s, want := range map[int64]bool{9: false, 10: false, 11: true, 50: true, 51: false} {
		if got := PoissonGenerator.Active(c, s); got != want {
			t.Errorf("active at step %d = %v, want %v", s, got, want)
		}
	}
	key := rng.NewKey(3, 0)
	const synapses, steps = 1000, 200
	lambda := 12000 * 0.1 / 1000
	out := make([]float32, synapses)
	var n, sum, sq float64
	var prev []float32
	for s := int64(0); s < steps; s++ {
		PoissonGenerator.Synapse(c, s, key, 0, 0, out)
		for _, k := range out {
			sum += float64(k)
			sq += float64(k) * float64(k)
			n++
		}
		if prev != nil && equal(prev, out) {
			t.Fatal("two steps drew the same counts")
		}
		prev = append(prev[:0], out...)
	}
	mean := sum / n
	variance := sq/n - mean*mean
	// Poisson: mean and variance lambda; standard errors sqrt(lambda/n) and
	// sqrt((lambda + 2 lambda²)/n).
	if se := math.Sqrt(lambda / n); math.Abs(mean-lambda) > 5*se {
		t.Errorf("mean count %g, want %g ± %g", mean, lambda, 5*se)
	}
	if se := math.Sqrt((lambda + 2*lambda*lambda) / n); math.Abs(variance-lambda) > 5*se {
		t.Errorf("count variance %g, want %g ± %g", variance, lambda, 5*se)
	}
	// A range of synapses drawn alone equals the same range of the whole row.
	part := make([]float32, 7)
	PoissonGenerator.Synapse(c, 3, key, 0, 5, part)
	whole := make([]float32, 20)
	PoissonGenerator.Synapse(c, 3, key, 0, 0, whole)
	if !equal(part, whole[5:12]) {
		t.Errorf("synapses 5..11 alone %v, in the row %v", part, whole[5:12])
	}
}

func equal(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// spike_generator: the spike stamped t is sent during the step that ends at
// t, with weight × multiplicity, summed over equal times.
func TestSpikeGenerator(t *testing.T) {
	l := Lists{"spike_times": {0.1, 1.0, 1.0, 2.5}, "spike_weights": {1, 2, 3, 4}, "spike_multiplicities": {1, 1, 2, 1}}
	p := Defaults(SpikeGenerator.Params)
	p["stop"] = 2
	if err := SpikeGenerator.Check(p, l, 0.1); err != nil {
		t.Fatal(err)
	}
	c := SpikeGenerator.Derive(p, l, 0.1)
	want := map[int64]float32{0: 1, 9: 2 + 3*2, 24: 0} // 2.5 ms is after stop
	for s := int64(0); s < 30; s++ {
		if got := SpikeGenerator.Node(c, s, rng.NewKey(1, rng.Network), 0, 0); got != want[s] {
			t.Errorf("step %d: factor %g, want %g", s, got, want[s])
		}
	}
}

// spike_period repeats the times of one period: spikes at 0.1 and 0.5 ms
// with a 0.5 ms period are stamped 1, 5, 6, 10, 11, … up to stop; the
// weights go with them.
func TestSpikeGeneratorPeriod(t *testing.T) {
	l := Lists{"spike_times": {0.1, 0.5}, "spike_weights": {2, 3}}
	p := Defaults(SpikeGenerator.Params)
	p["spike_period"], p["stop"] = 0.5, 1.6
	if err := SpikeGenerator.Check(p, l, 0.1); err != nil {
		t.Fatal(err)
	}
	c := SpikeGenerator.Derive(p, l, 0.1)
	want := map[int64]float32{1: 2, 5: 3, 6: 2, 10: 3, 11: 2, 15: 3, 16: 2} // stamps; 20 is after stop
	for stamp := int64(1); stamp < 40; stamp++ {
		if got := SpikeGenerator.Node(c, stamp-1, rng.NewKey(1, rng.Network), 0, 0); got != want[stamp] {
			t.Errorf("stamp %d: factor %g, want %g", stamp, got, want[stamp])
		}
	}
}

// The weight function: NEST's urbanczik_synapse_example teacher, a spike
// every step with weight 4.8·sin(2π·10 Hz·t) + 5.4 for 400 <= t < 20400 ms
// and 0 outside. rng.SinTurns is within a few ulp of math.Sin, so the
// float32 factor is within one float32 ulp (6e-8 relative) of the closed form.
func TestSpikeGeneratorWeightFunction(t *testing.T) {
	l := Lists{"spike_times": {0.1}}
	p := Defaults(SpikeGenerator.Params)
	p["spike_period"], p["weight_offset"], p["weight_amplitude"], p["weight_frequency"] = 0.1, 5.4, 4.8, 10
	p["weight_start"], p["weight_stop"] = 400, 20400
	if err := SpikeGenerator.Check(p, l, 0.1); err != nil {
		t.Fatal(err)
	}
	c := SpikeGenerator.Derive(p, l, 0.1)
	key := rng.NewKey(1, rng.Network)
	for _, stamp := range []int64{1, 3999, 4000, 4001, 4025, 4075, 100003, 203999, 204000, 208000} {
		tm := float64(stamp) * 0.1
		want := 0.0
		if stamp >= 4000 && stamp < 204000 {
			want = 4.8*math.Sin(2*math.Pi*0.01*tm) + 5.4
		}
		got := float64(SpikeGenerator.Node(c, stamp-1, key, 0, 0))
		if math.Abs(got-want) > 6e-8*math.Abs(want) {
			t.Errorf("t = %g ms: factor %.9g, want %.9g", tm, got, want)
		}
	}
}

// pattern_rate: every node a frozen Poisson train over one period, the same
// in every period, different between nodes and devices. 200 nodes × 2000
// steps at 10 Hz, dt 0.1 ms: 400 spikes expected, sd 20; allow 4 sd.
func TestSpikeGeneratorPattern(t *testing.T) {
	p := Defaults(SpikeGenerator.Params)
	p["spike_period"], p["pattern_rate"] = 200, 10
	if err := SpikeGenerator.Check(p, Lists{}, 0.1); err != nil {
		t.Fatal(err)
	}
	c := SpikeGenerator.Derive(p, Lists{}, 0.1)
	key := rng.NewKey(7, rng.Network)
	total, same := 0.0, 0
	for node := range 200 {
		for s := int64(0); s < 2000; s++ {
			f := SpikeGenerator.Node(c, s, key, 3, node)
			total += float64(f)
			for _, rep := range []int64{1, 57} {
				if g := SpikeGenerator.Node(c, s+rep*2000, key, 3, node); g != f {
					t.Fatalf("node %d, step %d: %g, but %g in repetition %d", node, s, f, g, rep)
				}
			}
			if f != 0 && SpikeGenerator.Node(c, s, key, 3, (node+1)%200) == f {
				same++
			}
			if f != 0 && SpikeGenerator.Node(c, s, key, 4, node) == f {
				same++
			}
		}
	}
	if math.Abs(total-400) > 4*20 {
		t.Errorf("%g spikes in one period of 200 trains, want 400 ± 80", total)
	}
	if same > 5 { // coincidences: 400 spikes × 2 × 0.001 ≈ 0.8 expected
		t.Errorf("%d spikes shared with the next node or another device: the trains are not independent", same)
	}
}

// Refusals name the parameter and what is expected.
func TestSpikeGeneratorRefusals(t *testing.T) {
	for _, c := range []struct {
		name string
		set  Values
		l    Lists
		want string
	}{
		{"period off the grid", Values{"spike_period": 0.25}, nil, "spike_period = 0.25 ms is not a multiple"},
		{"negative period", Values{"spike_period": -1}, nil, "expected 0 (no repetition)"},
		{"time beyond the period", Values{"spike_period": 1}, Lists{"spike_times": {0.5, 1.1}}, "must lie in (0, 1] ms"},
		{"pattern without period", Values{"pattern_rate": 10}, nil, "needs spike_period > 0"},
		{"pattern with times", Values{"pattern_rate": 10, "spike_period": 1}, Lists{"spike_times": {0.5}}, "give no spike_times"},
		{"pattern too fast", Values{"pattern_rate": 2e5, "spike_period": 1}, nil, "expected below 10 per step"},
		{"negative rate", Values{"pattern_rate": -1, "spike_period": 1}, nil, "pattern_rate"},
		{"empty weight window", Values{"weight_start": 5, "weight_stop": 5}, nil, "weight_stop must be > weight_start"},
		{"infinite amplitude", Values{"weight_amplitude": math.Inf(1)}, nil, "weight_amplitude = +Inf: expected a finite number"},
	} {
		p := Defaults(SpikeGenerator.Params)
		for k, v := range c.set {
			p[k] = v
		}
		l := c.l
		if l == nil {
			l = Lists{}
		}
		err := SpikeGenerator.Check(p, l, 0.1)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// dc_generator: a current generator counts as active at step s when
// start < s+2 <= stop (in steps), NEST's StimulationDevice rule.
func TestDCGenerator(t *testing.T) {
	c := DCGenerator.Derive(Values{"amplitude": 80, "start": 5, "stop": 10, "origin": 0}, nil, 0.1)
	for s, want := range map[int64]float32{47: 0, 48: 0, 49: 80, 97: 80, 98: 80, 99: 0} {
		if got := DCGenerator.Source(c, s); got != want {
			t.Errorf("step %d: %g pA, want %g", s, got, want)
		}
	}
}

// A parrot's repeats are one neuron's spikes; gif_pop_psc_exp's node stands
// for its N neurons (summaries count rates per neuron stood for).
func TestStandsFor(t *testing.T) {
	if k := ParrotNeuron.StandsFor(nil); k != 1 {
		t.Errorf("parrot_neuron stands for %d neurons, want 1", k)
	}
	if k := GifPopPscExp.StandsFor(Values{"N": 300}); k != 300 {
		t.Errorf("gif_pop_psc_exp with N = 300 stands for %d, want 300", k)
	}
}
