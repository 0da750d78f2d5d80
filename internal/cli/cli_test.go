package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
)

// TestMain lets the tests run the command as a process of its own: the
// test binary with SNN_GPU_CLI=1 is snn-gpu.
func TestMain(m *testing.M) {
	if os.Getenv("SNN_GPU_CLI") == "1" {
		os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("[simulation]\ndt = \"1 mV\"\n[[population]]\nname = \"E\"\nmodel = \"iaf_psc_delta\"\nn = 10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	longDelay := filepath.Join(dir, "long_delay.toml")
	if err := os.WriteFile(longDelay, []byte("[simulation]\ndt = 0.1\nt_sim = 10.0\n[[population]]\nname = \"E\"\nmodel = \"iaf_psc_delta\"\nn = 5\n"+
		"[[connection]]\nsource = \"E\"\ntarget = \"E\"\nsyn = { weight = 0.1, delay = 1.0 }\n"+
		"[[connection]]\nsource = \"E\"\ntarget = \"E\"\nsyn = { weight = 0.1, delay = 1e9 }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The ThetaPlanes sweep on a 4 × 4 grid, 300 ms (200 ms of stimulus).
	tpSrc, err := configs.Examples.ReadFile("ca_adex_thetaplanes.toml")
	if err != nil {
		t.Fatal(err)
	}
	tpText := regexp.MustCompile(`(?m)^params = \{ I_s = .*$`).ReplaceAllString(string(tpSrc),
		"params = { I_s = [0.0, 320.0, 640.0, 960.0], I_d = [0.0, 320.0, 640.0, 960.0] }")
	tpText = strings.Replace(strings.Replace(tpText, "t_sim = 5000.0", "t_sim = 300.0", 1), "t_stim = 2000.0", "t_stim = 200.0", 1)
	tp := filepath.Join(dir, "tp.toml")
	if err := os.WriteFile(tp, []byte(tpText), 0o644); err != nil {
		t.Fatal(err)
	}
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
		{"plot a selection of the sweep in both formats", []string{"plot", filepath.Join(dir, "s"), "--point", "1,3", "--population", "E", "--figure", "raster,heatmap", "--format", "both", "--out", filepath.Join(dir, "f")}, 0,
			[]string{filepath.Join(dir, "f", "raster_p1_E.png"), filepath.Join(dir, "f", "raster_p3_E.svg"), filepath.Join(dir, "f", "heatmap_rate_hz_E.svg"), "6 file(s) written to " + filepath.Join(dir, "f")}, nil, nil},
		{"plot a heat map on a log scale", []string{"plot", filepath.Join(dir, "s"), "--figure", "heatmap", "--column", "peak_power", "--log", "--axes", "eta,g"}, 0,
			[]string{filepath.Join(dir, "s", "plots", "heatmap_peak_power_E.png"), "2 file(s) written"}, nil, nil},
		{"plot with a repeated --point", []string{"plot", filepath.Join(dir, "s"), "--point", "0", "--point", "2", "--figure", "hist", "--population", "I", "--out", filepath.Join(dir, "f")}, 0,
			[]string{filepath.Join(dir, "f", "hist_p0_I.png"), filepath.Join(dir, "f", "hist_p2_I.png"), "2 file(s) written"}, nil, nil},
		{"plot the network figure of a window", []string{"plot", filepath.Join(dir, "s"), "--point", "1", "--figure", "network", "--window", "20,120", "--out", filepath.Join(dir, "f")}, 0,
			[]string{filepath.Join(dir, "f", "network_p1.png"), "1 file(s) written"}, nil, nil},
		{"plot --window past the run", []string{"plot", filepath.Join(dir, "s"), "--window", "100,200"}, 1, nil,
			[]string{"--window 100,200: expected LO,HI in ms with 0 <= LO < HI <= 120, within the run of point 0 (t_sim = 120 ms)"}, nil},
		{"plot --point -1", []string{"plot", filepath.Join(dir, "s"), "--point", "-1"}, 1, nil, []string{"--point -1: expected a point number >= 0"}, nil},
		{"plot --format gif", []string{"plot", filepath.Join(dir, "s"), "--format", "gif"}, 1, nil, []string{"--format gif: expected png, svg or both"}, nil},
		{"plot a folder without results", []string{"plot", dir}, 1, nil, []string{dir + ": no run.json"}, nil},
		{"run one point with a seed", []string{"run", small, "-q", "--point", "3", "--seed", "9", "--set", "t_sim=150", "--out", filepath.Join(dir, "r")}, 0,
			[]string{"1 point(s) simulated"}, nil, nil},
		{"--set of an unknown name", []string{"run", small, "--set", "gg=1"}, 1, nil, []string{"gg"}, nil},
		{"inspect describes every projection", []string{"inspect", small, "--out", filepath.Join(dir, "i"), "--edges"}, 0,
			[]string{"6 projections", "E->E  fixed_indegree  16,000 synapses", "in-degree   mean 40.00  sd 0.00  [40, 40]",
				"noise->I  all_to_all  100 synapses", "weight      -0.45 (constant)", "delay       1.5 ms (constant)",
				"written to " + filepath.Join(dir, "i")}, nil, nil},
		{"inspect --edges needs --out", []string{"inspect", small, "--edges"}, 1, nil, []string{"--edges needs --out"}, nil},
		{"--version", []string{"--version"}, 0, []string{"snn-gpu ", "revision", "go1.", "cuda      "}, nil, nil},
		{"run --point -1", []string{"run", small, "--point", "-1", "--out", filepath.Join(dir, "p")}, 1, nil,
			[]string{"--point -1: expected a point number >= 0 (sweep runs every point)"}, nil},
		{"run --point past the sweep", []string{"run", small, "--point", "4", "--out", filepath.Join(dir, "p")}, 1, nil,
			[]string{"small_sweep.toml: --point 4: expected a point from 0 to 3 (the config has 4)"}, nil},
		{"sweep --threads -1", []string{"sweep", small, "--threads", "-1", "--out", filepath.Join(dir, "p")}, 1, nil,
			[]string{"--threads -1: expected a number of threads >= 0 (0: all cores)"}, nil},
		{"sweep --batch -3", []string{"sweep", small, "--batch", "-3", "--out", filepath.Join(dir, "p")}, 1, nil,
			[]string{"--batch -3: expected a batch size >= 0 (0: automatic)"}, nil},
		{"inspect --threads -2", []string{"inspect", small, "--threads", "-2"}, 1, nil, []string{"--threads -2: expected"}, nil},
		{"sweep --shard past the count", []string{"sweep", small, "--shard", "3/3", "--out", filepath.Join(dir, "p")}, 1, nil,
			[]string{"--shard 3/3: expected I/N with 0 <= I < N"}, nil},
		{"sweep --shard auto outside SLURM", []string{"sweep", small, "--shard", "auto", "--out", filepath.Join(dir, "p")}, 1, nil,
			[]string{"--shard auto: SLURM_ARRAY_TASK_ID is not set"}, nil},
		{"sweep one shard", []string{"sweep", small, "-q", "--threads", "2", "--set", "t_sim=120", "--shard", "0/2", "--out", filepath.Join(dir, "sh")}, 0,
			[]string{"shard 0/2: 2 point(s) simulated on cpu", "snn-gpu merge " + filepath.Join(dir, "sh")}, nil, []string{"rate_hz"}},
		{"merge without the other shard", []string{"merge", filepath.Join(dir, "sh")}, 1, nil,
			[]string{"point(s) 2, 3 missing: shard 1 of 2 should have had them (its folder was not given)"}, nil},
		{"sweep the other shard", []string{"sweep", small, "-q", "--threads", "2", "--set", "t_sim=120", "--shard", "1/2", "--out", filepath.Join(dir, "sh")}, 0,
			[]string{"shard 1/2: 2 point(s) simulated"}, nil, nil},
		{"merge prints the summary", []string{"merge", filepath.Join(dir, "sh")}, 0,
			[]string{"rate_hz", "4 point(s) merged; results in " + filepath.Join(dir, "sh")}, nil, nil},
		{"sweep --devices twice the same", []string{"sweep", small, "--devices", "0,0", "--out", filepath.Join(dir, "p")}, 1, nil,
			[]string{"--devices 0,0: expected all, or distinct device numbers >= 0"}, nil},
		{"sweep --devices with the CPU backend", []string{"sweep", small, "--devices", "0", "--backend", "cpu", "--out", filepath.Join(dir, "p")}, 1, nil,
			[]string{"devices are GPUs"}, nil},
		{"a delay too long to store", []string{"run", longDelay, "--out", filepath.Join(dir, "p")}, 1, nil,
			[]string{"long_delay.toml: connection[1].syn.delay: expected a delay of at most 65535 steps (6553.5 ms at dt = 0.1 ms), got 1e+09 ms (point 0)"}, nil},
		{"models lists receptors and presets", []string{"models", "ca_adex"}, 0,
			[]string{"spike receptors (syn.receptor): exc_spikes_soma", "current receptors (syn.receptor): I_stim_s, I_stim_d", `preset "rem": refused`}, nil, nil},
		{"sweep a small ThetaPlanes grid", []string{"sweep", tp, "-q", "--threads", "2", "--out", filepath.Join(dir, "tp")}, 0,
			[]string{"16 point(s) simulated"}, nil, nil},
		{"fit thetaplanes writes the maps", []string{"fit", "thetaplanes", filepath.Join(dir, "tp"), "--stimulus", "200", "--planes", "1"}, 0,
			[]string{"wake: 16 points, RMS error", "nrem: 16 points", filepath.Join(dir, "tp", "thetaplanes.json")}, nil, nil},
		{"fit thetaplanes of a sweep over other names", []string{"fit", "thetaplanes", filepath.Join(dir, "s")}, 1, nil,
			[]string{"the sweep is over eta, g; expected I_s and I_d (--soma, --distal)"}, nil},
		{"fit thetaplanes --planes 3", []string{"fit", "thetaplanes", filepath.Join(dir, "tp"), "--planes", "3"}, 1, nil,
			[]string{"3 planes; expected 1 or 2"}, nil},
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
	// Refusals before the first batch leave no output folder.
	if _, err := os.Stat(filepath.Join(dir, "p")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused run left %s", filepath.Join(dir, "p"))
	}
}

type codeErr struct{ code int }

func (e codeErr) Error() string { return "points failed" }
func (e codeErr) ExitCode() int { return e.code }

// Errors map to exit codes: an ExitCode method anywhere in the chain, else
// the signal that interrupted the run, else 1.
func TestExitCode(t *testing.T) {
	interrupted, cancel := context.WithCancelCause(context.Background())
	cancel(interrupt{"SIGTERM", syscall.SIGTERM})
	cases := []struct {
		name string
		ctx  context.Context
		err  error
		code int
	}{
		{"plain error", context.Background(), errors.New("bad config"), 1},
		{"failed points", context.Background(), fmt.Errorf("x.toml: %w", codeErr{3}), 3},
		{"SIGINT, wrapped", context.Background(), fmt.Errorf("interrupted (%w): saved", interrupt{"SIGINT", syscall.SIGINT}), 130},
		{"SIGTERM, by the context", interrupted, errors.New("write failed"), 143},
		{"failed points win over the context", interrupted, codeErr{3}, 3},
	}
	for _, c := range cases {
		if got := exitCode(c.ctx, c.err); got != c.code {
			t.Errorf("%s: exit code %d, want %d", c.name, got, c.code)
		}
	}
}
