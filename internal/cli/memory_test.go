package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The sizes of issue 14 (item 4), and a tiny dt, are refused before
// anything is built: exit 1, a message with the estimate, what makes it
// up and the limit, no output folder, no panic. --max-memory makes the
// limit the same on every machine.
func TestMemoryRefusals(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
		err  []string // substrings of stderr
	}{
		{"n = 1e12", []string{"run", "brunel", "--set", "NE=1e12", "--max-memory", "1GiB"},
			[]string{"brunel.toml: population[0].n: expected a whole number from 1 to 2147483647, got NE = 1e+12"}},
		{"n = 2e9", []string{"run", "brunel", "--set", "NE=2e9", "--max-memory", "1GiB"},
			[]string{"brunel.toml: point 0 needs an estimated", "EiB", "connectivity", "more than the 1.00 GiB available (--max-memory)", "use fewer neurons or synapses"}},
		{"Brunel at order 25000", []string{"run", "brunel", "--set", "order=25000", "--max-memory", "1GiB"},
			[]string{"needs an estimated 11.", "GiB (connectivity 5.82 GiB, construction (temporary)", "more than the 1.00 GiB available (--max-memory)"}},
		{"t_sim = 1e15", []string{"run", "brunel", "--set", "t_sim=1e15", "--max-memory", "1GiB"},
			[]string{"needs an estimated", "PiB (analysis bins", "more than the 1.00 GiB available", "use a shorter t_sim or a larger analysis.bin_ms"}},
		{"dt = 1e-300 ms", []string{"run", "brunel", "--set", "dt=1e-300"},
			[]string{"simulation.dt: t_sim = 1000 ms in steps of dt = 1e-300 ms makes 1e+303 steps; at most 4611686018427387904 can be counted"}},
		{"inspect of n = 2e9", []string{"inspect", "brunel", "--set", "NE=2e9", "--max-memory", "1GiB"},
			[]string{"point 0 needs an estimated", "more than the 1.00 GiB available (--max-memory)"}},
		{"malformed --max-memory", []string{"run", "brunel", "--max-memory", "8 furlongs"},
			[]string{`--max-memory "8 furlongs": expected a size such as 8GiB`}},
		{"zero --max-memory", []string{"sweep", "brunel", "--max-memory", "0"},
			[]string{`--max-memory "0": expected a size`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_"))
			args := append(c.args, "--out", out)
			var stdout, stderr bytes.Buffer
			code := Main(args, &stdout, &stderr)
			if code != 1 {
				t.Errorf("exit code %d, want 1\nstderr: %s", code, stderr.String())
			}
			for _, s := range c.err {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr.String())
				}
			}
			if strings.Contains(stderr.String(), "panic") || strings.Contains(stderr.String(), "goroutine") {
				t.Errorf("stderr shows a crash:\n%s", stderr.String())
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s exists after the refusal (%v)", out, err)
			}
		})
	}
}
