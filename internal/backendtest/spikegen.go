package backendtest

import (
	"fmt"
	"math"
	"testing"

	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/spec"
)

// spike_generator's compact forms on every backend: a frozen Poisson
// pattern per node, replayed every period, reaches only that node's parrot
// (one_to_one) with the counts models.SpikeGenerator.Node gives; a spike
// every step with a sinusoidal weight function inside a window drives
// iaf_psc_delta's V_m as the sum of the decayed kicks.
func testSpikeGeneratorForms(t *testing.T, s Subject) {
	t.Run("pattern", func(t *testing.T) { spikeGeneratorPattern(t, s) })
	t.Run("weight function", func(t *testing.T) { spikeGeneratorWeights(t, s) })
}

func spikeGeneratorPattern(t *testing.T, s Subject) {
	const (
		dt, n, delay = 0.1, 20, 1.0
		periodSteps  = 50
	)
	params := map[string]float64{"start": 0, "stop": testnet.Forever, "origin": 0, "spike_period": periodSteps * dt, "pattern_rate": 400}
	pt := spec.Network{
		Simulation:  spec.Simulation{Dt: dt, TSim: 20, Seed: 3},
		Populations: []spec.Population{{Name: "p", Model: "parrot_neuron", N: n}},
		Devices:     []spec.Device{{Name: "pattern", Model: "spike_generator", N: n, Params: params}},
		Connections: []spec.Connection{{Source: "pattern", Target: "p", Rule: spec.Rule{Name: "one_to_one"},
			Syn: spec.Synapse{Model: "static_synapse", Weight: spec.Constant(1), Delay: spec.Constant(delay)}}},
		Recorders: []spec.Recorder{{Name: "sp", Model: "spike_recorder", Source: "p", Stop: testnet.Forever}},
		Analysis:  spec.Analysis{BinMs: 1},
	}
	got := RunPoints(t, s.New(), pt)
	p := models.Defaults(models.SpikeGenerator.Params)
	for k, v := range params {
		p[k] = v
	}
	c := models.SpikeGenerator.Derive(p, models.Lists{}, dt)
	key := rng.NewKey(3, rng.Network)
	want, have := map[string]int{}, map[string]int{}
	total := 0
	d := int64(math.Round(delay / dt))
	for step := int64(0); step+1+d <= 200; step++ {
		for node := range n {
			if k := int(models.SpikeGenerator.Node(c, step, key, 0, node)); k > 0 {
				want[fmt.Sprintf("neuron %d stamp %d", node, step+1+d)] = k
				total += k
			}
		}
	}
	for _, x := range got.Spiked {
		have[fmt.Sprintf("neuron %d stamp %d", x.Neuron, x.Step+1)]++
	}
	// 20 nodes × 0.04 per step × 190 steps: 152 spikes expected.
	if total < 100 {
		t.Fatalf("only %d pattern spikes: the test would not test", total)
	}
	if fmt.Sprint(have) != fmt.Sprint(want) {
		t.Errorf("parrot spikes (count by key):\n got %v\nwant %v", have, want)
	}
}

func spikeGeneratorWeights(t *testing.T, s Subject) {
	const dt, tauM = 0.1, 10.0
	params := map[string]float64{"start": 0, "stop": testnet.Forever, "origin": 0, "spike_period": dt,
		"weight_offset": 0.5, "weight_amplitude": 0.3, "weight_frequency": 250, "weight_start": 1, "weight_stop": 3}
	pt := Single(map[string]float64{"E_L": 0, "V_reset": 0, "V_th": 1e6, "tau_m": tauM, "C_m": 1}, 5, []float64{dt}, nil, dt)
	pt.Devices[0].Params = params
	pt.Populations[0].Init = map[string]spec.Value{"V_m": spec.Constant(0)}
	got := RunPoints(t, s.New(), pt)
	// The kick stamped k (k·dt in [1, 3) ms) arrives one step later.
	v, worst := 0.0, 0.0
	for stamp := int64(1); stamp <= 50; stamp++ {
		v *= math.Exp(-dt / tauM)
		if k := stamp - 1; k >= 10 && k < 30 {
			v += 0.5 + 0.3*math.Sin(2*math.Pi*0.25*float64(k)*dt)
		}
		// float32 state: a few ulp of |V| <= 20 mV per step.
		if d := math.Abs(VAt(t, got, stamp) - v); d > 1e-5 {
			t.Errorf("stamp %d: V_m %.7g mV, want %.7g", stamp, VAt(t, got, stamp), v)
		}
		worst = math.Max(worst, v)
	}
	if worst < 5 {
		t.Fatalf("V_m reached only %g mV: the kicks did not arrive", worst)
	}
}
