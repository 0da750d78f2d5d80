package backendtest

import (
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// Non-finite state: every backend scans it every engine.CheckSteps steps;
// a member whose state became NaN or infinite fails with the population,
// the neuron, the variable and the window, its outputs stop, and the other
// members of the batch run to the end.

// runFailing runs points as sweep points 0, 1, … on b, which must fail
// with engine.Failed: it returns what reached the sink, the failures and
// the network.
func runFailing(t *testing.T, b engine.Backend, points ...spec.Network) (*testnet.Collector, engine.Failed, *network.Network) {
	t.Helper()
	c, net, err := runAt(t, b, firstPoints(len(points)), points...)
	var failed engine.Failed
	if !errors.As(err, &failed) {
		t.Fatalf("run: error %v, want engine.Failed", err)
	}
	return c, failed, net
}

// overflowing is a population "a" that stays quiet and a population "n"
// of 10 iaf_psc_exp neurons, two of which (5 and 8 with this seed) get two
// spikes of weight w pA (at 3 and 3.1 ms, delay 1 ms, fixed_outdegree 2)
// from a spike_generator, V_m sampled every step.
func overflowing(w float64) spec.Network {
	n := Cell("iaf_psc_exp", 10, nil, 30, "V_m")
	n.Simulation.Seed = 2
	n.Populations = append([]spec.Population{{Name: "a", Model: "iaf_psc_exp", N: 3}}, n.Populations...)
	n.Devices = []spec.Device{{Name: "sg", Model: "spike_generator", N: 1,
		Params: map[string]float64{"start": 0, "stop": testnet.Forever, "origin": 0},
		Lists:  map[string][]float64{"spike_times": {3, 3.1}}}}
	n.Connections = []spec.Connection{{Source: "sg", Target: "n",
		Rule: spec.Rule{Name: "fixed_outdegree", Params: map[string]spec.Value{"outdegree": spec.Constant(2)}},
		Syn:  spec.Synapse{Model: "static_synapse", Weight: spec.Constant(w), Delay: spec.Constant(1)}}}
	return n
}

func testNonFinite(t *testing.T, s Subject) {
	// The spikes arrive at 4 and 4.1 ms and the second overflows I_syn in
	// the step ending at 4.1 ms. V_m follows: to -Inf for good, or to +Inf,
	// which fires and resets it, again after every refractory period.
	for _, c := range []struct {
		name string
		w    float64
		v    string
		want float32
	}{
		{"weight 3e38", 3e38, "I_syn_ex", float32(math.Inf(1))},
		{"weight -3e38", -3e38, "V_m", float32(math.Inf(-1))},
	} {
		t.Run(c.name, func(t *testing.T) {
			// Member 0 gets 100 pA, member 1 the overflowing weight.
			ok, bad := overflowing(100), overflowing(c.w)
			got, failed, net := runFailing(t, s.New(), ok, bad)
			if len(failed) != 1 || failed[0].Member != 1 {
				t.Fatalf("failures %v, want member 1 only", failed)
			}
			pr := net.Projections[0]
			first := pr.Targets[0] // rows are sorted by target: the lower of the two
			if first == 0 {
				t.Fatal("the spike generator drives neuron 0: the test cannot tell the lowest neuron from the first")
			}
			want := &engine.NonFinite{Population: "n", Neuron: int(first), Variable: c.v, Value: c.want,
				From: 0, To: engine.CheckSteps * resolution}
			var nf *engine.NonFinite
			if !errors.As(failed[0].Err, &nf) || !reflect.DeepEqual(nf, want) {
				t.Fatalf("failure %v, want %v", failed[0].Err, want)
			}
			// Member 1's samples stop once the failure is found; member 0's
			// are those it gets alone.
			alone := RunPoints(t, s.New(), ok)
			var mine, others []testnet.Sample
			for _, x := range got.Sampled {
				if x.Member == 0 {
					mine = append(mine, x)
				} else {
					others = append(others, x)
				}
				if x.Member == 1 && x.Step+1 > engine.CheckSteps {
					t.Fatalf("member 1 sampled at step %d, after its failure", x.Step)
				}
			}
			if !reflect.DeepEqual(mine, alone.Sampled) {
				t.Errorf("member 0 beside a failing member: %d samples differ from its %d alone", len(mine), len(alone.Sampled))
			}
			if len(others) > engine.CheckSteps {
				t.Errorf("member 1: %d samples, at most %d expected", len(others), engine.CheckSteps)
			}
		})
	}
	t.Run("same offender as the CPU", func(t *testing.T) { nonFiniteNetwork(t, s) })
	t.Run("saturated escape rate", func(t *testing.T) { saturatedRate(t, s) })
}

// saturatedRate drives a gif_pop_psc_exp node 400 mV above threshold: its
// escape rate exceeds float32's range and is held at its largest value (not
// +Inf, which would fail the point), as on the CPU.
func saturatedRate(t *testing.T, s Subject) {
	pt := gifPopSelf(map[string]float64{"I_e": 1e5, "Delta_V": 1}, nil, 100)
	pt.Recorders[0].RecordFrom = []string{"lambda_free"}
	got := RunPoints(t, s.New(), pt)
	saturated := false
	for _, x := range got.Sampled {
		saturated = saturated || x.Values[0] == math.MaxFloat32
	}
	if !saturated {
		t.Fatal("the escape rate never reached float32's largest value: the test tests nothing")
	}
	if want := reference(t, pt); s.Exact && !reflect.DeepEqual(got.Sampled, want.Sampled) {
		t.Errorf("lambda_free differs from the CPU's")
	}
}

// nonFiniteNetwork blows up a small Brunel network in member 1 (recurrent
// weights near float32's largest) beside a normal member 0: the subject
// must find the CPU's offender (on a real GPU, whose float atomics add in
// no fixed order, the same member), and member 0 must be unharmed.
func nonFiniteNetwork(t *testing.T, s Subject) {
	ok := testnet.Brunel(50, 5, 2, 10, 100, 3)
	bad := testnet.Brunel(50, 5, 2, 10, 100, 3)
	bad.Connections = append([]spec.Connection(nil), bad.Connections...)
	for i := 2; i < len(bad.Connections); i++ { // the recurrent ones
		bad.Connections[i].Syn.Weight = spec.Constant(1e37)
		if bad.Connections[i].Source == "I" {
			bad.Connections[i].Syn.Weight = spec.Constant(-5e37)
		}
	}
	want, wantFailed, _ := runFailing(t, &cpu.Backend{Threads: 1}, ok, bad)
	got, gotFailed, _ := runFailing(t, s.New(), ok, bad)
	if len(wantFailed) != 1 || wantFailed[0].Member != 1 {
		t.Fatalf("CPU: failures %v, want member 1 only", wantFailed)
	}
	if len(gotFailed) != 1 || gotFailed[0].Member != 1 {
		t.Fatalf("failures %v, want member 1 only (CPU: %v)", gotFailed, wantFailed)
	}
	if s.Exact && gotFailed.Error() != wantFailed.Error() {
		t.Errorf("failure %q, CPU %q", gotFailed, wantFailed)
	}
	if len(want.Member(0)) == 0 {
		t.Fatal("member 0: no spikes")
	}
	if s.Exact && !reflect.DeepEqual(got.Member(0), want.Member(0)) {
		t.Errorf("member 0: %d spikes, CPU %d", len(got.Member(0)), len(want.Member(0)))
	}
}
