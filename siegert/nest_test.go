package siegert

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// Our rate equals NEST 3.10's siegert_neuron stationary rate, within NEST's
// own quadrature tolerance (GSL QAGS, 1.49e-8 relative on the integral;
// bound 5e-8 on the rate), wherever NEST's quadrature succeeds: sigma from
// 0.1 mV up (below about 1e-3 mV NEST aborts in GSL or returns wrong
// values, e.g. 7.5e-12 1/s at mu 20, sigma 1e-12, where the deterministic
// rate is 112 1/s). NEST runs through $NEST_PYTHON (default python3) with
// $NEST_PYTHONPATH; the test skips where NEST is not importable.
func TestRateAgainstNEST(t *testing.T) {
	if testing.Short() {
		t.Skip("runs NEST: not in -short")
	}
	python := os.Getenv("NEST_PYTHON")
	if python == "" {
		python = "python3"
	}
	env := os.Environ()
	if p := os.Getenv("NEST_PYTHONPATH"); p != "" {
		env = append(env, "PYTHONPATH="+p+string(os.PathListSeparator)+os.Getenv("PYTHONPATH"))
	}
	probe := exec.Command(python, "-c", "import nest")
	probe.Env = env
	if out, err := probe.CombinedOutput(); err != nil {
		t.Skipf("NEST is not importable with %s (set NEST_PYTHON, NEST_PYTHONPATH): %v\n%s", python, err, lastLine(out))
	}
	neurons := []Neuron{
		{TauM: 5, TauSyn: 0, TRef: 2, Theta: 15, VReset: 0},
		{TauM: 20, TauSyn: 0, TRef: 2, Theta: 20, VReset: 10},
		{TauM: 20, TauSyn: 0.5, TRef: 2, Theta: 20, VReset: 0},
		{TauM: 10, TauSyn: 10, TRef: 0, Theta: 20, VReset: 10},
	}
	type point struct {
		p         Neuron
		mu, sigma float64
	}
	var pts []point
	var in bytes.Buffer
	for _, p := range neurons {
		for _, sigma := range []float64{0.1, 0.5, 1, 2, 5, 10, 30} {
			for _, mu := range []float64{-10, 0, 5, 10, 14, 15, 16, 20, 30, 50, 100} {
				pts = append(pts, point{p, mu, sigma})
				fmt.Fprintf(&in, "%v %v %v %v %v %v %v\n", p.TauM, p.TauSyn, p.TRef, p.Theta, p.VReset, mu, sigma)
			}
		}
	}
	cmd := exec.Command(python, "testdata/nest_rates.py")
	cmd.Env, cmd.Stdin = env, &in
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("NEST: %v\n%s", err, stderr.String())
	}
	var lines []string // NEST's banner goes to stdout too
	for _, l := range strings.Split(stdout.String(), "\n") {
		if r, ok := strings.CutPrefix(l, "rate "); ok {
			lines = append(lines, r)
		}
	}
	if len(lines) != len(pts) {
		t.Fatalf("NEST gave %d rates for %d points", len(lines), len(pts))
	}
	worst, nonzero := 0.0, 0
	for i, pt := range pts {
		want, err := strconv.ParseFloat(lines[i], 64)
		if err != nil {
			t.Fatal(err)
		}
		got := pt.p.Rate(pt.mu, pt.sigma)
		if want == 0 || got == 0 {
			if got != want {
				t.Errorf("%+v mu %g sigma %g: rate %.10g, NEST %.10g", pt.p, pt.mu, pt.sigma, got, want)
			}
			continue
		}
		nonzero++
		rel := math.Abs(got-want) / want
		worst = math.Max(worst, rel)
		if !(rel <= 5e-8) {
			t.Errorf("%+v mu %g sigma %g: rate %.15g, NEST %.15g (rel. %.2g)", pt.p, pt.mu, pt.sigma, got, want, rel)
		}
	}
	t.Logf("%d points (%d nonzero), largest relative difference from NEST %.2g", len(pts), nonzero, worst)
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}
