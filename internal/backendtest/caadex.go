package backendtest

import (
	"reflect"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/spec"
)

// CaAdexVars are the recordables the ca_adex tests compare.
var CaAdexVars = []string{"V_m_s", "V_m_d", "w", "c_Ca", "m_Ca", "h_Ca", "m_K", "e_Ca", "I_Ca", "I_K",
	"g_exc_s", "g_exc_d", "g_AMPA", "g_AMPA_NMDA", "g_NMDA"}

// CaAdexCell is one ca_adex with params, sampled every step (0.1 ms) for
// vars over tSim ms.
func CaAdexCell(params map[string]float64, tSim float64, vars ...string) spec.Network {
	return spec.Network{
		Simulation:  spec.Simulation{Dt: 0.1, TSim: tSim, Seed: 1},
		Populations: []spec.Population{{Name: "n", Model: "ca_adex", N: 1, Params: params}},
		Recorders: []spec.Recorder{{Model: "multimeter", Source: "n", Neurons: []int{0},
			RecordFrom: vars, Interval: 0.1, Stop: testnet.Forever}},
		Analysis: spec.Analysis{BinMs: 1},
	}
}

// CaAdexBAPDelay is the back-propagating AP's delay d_BAP as given (ms; the
// network rounds it to one 0.1-ms step, as NEST does), and CaAdexBAPWeight
// its weight (nS, onto spikes_ampa_d).
const (
	CaAdexBAPDelay  = 0.1195980511869619
	CaAdexBAPWeight = 27.995561755479308
)

// CaAdexBAP adds the back-propagating AP: population pop onto itself,
// one_to_one, into spikes_ampa_d.
func CaAdexBAP(n *spec.Network, pop string) {
	n.Connections = append(n.Connections, spec.Connection{Source: pop, Target: pop,
		Rule: spec.Rule{Name: "one_to_one", AllowAutapses: true, AllowMultapses: true},
		Syn: spec.Synapse{Model: "static_synapse", Weight: spec.Constant(CaAdexBAPWeight),
			Delay: spec.Constant(CaAdexBAPDelay), ReceptorName: "spikes_ampa_d"}})
}

// CaAdexPulse is one spike_generator of the pulse protocol: its spikes
// (ms) and weights (nS) into a receptor, delay 1 ms.
type CaAdexPulse struct {
	Receptor string
	Times    []float64
	Weights  []float64
}

// CaAdexPulses is the NESTML example's pulse protocol (Example1): soma
// alone, distal alone, soma with distal AMPA, soma with distal AMPA+NMDA,
// distal AMPA+NMDA alone.
var CaAdexPulses = []CaAdexPulse{
	{"exc_spikes_soma", []float64{500, 2500, 3500}, []float64{300, 500, 300}},
	{"exc_spikes_distal", []float64{1500}, []float64{1500}},
	{"spikes_ampa_d", []float64{2500}, []float64{300}},
	{"spikes_ampa_nmda_d", []float64{3500, 4500}, []float64{50, 100}},
}

// CaAdexPulseNet is one ca_adex with the BAP self-connection under
// pulses over tSim ms, recording vars.
func CaAdexPulseNet(params map[string]float64, pulses []CaAdexPulse, tSim float64, vars ...string) spec.Network {
	n := CaAdexCell(params, tSim, vars...)
	CaAdexBAP(&n, "n")
	for _, p := range pulses {
		name := "sg_" + p.Receptor
		n.Devices = append(n.Devices, spec.Device{Name: name, Model: "spike_generator", N: 1,
			Params: map[string]float64{"start": 0, "stop": testnet.Forever, "origin": 0},
			Lists:  map[string][]float64{"spike_times": p.Times, "spike_weights": p.Weights}})
		n.Connections = append(n.Connections, spec.Connection{Source: name, Target: "n",
			Rule: spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true},
			Syn:  spec.Synapse{Model: "static_synapse", Weight: spec.Constant(1), Delay: spec.Constant(1), ReceptorName: p.Receptor}})
	}
	return n
}

// CaAdexDC is one ca_adex with the BAP self-connection under constant
// somatic and distal currents (dc_generators into I_stim_s and I_stim_d).
func CaAdexDC(params map[string]float64, soma, distal, tSim float64, vars ...string) spec.Network {
	n := CaAdexCell(params, tSim, vars...)
	CaAdexBAP(&n, "n")
	for _, d := range []struct {
		receptor string
		amp      float64
	}{{"I_stim_s", soma}, {"I_stim_d", distal}} {
		name := "dc_" + d.receptor
		n.Devices = append(n.Devices, spec.Device{Name: name, Model: "dc_generator", N: 1,
			Params: map[string]float64{"amplitude": d.amp, "start": 0, "stop": testnet.Forever, "origin": 0}})
		n.Connections = append(n.Connections, spec.Connection{Source: name, Target: "n",
			Rule: spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true},
			Syn:  spec.Synapse{Model: "static_synapse", Weight: spec.Constant(1), Delay: spec.Constant(0.1), ReceptorName: d.receptor}})
	}
	return n
}

// caAdexSingles are ca_adex under the pulse protocol in both brain states
// (shortened) and under DC input that drives calcium plateaus.
func caAdexSingles() map[string]spec.Network {
	nrem := map[string]float64{"g_C_d": 0, "b": 200, "e_L_s": -74.24596493128396, "e_L_d": -60.000000000000014}
	// Above ~372 pA of distal input in nrem V_m_d runs away and c_Ca
	// needs clip_Ca_influx (docs/models.md).
	clip := map[string]float64{"clip_Ca_influx": 1}
	for k, v := range nrem {
		clip[k] = v
	}
	return map[string]spec.Network{
		"ca_adex pulses":            CaAdexPulseNet(nil, CaAdexPulses, 3000, CaAdexVars...),
		"ca_adex pulses nrem":       CaAdexPulseNet(nrem, CaAdexPulses, 3000, CaAdexVars...),
		"ca_adex dc soma + distal":  CaAdexDC(nil, 200, 400, 600, CaAdexVars...),
		"ca_adex dc distal in nrem": CaAdexDC(clip, 600, 600, 600, CaAdexVars...),
	}
}

// testCaAdexThetaPlanes runs a slice of the shipped ThetaPlanes sweep
// (both brain states, the corners and the middle of the current grid, 2.5
// s) as one batch: the same spikes as the CPU's, exactly (one input per
// port and step: no summation order to differ).
func testCaAdexThetaPlanes(t *testing.T, s Subject) {
	f, err := configs.Load("ca_adex_thetaplanes", configs.Options{Sets: []string{"t_sim=2500"}})
	if err != nil {
		t.Fatal(err)
	}
	idx := []int{0, 24, 312, 600, 624, 437}
	var pts []spec.Network
	for _, i := range idx {
		pts = append(pts, f.Points[i].Net)
	}
	want := RunAt(t, &cpu.Backend{Threads: 1}, idx, pts...)
	got := RunAt(t, s.New(), idx, pts...)
	if len(want.Spiked) == 0 {
		t.Fatal("the reference slice never spiked")
	}
	if !reflect.DeepEqual(got.Spiked, want.Spiked) {
		t.Errorf("%d spikes, CPU %d, or they differ", len(got.Spiked), len(want.Spiked))
	}
}
