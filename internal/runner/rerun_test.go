package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/output"
)

// runOnce loads a config with sets and seed, runs it into dir and returns
// the config's options as the run had them.
func runOnce(t *testing.T, path string, opt configs.Options, ropt Options) {
	t.Helper()
	f, err := configs.Load(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), f, ropt); err != nil {
		t.Fatal(err)
	}
}

// readJSON reads run.json as its keys and raw values.
func readJSON(t *testing.T, dir string) map[string]json.RawMessage {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// A rerun from run.json alone, the config file deleted, writes the same
// summary.parquet, spikes.parquet and state.parquet (and their CSV views)
// byte for byte, and the same run.json but for when, where and by which
// command it ran and how long its batches took.
func TestRerunRepeatsTheRun(t *testing.T) {
	seed := uint32(9)
	cases := []struct {
		name   string
		config string // a file copied to a temporary folder and deleted before the rerun; else an embedded example
		more   string // appended to the copy
		opt    configs.Options
		point  int
	}{
		{"sweep with --set, --seed and the CSV view", "testdata/small_sweep.toml", "\n[output]\ncsv = true\n",
			configs.Options{Sets: []string{"t_sim=120", "J=0.1", "t_sim=130"}, Seed: &seed}, AllPoints},
		{"run --point 2", "testdata/small_sweep.toml", "", configs.Options{Sets: []string{"t_sim=150"}}, 2},
		{"embedded example", "brunel", "", configs.Options{Sets: []string{"order=60", "t_sim=150"}}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			path := c.config
			if strings.Contains(path, "/") {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				path = filepath.Join(tmp, "config.toml")
				if err := os.WriteFile(path, append(data, c.more...), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			orig := filepath.Join(tmp, "orig")
			runOnce(t, path, c.opt, Options{Threads: 2, Batch: -1, Point: c.point, OutDir: orig})
			if path != c.config {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
			}
			r, err := LoadRerun(filepath.Join(orig, "run.json"), false)
			if err != nil {
				t.Fatal(err)
			}
			if r.Options.OutDir != orig+"-rerun" || r.Options.Point != c.point || len(r.Warnings) > 0 {
				t.Fatalf("rerun into %s, point %d, warnings %q", r.Options.OutDir, r.Options.Point, r.Warnings)
			}
			r.Options.Threads = 1 // threads change nothing, but what run.json says
			res, err := r.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"summary.parquet", "spikes.parquet", "state.parquet", "summary.csv", "spikes.csv", "state.csv"} {
				a, errA := os.ReadFile(filepath.Join(orig, name))
				b, errB := os.ReadFile(filepath.Join(res.Dir, name))
				// Every run has a summary; the CSV case has every table.
				required := name == "summary.parquet" || strings.HasSuffix(name, ".csv") && c.more != ""
				if !required && os.IsNotExist(errA) && os.IsNotExist(errB) {
					continue // no recorder of its kind, or no CSV view: neither run writes it
				}
				if errA != nil || errB != nil {
					t.Fatal(errA, errB)
				}
				if !bytes.Equal(a, b) {
					t.Errorf("%s differs (%d and %d bytes)", name, len(a), len(b))
				}
			}
			a, b := readJSON(t, orig), readJSON(t, res.Dir)
			checkBatches(t, a["batches"], res.Rows)
			for _, k := range varyingFields {
				if _, ok := a[k]; !ok {
					t.Errorf("run.json has no %s", k)
				}
				delete(a, k)
				delete(b, k)
			}
			// --threads 1 on the rerun: the one other field that differs.
			if string(a["threads"]) != "2" || string(b["threads"]) != "1" {
				t.Errorf("threads %s and %s, want 2 and 1", a["threads"], b["threads"])
			}
			delete(a, "threads")
			delete(b, "threads")
			if !reflect.DeepEqual(a, b) {
				for k := range a {
					if !bytes.Equal(a[k], b[k]) {
						t.Errorf("run.json: %s differs:\n%s\n%s", k, a[k], b[k])
					}
				}
			}
		})
	}
}

// checkBatches checks run.json's batches: every point of the summary in
// exactly one, with a wall time and a speed.
func checkBatches(t *testing.T, raw json.RawMessage, rows []output.SummaryRow) {
	t.Helper()
	if len(rows) == 0 {
		t.Fatal("no summary rows")
	}
	var batches []BatchInfo
	if err := json.Unmarshal(raw, &batches); err != nil {
		t.Fatalf("run.json batches %s: %v", raw, err)
	}
	seen := map[int]int{}
	for _, b := range batches {
		if b.WallS <= 0 || !(b.StepsPerS > 0) {
			t.Errorf("batch %v: wall_s %g, steps_per_s %g", b.Points, b.WallS, b.StepsPerS)
		}
		for _, p := range b.Points {
			seen[p]++
		}
	}
	for _, r := range rows {
		if seen[r.Point] != 1 {
			t.Errorf("point %d is in %d batches of run.json: %s", r.Point, seen[r.Point], raw)
		}
	}
}

// LoadRerun refuses what cannot repeat the run, each time naming the file
// and what is wrong; another build is refused unless forced.
func TestLoadRerunRefuses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "orig")
	runOnce(t, "testdata/small_sweep.toml", configs.Options{Sets: []string{"t_sim=120"}}, Options{Threads: 1, Batch: -1, Point: 0, OutDir: dir})
	good, err := os.ReadFile(filepath.Join(dir, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	edit := func(change func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		change(m)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := []struct {
		name  string
		data  []byte
		force bool
		want  []string // in the error; nil: loads
		warn  string   // in a warning
	}{
		{"not JSON", []byte("{\"tool\": "), false, []string{"not a run.json of snn-gpu"}, ""},
		{"written before rerun", edit(func(m map[string]any) { delete(m, "config_text"); delete(m, "sets") }), false,
			[]string{"lacks config_text, sets, which a rerun needs", "run its config again"}, ""},
		{"another tool", edit(func(m map[string]any) { m["tool"] = "nest" }), false, []string{`tool: expected snn-gpu, got "nest"`}, ""},
		{"no batch", edit(func(m map[string]any) { m["batch"] = 0 }), false, []string{"batch: expected a batch size >= 1, got 0"}, ""},
		{"edited config", edit(func(m map[string]any) {
			m["config_text"] = strings.Replace(m["config_text"].(string), "g = 5.0", "g = 5.5", 1)
		}), false,
			[]string{"config_text with its sets and seed has hash", "the file was edited"}, ""},
		{"a config that no longer loads", edit(func(m map[string]any) { m["config_text"] = "[simulation]\ndt = \"1 mV\"\n" }), false,
			[]string{"config_text: testdata/small_sweep.toml: population: missing"}, ""},
		{"another version", edit(func(m map[string]any) { m["version"] = "v0.0.1"; m["revision"] = "abc" }), false,
			[]string{"was written by snn-gpu v0.0.1 (revision abc)", "results may differ between builds", "--force"}, ""},
		{"another version, forced", edit(func(m map[string]any) { m["version"] = "v0.0.1"; m["revision"] = "abc" }), true,
			nil, "repeating a run of snn-gpu v0.0.1 (revision abc) with snn-gpu"},
		{"another platform", edit(func(m map[string]any) { m["platform"] = "plan9/mips" }), false, nil, "made on plan9/mips"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "run.json")
			if err := os.WriteFile(path, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			r, err := LoadRerun(path, c.force)
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.Contains(w, c.warn) }) {
					t.Errorf("warnings %q, want one with %q", r.Warnings, c.warn)
				}
				return
			}
			if err == nil {
				t.Fatal("loaded")
			}
			for _, w := range append(c.want, path) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	// Into the folder of the run repeated: nothing would run there.
	r, err := LoadRerun(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	r.Options.OutDir = dir + "/."
	if _, err := r.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "is the folder of the run repeated") {
		t.Errorf("rerun into its own folder: %v", err)
	}
}
