package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The commands a user runs to repeat a run and check it: run, delete the
// config, rerun from run.json, compare (exit 0); compare with another g
// (exit 4); and the refusals (exit 1). The steps run in order.
func TestRerunAndCompare(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("../compare/testdata/brunel_small.toml")
	if err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "brunel_small.toml")
	if err := os.WriteFile(config, data, 0o644); err != nil {
		t.Fatal(err)
	}
	a, g6, old := filepath.Join(dir, "a"), filepath.Join(dir, "g6"), filepath.Join(dir, "old")
	// oldBuild copies a's run.json to old/, as another version wrote it.
	oldBuild := func() {
		runJSON, err := os.ReadFile(filepath.Join(a, "run.json"))
		if err != nil {
			t.Fatal(err)
		}
		runJSON = bytes.Replace(runJSON, []byte(`"version": "`), []byte(`"version": "v0.0.1-`), 1)
		if err := os.MkdirAll(old, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(old, "run.json"), runJSON, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name     string
		before   func()
		args     []string
		code     int
		out, err []string
	}{
		{"run", nil, []string{"run", config, "-q", "--set", "t_sim=250", "--seed", "3", "--out", a}, 0, []string{"results in " + a}, nil},
		{"rerun without the config", func() { os.Remove(config) }, []string{"rerun", a, "-q"}, 0,
			[]string{"1 point(s) simulated on cpu; results in " + a + "-rerun"}, nil},
		{"compare with the rerun", nil, []string{"compare", a, a + "-rerun"}, 0,
			[]string{"spikes identical", "spike trains: 2 identical, 0 differ", "no statistic differs beyond its error"}, nil},
		{"another g", nil, []string{"run", "../compare/testdata/brunel_small.toml", "-q", "--set", "t_sim=250", "--seed", "3", "--set", "g=6", "--out", g6}, 0, nil, nil},
		{"compare with another g", nil, []string{"compare", a, g6}, 4,
			[]string{"spikes differ", "rate_hz", " *\n"}, []string{"statistic(s) differ beyond their error: point 0 E rate_hz"}},
		{"compare with a missing folder", nil, []string{"compare", a, filepath.Join(dir, "nope")}, 1, nil, []string{"nope has no summary.parquet"}},
		{"rerun into its own folder", nil, []string{"rerun", a, "-q", "--out", a}, 1, nil, []string{"is the folder of the run repeated"}},
		{"rerun of another version", oldBuild, []string{"rerun", filepath.Join(old, "run.json"), "-q", "--out", filepath.Join(dir, "o1")}, 1, nil,
			[]string{"was written by snn-gpu v0.0.1-", "add --force"}},
		{"rerun of another version, forced", nil, []string{"rerun", filepath.Join(old, "run.json"), "-q", "--force", "--out", filepath.Join(dir, "o2")}, 0,
			[]string{"results in " + filepath.Join(dir, "o2")}, []string{"warning: repeating a run of snn-gpu v0.0.1-"}},
		{"compare with the forced rerun", nil, []string{"compare", a, filepath.Join(dir, "o2")}, 0, []string{"spike trains: 2 identical"}, nil},
	}
	for _, s := range steps {
		if s.before != nil {
			s.before()
		}
		var out, errb bytes.Buffer
		code := Main(s.args, &out, &errb)
		if code != s.code {
			t.Fatalf("%s: exit code %d, want %d\nstdout: %s\nstderr: %s", s.name, code, s.code, out.String(), errb.String())
		}
		for _, w := range s.out {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s: stdout lacks %q:\n%s", s.name, w, out.String())
			}
		}
		for _, w := range s.err {
			if !strings.Contains(errb.String(), w) {
				t.Errorf("%s: stderr lacks %q:\n%s", s.name, w, errb.String())
			}
		}
	}
}
