package models_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// The gates start at NEST's defaults: the steady states at NEST's initial
// V_m (the values GetDefaults gives in NEST 3.10).
func TestHHInitialGates(t *testing.T) {
	nest := map[string]map[string]float64{
		"hh_psc_alpha": {"V_m": -65, "Act_m": 0.05293248525724958, "Inact_h": 0.5961207535084603, "Act_n": 0.3176769140606974},
		"hh_psc_alpha_gap": {"V_m": -69.60401191631222, "Act_m": 0.019198766985083732, "Inact_h": 0.868462041294399,
			"Act_n": 0.0005741576228359767, "Inact_p": 0.0002511318227150632},
	}
	for model, want := range nest {
		m, _ := models.LookupNeuron(model)
		for name, v := range want {
			got := m.State[m.FindState(name)].Default
			if math.Abs(got-v) > 1e-14*math.Abs(v) {
				t.Errorf("%s %s = %.17g, NEST %.17g", model, name, got, v)
			}
		}
	}
}

// hhSpikes runs one neuron of model under constant I_e for 500 ms and
// returns its spike steps.
func hhSpikes(t *testing.T, model string, ie, dt float64) []int64 {
	pt := spec.Network{
		Simulation:  spec.Simulation{Dt: dt, TSim: 500, Seed: 1},
		Populations: []spec.Population{{Name: "P", Model: model, N: 1, Params: map[string]float64{"I_e": ie}}},
		Analysis:    spec.Analysis{BinMs: 1},
	}
	net, err := network.Build([]spec.Network{pt}, []int{0}, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := &testnet.Collector{}
	if err := (&cpu.Backend{Threads: 1}).Run(context.Background(), net, c, nil); err != nil {
		t.Fatal(err)
	}
	var steps []int64
	for _, s := range c.Spiked {
		steps = append(steps, s.Step+1) // stamped at the end of the step, as NEST
	}
	return steps
}

// Spike times of single HH neurons under constant current equal NEST
// 3.10's on the grid (testdata/nest_hh_spikes.json: NEST's spike times in
// steps, written by testdata/nest_hh_spikes.py).
func TestHHSpikesMatchNEST(t *testing.T) {
	raw, err := os.ReadFile("testdata/nest_hh_spikes.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref map[string][]int64
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		model string
		ie    []float64
	}{
		{"hh_psc_alpha", []float64{500, 1000, 2000}},
		{"hh_psc_alpha_gap", []float64{100, 200, 400}},
	}
	for _, c := range cases {
		for _, ie := range c.ie {
			for _, dt := range []float64{0.1, 0.05} {
				key := fmt.Sprintf("%s I_e=%.1f dt=%g", c.model, ie, dt)
				want, ok := ref[key]
				if !ok {
					t.Fatalf("no reference %q", key)
				}
				if got := hhSpikes(t, c.model, ie, dt); !slices.Equal(got, want) {
					t.Errorf("%s: spikes at steps %v, NEST %v", key, got, want)
				}
			}
		}
	}
}
