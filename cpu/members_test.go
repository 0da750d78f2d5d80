package cpu_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
	"github.com/snn-gpu/snn-gpu/structural"
)

// everything keeps every call a run makes to its sink, in order.
type everything struct {
	testnet.Collector
	snaps []structural.Snapshot
}

func (e *everything) Structure(_ int, s structural.Snapshot) { e.snaps = append(e.snaps, s) }

// A batch run member by member (members.go) sends the sink the same calls,
// in the same order, as the same batch stepped all together: spikes,
// multimeter samples (the model's state and structural plasticity's Ca)
// and structural snapshots, on one worker and on two; with the workers
// handing spikes to structural plasticity themselves, and without where a
// multimeter records Ca.
func TestMembersRunAsStepByStep(t *testing.T) {
	mm := func(source string, vars ...string) spec.Recorder {
		return spec.Recorder{Model: "multimeter", Source: source, Neurons: []int{0, 3, 7}, RecordFrom: vars, Interval: 0.5, Stop: testnet.Forever}
	}
	brunel := func() *network.Network {
		var points []spec.Network
		for _, g := range []float64{3, 5, 6} {
			pt := testnet.Brunel(100, g, 2, 10, 120, 3)
			pt.Recorders = append(pt.Recorders, mm("E", "V_m"))
			points = append(points, pt)
		}
		return backendtest.Batch(t, points...)
	}
	plastic := func(ca bool) *network.Network {
		if ca {
			return backendtest.StructuralNet(t, mm("E", "V_m", "Ca"), mm("I", "Ca"))
		}
		return backendtest.StructuralNet(t, mm("E", "V_m"))
	}
	for name, net := range map[string]func() *network.Network{
		"brunel":                      brunel,
		"structural":                  func() *network.Network { return plastic(false) },
		"structural, Ca by the meter": func() *network.Network { return plastic(true) },
	} {
		want := &everything{}
		if err := cpu.StepByStep(2).Run(context.Background(), net(), want, nil); err != nil {
			t.Fatal(err)
		}
		if len(want.Spiked) < 100 || len(want.Sampled) == 0 {
			t.Fatalf("%s: %d spikes and %d samples: too few to compare", name, len(want.Spiked), len(want.Sampled))
		}
		if name != "brunel" && len(want.snaps) == 0 {
			t.Fatalf("%s: no snapshots", name)
		}
		for _, threads := range []int{1, 2} {
			n := net()
			if members, feeds := cpu.MemberMode(n, threads); !members || feeds != (name == "structural") {
				t.Fatalf("%s, %d threads: member by member %v, workers feeding structural plasticity %v", name, threads, members, feeds)
			}
			got := &everything{}
			if err := (&cpu.Backend{Threads: threads}).Run(context.Background(), n, got, nil); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Spiked, want.Spiked) {
				t.Errorf("%s, %d threads: %d spikes member by member, %d step by step, or they differ", name, threads, len(got.Spiked), len(want.Spiked))
			}
			if !reflect.DeepEqual(got.Sampled, want.Sampled) {
				t.Errorf("%s, %d threads: the samples differ", name, threads)
			}
			if !reflect.DeepEqual(got.snaps, want.snaps) {
				t.Errorf("%s, %d threads: the structural snapshots differ", name, threads)
			}
		}
	}
}
