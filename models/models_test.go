package models

import (
	"math"
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
			if pos, neg := m.PortsFor(SpikePort, r); pos >= 0 && neg >= 0 {
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
		if (d.Source == nil) == (d.Synapse == nil) {
			t.Errorf("%s must have exactly one of Source and Synapse", d.Name)
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
	p := Values{"start": 0, "stop": 2, "origin": 0}
	if err := SpikeGenerator.Check(p, l, 0.1); err != nil {
		t.Fatal(err)
	}
	c := SpikeGenerator.Derive(p, l, 0.1)
	want := map[int64]float32{0: 1, 9: 2 + 3*2, 24: 0} // 2.5 ms is after stop
	for s := int64(0); s < 30; s++ {
		if got := SpikeGenerator.Source(c, s); got != want[s] {
			t.Errorf("step %d: factor %g, want %g", s, got, want[s])
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
