package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlotCommand runs a small sweep and plots it through the command line:
// flags reach package plots, files are listed, refusals exit 1.
func TestPlotCommand(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	var out, errb bytes.Buffer
	if code := Main([]string{"sweep", small, "-q", "--threads", "2", "--set", "t_sim=150", "--out", run}, &out, &errb); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errb.String())
	}
	figs := filepath.Join(dir, "figs")
	cases := []struct {
		name string
		args []string
		code int
		out  []string // in stdout (code 0) or stderr
	}{
		{"a selection in both formats", []string{"plot", run, "--point", "1,3", "--population", "E", "--figure", "raster,heatmap", "--format", "both", "--out", figs}, 0,
			[]string{filepath.Join(figs, "raster_p1_E.png"), filepath.Join(figs, "raster_p3_E.svg"), filepath.Join(figs, "heatmap_rate_hz_E.svg"), "6 file(s) written to " + figs}},
		{"the heat map of a column on a log scale", []string{"plot", run, "--figure", "heatmap", "--column", "peak_power", "--log", "--axes", "eta,g"}, 0,
			[]string{filepath.Join(run, "plots", "heatmap_peak_power_E.png"), "2 file(s) written"}},
		{"a repeated --point", []string{"plot", run, "--point", "0", "--point", "2", "--figure", "hist", "--population", "I", "--out", figs}, 0,
			[]string{filepath.Join(figs, "hist_p0_I.png"), filepath.Join(figs, "hist_p2_I.png"), "2 file(s) written"}},
		{"a negative point", []string{"plot", run, "--point", "-1"}, 1, []string{"--point -1: expected a point number >= 0"}},
		{"an unknown format", []string{"plot", run, "--format", "gif"}, 1, []string{"--format gif: expected png, svg or both"}},
		{"a folder without results", []string{"plot", dir}, 1, []string{dir + ": no run.json"}},
		{"no argument", []string{"plot"}, 1, []string{"accepts 1 arg"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Main(c.args, &out, &errb)
			if code != c.code {
				t.Fatalf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out.String(), errb.String())
			}
			got := out.String()
			if code != 0 {
				got = errb.String()
			}
			for _, s := range c.out {
				if !strings.Contains(got, s) {
					t.Errorf("output lacks %q:\n%s", s, got)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(figs, "raster_p1_E.svg")); err != nil {
		t.Error(err)
	}
}
