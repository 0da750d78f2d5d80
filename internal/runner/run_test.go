package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/gpu"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/output"
)

func load(t *testing.T) *configs.File {
	t.Helper()
	f, err := configs.Load("testdata/small_sweep.toml", configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// csvConfig is the text of small_sweep.toml with [output] csv = true.
func csvConfig(t *testing.T) []byte {
	t.Helper()
	text, err := os.ReadFile("testdata/small_sweep.toml")
	if err != nil {
		t.Fatal(err)
	}
	return append(text, "\n[output]\ncsv = true\n"...)
}

// loadCSV loads small_sweep.toml with the CSV view.
func loadCSV(t *testing.T) *configs.File {
	t.Helper()
	f, err := configs.Parse(csvConfig(t), "small_sweep_csv.toml", configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// outputs runs the sweep and reads back what it wrote.
type outputs struct {
	res    *Result
	spikes []output.SpikeRow
	vars   []string
	state  []output.StateRow
}

func runSweep(t *testing.T, f *configs.File, opt Options) outputs {
	t.Helper()
	if opt.OutDir == "" {
		opt.OutDir = filepath.Join(t.TempDir(), "out")
	}
	res, err := Run(context.Background(), f, opt)
	if err != nil {
		t.Fatal(err)
	}
	return read(t, res)
}

func read(t *testing.T, res *Result) outputs {
	t.Helper()
	o := outputs{res: res}
	var err error
	if o.spikes, err = output.ReadSpikes(filepath.Join(res.Dir, "spikes.parquet")); err != nil {
		t.Fatal(err)
	}
	if o.vars, o.state, err = output.ReadState(filepath.Join(res.Dir, "state.parquet")); err != nil {
		t.Fatal(err)
	}
	return o
}

// batchSizes maps every point of a finished run to the size of its batch
// (run.json's batches).
func batchSizes(res *Result) map[int]int {
	sizes := map[int]int{}
	for _, b := range res.Batches {
		for _, p := range b.Points {
			sizes[p] = len(b.Points)
		}
	}
	return sizes
}

func same(t *testing.T, what string, a, b outputs) {
	t.Helper()
	if len(a.spikes) < 1000 {
		t.Fatalf("%s: only %d spikes recorded: nothing to compare", what, len(a.spikes))
	}
	if !reflect.DeepEqual(a.spikes, b.spikes) {
		t.Errorf("%s: spikes differ (%d vs %d rows)", what, len(a.spikes), len(b.spikes))
	}
	if !reflect.DeepEqual(a.state, b.state) || !reflect.DeepEqual(a.vars, b.vars) {
		t.Errorf("%s: state samples differ (%d vs %d rows)", what, len(a.state), len(b.state))
	}
	if fmt.Sprint(a.res.Rows) != fmt.Sprint(b.res.Rows) { // printed, NaN equals NaN
		t.Errorf("%s: summaries differ:\n%v\n%v", what, a.res.Rows, b.res.Rows)
	}
	// The tables are the same files, byte for byte (the summary says
	// nothing of the batches), and so are their CSV views where the run
	// has them.
	names := []string{"summary.parquet", "spikes.parquet", "state.parquet"}
	if _, err := os.Stat(filepath.Join(a.res.Dir, "spikes.csv")); err == nil {
		names = append(names, "summary.csv", "spikes.csv", "state.csv")
	}
	for _, name := range names {
		x, errA := os.ReadFile(filepath.Join(a.res.Dir, name))
		y, errB := os.ReadFile(filepath.Join(b.res.Dir, name))
		if errA != nil || errB != nil || !bytes.Equal(x, y) {
			t.Errorf("%s: %s differs (%d vs %d bytes; %v, %v)", what, name, len(x), len(y), errA, errB)
		}
	}
}

// A batch of points gives each point what it gets alone, and the thread
// count changes nothing, in the Parquet tables and in their CSV views.
func TestBatchesAndThreadsGiveIdenticalOutputs(t *testing.T) {
	f := loadCSV(t)
	ref := runSweep(t, f, Options{Threads: 1, Batch: 1, Point: -1})
	if n := len(ref.res.Rows); n != 8 {
		t.Fatalf("%d summary rows, want 4 points × 2 populations", n)
	}
	if s := batchSizes(ref.res); !reflect.DeepEqual(s, map[int]int{0: 1, 1: 1, 2: 1, 3: 1}) {
		t.Fatalf("batch sizes %v, want 1", s)
	}
	batched := runSweep(t, f, Options{Threads: 2, Batch: 4, Point: -1})
	if s := batchSizes(batched.res); s[0] != 4 {
		t.Fatalf("batch sizes %v, want 4", s)
	}
	same(t, "batch of 4 vs one by one", ref, batched)
	same(t, "3 threads vs 1", ref, runSweep(t, f, Options{Threads: 3, Batch: 2, Point: -1}))
}

// The outputs hold what the recorders asked for, nothing else.
func TestRecordedOutputs(t *testing.T) {
	o := runSweep(t, load(t), Options{Threads: 2, Batch: -1, Point: -1})
	perPoint := map[int]map[string]map[int32]bool{}
	for _, s := range o.spikes {
		if perPoint[s.Point] == nil {
			perPoint[s.Point] = map[string]map[int32]bool{"E": {}, "I": {}}
		}
		perPoint[s.Point][s.Population][s.Neuron] = true
		if s.Population == "I" && s.Neuron >= 20 {
			t.Fatalf("spike of unrecorded neuron I %d", s.Neuron)
		}
		if k := math.Round(s.TimeMs / 0.1); s.TimeMs <= 0 || s.TimeMs > 300 || math.Abs(k*0.1-s.TimeMs) > 1e-9 {
			t.Fatalf("spike time %g ms is not on the grid of (0, 300]", s.TimeMs)
		}
	}
	if len(perPoint) != 4 {
		t.Fatalf("spikes of %d points, want 4", len(perPoint))
	}
	if !reflect.DeepEqual(o.vars, []string{"V_m", "refractory_steps"}) {
		t.Fatalf("state columns %v", o.vars)
	}
	// 300 ms every 0.5 ms: 600 samples of 3 neurons per point.
	if len(o.state) != 4*600*3 {
		t.Fatalf("%d state rows, want %d", len(o.state), 4*600*3)
	}
	for _, s := range o.state {
		v, r := s.Values[0], s.Values[1]
		if !s.Valid[0] || !s.Valid[1] || v > 20 || r < 0 || r > 20 || r > 0 && v != 10 {
			t.Fatalf("implausible sample %+v (V_m <= V_th; V_m = V_reset while refractory)", s)
		}
	}
}

// An interrupted sweep resumes without redoing finished points, and ends
// with the outputs of an uninterrupted one.
func TestInterruptedSweepResumes(t *testing.T) {
	f := load(t)
	ref := runSweep(t, f, Options{Threads: 2, Batch: 1, Point: -1})

	dir := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	// Progress lines come once per finished batch: stop after the first.
	stopper := writerFunc(func(p []byte) (int, error) {
		if bytes.Contains(p, []byte("done")) {
			cancel()
		}
		return len(p), nil
	})
	_, err := Run(ctx, f, Options{Threads: 2, Batch: 1, OutDir: dir, Point: -1, Progress: stopper})
	if err == nil || !strings.Contains(err.Error(), "resume") {
		t.Fatalf("interrupted run: error %v, want a hint to resume", err)
	}
	res, err := Run(context.Background(), f, Options{Threads: 2, Batch: 1, OutDir: dir, Point: -1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Ran != 3 {
		t.Errorf("resumed run simulated %d points, want 3 (1 was done)", res.Ran)
	}
	same(t, "resumed vs uninterrupted", ref, read(t, res))

	// Running a finished sweep again simulates nothing.
	res, err = Run(context.Background(), f, Options{Threads: 2, Batch: 1, OutDir: dir, Point: -1})
	if err != nil || res.Ran != 0 || len(res.Rows) != 8 {
		t.Fatalf("rerun of a finished sweep: ran %v, rows %d, err %v", res.Ran, len(res.Rows), err)
	}
}

type writerFunc func([]byte) (int, error)

func (w writerFunc) Write(p []byte) (int, error) { return w(p) }

// snn-gpu run runs one point: the same as that point of the sweep.
func TestRunOnePoint(t *testing.T) {
	f := load(t)
	all := runSweep(t, f, Options{Threads: 2, Batch: 4, Point: -1})
	one := runSweep(t, f, Options{Threads: 2, Batch: -1, Point: 2})
	if len(one.res.Rows) != 2 || one.res.Rows[0].Point != 2 {
		t.Fatalf("run --point 2 gave rows %v", one.res.Rows)
	}
	var want []output.SpikeRow
	for _, s := range all.spikes {
		if s.Point == 2 {
			want = append(want, s)
		}
	}
	if !reflect.DeepEqual(one.spikes, want) {
		t.Errorf("point 2 alone: %d spikes, in the sweep %d", len(one.spikes), len(want))
	}
	if _, err := Run(context.Background(), f, Options{Point: 4, Threads: 1, Batch: -1}); err == nil || !strings.Contains(err.Error(), "--point 4: expected a point from 0 to 3") {
		t.Errorf("--point 4: error %v", err)
	}
}

func TestGPUBackendWithoutCUDA(t *testing.T) {
	if gpu.Available {
		t.Skip("built with CUDA")
	}
	_, err := Run(context.Background(), load(t), Options{Backend: "gpu", Threads: 1, Batch: -1, Point: -1, OutDir: t.TempDir()})
	if !errors.Is(err, gpu.ErrNoCUDA) || !strings.Contains(err.Error(), "make gpu") {
		t.Errorf("--backend gpu without CUDA: error %v, want one that says how to build the GPU binary", err)
	}
	if _, err := Backend("tpu", 1); err == nil || !strings.Contains(err.Error(), "auto, cpu or gpu") {
		t.Errorf("unknown backend: error %v", err)
	}
}

// sized is the CPU backend pretending that only fit points fit in memory.
type sized struct {
	cpu.Backend
	fit int
}

func (s *sized) Fit(*network.Network) (int, string, error) {
	if s.fit < 1 {
		return 0, "memory: 1 GiB per point, 0.5 GiB free", errors.New("memory: 1 GiB per point, 0.5 GiB free: one point does not fit")
	}
	return s.fit, fmt.Sprintf("memory: up to %d points per batch", s.fit), nil
}

// A memory-bound backend sizes the batches: its estimate is reported before
// anything runs, an automatic batch takes what fits, and a batch asked for
// that does not fit, or a point that does not fit at all, is refused.
func TestBatchSizedByMemory(t *testing.T) {
	f := load(t)
	var report bytes.Buffer
	res, err := Run(context.Background(), f, Options{Use: &sized{cpu.Backend{Threads: 2}, 3}, Threads: 2, Batch: 0, Point: -1,
		OutDir: filepath.Join(t.TempDir(), "out"), Progress: &report})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(report.String(), "up to 3 points per batch") {
		t.Errorf("no memory report before the run: %q", report.String())
	}
	if sizes := batchSizes(res); sizes[0] != 3 || sizes[3] != 1 {
		t.Errorf("batch sizes %v, want 3 points and then 1", sizes)
	}
	_, err = Run(context.Background(), f, Options{Use: &sized{cpu.Backend{Threads: 2}, 3}, Threads: 2, Batch: 4, Point: -1, OutDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "a batch of 4 does not fit") || !strings.Contains(err.Error(), "--batch 3") {
		t.Errorf("--batch 4 with room for 3: error %v", err)
	}
	_, err = Run(context.Background(), f, Options{Use: &sized{cpu.Backend{Threads: 2}, 0}, Threads: 2, Batch: 0, Point: -1, OutDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "one point does not fit") {
		t.Errorf("no room for one point: error %v", err)
	}
}

// The command line's table shows each point's wall time, that of its
// batch, from the run's result (the summary file holds none).
func TestPrintSummaryShowsBatchWallTime(t *testing.T) {
	res := &Result{
		Swept: []string{"g"},
		Rows: []output.SummaryRow{
			{Point: 0, Values: []float64{4}, Population: "E", N: 10, RateHz: 5},
			{Point: 1, Values: []float64{6}, Population: "E", N: 10, RateHz: 2},
		},
		Batches: []BatchInfo{{Points: []int{0}, WallS: 1.3}, {Points: []int{1}, WallS: 3.5}},
	}
	var b bytes.Buffer
	if err := PrintSummary(&b, res); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.HasSuffix(strings.TrimSpace(lines[0]), "wall_s") ||
		!strings.HasSuffix(strings.TrimSpace(lines[1]), " 1.3") || !strings.HasSuffix(strings.TrimSpace(lines[2]), " 3.5") {
		t.Errorf("table:\n%s", b.String())
	}
}
