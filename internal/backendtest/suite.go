package backendtest

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// Subject is a backend under test.
type Subject struct {
	// New returns a fresh backend.
	New func() engine.Backend
	// Work returns a count that grows with the work the backend did (the
	// device's launches): every test checks that it grew, so that a silent
	// fallback cannot pass. Nil for the CPU backend, the reference itself.
	Work func() int64
	// Exact says that a batch gives each member exactly its spikes alone
	// (true on the CPU and the emulator, whose additions happen in a fixed
	// order; a real GPU's atomic additions do not).
	Exact bool
}

// RunPoints runs points (as sweep points 0, 1, …) on b and collects what
// it produced.
func RunPoints(t testing.TB, b engine.Backend, points ...spec.Network) *testnet.Collector {
	t.Helper()
	return RunAt(t, b, firstPoints(len(points)), points...)
}

// RunAt runs points as sweep points idx (which key their random numbers).
func RunAt(t testing.TB, b engine.Backend, idx []int, points ...spec.Network) *testnet.Collector {
	t.Helper()
	c, _, err := runAt(t, b, idx, points...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// firstPoints returns the sweep points 0, 1, …, n-1.
func firstPoints(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// Batch builds points as one batch of sweep points 0, 1, …, n-1.
func Batch(t testing.TB, points ...spec.Network) *network.Network {
	t.Helper()
	net, err := network.Build(points, firstPoints(len(points)), 0)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// runAt builds points as sweep points idx and runs them on b: it returns
// what reached the sink, the network and Run's error.
func runAt(t testing.TB, b engine.Backend, idx []int, points ...spec.Network) (*testnet.Collector, *network.Network, error) {
	t.Helper()
	net, err := network.Build(points, idx, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := &testnet.Collector{}
	return c, net, b.Run(context.Background(), net, c, nil)
}

// Run runs the whole suite on s.
func Run(t *testing.T, s Subject) {
	tests := []struct {
		name string
		f    func(*testing.T, Subject)
	}{
		{"ConstantCurrentSpikeTimes", testConstantCurrent},
		{"DeliveryAndRefractoriness", testDelivery},
		{"RefractoryInput", testRefractoryInput},
		{"DCGeneratorOnset", testDCOnset},
		{"PSCShapes", testPSCShapes},
		{"PSCRefractoriness", testPSCRefractoriness},
		{"StepCurrentSpikeTimes", testStepCurrent},
		{"NoiseGenerator", testNoiseGenerator},
		{"IzhikevichClasses", testIzhikevichClasses},
		{"IzhikevichRebound", testIzhikevichRebound},
		{"IzhikevichResonator", testIzhikevichResonator},
		{"IzhikevichInputs", testIzhikevichInputs},
		{"GIFPSCShape", testGIFPSCShape},
		{"GIFAdaptation", testGIFAdaptation},
		{"GIFEscapeNoise", testGIFEscapeNoise},
		{"GIFCondExp", testGIFCondExp},
		{"GIFNESTReference", testGIFNESTReference},
		{"GifPopMultiplicity", testGifPopMultiplicity},
		{"GifPopBatch", testGifPopBatch},
		{"ParrotRepeatsSpikes", testParrot},
		{"SpikeGeneratorForms", testSpikeGeneratorForms},
		{"SingleNeuronsMatchCPU", testSingleNeurons},
		{"GapJunctionsMatchCPU", testGapMatchesCPU},
		{"RateModelsMatchCPU", testRateModels},
		{"CaAdexThetaPlanesSlice", testCaAdexThetaPlanes},
		{"SiegertMatchesCPU", testSiegert},
		{"BatchEqualsPointsAlone", testBatch},
		{"AlphaNetworkMatchesCPU", testAlphaNetwork},
		{"IzhikevichNetworkMatchesCPU", testIzhikevichNetwork},
		{"GIFNetworkMatchesCPU", testGIFNetwork},
		{"BrunelMatchesCPU", testBrunel},
		{"NonFiniteState", testNonFinite},
		{"StructuralPlasticityMatchesCPU", testStructuralMatchesCPU},
		{"CalciumRecorded", testCalciumRecorded},
		{"STDPMatchesCPU", testSTDPMatchesCPU},
		{"UrbanczikSynapseMatchesCPU", testUrbanczikMatchesCPU},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := int64(0)
			if s.Work != nil {
				before = s.Work()
			}
			tc.f(t, s)
			if s.Work != nil && s.Work() <= before {
				t.Errorf("the backend under test did no work (%d before, %d after): did something else run?", before, s.Work())
			}
		})
	}
}

// reference runs points on the CPU backend.
func reference(t testing.TB, points ...spec.Network) *testnet.Collector {
	return RunPoints(t, &cpu.Backend{Threads: 1}, points...)
}

// Single is one iaf_psc_delta with the given parameters, optionally driven
// by a spike_generator, sampled every step by a multimeter.
func Single(params map[string]float64, tSim float64, spikes []float64, weights []float64, delay float64) spec.Network {
	n := spec.Network{
		Simulation:  spec.Simulation{Dt: 0.1, TSim: tSim, Seed: 1},
		Populations: []spec.Population{{Name: "n", Model: "iaf_psc_delta", N: 1, Params: params}},
		Recorders: []spec.Recorder{{Model: "multimeter", Source: "n", Neurons: []int{0},
			RecordFrom: []string{"V_m"}, Interval: 0.1, Stop: testnet.Forever}},
		Analysis: spec.Analysis{BinMs: 1},
	}
	if spikes != nil {
		n.Devices = []spec.Device{{Name: "sg", Model: "spike_generator", N: 1,
			Params: map[string]float64{"start": 0, "stop": testnet.Forever, "origin": 0},
			Lists:  map[string][]float64{"spike_times": spikes, "spike_weights": weights}}}
		n.Connections = []spec.Connection{{Source: "sg", Target: "n",
			Rule: spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true},
			Syn:  spec.Synapse{Model: "static_synapse", Weight: spec.Constant(1), Delay: spec.Constant(delay)}}}
	}
	return n
}

// VAt returns the sampled V_m at the end of the step that ends at stamp.
func VAt(t testing.TB, c *testnet.Collector, stamp int64) float64 {
	t.Helper()
	for _, s := range c.Sampled {
		if s.Step+1 == stamp {
			return float64(s.Values[0])
		}
	}
	t.Fatalf("no sample at stamp %d", stamp)
	return 0
}

// A constant current I_e drives V towards E_L + I_e·tau_m/C_m; the neuron
// spikes when V reaches V_th and restarts from V_reset after t_ref. The
// spike stamps must be the first grid points at or after the analytic
// crossing times. Without synaptic input the three LIF models are one
// model, so each must pass.
func testConstantCurrent(t *testing.T, s Subject) {
	for _, model := range []string{"iaf_psc_delta", "iaf_psc_exp", "iaf_psc_alpha"} {
		t.Run(model, func(t *testing.T) { constantCurrent(t, s, model) })
	}
}

func constantCurrent(t *testing.T, s Subject, model string) {
	cases := []struct {
		name                               string
		el, cm, tau, tref, vth, vreset, ie float64
	}{
		{"NEST defaults, 400 pA", -70, 250, 10, 2, -55, -70, 400},
		{"Brunel units, strong drive", 0, 1, 20, 2, 20, 10, 1.5},
		{"no refractoriness", -65, 200, 15, 0, -50, -60, 300},
	}
	const dt = 0.1
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			params := map[string]float64{"E_L": c.el, "C_m": c.cm, "tau_m": c.tau, "t_ref": c.tref,
				"V_th": c.vth, "V_reset": c.vreset, "I_e": c.ie}
			pt := Single(params, 200, nil, nil, 1)
			pt.Populations[0].Model = model
			pt.Populations[0].Init = map[string]spec.Value{"V_m": spec.Constant(c.el)}
			got := RunPoints(t, s.New(), pt)

			vinf := c.ie * c.tau / c.cm // asymptote above E_L
			// Steps from a start value v0 (relative to E_L) to the threshold.
			stepsTo := func(v0 float64) int64 {
				tc := -c.tau * math.Log((vinf-(c.vth-c.el))/(vinf-v0))
				k := tc / dt
				// float32 state drifts by about 1e-4 mV from the exact
				// solution over a few hundred steps, a few thousandths of
				// a step at these slopes: keep crossings well off the grid.
				if math.Abs(k-math.Round(k)) < 0.02 {
					t.Fatalf("crossing %g steps is too close to the grid for a float32 test", k)
				}
				return int64(math.Ceil(k))
			}
			ref := int64(math.Round(c.tref / dt))
			var want []int64
			stamp := stepsTo(0)
			for stamp <= 2000 {
				want = append(want, stamp)
				stamp += ref + stepsTo(c.vreset-c.el)
			}
			var stamps []int64
			for _, sp := range got.Spiked {
				stamps = append(stamps, sp.Step+1)
			}
			if len(want) < 3 {
				t.Fatalf("test drives too few spikes: %v", want)
			}
			if !reflect.DeepEqual(stamps, want) {
				t.Errorf("spike stamps %v, want %v", stamps, want)
			}
			// Between spikes V follows the exact solution (float32 rounding).
			for k := int64(1); k <= 5; k++ {
				wantV := c.el + vinf*(1-math.Exp(-float64(k)*dt/c.tau))
				if got := VAt(t, got, k); math.Abs(got-wantV) > 1e-4*math.Max(1, math.Abs(wantV)) {
					t.Errorf("V at step %d = %g, want %g", k, got, wantV)
				}
			}
			if v := VAt(t, got, want[0]); v != c.vreset {
				t.Errorf("V at the spike stamp %d = %g, want V_reset %g", want[0], v, c.vreset)
			}
		})
	}
}

// A spike stamped S with delay d must change V in the step that ends at
// S+d (t_spike + delay), not earlier; input arriving while the neuron is
// refractory is lost.
func testDelivery(t *testing.T, s Subject) {
	params := map[string]float64{"E_L": 0, "C_m": 1, "tau_m": 1e6, "t_ref": 2, "V_th": 20, "V_reset": 0}
	// 1.0 ms: 5 mV; 3.0 ms: 30 mV (fires); 3.5 ms: 5 mV (refractory: lost);
	// 6.0 ms: 7 mV (after refractoriness: counts).
	times := []float64{1.0, 3.0, 3.5, 6.0}
	weights := []float64{5, 30, 5, 7}
	for _, delay := range []float64{0.1, 1.5, 2.3} {
		pt := Single(params, 10, times, weights, delay)
		pt.Populations[0].Init = map[string]spec.Value{"V_m": spec.Constant(0)}
		c := RunPoints(t, s.New(), pt)
		d := int64(math.Round(delay / 0.1))
		arrive := func(ms float64) int64 { return int64(math.Round(ms/0.1)) + d }
		tol := 1e-3 // tau_m = 1e6 ms: the decay over 10 ms is 1e-5 relative

		if v := VAt(t, c, arrive(1.0)-1); math.Abs(v) > tol {
			t.Errorf("delay %g: V before the first arrival = %g, want 0", delay, v)
		}
		if v := VAt(t, c, arrive(1.0)); math.Abs(v-5) > tol {
			t.Errorf("delay %g: V at t_spike+delay = %g, want 5", delay, v)
		}
		if len(c.Spiked) != 1 || c.Spiked[0].Step+1 != arrive(3.0) {
			t.Fatalf("delay %g: spikes %v, want one stamped %d", delay, c.Spiked, arrive(3.0))
		}
		if v := VAt(t, c, arrive(6.0)-1); v != 0 {
			t.Errorf("delay %g: V after refractoriness = %g, want 0 (input during t_ref dropped)", delay, v)
		}
		if v := VAt(t, c, arrive(6.0)); math.Abs(v-7) > tol {
			t.Errorf("delay %g: V after the last input = %g, want 7", delay, v)
		}
	}
}

// With refractory_input, input arriving during refractoriness is held,
// discounted by exp(-r·h/tau_m) for the r refractory steps left, and added
// when the neuron integrates again.
func testRefractoryInput(t *testing.T, s Subject) {
	params := map[string]float64{"E_L": 0, "C_m": 1, "tau_m": 10, "t_ref": 2, "V_th": 20, "V_reset": 0, "refractory_input": 1}
	pt := Single(params, 10, []float64{1.0, 2.0}, []float64{30, 5}, 0.1)
	pt.Populations[0].Init = map[string]spec.Value{"V_m": spec.Constant(0)}
	c := RunPoints(t, s.New(), pt)
	// Spike stamped 11; the 5 mV arrives in the update ending at stamp 21,
	// with r = 20 - 9 = 11 steps left before that update counts down.
	fire := int64(11)
	arrival := int64(21)
	left := 20 - (arrival - fire - 1)
	held := 5 * math.Exp(-float64(left)*0.1/10)
	resume := fire + 20 + 1 // the first update that integrates again ends here
	if v := VAt(t, c, resume-1); v != 0 {
		t.Errorf("V while refractory = %g, want 0", v)
	}
	if v := VAt(t, c, resume); math.Abs(v-held) > 1e-5 {
		t.Errorf("V after refractoriness = %g, want held input %g", v, held)
	}
}

// A dc_generator switched on at start = 5 ms, through a 1-ms connection:
// NEST counts it active from step 49 (start < (s+2)·dt), the current sent
// then is due in step 59 and acts from the update of step 60, so V leaves
// E_L at the stamp 6.1 ms and then follows the exact solution.
func testDCOnset(t *testing.T, s Subject) {
	const amp, el, tau, cm = 300.0, -70.0, 10.0, 250.0
	pt := dcNeuron(amp, 5)
	c := RunPoints(t, s.New(), pt)
	if v := VAt(t, c, 60); v != el {
		t.Errorf("V at 6.0 ms = %g, want E_L (the current has not acted yet)", v)
	}
	p33 := math.Exp(-0.1 / tau)
	for k := int64(1); k <= 30; k++ {
		want := el + amp*tau/cm*(1-math.Pow(p33, float64(k)))
		if v := VAt(t, c, 60+k); math.Abs(v-want) > 1e-4 {
			t.Fatalf("V at stamp %d = %g, want %g", 60+k, v, want)
		}
	}
}

func dcNeuron(amp, start float64) spec.Network {
	pt := Single(map[string]float64{"E_L": -70, "C_m": 250, "tau_m": 10, "V_th": -55}, 30, nil, nil, 1)
	pt.Populations[0].Init = map[string]spec.Value{"V_m": spec.Constant(-70)}
	pt.Devices = []spec.Device{{Name: "dc", Model: "dc_generator", N: 1,
		Params: map[string]float64{"amplitude": amp, "start": start, "stop": testnet.Forever, "origin": 0}}}
	pt.Connections = []spec.Connection{{Source: "dc", Target: "n",
		Rule: spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true},
		Syn:  spec.Synapse{Weight: spec.Constant(1), Delay: spec.Constant(1)}}}
	return pt
}

// One neuron under the same inputs (Poisson drive, a spike generator, a
// dc_generator) has the CPU backend's trajectory to the last float32 bit:
// with one addition per input and step there is no summation order to differ.
func testSingleNeurons(t *testing.T, s Subject) {
	poisson := Single(map[string]float64{"E_L": 0, "C_m": 1, "tau_m": 20, "V_th": 20, "V_reset": 10}, 200, nil, nil, 1)
	poisson.Devices = []spec.Device{{Name: "pg", Model: "poisson_generator", N: 1,
		Params: map[string]float64{"rate": 25000, "start": 0, "stop": testnet.Forever, "origin": 0}}}
	poisson.Connections = []spec.Connection{{Source: "pg", Target: "n",
		Rule: spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true},
		Syn:  spec.Synapse{Weight: spec.Constant(0.1), Delay: spec.Constant(1.5)}}}
	generator := Single(map[string]float64{"E_L": -70, "C_m": 250, "tau_m": 10, "V_th": -55, "I_e": 180}, 100,
		[]float64{5, 5.5, 20, 20, 41.3}, []float64{8, -3, 6, 6, 2.5}, 2)
	cases := map[string]spec.Network{"poisson drive": poisson, "spike generator": generator, "dc generator": dcNeuron(420, 3)}
	for name, pt := range pscSingles() {
		cases[name] = pt
	}
	for name, pt := range izhikevichSingles() {
		cases[name] = pt
	}
	for name, pt := range gifSingles() {
		cases[name] = pt
	}
	for name, pt := range gifPopSingles() {
		cases[name] = pt
	}
	for name, pt := range hhSingles() {
		cases[name] = pt
	}
	for name, pt := range caAdexSingles() {
		cases[name] = pt
	}
	for name, pt := range urbanczikSingles() {
		cases[name] = pt
	}
	for name, pt := range cases {
		want := reference(t, pt)
		got := RunPoints(t, s.New(), pt)
		if len(want.Spiked) == 0 && name != "spike generator" && name != "dc generator" {
			t.Fatalf("%s: the reference neuron never spiked", name)
		}
		if !reflect.DeepEqual(got.Spiked, want.Spiked) {
			t.Errorf("%s: spikes %v, CPU %v", name, got.Spiked, want.Spiked)
		}
		if len(got.Sampled) != len(want.Sampled) {
			t.Fatalf("%s: %d samples, CPU %d", name, len(got.Sampled), len(want.Sampled))
		}
		for i := range want.Sampled {
			if !reflect.DeepEqual(got.Sampled[i], want.Sampled[i]) {
				t.Fatalf("%s: sample %d = %+v, CPU %+v", name, i, got.Sampled[i], want.Sampled[i])
			}
		}
	}
}

// A batch of points gives each point its own spikes: exactly where the
// backend adds in a fixed order, else with the same statistics.
func testBatch(t *testing.T, s Subject) {
	points := []spec.Network{
		testnet.Brunel(250, 3, 2, 10, 150, 3),
		testnet.Brunel(250, 6, 4, 10, 150, 3),
		testnet.Brunel(250, 4.5, 0.9, 10, 150, 3),
	}
	batchMatchesAlone(t, s, points, s.Exact, 150)
}

// batchMatchesAlone runs points as one batch and each alone on the
// subject: each point must fire, and its spikes in the batch must equal
// those alone (exact) or match their rate (compareRates over ms).
func batchMatchesAlone(t *testing.T, s Subject, points []spec.Network, exact bool, ms float64) {
	t.Helper()
	batch := RunPoints(t, s.New(), points...)
	for i := range points {
		alone := RunAt(t, s.New(), []int{i}, points[i])
		got := batch.Member(i)
		if len(got) == 0 {
			t.Fatalf("point %d: no spikes", i)
		}
		if exact {
			if !reflect.DeepEqual(got, alone.Spiked) {
				t.Errorf("point %d: batch gives %d spikes, alone %d, or they differ", i, len(got), len(alone.Spiked))
			}
			continue
		}
		compareRates(t, fmt.Sprintf("point %d batch vs alone", i), got, alone.Spiked, ms)
	}
}

// compareRates checks that two runs of one network fire at rates equal
// within their Poisson error: the spike counts of the two, n1 and n2, differ
// by less than 5·sqrt(n1 + n2) (a conservative bound: the counts are
// positively correlated, being runs of one network from one state).
func compareRates(t *testing.T, what string, a, b []testnet.Spike, ms float64) {
	t.Helper()
	na, nb := float64(len(a)), float64(len(b))
	if math.Abs(na-nb) > 5*math.Sqrt(na+nb) {
		t.Errorf("%s: %g vs %g spikes in %g ms", what, na, nb, ms)
	}
}
