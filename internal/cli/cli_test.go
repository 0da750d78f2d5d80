package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMain(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("[simulation]\ndt = \"1 mV\"\n[[population]]\nname = \"E\"\nmodel = \"iaf_psc_delta\"\nn = 10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	small := "../runner/testdata/small_sweep.toml"
	cases := []struct {
		name     string
		args     []string
		code     int
		out, err []string // substrings expected in stdout, stderr
		notOut   []string
	}{
		{"help", []string{"--help"}, 0, []string{"sweep", "run", "models"}, nil, nil},
		{"models lists parameters with units and defaults", []string{"models"}, 0,
			[]string{"iaf_psc_delta (neuron)", "V_th", "mV", "-55", "poisson_generator (device)", "rate", "Hz", "spike_recorder (recorder)", "multimeter"}, nil, nil},
		{"models of one", []string{"models", "dc_generator"}, 0, []string{"amplitude", "pA"}, nil, []string{"iaf_psc_delta"}},
		{"models marks per-neuron parameters", []string{"models", "izhikevich"}, 0,
			[]string{"consistent_integration", "after-spike reset value of V_m (may differ between neurons)"}, nil, []string{"iaf_psc_delta"}},
		{"models unknown", []string{"models", "iaf_cond_nope"}, 1, nil, []string{`unknown model "iaf_cond_nope"`}, nil},
		{"bad config names file, field and expectation", []string{"sweep", bad}, 1, nil, []string{"bad.toml", "simulation.dt", "time"}, nil},
		{"missing file", []string{"run", filepath.Join(dir, "nope.toml")}, 1, nil, []string{"nope.toml"}, nil},
		{"gpu without CUDA", []string{"run", small, "--backend", "gpu", "--out", filepath.Join(dir, "g")}, 1, nil, []string{"make gpu"}, nil},
		{"sweep prints the summary table", []string{"sweep", small, "-q", "--threads", "2", "--set", "t_sim=120", "--out", filepath.Join(dir, "s")}, 0,
			[]string{"rate_hz", "cv_isi", "fano", "peak_hz", "4 point(s) simulated on cpu", filepath.Join(dir, "s")}, nil, nil},
		{"run one point with a seed", []string{"run", small, "-q", "--point", "3", "--seed", "9", "--set", "t_sim=150", "--out", filepath.Join(dir, "r")}, 0,
			[]string{"1 point(s) simulated"}, nil, nil},
		{"--set of an unknown name", []string{"run", small, "--set", "gg=1"}, 1, nil, []string{"gg"}, nil},
		{"inspect describes every projection", []string{"inspect", small, "--out", filepath.Join(dir, "i"), "--edges"}, 0,
			[]string{"6 projections", "E->E  fixed_indegree  16,000 synapses", "in-degree   mean 40.00  sd 0.00  [40, 40]",
				"noise->I  all_to_all  100 synapses", "weight      -0.45 (constant)", "delay       1.5 ms (constant)",
				"written to " + filepath.Join(dir, "i")}, nil, nil},
		{"inspect --edges needs --out", []string{"inspect", small, "--edges"}, 1, nil, []string{"--edges needs --out"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Main(c.args, &out, &errb)
			if code != c.code {
				t.Fatalf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out.String(), errb.String())
			}
			for _, s := range c.out {
				if !strings.Contains(out.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, out.String())
				}
			}
			for _, s := range c.notOut {
				if strings.Contains(out.String(), s) {
					t.Errorf("stdout has %q", s)
				}
			}
			for _, s := range c.err {
				if !strings.Contains(errb.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, errb.String())
				}
			}
		})
	}
}
