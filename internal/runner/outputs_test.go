package runner

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/output"
)

// metaFloat reads a numeric key of a table's metadata.
func metaFloat(t *testing.T, meta map[string]string, key string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(meta[key], 64)
	if err != nil {
		t.Fatalf("metadata %s = %q: %v", key, meta[key], err)
	}
	return x
}

// A rate computed from spikes.parquet alone (its spikes and its metadata:
// t_start, the recorder's n_rec and window) is the summary's rate of a
// population whose every neuron is recorded; every time is the grid's
// decimal step/10 (dt = 0.1 ms), where step·dt carries noise.
func TestRateFromSpikesFileAlone(t *testing.T) {
	o := runSweep(t, load(t), Options{Threads: 2, Batch: -1, Point: AllPoints})
	path := filepath.Join(o.res.Dir, "spikes.parquet")
	meta, err := output.ReadMetadata(path)
	if err != nil {
		t.Fatal(err)
	}
	const rec = "recorder.spike_recorder-0."
	if meta[rec+"population"] != `"E"` || meta[rec+"neurons"] != "[[0,399]]" {
		t.Fatalf("recorder metadata: population %s, neurons %s", meta[rec+"population"], meta[rec+"neurons"])
	}
	tStart, nRec := metaFloat(t, meta, "t_start"), metaFloat(t, meta, rec+"n_rec")
	from, stop := math.Max(tStart, metaFloat(t, meta, rec+"start")), metaFloat(t, meta, rec+"stop")
	if stop != metaFloat(t, meta, "t_sim") || metaFloat(t, meta, "dt") != 0.1 {
		t.Fatalf("metadata: stop %g, t_sim %s, dt %s", stop, meta["t_sim"], meta["dt"])
	}
	counts := map[int]float64{}
	noisy := 0
	for _, s := range o.spikes {
		if s.TimeMs != float64(s.Step)/10 {
			t.Fatalf("spike at step %d has time %v, want %v", s.Step, s.TimeMs, float64(s.Step)/10)
		}
		if float64(s.Step)*0.1 != s.TimeMs {
			noisy++
		}
		if s.Recorder == "spike_recorder-0" && s.TimeMs > from && s.TimeMs <= stop {
			counts[s.Point]++
		}
	}
	if noisy == 0 {
		t.Error("no time where step·dt differs from the decimal: the check shows nothing")
	}
	for _, r := range o.res.Rows {
		if r.Population != "E" {
			continue
		}
		rate := counts[r.Point] / (nRec * (stop - from) / 1000)
		if math.Abs(rate-r.RateHz) > 1e-12*r.RateHz || rate == 0 {
			t.Errorf("point %d: rate from spikes.parquet %v Hz, summary %v Hz", r.Point, rate, r.RateHz)
		}
	}
}

// A config without a multimeter writes no state.parquet; an infinite swept
// value (a drive that never stops) reaches run.json as "Infinity" and reads
// back; the finished run reopens (its checksums hold).
func TestStopSweep(t *testing.T) {
	f, err := configs.Load("testdata/stop_sweep.toml", configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	res, err := Run(context.Background(), f, Options{Threads: 1, Batch: -1, Point: AllPoints, OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "state.parquet")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("state.parquet without a multimeter: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var info Info
	if err := json.Unmarshal(data, &info); err != nil {
		t.Fatal(err)
	}
	if len(info.Points) != 2 || !math.IsInf(float64(info.Points[1].Values[0]), 1) || !math.IsInf(info.Points[1].Net.Devices[0].Params["stop"], 1) {
		t.Errorf("run.json points %+v: want the second with stop = +Inf", info.Points)
	}
	if rates := res.Rows; len(rates) != 2 || !(rates[1].RateHz > rates[0].RateHz) {
		t.Errorf("rates %v: the endless drive should fire more", rates)
	}
	again, err := Run(context.Background(), f, Options{Threads: 1, Batch: -1, Point: AllPoints, OutDir: dir})
	if err != nil || again.Ran != 0 {
		t.Errorf("rerun of the finished sweep: ran %v, %v", again, err)
	}
}

// With [output] nest = true the NEST view holds the spikes of
// spikes.parquet: sender = the population's first node id + neuron (E is
// the first population: ids 1–50), and the same times as decimals.
func TestNESTViewMatchesSpikes(t *testing.T) {
	text, err := os.ReadFile("testdata/stop_sweep.toml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "nest.toml")
	if err := os.WriteFile(path, append(text, "\n[output]\nnest = true\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := configs.Load(path, configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := runSweepSpikes(t, f)
	for point := 0; point < 2; point++ {
		// Nodes: E (50), noise (1), spike_recorder-0 (node 52).
		data, err := os.ReadFile(filepath.Join(o.res.Dir, "nest", "p"+strconv.Itoa(point), "spike_recorder-0-52-0.dat"))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		var want []string
		for _, s := range o.spikes {
			if s.Point == point {
				want = append(want, strconv.Itoa(int(s.Neuron)+1)+"\t"+strconv.FormatFloat(s.TimeMs, 'f', -1, 64))
			}
		}
		if len(want) == 0 || lines[2] != "sender\ttime_ms" || !slices.Equal(lines[3:], want) {
			t.Errorf("point %d: NEST view %d rows, spikes.parquet %d (header %q)", point, len(lines)-3, len(want), lines[:3])
		}
	}
}

// runSweepSpikes runs f into a fresh folder and reads its spikes.
func runSweepSpikes(t *testing.T, f *configs.File) outputs {
	t.Helper()
	res, err := Run(context.Background(), f, Options{Threads: 1, Batch: -1, Point: AllPoints, OutDir: filepath.Join(t.TempDir(), "out")})
	if err != nil {
		t.Fatal(err)
	}
	o := outputs{res: res}
	if o.spikes, err = output.ReadSpikes(filepath.Join(res.Dir, "spikes.parquet")); err != nil {
		t.Fatal(err)
	}
	return o
}

// [output] edges = true: every point's final synapses in edges/point-K.parquet,
// as many per projection as structure.parquet counts at the end, each with the
// synapse type's weight and delay, in range and without autapses or
// multapses (the type refuses both).
func TestFinalEdges(t *testing.T) {
	f, err := configs.Load("testdata/structural_edges.toml", configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	res, err := Run(context.Background(), f, Options{Threads: 1, Batch: 2, Point: AllPoints, OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Batches) != 1 {
		t.Fatalf("%d batches, want the two points in one", len(res.Batches))
	}
	rows, err := output.ReadStructure(filepath.Join(dir, "structure.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[[2]string]int{} // point, projection: synapses at the end
	for _, r := range rows {
		if r.Quantity == "synapses" && r.TimeMs == 1000 {
			want[[2]string{strconv.Itoa(r.Point), r.Population + "->" + r.Target + " (" + r.Name + ")"}] = int(r.Value)
		}
	}
	sizes := map[string]int{"E": 40, "I": 10}
	var lists [2][]output.EdgeRow
	for p := range 2 {
		edges, err := output.ReadEdges(filepath.Join(dir, "edges", "point-"+strconv.Itoa(p)+".parquet"))
		if err != nil {
			t.Fatal(err)
		}
		got := map[[2]string]int{}
		seen := map[output.EdgeRow]bool{}
		for _, e := range edges {
			got[[2]string{strconv.Itoa(p), e.Projection}]++
			pre, post, _ := strings.Cut(strings.TrimSuffix(e.Projection, " (ex)"), "->")
			if e.Weight != 5 || e.DelayMs != 1.5 || e.Source < 0 || int(e.Source) >= sizes[pre] || e.Target < 0 || int(e.Target) >= sizes[post] ||
				pre == post && e.Source == e.Target || seen[e] {
				t.Fatalf("point %d: bad edge %+v", p, e)
			}
			seen[e] = true
		}
		for k, n := range want {
			if k[0] == strconv.Itoa(p) && got[k] != n {
				t.Errorf("point %d: %s has %d edges, structure.parquet counts %d", p, k[1], got[k], n)
			}
		}
		if len(edges) == 0 {
			t.Fatalf("point %d: no synapses grew: the test would prove nothing", p)
		}
		lists[p] = edges
	}
	if slices.Equal(lists[0], lists[1]) {
		t.Errorf("both points have the same synapses: each member's own were not written")
	}
}

// A multimeter of Ca writes its column in state.parquet next to the
// model's variables: a neuron's trace is above 0 at the end exactly when it
// has spiked (the closed form is checked in backendtest's CalciumRecorded).
func TestCalciumColumn(t *testing.T) {
	f, err := configs.Load("testdata/structural_edges.toml", configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Run(context.Background(), f, Options{Threads: 1, Batch: 2, Point: AllPoints, OutDir: dir}); err != nil {
		t.Fatal(err)
	}
	vars, rows, err := output.ReadState(filepath.Join(dir, "state.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	ca, v := slices.Index(vars, "Ca"), slices.Index(vars, "V_m")
	if ca < 0 || v < 0 || len(rows) != 2*2*20 {
		t.Fatalf("columns %q, %d rows: want Ca and V_m, 80 rows", vars, len(rows))
	}
	spikes, err := output.ReadSpikes(filepath.Join(dir, "spikes.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	spiked := map[[2]int]bool{}
	for _, s := range spikes {
		spiked[[2]int{s.Point, int(s.Neuron)}] = true
	}
	end := map[[2]int]float32{}
	for _, r := range rows {
		if x := r.Values[ca]; !(x >= 0) || r.Values[v] > -50 || r.Values[v] < -90 {
			t.Fatalf("row %+v: Ca or V_m out of range", r)
		}
		if r.TimeMs == 1000 {
			end[[2]int{r.Point, int(r.Neuron)}] = r.Values[ca]
		}
	}
	if len(end) != 4 || len(spiked) == 0 {
		t.Fatalf("%d traces at 1000 ms, %d neurons spiked: want 4 and some", len(end), len(spiked))
	}
	for k, x := range end {
		if (x > 0) != spiked[k] {
			t.Errorf("point %d neuron %d: Ca %g at 1000 ms, spiked %v", k[0], k[1], x, spiked[k])
		}
	}
}
