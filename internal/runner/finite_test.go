package runner

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/gpu/emu"
	"github.com/snn-gpu/snn-gpu/output"
)

// The backends the cases of issue 14 run on: the CPU and the GPU backend
// on the emulated device.
var finiteBackends = map[string]func() engine.Backend{
	"cpu":          func() engine.Backend { return &cpu.Backend{Threads: 2} },
	"gpu-emulated": func() engine.Backend { return emu.NewBackend(1 << 30) },
}

// The values that used to run to exit 0 with NaN membranes (issue 14) end
// in a refusal before anything runs or in a detection that names the
// point, population, neuron, variable and window, on both backends.
func TestNonFiniteCases(t *testing.T) {
	cases := []struct {
		name    string
		sets    []string
		refused string // refused by configs.Load with this message
		failed  string // point 0 failed with this message
	}{
		{name: "weights of 3e38", sets: []string{"w=3e38"},
			failed: "point 0: population E, neuron 0: I_syn_ex became +Inf between t = 0 ms and t = 10 ms"},
		{name: "weights of -3e38", sets: []string{"w=-3e38"},
			failed: "point 0: population E, neuron 0: V_m became NaN between t = 0 ms and t = 10 ms"},
		{name: "tau_syn_ex = 1e-4 with strong drive", sets: []string{"tsyn=1e-4", "w=1e35"},
			failed: "point 0: population E, neuron 0: V_m became NaN between t = 0 ms and t = 10 ms"},
		{name: "C_m = 1e-45", sets: []string{"cm=1e-45"},
			refused: "overflow.toml: population[0].params: C_m = 1e-45 pF is below the smallest normal single-precision number"},
		{name: "Poisson rate of 1e25 Hz", sets: []string{"rate=1e25"},
			refused: "overflow.toml: device[0].params: rate = 1e+25 Hz is a mean of 1e+21 spikes per step"},
	}
	for _, c := range cases {
		f, err := configs.Load("testdata/overflow.toml", configs.Options{Sets: c.sets})
		if c.refused != "" {
			if err == nil || !strings.Contains(err.Error(), c.refused) {
				t.Errorf("%s: error %v, want a refusal containing %q", c.name, err, c.refused)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for name, be := range finiteBackends {
			t.Run(c.name+"/"+name, func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "out")
				_, err := Run(context.Background(), f, Options{Use: be(), Threads: 2, Batch: -1, Point: AllPoints, OutDir: dir})
				checkFailed(t, err, dir, 1, c.failed)
			})
		}
	}
}

// checkFailed asserts that err is PointsFailed, with exit status 3, for
// failed of the run's points, containing want, and that the run is not
// finished (no run.json, no merged tables).
func checkFailed(t *testing.T, err error, dir string, failed int, want string) {
	t.Helper()
	var pf *PointsFailed
	if !errors.As(err, &pf) {
		t.Fatalf("error %v, want PointsFailed", err)
	}
	if pf.ExitCode() != 3 || len(pf.Failures) != failed || !strings.Contains(err.Error(), want) {
		t.Errorf("exit status %d, %d failure(s), error:\n%v\nwant 3, %d, and %q", pf.ExitCode(), len(pf.Failures), err, failed, want)
	}
	for _, name := range []string{"run.json", "summary.parquet", "spikes.parquet", "state.parquet"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s written by a run with failed points", name)
		}
	}
}

// A synaptic time constant far below the step with a drive that float32
// holds runs to the end with finite membranes (it gave NaN ones before the
// propagators handled it).
func TestShortSynapseRuns(t *testing.T) {
	f, err := configs.Load("testdata/overflow.toml", configs.Options{Sets: []string{"tsyn=1e-4", "w=1e6"}})
	if err != nil {
		t.Fatal(err)
	}
	for name, be := range finiteBackends {
		t.Run(name, func(t *testing.T) {
			o := runSweep(t, f, Options{Use: be(), Threads: 2, Batch: -1, Point: -1})
			if len(o.spikes) == 0 || len(o.state) == 0 {
				t.Fatalf("%d spikes, %d samples: nothing to check", len(o.spikes), len(o.state))
			}
			for _, s := range o.state {
				for _, v := range s.Values {
					if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
						t.Fatalf("sample %+v is not finite", s)
					}
				}
			}
			for _, r := range o.res.Rows {
				if !(r.RateHz > 0) || math.IsInf(r.RateHz, 0) {
					t.Errorf("rate %g Hz", r.RateHz)
				}
			}
		})
	}
}

// In a batch, the member that overflows fails alone: the others are
// simulated and committed, the run is not finished, and running it again
// simulates the failed point only.
func TestFailedPointInBatch(t *testing.T) {
	f, err := configs.Load("testdata/overflow_sweep.toml", configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, be := range finiteBackends {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			var progress bytes.Buffer
			_, err := Run(context.Background(), f, Options{Use: be(), Threads: 2, Batch: 3, Point: AllPoints, OutDir: dir, Progress: &progress})
			checkFailed(t, err, dir, 1, "overflow_sweep.toml: 1 of 3 point(s) failed during the simulation; the other points are saved in "+dir)
			if !strings.Contains(err.Error(), "point 1: population E") || !strings.Contains(progress.String(), "point 1 failed: population E") {
				t.Errorf("point 1 not named:\n%v\nprogress: %s", err, progress.String())
			}
			d, err := output.Open(dir, f.Hash, f.Swept, output.Options{Spikes: f.Output.Spikes, State: f.Output.State})
			if err != nil {
				t.Fatal(err)
			}
			for p, want := range map[int]bool{0: true, 1: false, 2: true} {
				if d.Done(p) != want {
					t.Errorf("point %d done: %v, want %v", p, d.Done(p), want)
				}
			}
			if err := d.Close(); err != nil { // the folder's lock, for the rerun
				t.Fatal(err)
			}
			progress.Reset()
			_, err = Run(context.Background(), f, Options{Use: be(), Threads: 2, Batch: 3, Point: AllPoints, OutDir: dir, Progress: &progress})
			checkFailed(t, err, dir, 1, "point 1: population E")
			if strings.Contains(progress.String(), "done") {
				t.Errorf("the rerun simulated more than point 1: %s", progress.String())
			}
		})
	}
}
