package network

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/spec"
)

// checked is a model whose per-neuron parameter has a check, to test that
// checks run per neuron.
var checked = &models.Neuron{
	Name: "test_per_neuron_checked",
	Params: []models.Param{
		{Name: "tau", Unit: "ms", Default: 10, PerNeuron: true},
		{Name: "x", Default: 1},
	},
	State: []models.StateVar{{Name: "V_m", Unit: "mV"}},
	Ports: []models.Port{{Name: "spikes", Kind: models.SpikePort}},
	Check: func(p models.Values, _ models.Lists, dt float64) error {
		if !(p["tau"] > 0) {
			return fmt.Errorf("tau must be > 0 (got %g)", p["tau"])
		}
		return nil
	},
	Derive: func(p models.Values, _ models.Lists, dt float64) []float64 { return []float64{p["x"]} },
	Update: func(*models.Update) {},
}

func init() { models.RegisterNeuron(checked) }

// Per-neuron parameters: the values of the model's PerNeuron parameters for
// every neuron, constants broadcast, expressions over a draw evaluated per
// neuron with one value of the draw shared by every parameter that uses
// it; each member draws its own, the same whatever the batch.
func TestPerNeuronParameters(t *testing.T) {
	pt := testnet.Izhikevich2003(80, 20, 10, 3)
	net, err := Build([]spec.Network{pt, pt}, []int{0, 5}, 2)
	if err != nil {
		t.Fatal(err)
	}
	e, in := net.Pops[0], net.Pops[1]
	if len(e.PerNeuron) != 4 || len(e.PerNeuron[0]) != 2*80 {
		t.Fatalf("E: %d per-neuron blocks of %d", len(e.PerNeuron), len(e.PerNeuron[0]))
	}
	for m := 0; m < 2; m++ {
		for j := 0; j < 80; j++ {
			a, b, c, d := e.PerNeuron[0][m*80+j], e.PerNeuron[1][m*80+j], e.PerNeuron[2][m*80+j], e.PerNeuron[3][m*80+j]
			if a != 0.02 || b != 0.2 {
				t.Fatalf("E member %d neuron %d: a %g, b %g, want the constants 0.02, 0.2", m, j, a, b)
			}
			r2c, r2d := (float64(c)+65)/15, (8-float64(d))/6
			if !(r2c >= 0 && r2c < 1) || math.Abs(r2c-r2d) > 1e-6 {
				t.Fatalf("E member %d neuron %d: c %g, d %g: not -65 + 15r², 8 - 6r² of one r in [0, 1)", m, j, c, d)
			}
		}
		for j := 0; j < 20; j++ {
			a, b := float64(in.PerNeuron[0][m*20+j]), float64(in.PerNeuron[1][m*20+j])
			r := (a - 0.02) / 0.08
			if !(r >= -1e-6 && r < 1) || math.Abs((0.25-b)/0.05-r) > 1e-5 {
				t.Fatalf("I member %d neuron %d: a %g, b %g: not 0.02 + 0.08r, 0.25 - 0.05r of one r", m, j, a, b)
			}
			// U_m = b·V_m from the same draw.
			if u := float64(in.Init[1][m*20+j]); math.Abs(u-b*-65) > 1e-4 {
				t.Fatalf("I member %d neuron %d: U_m %g, want b·V_m = %g", m, j, u, b*-65)
			}
		}
	}
	if e.PerNeuron[2][0] == e.PerNeuron[2][80] && e.PerNeuron[2][1] == e.PerNeuron[2][81] {
		t.Error("members 0 and 1 drew the same c")
	}
	// Member 1 (point 5) alone draws what it drew in the batch.
	alone, err := Build([]spec.Network{pt}, []int{5}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for k := range e.PerNeuron {
		for j := 0; j < 80; j++ {
			if alone.Pops[0].PerNeuron[k][j] != e.PerNeuron[k][80+j] {
				t.Fatalf("parameter %d of neuron %d: %g alone, %g in the batch", k, j, alone.Pops[0].PerNeuron[k][j], e.PerNeuron[k][80+j])
			}
		}
	}
	// A model without per-neuron parameters has none.
	if n := build(t, 1, testnet.Brunel(10, 5, 2, 0, 1, 1)); len(n.Pops[0].PerNeuron) != 0 {
		t.Errorf("iaf_psc_delta: %d per-neuron blocks", len(n.Pops[0].PerNeuron))
	}
}

// What cannot be built is refused with the population, the parameter and
// the neuron.
func TestPerNeuronErrors(t *testing.T) {
	cases := []struct {
		edit func(p *spec.Population)
		want string
	}{
		{func(p *spec.Population) { p.PerNeuron["V_th"] = spec.Param("30 + r") },
			"population[0].params.V_th: parameter V_th of izhikevich takes one value per population, not one per neuron"},
		{func(p *spec.Population) { p.PerNeuron["e"] = spec.Param("r") }, "population[0].params.e: izhikevich has no parameter e"},
		{func(p *spec.Population) { p.PerNeuron["c"] = spec.Param("-65 + sqrt(r - 2)") }, "population[0].params.c: neuron 0: c = NaN"},
		{func(p *spec.Population) { p.PerNeuron["c"] = spec.Param("-65 + q") }, "unknown name q"},
		{func(p *spec.Population) { p.Draws["q"] = spec.Param("r") }, "population[0].draws.q"},
		{func(p *spec.Population) { p.Init["U_m"] = spec.Param("spatial.distance") }, "population[0].init.U_m"},
	}
	for _, c := range cases {
		pt := testnet.Izhikevich2003(8, 2, 10, 1)
		c.edit(&pt.Populations[0])
		_, err := Build([]spec.Network{pt}, []int{0}, 1)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
	// The model's checks run for every neuron.
	pt := spec.Network{
		Simulation: spec.Simulation{Dt: 0.1, TSim: 1, Seed: 1},
		Populations: []spec.Population{{Name: "P", Model: checked.Name, N: 50, Params: map[string]float64{},
			Draws:     map[string]spec.Value{"r": spec.Param("random.uniform()")},
			PerNeuron: map[string]spec.Value{"tau": spec.Param("r - 0.5")}}},
	}
	if _, err := Build([]spec.Network{pt}, []int{0}, 1); err == nil || !strings.Contains(err.Error(), "population[0].params: neuron") ||
		!strings.Contains(err.Error(), "tau must be > 0") {
		t.Errorf("a drawn tau <= 0: error %v", err)
	}
	pt.Populations[0].PerNeuron["tau"] = spec.Param("r + 0.5")
	if _, err := Build([]spec.Network{pt}, []int{0}, 1); err != nil {
		t.Errorf("a drawn tau > 0: %v", err)
	}
}

// A constant given as a per-neuron value is broadcast, and checked.
func TestPerNeuronConstants(t *testing.T) {
	pt := spec.Network{
		Simulation: spec.Simulation{Dt: 0.1, TSim: 1, Seed: 1},
		Populations: []spec.Population{{Name: "P", Model: checked.Name, N: 3, Params: map[string]float64{},
			PerNeuron: map[string]spec.Value{"TAU": spec.Constant(4)}}},
	}
	net, err := Build([]spec.Network{pt}, []int{0}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := net.Pops[0].PerNeuron[0]; got[0] != 4 || got[2] != 4 {
		t.Errorf("tau %v, want 4 for every neuron", got)
	}
	pt.Populations[0].PerNeuron["TAU"] = spec.Constant(-1)
	if _, err := Build([]spec.Network{pt}, []int{0}, 1); err == nil || !strings.Contains(err.Error(), "population[0].params: tau must be > 0") {
		t.Errorf("a constant tau of -1: %v", err)
	}
}
