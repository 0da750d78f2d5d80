package cpu_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"unsafe"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
	"github.com/snn-gpu/snn-gpu/internal/memory"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/plasticity"
	"github.com/snn-gpu/snn-gpu/spec"
)

// stdpPair is a parrot (pre, repeating spike_generator sp one ms later)
// with one synapse of weight w0 and delay d onto an iaf_psc_delta (post)
// that a second generator forces to fire (100 mV, 0.1 ms) at sq + 0.1.
// The synapse's 1-mV steps stay far below the threshold.
func stdpPair(sp, sq []float64, w0, d float64) spec.Network {
	conn := func(src, tgt string, w, d float64) spec.Connection {
		return spec.Connection{Source: src, Target: tgt,
			Rule: spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true},
			Syn:  spec.Synapse{Model: "static_synapse", Weight: spec.Constant(w), Delay: spec.Constant(d)}}
	}
	return spec.Network{
		Simulation: spec.Simulation{Dt: 0.1, TSim: 150, Seed: 1},
		Populations: []spec.Population{{Name: "pre", Model: "parrot_neuron", N: 1},
			{Name: "post", Model: "iaf_psc_delta", N: 1}},
		Devices: []spec.Device{{Name: "sp", Model: "spike_generator", N: 1, Lists: map[string][]float64{"spike_times": sp}},
			{Name: "sq", Model: "spike_generator", N: 1, Lists: map[string][]float64{"spike_times": sq}}},
		Connections: []spec.Connection{conn("sp", "pre", 1, 1), conn("sq", "post", 100, 0.1), conn("pre", "post", w0, d)},
		Recorders: []spec.Recorder{{Name: "s", Model: "spike_recorder", Source: "pre", Stop: testnet.Forever},
			{Name: "t", Model: "spike_recorder", Source: "post", Stop: testnet.Forever}},
		Analysis: spec.Analysis{BinMs: 1},
	}
}

// withTauMinus sets the post population's tau_minus (ms).
func withTauMinus(pt spec.Network, tau float64) spec.Network {
	pt.Populations = append([]spec.Population(nil), pt.Populations...)
	pt.Populations[1].Params = map[string]float64{"tau_minus": tau}
	return pt
}

// runPlastic builds points as one batch, makes connection 2 plastic with
// one rule per member, runs it on the CPU and returns the spikes and the
// final weights of each member's synapses, member after member.
func runPlastic(t *testing.T, rules []plasticity.Rule, points ...spec.Network) (*testnet.Collector, []float64) {
	t.Helper()
	net := backendtest.Batch(t, points...)
	var pr *network.Projection
	for _, p := range net.Projections {
		if p.Connection == 2 {
			pr = p
		}
	}
	if err := pr.MakePlastic(rules); err != nil {
		t.Fatal(err)
	}
	if name := rules[0].PostState(); name != "" {
		pr.Plastic.State = net.Pops[pr.Target].Model.FindState(name)
	}
	c := &testnet.Collector{}
	if err := (&cpu.Backend{Threads: 2}).Run(context.Background(), net, c, nil); err != nil {
		t.Fatal(err)
	}
	var ws []float64
	for m := range points {
		for _, w := range pr.Of(m).Weights {
			ws = append(ws, float64(w))
		}
	}
	return c, ws
}

// The engine's plastic synapse against the rule fed the spike times it
// should see: the parrot's spikes (sp + 1 ms) as t_pre, the forced spikes
// (sq + 0.1 ms) as t_post, the synapse's delay as NEST's dendritic delay;
// pairs at several lags on both sides and delays whose window edge
// (t_post = t_pre - d) the spikes hit. The engine keeps weights in float32:
// one rounding per transmission, 6e-8 of the weight each, so 1e-6 over ten.
// The archive is pruned at 100 ms (every 1,000 steps), after which the
// spikes at 120 and 130 ms still read what they need.
func TestSTDPSynapseMatchesRule(t *testing.T) {
	sp := []float64{9, 19, 39, 59, 79, 99, 119, 129}
	sq := []float64{12.9, 15.9, 37.9, 40.9, 55.9, 80.9, 95.9, 98.4, 102.9, 106.9, 121.9}
	r := plasticity.STDP{Tau: 20, Lambda: 0.05, Alpha: 1.1, MuPlus: 1, MuMinus: 1, Wmax: 3}
	for _, d := range []float64{0.1, 1, 3, 5} {
		t.Run(fmt.Sprintf("delay %g", d), func(t *testing.T) {
			const w0, tauMinus = 1.0, 25.0
			c, ws := runPlastic(t, []plasticity.Rule{r}, withTauMinus(stdpPair(sp, sq, w0, d), tauMinus))
			var pre, post []float64
			for _, s := range c.Spiked {
				tm := float64(s.Step+1) * 0.1
				if s.Pop == 0 {
					pre = append(pre, tm)
				} else {
					post = append(post, tm)
				}
			}
			if len(pre) != len(sp) || len(post) != len(sq) {
				t.Fatalf("spikes pre %v post %v, want one per generator spike", pre, post)
			}
			for i := range sp {
				if math.Abs(pre[i]-(sp[i]+1)) > 1e-9 {
					t.Fatalf("pre spikes %v, want the generator's plus 1 ms", pre)
				}
			}
			a := &plasticity.Archive{TauMinus: tauMinus}
			for _, tq := range post {
				a.Add(tq)
			}
			var st plasticity.Pre
			want := w0
			for _, tpre := range pre {
				want = plasticity.Transmit(r, want, st, tpre, d, a)
				st.Spike(tpre, r.Tau)
			}
			if math.Abs(ws[0]-want) > 1e-6*math.Abs(want) || want == w0 {
				t.Errorf("final weight %.9g, want %.9g (from %g)", ws[0], want, w0)
			}
		})
	}
}

// A batch of learning rates and of the targets' tau_minus (each member has
// its own archives) equals the runs one by one.
func TestSTDPBatchEqualsAlone(t *testing.T) {
	sp := []float64{9, 19, 39, 59, 79, 99, 119, 129}
	sq := []float64{12.9, 15.9, 37.9, 40.9, 55.9, 80.9, 95.9, 98.4, 102.9, 106.9, 121.9}
	var rules []plasticity.Rule
	var points []spec.Network
	for i, l := range []float64{0.01, 0.05, 0.2, 0.05} {
		rules = append(rules, plasticity.STDP{Tau: 20, Lambda: l, Alpha: 1.1, MuPlus: 1, MuMinus: 1, Wmax: 3})
		points = append(points, withTauMinus(stdpPair(sp, sq, 1, 1.5), []float64{20, 20, 20, 40}[i]))
	}
	_, batch := runPlastic(t, rules, points...)
	for m, r := range rules {
		_, alone := runPlastic(t, []plasticity.Rule{r}, points[m])
		if batch[m] != alone[0] {
			t.Errorf("member %d: weight %v in the batch, %v alone", m, batch[m], alone[0])
		}
	}
	if batch[0] == batch[1] || batch[1] == batch[2] || batch[1] == batch[3] {
		t.Errorf("weights %v: the learning rates or tau_minus made no difference", batch)
	}
}

// The memory estimate counts the plastic state: each member's own weights
// (4 B a synapse, the network's), a trace per source and an archive per
// target neuron (the CPU's).
func TestPlasticMemoryEstimate(t *testing.T) {
	pt := stdpPair([]float64{9}, []float64{12.9}, 1, 1)
	pt.Populations[0].N, pt.Populations[1].N = 30, 20
	var plain, plastic memory.Estimate
	for i, e := range []*memory.Estimate{&plain, &plastic} {
		if i == 1 {
			pt.Connections[2].Syn.Model = "stdp_synapse"
		}
		sh, err := network.Plan([]spec.Network{pt}, 1)
		if err != nil {
			t.Fatal(err)
		}
		sh.Memory(e)
		(&cpu.Backend{Threads: 1}).Memory(sh, e)
	}
	const synapses, sources, targets = 30 * 20, 30, 20
	want := 4*synapses + 16*sources + targets*(float64(unsafe.Sizeof(plasticity.Archive{}))+16*64)
	if got := plastic.PerMember() - plain.PerMember(); got != want {
		t.Errorf("plastic projection adds %g B per member, want %g", got, want)
	}
}
