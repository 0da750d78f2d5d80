package compare

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/internal/runner"
)

const small = "testdata/brunel_small.toml"

// simulate runs a config with sets (and --point when point >= 0) into a
// new folder and returns it.
func simulate(t *testing.T, path string, point int, sets ...string) string {
	t.Helper()
	f, err := configs.Load(path, configs.Options{Sets: sets})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if point < 0 {
		point = runner.AllPoints
	}
	if _, err := runner.Run(context.Background(), f, runner.Options{Threads: 2, Batch: -1, Point: point, OutDir: dir}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A run and its rerun are identical; two seeds differ in their spikes but
// within the errors; g = 5 and g = 6 differ beyond them (exit status 4).
func TestCompareVerdicts(t *testing.T) {
	base := simulate(t, small, -1)
	r, err := runner.LoadRerun(base, false)
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		other  string
		spikes Spikes
		differ bool
	}{
		{"rerun", res.Dir, Identical, false},
		{"another seed", simulate(t, small, -1, "seed=6"), Different, false},
		{"g = 6", simulate(t, small, -1, "g=6"), Different, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep, err := Compare(base, c.other, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Rows) != 2 || rep.Tests != 8 {
				t.Fatalf("%d rows, %d tests: want E and I, each with rate, CV, Fano and peak frequency tested", len(rep.Rows), rep.Tests)
			}
			for _, row := range rep.Rows {
				if row.Spikes != c.spikes {
					t.Errorf("%s: spikes %s, want %s", row.Population, row.Spikes, c.spikes)
				}
				if row.Basis != [2]Basis{FromAllSpikes, FromAllSpikes} {
					t.Errorf("%s: errors from %v", row.Population, row.Basis)
				}
				for _, s := range row.Stats {
					if c.spikes == Identical && !s.Same() {
						t.Errorf("%s %s: %g and %g", row.Population, s.Name, s.A, s.B)
					}
				}
			}
			var buf strings.Builder
			if err := rep.Write(&buf); err != nil {
				t.Fatal(err)
			}
			verdict := rep.Verdict()
			var d *Differs
			if c.differ != errors.As(verdict, &d) {
				t.Fatalf("verdict %v, want a difference: %v\n%s", verdict, c.differ, buf.String())
			}
			if c.differ {
				if d.ExitCode() != 4 || !strings.Contains(verdict.Error(), "rate_hz") {
					t.Errorf("verdict %q, exit %d: want the rates, exit 4", verdict, d.ExitCode())
				}
				if !strings.Contains(buf.String(), " *\n") {
					t.Errorf("the table marks no difference:\n%s", buf.String())
				}
			}
			t.Logf("\n%s", buf.String())
		})
	}
}

// Folders that do not hold comparable runs are refused with the reason.
func TestCompareRefuses(t *testing.T) {
	tmp := t.TempDir()
	data, err := os.ReadFile("../runner/testdata/small_sweep.toml")
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(tmp, "other.toml")
	if err := os.WriteFile(other, []byte(strings.Replace(string(data), "g = [4.5, 6.0]", "g = [4.5, 7.0]", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	sweep := simulate(t, "../runner/testdata/small_sweep.toml", -1, "t_sim=110")
	cases := []struct {
		name string
		a, b string
		want string
	}{
		{"no such folder", sweep, filepath.Join(tmp, "nope"), "nope has no summary.parquet: expected the folder of a finished run"},
		{"a sweep and one point", sweep, simulate(t, small, -1, "t_sim=110"), `A sweeps ["eta" "g"], B sweeps []`},
		{"other points", sweep, simulate(t, "../runner/testdata/small_sweep.toml", 2, "t_sim=110"), "point 0 is in A only"},
		{"other values", sweep, simulate(t, other, -1, "t_sim=110"), "point 1: g = 6 in A, 7 in B"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Compare(c.a, c.b, Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
	if _, err := Compare(sweep, sweep, Options{Alpha: 1.5}); err == nil || !strings.Contains(err.Error(), "--alpha 1.5") {
		t.Errorf("alpha 1.5: %v", err)
	}
}

// run.json's numbers: JSON numbers, the strings it writes for non-finite
// values, and null.
