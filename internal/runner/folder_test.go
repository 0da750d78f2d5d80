package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
)

// writeConfig writes a config for a test and loads it.
func writeConfig(t *testing.T, name, text string, sets ...string) *configs.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := configs.Load(path, configs.Options{Sets: sets})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// Two spike recorders on one population write their rows under their own
// names, and the summary counts every spike once: it is the summary of the
// run with one recorder.
func TestOverlappingRecorders(t *testing.T) {
	base, err := os.ReadFile("testdata/small_sweep.toml")
	if err != nil {
		t.Fatal(err)
	}
	one := writeConfig(t, "one.toml", string(base), "t_sim=150")
	two := writeConfig(t, "two.toml", string(base)+"\n[[recorder]]\nname = \"E-first-50\"\nmodel = \"spike_recorder\"\nsource = \"E\"\nn_rec = 50\n", "t_sim=150")
	a := runSweep(t, one, Options{Threads: 2, Batch: -1, Point: AllPoints})
	b := runSweep(t, two, Options{Threads: 2, Batch: -1, Point: AllPoints})
	if fmt.Sprint(a.res.Rows) != fmt.Sprint(b.res.Rows) { // printed, NaN equals NaN
		t.Errorf("a second recorder changed the summary:\n%v\n%v", a.res.Rows, b.res.Rows)
	}
	rows := map[string]int{}
	var all, first50 []any
	for _, s := range b.spikes {
		rows[s.Recorder]++
		switch s.Recorder {
		case "spike_recorder-0":
			if s.Neuron < 50 {
				all = append(all, [3]any{s.Point, s.Neuron, s.TimeMs})
			}
		case "E-first-50":
			first50 = append(first50, [3]any{s.Point, s.Neuron, s.TimeMs})
		}
	}
	if len(first50) < 100 || !reflect.DeepEqual(all, first50) {
		t.Errorf("E-first-50 has %d rows, spike_recorder-0 %d of its neurons: want the same, and some", len(first50), len(all))
	}
	if rows["spike_recorder-1"] == 0 || rows["spike_recorder-0"]+rows["spike_recorder-1"] != len(a.spikes) {
		t.Errorf("rows by recorder %v; the run with one recorder has %d", rows, len(a.spikes))
	}
	for _, s := range a.spikes {
		if s.Recorder == "E-first-50" {
			t.Fatal("a recorder of another config in the outputs")
		}
	}
}

// A refusal while the network is built (a delay too long to store, an
// impossible math.redraw) names the file and the field, and leaves no
// folder the run created, nor anything in a folder that was there.
func TestBuildRefusalLeavesNoFolder(t *testing.T) {
	cases := []struct{ syn, want string }{
		{`{ weight = 0.1, delay = 1e9 }`,
			"bad.toml: connection[1].syn.delay: expected a delay of at most 65535 steps (6553.5 ms at dt = 0.1 ms), got 1e+09 ms (point 0)"},
		{`{ weight = "math.redraw(random.uniform(0, 1), 2, 3)" }`,
			"bad.toml: connection[1].syn.weight: math.redraw: no value in [min, max] after 1000 draws (point 0)"},
	}
	for _, c := range cases {
		f := writeConfig(t, "bad.toml", `
[simulation]
dt = 0.1
t_sim = 20.0
[[population]]
name = "E"
model = "iaf_psc_delta"
n = 10
[[connection]]
source = "E"
target = "E"
syn = { weight = 0.1, delay = 1.5 }
[[connection]]
source = "E"
target = "E"
rule = { rule = "all_to_all" }
syn = `+c.syn+"\n")
		root := t.TempDir()
		existing := filepath.Join(root, "existing")
		if err := os.Mkdir(existing, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, dir := range []string{filepath.Join(root, "new", "out"), existing} {
			_, err := Run(context.Background(), f, Options{Threads: 1, Batch: -1, Point: AllPoints, OutDir: dir})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		}
		if _, err := os.Stat(filepath.Join(root, "new")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the refused run left %s", filepath.Join(root, "new"))
		}
		if entries, err := os.ReadDir(existing); err != nil || len(entries) != 0 {
			t.Errorf("the folder that was there holds %v (%v)", entries, err)
		}
	}
}

// A finished folder whose spikes.parquet was deleted is not reported as
// done: the run is refused with the file and the way out.
func TestDamagedFinishedFolder(t *testing.T) {
	f := load(t)
	dir := filepath.Join(t.TempDir(), "out")
	opt := Options{Threads: 2, Batch: -1, Point: 1, OutDir: dir}
	if _, err := Run(context.Background(), f, opt); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "spikes.parquet")); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), f, opt)
	if err == nil || !strings.Contains(err.Error(), "spikes.parquet is missing since the run finished") || !strings.Contains(err.Error(), "remove "+dir) {
		t.Errorf("rerun of a damaged folder: error %v", err)
	}
}

// A run stopped before its first batch was saved says so, wraps the cause,
// and leaves no folder.
func TestInterruptedBeforeFirstBatch(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	stop := errors.New("SIGTERM")
	cancel(stop)
	dir := filepath.Join(t.TempDir(), "out")
	_, err := Run(ctx, load(t), Options{Threads: 1, Batch: -1, Point: AllPoints, OutDir: dir})
	if !errors.Is(err, stop) || !strings.Contains(err.Error(), "interrupted (SIGTERM) before a point finished: nothing was saved") {
		t.Errorf("error %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the interrupted run left %s", dir)
	}
}
