package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/snn-gpu/snn-gpu/output"
)

const small = "../runner/testdata/small_sweep.toml"

// proc is snn-gpu running as a process of its own (the test binary, see
// TestMain).
type proc struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer
	stderr bytes.Buffer
	lines  chan string // stderr, line by line; closed at its end
}

func start(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(os.Args[0], args...), lines: make(chan string, 100)}
	p.cmd.Env = append(os.Environ(), "SNN_GPU_CLI=1")
	p.cmd.Stdout = &p.stdout
	pipe, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			p.stderr.WriteString(sc.Text() + "\n")
			p.lines <- sc.Text()
		}
		close(p.lines)
	}()
	return p
}

// waitFor reads stderr up to a line that contains s.
func (p *proc) waitFor(t *testing.T, s string) {
	t.Helper()
	for line := range p.lines {
		if strings.Contains(line, s) {
			return
		}
	}
	t.Fatalf("the process ended without %q on stderr", s)
}

// wait returns the exit code, once stderr is read to its end.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	for range p.lines {
	}
	err := p.cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	t.Fatal(err)
	return -1
}

// consistent checks that the folder holds one run: run.json's, with every
// point of the small sweep simulated for its t_sim.
func consistent(t *testing.T, dir string) float64 {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		Points []struct {
			Index int
			Net   struct {
				Simulation struct {
					TSim float64 `json:"t_sim"`
				}
			} `json:"network"`
		}
	}
	if err := json.Unmarshal(data, &info); err != nil {
		t.Fatal(err)
	}
	if len(info.Points) != 4 {
		t.Fatalf("run.json has %d points, want 4", len(info.Points))
	}
	tSim := info.Points[0].Net.Simulation.TSim
	_, rows, err := output.ReadSummary(filepath.Join(dir, "summary.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 8 {
		t.Errorf("%d summary rows, want 4 points × 2 populations", len(rows))
	}
	spikes, err := output.ReadSpikes(filepath.Join(dir, "spikes.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	last := map[int]float64{}
	for _, s := range spikes {
		last[s.Point] = max(last[s.Point], s.TimeMs)
	}
	for _, p := range info.Points {
		if p.Net.Simulation.TSim != tSim {
			t.Errorf("run.json: point %d has t_sim %g, point 0 %g", p.Index, p.Net.Simulation.TSim, tSim)
		}
		// The last spike of a point lies in the last 50 ms of its t_sim:
		// none from a longer run, and not only those of a shorter one.
		if l := last[p.Index]; l > tSim || l <= tSim-50 {
			t.Errorf("point %d: last spike at %g ms, but run.json says t_sim = %g ms", p.Index, l, tSim)
		}
	}
	return tSim
}

// The case: two sweeps with different t_sim into one --out. While
// the first runs, the second is refused with the first's PID and changes
// nothing; after it, the second is refused as another run; the folder
// holds the first run, as its run.json says.
func TestSecondWriterRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	first := start(t, "sweep", small, "--set", "t_sim=400", "--batch", "1", "--threads", "1", "--out", dir)
	first.waitFor(t, "done (1/4)")
	// Hold the first where it is (stopped, it keeps its lock), so that the
	// second starts while the first runs, however fast either is.
	if err := first.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	second := start(t, "sweep", small, "--set", "t_sim=300", "-q", "--out", dir)
	code := second.wait(t)
	if err := first.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	if code != 1 {
		t.Errorf("second writer: exit code %d, want 1", code)
	}
	if want := fmt.Sprintf("%s is in use by process %d", dir, first.cmd.Process.Pid); !strings.Contains(second.stderr.String(), want) {
		t.Errorf("second writer: stderr %q, want %q", second.stderr.String(), want)
	}
	if code := first.wait(t); code != 0 {
		t.Fatalf("first writer: exit code %d; stderr:\n%s", code, first.stderr.String())
	}
	if tSim := consistent(t, dir); tSim != 400 {
		t.Errorf("the folder holds the t_sim = %g run, want the first's (400)", tSim)
	}
	after := start(t, "sweep", small, "--set", "t_sim=300", "-q", "--out", dir)
	if code := after.wait(t); code != 1 || !strings.Contains(after.stderr.String(), "belongs to run") {
		t.Errorf("another run into the finished folder: exit code %d, stderr %q", code, after.stderr.String())
	}
}

// A killed run keeps its folder: another run is refused there, and the
// same command resumes it.
func TestKilledRunKeepsItsFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	args := []string{"sweep", small, "--set", "t_sim=400", "--batch", "1", "--threads", "1", "--out", dir}
	first := start(t, args...)
	first.waitFor(t, "done (1/4)")
	if err := first.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	first.wait(t)
	other := start(t, "sweep", small, "--set", "t_sim=300", "-q", "--out", dir)
	if code := other.wait(t); code != 1 || !strings.Contains(other.stderr.String(), "belongs to run") {
		t.Errorf("another run into a killed run's folder: exit code %d, stderr %q", code, other.stderr.String())
	}
	again := start(t, append(args, "-q")...)
	if code := again.wait(t); code != 0 || !strings.Contains(again.stdout.String(), "done before)") {
		t.Errorf("resume after the kill: exit code %d, stdout %q, stderr %q", code, again.stdout.String(), again.stderr.String())
	}
	consistent(t, dir)
}

// Both started at once, as in the issue: exactly one runs, the other is
// refused (in use, or another run's folder if the first got further), and
// the folder is consistent with run.json.
func TestTwoWritersAtOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	a := start(t, "sweep", small, "--set", "t_sim=400", "-q", "--threads", "1", "--out", dir)
	b := start(t, "sweep", small, "--set", "t_sim=300", "-q", "--threads", "1", "--out", dir)
	codes := []int{a.wait(t), b.wait(t)}
	winner, loser, want := a, b, 400.0
	if codes[0] != 0 {
		winner, loser, want = b, a, 300
		codes[0], codes[1] = codes[1], codes[0]
	}
	if codes[0] != 0 || codes[1] != 1 {
		t.Fatalf("exit codes %v, want one 0 and one 1\n%s\n%s", codes, a.stderr.String(), b.stderr.String())
	}
	msg := loser.stderr.String()
	if !strings.Contains(msg, fmt.Sprintf("is in use by process %d", winner.cmd.Process.Pid)) && !strings.Contains(msg, "belongs to run") {
		t.Errorf("the refused run says %q", msg)
	}
	if tSim := consistent(t, dir); tSim != want {
		t.Errorf("the folder holds the t_sim = %g run, but the %g run won", tSim, want)
	}
}

// SIGINT and SIGTERM stop a sweep with 130 and 143, saying that finished
// points are saved; the same command then resumes and finishes.
func TestInterruptExitCodes(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		name string
		code int
	}{{syscall.SIGINT, "SIGINT", 130}, {syscall.SIGTERM, "SIGTERM", 143}} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			args := []string{"sweep", small, "--set", "t_sim=1000", "--batch", "1", "--threads", "1", "--out", dir}
			p := start(t, args...)
			p.waitFor(t, "done (1/4)")
			if err := p.cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			if code := p.wait(t); code != c.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, c.code, p.stderr.String())
			}
			want := fmt.Sprintf("interrupted (%s): the points finished so far are saved in %s; run the same command again to resume", c.name, dir)
			if !strings.Contains(p.stderr.String(), want) {
				t.Errorf("stderr %q, want %q", p.stderr.String(), want)
			}
			again := start(t, append(args, "-q")...)
			if code := again.wait(t); code != 0 || !strings.Contains(again.stdout.String(), "done before)") {
				t.Errorf("resume: exit code %d, stdout %q, stderr %q", code, again.stdout.String(), again.stderr.String())
			}
			consistent(t, dir)
		})
	}
}

// make build stamps the binary with git describe; --version and run.json
// report it.
func TestMakefileStampsVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	describe, err := exec.Command("git", "describe", "--tags", "--always", "--dirty").Output()
	if err != nil {
		t.Skipf("no git history: %v", err)
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	bin := filepath.Join(t.TempDir(), "snn-gpu")
	build := exec.Command("make", "-C", "../..", "build", "BIN="+bin)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("make build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "snn-gpu " + strings.TrimSpace(string(describe)) + "\n"; !strings.HasPrefix(string(out), want) {
		t.Errorf("--version says %q, want it to start with %q", out, want)
	}
}
