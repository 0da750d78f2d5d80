package cpu_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
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
	onePoint := func() *network.Network {
		f, err := configs.Load("structural_plasticity", configs.Options{Sets: []string{"t_sim=3000", "interval=1000", "nu_e_e=1e-3", "nu_e_i=1e-3", "nu_i_e=4e-3", "nu_i_i=1e-3"}})
		if err != nil {
			t.Fatal(err)
		}
		return backendtest.Batch(t, f.Points[0].Net)
	}
	for _, c := range []struct {
		name    string
		net     func() *network.Network
		threads []int
		mode    string
		feeds   bool
	}{
		{"brunel", brunel, []int{1, 2}, "members", false},
		{"structural", func() *network.Network { return plastic(false) }, []int{1, 2}, "members", true},
		{"structural, Ca by the meter", func() *network.Network { return plastic(true) }, []int{1, 2}, "members", false},
		{"brunel, one point", func() *network.Network { return backendtest.Batch(t, testnet.Brunel(250, 5, 2, 10, 120, 3)) },
			[]int{2, 3}, "slices", false},
		{"structural, one point", onePoint, []int{2, 3}, "slices", true},
	} {
		want := &everything{}
		if err := cpu.StepByStep(1).Run(context.Background(), c.net(), want, nil); err != nil {
			t.Fatal(err)
		}
		if len(want.Spiked) < 100 || (c.mode == "members" && len(want.Sampled) == 0) {
			t.Fatalf("%s: %d spikes and %d samples: too few to compare", c.name, len(want.Spiked), len(want.Sampled))
		}
		if strings.HasPrefix(c.name, "structural") && len(want.snaps) == 0 {
			t.Fatalf("%s: no snapshots", c.name)
		}
		for _, threads := range c.threads {
			n := c.net()
			if mode, feeds := cpu.Windows(n, threads); mode != c.mode || feeds != c.feeds {
				t.Fatalf("%s, %d threads: runs %s, workers feeding structural plasticity %v; want %s, %v", c.name, threads, mode, feeds, c.mode, c.feeds)
			}
			got := &everything{}
			if err := (&cpu.Backend{Threads: threads}).Run(context.Background(), n, got, nil); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Spiked, want.Spiked) {
				t.Errorf("%s, %d threads: %d spikes in windows, %d step by step, or they differ", c.name, threads, len(got.Spiked), len(want.Spiked))
			}
			if !reflect.DeepEqual(got.Sampled, want.Sampled) {
				t.Errorf("%s, %d threads: the samples differ", c.name, threads)
			}
			if !reflect.DeepEqual(got.snaps, want.snaps) {
				t.Errorf("%s, %d threads: the structural snapshots differ", c.name, threads)
			}
		}
	}
}
