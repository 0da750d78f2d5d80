package output

import (
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/spec"
)

const (
	hashA = "0123456789abcdef"
	hashB = "fedcba9876543210"
)

// pointData is what a test records for one point.
type pointData struct {
	point   int
	label   string
	pops    []string // AddSummary order
	spikes  []SpikeRow
	samples []sampleCall
}

type sampleCall struct {
	pop    string
	rec    string
	neuron int32
	step   int64
	vars   []string
	values []float32
}

// testDt is the test layouts' step: its multiples are exact.
const testDt = 0.5

// testUnits are the units of the test's state variables.
var testUnits = map[string]string{"V_m": "mV", "I_syn": "pA"}

// testLayout records E and I: a spike recorder and a multimeter each; the
// multimeters record vars.
func testLayout(vars ...string) Layout {
	var vs []Var
	for _, v := range vars {
		vs = append(vs, Var{v, testUnits[v]})
	}
	return Layout{Dt: testDt, TSim: 100, TStart: 10, BinMs: 1, Seed: 7, Recorders: []Recorder{
		{Name: "spikes-E", Population: "E", Model: SpikeRecorder, Neurons: Neurons{0, 1, 2}, Stop: 200},
		{Name: "spikes-I", Population: "I", Model: SpikeRecorder, Neurons: Neurons{0, 1, 2}, Stop: 200},
		{Name: "multimeter-E", Population: "E", Model: Multimeter, Neurons: Neurons{1}, Stop: 200, Interval: 4, Vars: vs},
		{Name: "multimeter-I", Population: "I", Model: Multimeter, Neurons: Neurons{1}, Stop: 200, Interval: 4, Vars: vs},
	}}
}

// noRecorders is the layout of a batch that records nothing.
var noRecorders = Layout{Dt: testDt, TSim: 100}

// recIndex is the index of a test recorder.
func recIndex(name string) int {
	return slices.IndexFunc(testLayout().Recorders, func(r Recorder) bool { return r.Name == name })
}

// makePoint builds a point with populations E and I whose spikes and
// samples interleave in time (the way a backend produces them).
func makePoint(point int, pops []string, nSteps int, vars []string) pointData {
	pd := pointData{point: point, pops: pops}
	for s := 1; s <= nSteps; s++ {
		t := float64(s) * testDt
		for _, pop := range []string{"E", "I"} {
			for n := int32(0); n < 3; n++ {
				if (s+int(n)+point)%3 == 0 {
					pd.spikes = append(pd.spikes, SpikeRow{point, pop, "spikes-" + pop, n, t, int64(s)})
				}
			}
			if vars != nil && s%4 == 0 {
				vals := make([]float32, len(vars))
				for i := range vals {
					vals[i] = float32(point*1000+s) + float32(i)/10
				}
				pd.samples = append(pd.samples, sampleCall{pop, "multimeter-" + pop, 1, int64(s), vars, vals})
			}
		}
	}
	return pd
}

func summaryFor(pd pointData, pop string, swept int) SummaryRow {
	vals := make([]float64, swept)
	for i := range vals {
		vals[i] = float64(pd.point) + float64(i)/2
	}
	return SummaryRow{
		Point: pd.point, Values: vals, Label: pd.label, Population: pop, N: 100 + len(pop),
		RateHz: float64(pd.point) + 0.25, CVISI: math.NaN(), Fano: math.Inf(1), PeakHz: 40, PeakPower: 3.5,
		Synapses: int64(1000 * pd.point), Backend: "cpu",
	}
}

// runBatch records the points as one batch and commits it.
func runBatch(t *testing.T, d *Dir, pts []pointData, stateVars []string) {
	t.Helper()
	b := newTestBatch(t, d, pts, stateVars)
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
}

func newTestBatch(t *testing.T, d *Dir, pts []pointData, stateVars []string) *Batch {
	t.Helper()
	var points []int
	for _, pd := range pts {
		points = append(points, pd.point)
	}
	b, err := d.NewBatch(points, testLayout(stateVars...))
	if err != nil {
		t.Fatal(err)
	}
	for _, pd := range pts {
		for _, s := range pd.spikes {
			b.AddSpike(s.Point, recIndex(s.Recorder), s.Neuron, s.Step)
		}
		for _, s := range pd.samples {
			b.AddSample(pd.point, recIndex(s.rec), s.neuron, s.step, s.vars, s.values)
		}
		for _, pop := range pd.pops {
			b.AddSummary(summaryFor(pd, pop, len(d.swept)))
		}
	}
	return b
}

// wantSpikes orders the spikes of pts as Finish must: by point, then
// population order, then recorder, then time.
func wantSpikes(pts []pointData) []SpikeRow {
	pts = slices.Clone(pts)
	sort.Slice(pts, func(i, j int) bool { return pts[i].point < pts[j].point })
	var out []SpikeRow
	for _, pd := range pts {
		for _, pop := range pd.pops {
			var rows []SpikeRow
			for _, s := range pd.spikes {
				if s.Population == pop {
					rows = append(rows, s)
				}
			}
			sort.SliceStable(rows, func(i, j int) bool { return recIndex(rows[i].Recorder) < recIndex(rows[j].Recorder) })
			out = append(out, rows...)
		}
	}
	return out
}

func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func checkSummaryRows(t *testing.T, got, want []SummaryRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d summary rows, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		ok := g.Point == w.Point && g.Label == w.Label && g.Population == w.Population && g.N == w.N &&
			sameFloat(g.RateHz, w.RateHz) && sameFloat(g.CVISI, w.CVISI) && sameFloat(g.Fano, w.Fano) &&
			sameFloat(g.PeakHz, w.PeakHz) && sameFloat(g.PeakPower, w.PeakPower) && g.Synapses == w.Synapses &&
			g.Backend == w.Backend && slices.Equal(g.Values, w.Values)
		if !ok {
			t.Errorf("summary row %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

// dict is the Arrow type of the columns of names.
const dict = "dictionary<values=utf8, indices=int32, ordered=false>"

// columns returns the names and types of a Parquet file's columns and its
// snn.hash.
func columns(t *testing.T, path string) (names []string, types []string, hash string) {
	t.Helper()
	checkFooter(t, path)
	tr, err := openTable(path)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.close()
	for _, f := range tr.schema.Fields() {
		names = append(names, f.Name)
		types = append(types, f.Type.String())
	}
	hash, _ = tr.meta(metaHash)
	return names, types, hash
}

// TestRoundTrip writes all three tables through two batches of interleaved
// points, committed out of order, and reads them back.
func TestRoundTrip(t *testing.T) {
	tests := []struct {
		compression string
		labels      bool
	}{
		{"zstd", false}, {"snappy", true}, {"gzip", false}, {"none", true}, {"", false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%q labels=%v", tc.compression, tc.labels), func(t *testing.T) {
			dir := t.TempDir()
			swept := []string{"g", "eta"}
			d, err := Open(dir, hashA, swept, Options{Compression: tc.compression, Spikes: true, State: true})
			if err != nil {
				t.Fatal(err)
			}
			// Batch A records V_m only, batch B V_m and I_syn (in another
			// order): the state table has both, with nulls.
			p0 := makePoint(0, []string{"E", "I"}, 40, []string{"V_m"})
			p2 := makePoint(2, []string{"I", "E"}, 40, []string{"V_m"})
			p1 := makePoint(1, []string{"E", "I"}, 40, []string{"I_syn", "V_m"})
			p3 := makePoint(3, []string{"E", "I"}, 40, []string{"V_m"}) // a subset of the batch's variables
			if tc.labels {
				p1.label = "one"
			}
			runBatch(t, d, []pointData{p1, p3}, []string{"V_m", "I_syn"})
			runBatch(t, d, []pointData{p2, p0}, []string{"V_m"})
			if err := d.Finish(map[string]any{"seed": 1}); err != nil {
				t.Fatal(err)
			}
			all := []pointData{p0, p1, p2, p3}

			// Summary.
			gotSwept, rows, err := ReadSummary(filepath.Join(dir, summaryFile))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(gotSwept, swept) {
				t.Errorf("swept %q, want %q", gotSwept, swept)
			}
			var want []SummaryRow
			for _, pd := range all {
				for _, pop := range pd.pops {
					want = append(want, summaryFor(pd, pop, 2))
				}
			}
			checkSummaryRows(t, rows, want)
			names, types, h := columns(t, filepath.Join(dir, summaryFile))
			wantNames := []string{"point", "g", "eta", "population", "n", "rate_hz", "cv_isi", "fano", "peak_hz", "peak_power", "synapses", "backend",
				"rate_mean", "rate_sd", "rate_final", "rate_settle_ms"}
			wantTypes := []string{"int32", "float64", "float64", dict, "int32", "float64", "float64", "float64", "float64", "float64", "int64", dict,
				"float64", "float64", "float64", "float64"}
			if tc.labels {
				wantNames = slices.Insert(wantNames, 3, "label")
				wantTypes = slices.Insert(wantTypes, 3, dict)
			}
			if !slices.Equal(names, wantNames) || !slices.Equal(types, wantTypes) {
				t.Errorf("summary columns %q %q,\nwant %q %q", names, types, wantNames, wantTypes)
			}
			if h != hashA {
				t.Errorf("summary snn.hash %q, want %q", h, hashA)
			}
			checkDictionaryEncoded(t, filepath.Join(dir, summaryFile), colPopulation, colBackend)

			// Spikes.
			spikes, err := ReadSpikes(filepath.Join(dir, spikesFile))
			if err != nil {
				t.Fatal(err)
			}
			if ws := wantSpikes(all); !reflect.DeepEqual(spikes, ws) {
				t.Errorf("%d spikes, want %d; first rows %v, want %v", len(spikes), len(ws), spikes[:min(6, len(spikes))], ws[:6])
			}
			names, types, h = columns(t, filepath.Join(dir, spikesFile))
			if !slices.Equal(names, []string{"point", "population", "recorder", "neuron", "time_ms", "step"}) ||
				!slices.Equal(types, []string{"int32", dict, dict, "int32", "float64", "int64"}) || h != hashA {
				t.Errorf("spikes columns %q %q hash %q", names, types, h)
			}

			// State.
			vars, samples, err := ReadState(filepath.Join(dir, stateFile))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(vars, []string{"V_m", "I_syn"}) {
				t.Errorf("state variables %q", vars)
			}
			var wantSamples []StateRow
			for _, pd := range all {
				for _, pop := range pd.pops {
					for _, s := range pd.samples {
						if s.pop != pop {
							continue
						}
						r := StateRow{pd.point, pop, s.rec, s.neuron, float64(s.step) * testDt, []float32{float32(math.NaN()), float32(math.NaN())}, []bool{false, false}, s.step}
						for i, v := range s.vars {
							c := slices.Index(vars, v)
							r.Values[c], r.Valid[c] = s.values[i], true
						}
						wantSamples = append(wantSamples, r)
					}
				}
			}
			if len(samples) != len(wantSamples) {
				t.Fatalf("%d samples, want %d", len(samples), len(wantSamples))
			}
			for i := range samples {
				g, w := samples[i], wantSamples[i]
				same := g.Point == w.Point && g.Population == w.Population && g.Recorder == w.Recorder && g.Neuron == w.Neuron && g.TimeMs == w.TimeMs &&
					slices.Equal(g.Valid, w.Valid)
				for k := range g.Values {
					same = same && (g.Values[k] == w.Values[k] || !g.Valid[k])
				}
				if !same {
					t.Errorf("sample %d: got %+v, want %+v", i, g, w)
					break
				}
			}
			checkDictionaryEncoded(t, filepath.Join(dir, spikesFile), colPopulation, colRecorder)
			checkDictionaryEncoded(t, filepath.Join(dir, stateFile), colPopulation, colRecorder)
			_, types, _ = columns(t, filepath.Join(dir, stateFile))
			if !slices.Equal(types, []string{"int32", dict, dict, "int32", "float64", "int64", "float32", "float32"}) {
				t.Errorf("state types %q", types)
			}

			// run.json.
			data, err := os.ReadFile(filepath.Join(dir, runFile))
			if err != nil || !strings.Contains(string(data), `"seed": 1`) {
				t.Errorf("run.json: %q, %v", data, err)
			}
		})
	}
}

// commitAndFinish commits b, finishes d and returns the rows of its
// spikes.parquet.
func commitAndFinish(t *testing.T, d *Dir, b *Batch) []SpikeRow {
	t.Helper()
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := d.Finish(nil); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadSpikes(filepath.Join(d.dir, spikesFile))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestChunks pushes more rows than a chunk and a part row group through
// one population, so that the flushes and row-group splits are exercised.
func TestChunks(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir, hashA, nil, Options{Spikes: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.NewBatch([]int{0, 1}, testLayout())
	if err != nil {
		t.Fatal(err)
	}
	const n = partRowGroupRows + 3*chunkRows + 17
	for i := 0; i < n; i++ {
		b.AddSpike(1, 0, int32(i%1000), int64(i))
		b.AddSpike(0, 0, int32(i%7), int64(i))
	}
	rows := commitAndFinish(t, d, b)
	if len(rows) != 2*n {
		t.Fatalf("%d rows, want %d", len(rows), 2*n)
	}
	checkDictionaryEncoded(t, filepath.Join(dir, spikesFile), colPopulation, colRecorder)
	for i, r := range rows {
		p, j := i/n, i%n
		want := SpikeRow{p, "E", "spikes-E", int32(j % 1000), float64(j) * testDt, int64(j)}
		if p == 0 {
			want.Neuron = int32(j % 7)
		}
		if r != want {
			t.Fatalf("row %d: %+v, want %+v", i, r, want)
		}
	}
}

// files lists the paths under dir, relative.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

// die lets go of the folder as a killed process does: the kernel drops the
// lock, and nothing is cleaned or removed.
func die(d *Dir) {
	d.lock.f.Close()
	d.lock = nil
}

// TestResume commits batch 1, "crashes" during batch 2 (its part files half
// written, plus a batch renamed but never recorded and stray temporaries),
// and reopens.
func TestResume(t *testing.T) {
	dir := t.TempDir()
	opt := Options{Spikes: true, State: true}
	d, err := Open(dir, hashA, []string{"g"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	vars := []string{"V_m"}
	p0, p1 := makePoint(0, []string{"E", "I"}, 20, vars), makePoint(1, []string{"E", "I"}, 20, vars)
	runBatch(t, d, []pointData{p0, p1}, vars)

	// Batch 2, never committed: enough spikes for some to reach its files.
	p2, p3 := makePoint(2, []string{"E", "I"}, 20, vars), makePoint(3, []string{"E", "I"}, 20, vars)
	b2 := newTestBatch(t, d, []pointData{p2, p3}, vars)
	for i := 0; i < 2*chunkRows; i++ {
		b2.AddSpike(2, 0, 0, 100+int64(i))
	}
	die(d) // no Commit, no Abort, no Finish, no Close
	// A part renamed by a batch that died before recording itself, and
	// temporaries of progress.json and of a final table.
	stray := []string{
		filepath.Join(dir, partsDir, "b000099-spikes-0000.parquet"),
		filepath.Join(dir, progressFile+".123.tmp"),
		filepath.Join(dir, summaryFile+".456.tmp"),
		filepath.Join(dir, "spikes.csv.789.tmp"),
	}
	for _, s := range stray {
		if err := os.WriteFile(s, []byte("junk"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before := files(t, filepath.Join(dir, partsDir))

	d, err = Open(dir, hashA, []string{"g"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[int]bool{0: true, 1: true, 2: false, 3: false, 4: false} {
		if got := d.Done(p); got != want {
			t.Errorf("Done(%d) = %v, want %v", p, got, want)
		}
	}
	crashed := 0
	for _, f := range before {
		if strings.HasPrefix(f, "b000002-") && strings.HasSuffix(f, tmpSuffix) {
			crashed++
		}
	}
	if crashed == 0 {
		t.Fatalf("the crashed batch left no temporary parts to clean: %q", before)
	}
	for _, f := range files(t, dir) {
		if strings.HasSuffix(f, tmpSuffix) || f != progressFile && f != lockFile && !strings.HasPrefix(f, filepath.Join(partsDir, "b000001-")) {
			t.Errorf("left after reopening: %s", f)
		}
	}
	if parts := files(t, filepath.Join(dir, partsDir)); len(parts) != 9 { // summary + 2 points × 2 populations × (spikes, state)
		t.Errorf("batch 1's parts: %q", parts)
	}

	// Run batch 2 again and finish: no trace of the crashed attempt.
	runBatch(t, d, []pointData{p3, p2}, vars)
	if err := d.Finish(nil); err != nil {
		t.Fatal(err)
	}
	spikes, err := ReadSpikes(filepath.Join(dir, spikesFile))
	if err != nil {
		t.Fatal(err)
	}
	if want := wantSpikes([]pointData{p0, p1, p2, p3}); !reflect.DeepEqual(spikes, want) {
		t.Errorf("%d spikes, want %d", len(spikes), len(want))
	}
	_, rows, err := ReadSummary(filepath.Join(dir, summaryFile))
	if err != nil {
		t.Fatal(err)
	}
	var points []int
	for _, r := range rows {
		points = append(points, r.Point)
	}
	if want := []int{0, 0, 1, 1, 2, 2, 3, 3}; !slices.Equal(points, want) {
		t.Errorf("summary points %v, want %v", points, want)
	}
}

// TestMissingPart forgets a committed batch whose part file went missing, so
// that its points run again.
func TestMissingPart(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir, hashA, nil, Options{Spikes: true})
	if err != nil {
		t.Fatal(err)
	}
	runBatch(t, d, []pointData{makePoint(0, []string{"E"}, 10, nil)}, nil)
	runBatch(t, d, []pointData{makePoint(1, []string{"E"}, 10, nil)}, nil)
	parts, _ := filepath.Glob(filepath.Join(dir, partsDir, "b000002-spikes-*"))
	if len(parts) == 0 {
		t.Fatal("no part of batch 2")
	}
	os.Remove(parts[0])
	die(d)
	if d, err = Open(dir, hashA, nil, Options{Spikes: true}); err != nil {
		t.Fatal(err)
	}
	if !d.Done(0) || d.Done(1) {
		t.Errorf("Done(0) %v, Done(1) %v; want true, false", d.Done(0), d.Done(1))
	}
	if left, _ := filepath.Glob(filepath.Join(dir, partsDir, "b000002-*")); len(left) != 0 {
		t.Errorf("batch 2's other parts left: %q", left)
	}
}

// TestOtherRun: a folder of another run is refused with a message naming
// the file, both hashes and the way out.
func TestOtherRun(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string)
		file    string
	}{
		{"killed before its first batch", func(t *testing.T, dir string) {
			d, _ := Open(dir, hashA, nil, Options{})
			die(d)
		}, progressFile},
		{"progress", func(t *testing.T, dir string) {
			d, _ := Open(dir, hashA, nil, Options{})
			runBatch(t, d, []pointData{makePoint(0, []string{"E"}, 5, nil)}, nil)
			d.Close()
		}, progressFile},
		{"finished", func(t *testing.T, dir string) {
			d, _ := Open(dir, hashA, nil, Options{})
			runBatch(t, d, []pointData{makePoint(0, []string{"E"}, 5, nil)}, nil)
			if err := d.Finish(nil); err != nil {
				t.Fatal(err)
			}
			d.Close()
		}, progressFile},
		{"outputs and parts without progress", func(t *testing.T, dir string) {
			d, _ := Open(dir, hashA, nil, Options{})
			runBatch(t, d, []pointData{makePoint(0, []string{"E"}, 5, nil)}, nil)
			if err := d.Finish(nil); err != nil {
				t.Fatal(err)
			}
			d.Close()
			os.Remove(filepath.Join(dir, progressFile))
			os.MkdirAll(filepath.Join(dir, partsDir), 0o755)
			os.WriteFile(filepath.Join(dir, partsDir, "b000001-spikes-0000.parquet"), nil, 0o644)
		}, summaryFile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.prepare(t, dir)
			// The lock file a killed process leaves may go: it is no result.
			os.Remove(filepath.Join(dir, lockFile))
			before := files(t, dir)
			_, err := Open(dir, hashB, nil, Options{})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, s := range []string{filepath.Join(dir, tc.file), hashA, hashB, "--out", "remove"} {
				if !strings.Contains(msg, s) {
					t.Errorf("error %q does not mention %q", msg, s)
				}
			}
			if after := files(t, dir); !slices.Equal(before, after) {
				t.Errorf("the folder changed: %q → %q", before, after)
			}
		})
	}
}

// TestReopenFinished: the same run again finds every point done and
// changes nothing, run.json included.
func TestReopenFinished(t *testing.T) {
	dir := t.TempDir()
	d, _ := Open(dir, hashA, []string{"g"}, Options{})
	runBatch(t, d, []pointData{makePoint(0, []string{"E"}, 5, nil), makePoint(4, []string{"E"}, 5, nil)}, nil)
	if err := d.Finish("first"); err != nil {
		t.Fatal(err)
	}
	d.Close()
	d, err := Open(dir, hashA, []string{"g"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if !d.Done(0) || !d.Done(4) || d.Done(1) {
		t.Errorf("Done: %v %v %v", d.Done(0), d.Done(4), d.Done(1))
	}
	if _, err := d.NewBatch([]int{1}, noRecorders); err == nil || !strings.Contains(err.Error(), "finished") {
		t.Errorf("NewBatch on a finished run: %v", err)
	}
	if err := d.Finish("second"); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, runFile))
	if string(data) != "\"first\"\n" {
		t.Errorf("run.json %q", data)
	}
	if _, rows, err := ReadSummary(filepath.Join(dir, summaryFile)); err != nil || len(rows) != 2 {
		t.Errorf("summary after the second Finish: %d rows, %v", len(rows), err)
	}
}

// TestFinishedOutputsChanged: a finished folder whose outputs were deleted,
// cut, rewritten or left without progress.json is refused, not reported
// done, and left as it is.
func TestFinishedOutputsChanged(t *testing.T) {
	tests := []struct {
		name   string
		change func(dir string) error
		want   []string
	}{
		{"spikes deleted", func(dir string) error { return os.Remove(filepath.Join(dir, spikesFile)) },
			[]string{spikesFile + " is missing since the run finished"}},
		{"run.json deleted", func(dir string) error { return os.Remove(filepath.Join(dir, runFile)) },
			[]string{runFile + " is missing"}},
		{"state cut", func(dir string) error { return os.Truncate(filepath.Join(dir, stateFile), 100) },
			[]string{stateFile + " has 100 bytes, Finish wrote"}},
		{"summary rewritten", func(dir string) error {
			path := filepath.Join(dir, summaryFile)
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			data[len(data)/2] ^= 1
			return os.WriteFile(path, data, 0o644)
		}, []string{summaryFile + " was rewritten (its checksum differs)"}},
		{"spikes of another run", func(dir string) error {
			other := t.TempDir()
			d, _ := Open(other, hashA, nil, Options{Spikes: true, State: true})
			runBatch(t, d, []pointData{makePoint(0, []string{"E"}, 9, nil)}, nil)
			if err := d.Finish(nil); err != nil {
				return err
			}
			d.Close()
			data, err := os.ReadFile(filepath.Join(other, spikesFile))
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, spikesFile), data, 0o644)
		}, []string{spikesFile}},
		{"progress.json deleted", func(dir string) error { return os.Remove(filepath.Join(dir, progressFile)) },
			[]string{"holds outputs of this run but no progress.json", "cannot be checked"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			d, _ := Open(dir, hashA, nil, Options{Spikes: true, State: true})
			runBatch(t, d, []pointData{makePoint(0, []string{"E", "I"}, 20, []string{"V_m"})}, []string{"V_m"})
			if err := d.Finish("info"); err != nil {
				t.Fatal(err)
			}
			d.Close()
			if err := tc.change(dir); err != nil {
				t.Fatal(err)
			}
			before := files(t, dir)
			d, err := Open(dir, hashA, nil, Options{Spikes: true, State: true})
			if err == nil {
				d.Close()
				t.Fatal("the changed folder was accepted")
			}
			for _, s := range append(tc.want, "remove "+dir) {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if after := files(t, dir); !slices.Equal(before, after) {
				t.Errorf("the folder changed: %q → %q", before, after)
			}
		})
	}
}

// TestFinishOrdering commits batches of scattered points in scrambled
// order, with the populations of each point in its own order.
func TestFinishOrdering(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir, hashA, []string{"x"}, Options{Spikes: true})
	if err != nil {
		t.Fatal(err)
	}
	orders := [][]string{{"E", "I"}, {"I", "E"}}
	pt := func(p int) pointData { return makePoint(p, orders[p%2], 12, nil) }
	batches := [][]int{{9, 1, 5}, {0, 7}, {3}, {8, 2, 6, 4}, {10}}
	var all []pointData
	for _, pts := range batches {
		var pds []pointData
		for _, p := range pts {
			pds = append(pds, pt(p))
		}
		all = append(all, pds...)
		runBatch(t, d, pds, nil)
	}
	if err := d.Finish(nil); err != nil {
		t.Fatal(err)
	}
	_, rows, err := ReadSummary(filepath.Join(dir, summaryFile))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%d%s", r.Point, r.Population))
	}
	var want []string
	for p := 0; p <= 10; p++ {
		for _, pop := range orders[p%2] {
			want = append(want, fmt.Sprintf("%d%s", p, pop))
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("summary order %q,\nwant %q", got, want)
	}
	spikes, err := ReadSpikes(filepath.Join(dir, spikesFile))
	if err != nil {
		t.Fatal(err)
	}
	if ws := wantSpikes(all); !reflect.DeepEqual(spikes, ws) {
		t.Errorf("spike order differs (%d rows, want %d)", len(spikes), len(ws))
	}
}

// TestAtomicity: no final file before Finish, no temporary after it, and
// the parts are gone.
func TestAtomicity(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir, hashA, nil, Options{Spikes: true, State: true})
	if err != nil {
		t.Fatal(err)
	}
	finals := []string{summaryFile, spikesFile, stateFile, runFile}
	exists := func(name string) bool { _, err := os.Stat(filepath.Join(dir, name)); return err == nil }
	b := newTestBatch(t, d, []pointData{makePoint(0, []string{"E", "I"}, 30, []string{"V_m"})}, []string{"V_m"})
	for _, f := range finals {
		if exists(f) {
			t.Errorf("%s exists during a batch", f)
		}
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, f := range finals {
		if exists(f) {
			t.Errorf("%s exists before Finish", f)
		}
	}
	if !exists(progressFile) {
		t.Error("no progress.json after Commit")
	}
	if err := d.Finish(map[string]spec.Float{"stop": spec.Float(math.Inf(1))}); err != nil {
		t.Fatal(err)
	}
	for _, f := range finals {
		if !exists(f) {
			t.Errorf("%s missing after Finish", f)
		}
	}
	for _, f := range files(t, dir) {
		if strings.HasSuffix(f, tmpSuffix) || strings.HasPrefix(f, partsDir) {
			t.Errorf("left after Finish: %s", f)
		}
	}
	if exists(partsDir) {
		t.Error(".parts left after Finish")
	}
}

// TestEmptyTables: spikes.parquet and state.parquet exist when the options
// ask for them and the run has a recorder of their kind, with or without
// rows; never empty for want of a recorder. The checksums of what Finish
// wrote still let the run be reopened.
func TestEmptyTables(t *testing.T) {
	tests := []struct {
		name             string
		opt              Options
		batch            *Layout // nil: no batch at all
		record           bool
		spikes, state    bool // files expected
		spikeRows, samps int
	}{
		{"no batch", Options{Spikes: true, State: true}, nil, false, false, false, 0, 0},
		{"no recorder", Options{Spikes: true, State: true}, &noRecorders, false, false, false, 0, 0},
		{"recorders that saw nothing", Options{Spikes: true, State: true}, ptr(testLayout("V_m")), false, true, true, 0, 0},
		{"spike recorders only", Options{Spikes: true, State: true}, ptr(Layout{Dt: 1, Recorders: testLayout().Recorders[:2]}), true, true, false, 1, 0},
		{"recorded", Options{Spikes: true, State: true}, ptr(testLayout("V_m")), true, true, true, 1, 1},
		{"options off", Options{}, ptr(testLayout("V_m")), true, false, false, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			d, err := Open(dir, hashA, []string{"g"}, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if tc.batch != nil {
				b, err := d.NewBatch([]int{0}, *tc.batch)
				if err != nil {
					t.Fatal(err)
				}
				if tc.record {
					b.AddSpike(0, 0, 1, 1)
					if len(tc.batch.Recorders) > 2 {
						b.AddSample(0, 2, 1, 1, []string{"V_m"}, []float32{-70})
					}
				}
				b.AddSummary(SummaryRow{Point: 0, Values: []float64{1}, Population: "E"})
				if err := b.Commit(); err != nil {
					t.Fatal(err)
				}
			}
			if err := d.Finish(nil); err != nil {
				t.Fatal(err)
			}
			d.Close()
			swept, _, err := ReadSummary(filepath.Join(dir, summaryFile))
			if err != nil || !slices.Equal(swept, []string{"g"}) {
				t.Errorf("summary: swept %q, %v", swept, err)
			}
			for _, f := range []struct {
				name string
				want bool
				rows int
			}{{spikesFile, tc.spikes, tc.spikeRows}, {stateFile, tc.state, tc.samps}} {
				_, err := os.Stat(filepath.Join(dir, f.name))
				if exists := err == nil; exists != f.want {
					t.Errorf("%s exists: %v, want %v", f.name, exists, f.want)
					continue
				}
				if f.want {
					if md := checkFooter(t, filepath.Join(dir, f.name)); md.NumRows != int64(f.rows) {
						t.Errorf("%s: %d rows, want %d", f.name, md.NumRows, f.rows)
					}
				}
			}
			// The run reopens finished: the checksums match the files there are.
			d, err = Open(dir, hashA, []string{"g"}, tc.opt)
			if err != nil {
				t.Fatalf("reopening the finished run: %v", err)
			}
			d.Close()
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestMisuse: errors from NewBatch, Commit, Finish and Open.
func TestMisuse(t *testing.T) {
	newDir := func(t *testing.T) *Dir {
		d, err := Open(t.TempDir(), hashA, []string{"g"}, Options{Spikes: true, State: true})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	commitErrs := []struct {
		name string
		add  func(b *Batch)
		want string
	}{
		{"spike of another point", func(b *Batch) { b.AddSpike(7, 0, 0, 1) }, "not in the batch"},
		{"spike of an unknown recorder", func(b *Batch) { b.AddSpike(0, 4, 0, 1) }, "recorder 4 of a batch with 4"},
		{"summary of another point", func(b *Batch) { b.AddSummary(SummaryRow{Point: 7, Values: []float64{1}}) }, "not in the batch"},
		{"summary values", func(b *Batch) { b.AddSummary(SummaryRow{Point: 0, Values: []float64{1, 2}}) }, "swept values"},
		{"unknown variable", func(b *Batch) { b.AddSample(0, 2, 0, 1, []string{"w"}, []float32{1}) }, "not a state variable"},
		{"values length", func(b *Batch) { b.AddSample(0, 2, 0, 1, []string{"V_m"}, nil) }, "values"},
		{"spike time backwards", func(b *Batch) { b.AddSpike(0, 0, 0, 2); b.AddSpike(0, 0, 0, 1) }, "spikes-E: spike at step 1 after one at step 2"},
		{"spike of a multimeter", func(b *Batch) { b.AddSpike(0, 2, 0, 1) }, "spikes rows from recorder multimeter-E, a multimeter"},
		{"sample of a spike recorder", func(b *Batch) { b.AddSample(0, 0, 0, 1, []string{"V_m"}, []float32{1}) }, "state rows from recorder spikes-E"},
		{"sample time backwards", func(b *Batch) {
			b.AddSample(0, 2, 0, 2, []string{"V_m"}, []float32{1})
			b.AddSample(0, 2, 0, 1, []string{"V_m"}, []float32{1})
		}, "after one at"},
	}
	for _, tc := range commitErrs {
		t.Run(tc.name, func(t *testing.T) {
			d := newDir(t)
			b, err := d.NewBatch([]int{0, 1}, testLayout("V_m"))
			if err != nil {
				t.Fatal(err)
			}
			tc.add(b)
			if err := b.Commit(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Commit: %v, want an error with %q", err, tc.want)
			}
			if d.Done(0) {
				t.Error("point 0 done after a failed Commit")
			}
			if left := files(t, filepath.Join(d.dir, partsDir)); len(left) != 0 {
				t.Errorf("parts left: %q", left)
			}
			if _, err := d.NewBatch([]int{0, 1}, noRecorders); err != nil { // the points are free again
				t.Error(err)
			}
		})
	}

	t.Run("batch lifecycle", func(t *testing.T) {
		d := newDir(t)
		b, _ := d.NewBatch([]int{0, 1}, noRecorders)
		if _, err := d.NewBatch([]int{1, 2}, noRecorders); err == nil {
			t.Error("a point in two open batches")
		}
		if err := d.Finish(nil); err == nil {
			t.Error("Finish with an open batch")
		}
		b.Abort()
		b2, err := d.NewBatch([]int{1, 2}, noRecorders)
		if err != nil {
			t.Fatal(err)
		}
		if err := b2.Commit(); err != nil {
			t.Fatal(err)
		}
		b2.Abort() // no-op after Commit
		if !d.Done(2) {
			t.Error("Abort after Commit undid it")
		}
		if err := b2.Commit(); err == nil {
			t.Error("second Commit")
		}
		if _, err := d.NewBatch([]int{2}, noRecorders); err == nil {
			t.Error("a done point in a new batch")
		}
		for _, bad := range [][]int{nil, {3, 3}, {-1}} {
			if _, err := d.NewBatch(bad, noRecorders); err == nil {
				t.Errorf("NewBatch(%v) accepted", bad)
			}
		}
		for _, bad := range [][]string{{"time_ms"}, {"step"}, {"recorder"}, {"V_m", "V_m"}, {""}} {
			if _, err := d.NewBatch([]int{5}, testLayout(bad...)); err == nil {
				t.Errorf("state variables %q accepted", bad)
			}
		}
		spikesOf := func(name, pop string, neurons ...uint32) Recorder {
			return Recorder{Name: name, Population: pop, Model: SpikeRecorder, Neurons: neurons}
		}
		badRecorders := [][]Recorder{
			{spikesOf("a", "E"), spikesOf("a", "I")}, {spikesOf("", "E")}, {spikesOf("a", "")},
			{{Name: "a", Population: "E", Model: "voltmeter"}}, {spikesOf("a", "E", 3, 2)}, {spikesOf("a", "E", 1, 1)},
			{{Name: "a", Population: "E", Model: SpikeRecorder, Vars: []Var{{Name: "V_m"}}}},
		}
		for _, bad := range badRecorders {
			if _, err := d.NewBatch([]int{5}, Layout{Dt: testDt, Recorders: bad}); err == nil {
				t.Errorf("recorders %+v accepted", bad)
			}
		}
		for _, bad := range []Layout{{}, {Dt: -1}, {Dt: math.NaN()}, {Dt: 0.1, TSim: math.Inf(1)}} {
			if _, err := d.NewBatch([]int{5}, bad); err == nil {
				t.Errorf("layout %+v accepted", bad)
			}
		}
	})

	openErrs := []struct {
		name  string
		hash  string
		swept []string
		opt   Options
	}{
		{"empty hash", "", nil, Options{}},
		{"hash not hex", "xyz", nil, Options{}},
		{"compression", hashA, nil, Options{Compression: "lz4"}},
		{"swept collides", hashA, []string{"rate_hz"}, Options{}},
		{"swept twice", hashA, []string{"g", "g"}, Options{}},
	}
	for _, tc := range openErrs {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Open(t.TempDir(), tc.hash, tc.swept, tc.opt); err == nil {
				t.Error("no error")
			}
		})
	}

	t.Run("resume with other settings", func(t *testing.T) {
		dir := t.TempDir()
		d, _ := Open(dir, hashA, []string{"g"}, Options{Spikes: true})
		runBatch(t, d, []pointData{makePoint(0, []string{"E"}, 3, nil)}, nil)
		d.Close()
		if _, err := Open(dir, hashA, []string{"eta"}, Options{Spikes: true}); err == nil {
			t.Error("other swept names accepted")
		}
		if _, err := Open(dir, hashA, []string{"g"}, Options{}); err == nil {
			t.Error("other recording options accepted")
		}
		if d, err := Open(dir, hashA, []string{"g"}, Options{Spikes: true, Compression: "gzip"}); err != nil {
			t.Errorf("another compression refused: %v", err)
		} else {
			d.Close()
		}
	})
}

// TestAddSpikeAllocs: AddSpike allocates nothing per call (the chunk
// buffers are preallocated; a flush's record is amortised over 8192 rows).
func TestAddSpikeAllocs(t *testing.T) {
	d, _ := Open(t.TempDir(), hashA, nil, Options{Spikes: true, State: true})
	b, _ := d.NewBatch([]int{0}, testLayout("V_m", "I"))
	defer b.Abort()
	b.AddSpike(0, 0, 0, 0)
	b.AddSample(0, 2, 0, 0, []string{"V_m"}, []float32{1})
	var step int64
	vars, vals := []string{"V_m"}, []float32{-65}
	allocs := testing.AllocsPerRun(chunkRows-10, func() {
		step++
		b.AddSpike(0, 0, 3, step)
		b.AddSample(0, 2, 3, step, vars, vals)
	})
	if allocs != 0 {
		t.Errorf("%g allocations per call", allocs)
	}
}

func BenchmarkAddSpike(b *testing.B) {
	d, _ := Open(b.TempDir(), hashA, nil, Options{Spikes: true})
	bt, _ := d.NewBatch([]int{0, 1}, testLayout())
	defer bt.Abort()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bt.AddSpike((i>>7)&1, 0, int32(i%12500), int64(i))
	}
}

// TestConcurrentBatches commits batches from several goroutines (one
// batch each), as a multi-device run does.
func TestConcurrentBatches(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir, hashA, []string{"g"}, Options{Spikes: true})
	if err != nil {
		t.Fatal(err)
	}
	const workers = 4
	errs := make(chan error, workers)
	var all []pointData
	for w := 0; w < workers; w++ {
		pts := []pointData{makePoint(w, []string{"E", "I"}, 30, nil), makePoint(w+workers, []string{"E", "I"}, 30, nil)}
		all = append(all, pts...)
		go func() {
			b, err := d.NewBatch([]int{pts[0].point, pts[1].point}, testLayout())
			if err != nil {
				errs <- err
				return
			}
			for _, pd := range pts {
				for _, s := range pd.spikes {
					b.AddSpike(s.Point, recIndex(s.Recorder), s.Neuron, s.Step)
				}
				for _, pop := range pd.pops {
					b.AddSummary(summaryFor(pd, pop, 1))
				}
			}
			errs <- b.Commit()
		}()
	}
	for w := 0; w < workers; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Finish(nil); err != nil {
		t.Fatal(err)
	}
	spikes, err := ReadSpikes(filepath.Join(dir, spikesFile))
	if err != nil {
		t.Fatal(err)
	}
	if want := wantSpikes(all); !reflect.DeepEqual(spikes, want) {
		t.Errorf("%d spikes, want %d", len(spikes), len(want))
	}
}

// A point dropped from its batch (its simulation failed) leaves no rows and
// no files, is not done, and runs again in a later batch; the other points
// of its batch are committed.
func TestDropPoint(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir, hashA, []string{"g"}, Options{Spikes: true, State: true})
	if err != nil {
		t.Fatal(err)
	}
	vars := []string{"V_m"}
	p0, p1, p2 := makePoint(0, []string{"E", "I"}, 20, vars), makePoint(1, []string{"E", "I"}, 20, vars), makePoint(2, []string{"E", "I"}, 20, vars)
	b := newTestBatch(t, d, []pointData{p0, p1, p2}, vars)
	for i := 0; i < 2*chunkRows; i++ { // enough for point 1's spikes to reach its part file
		b.AddSpike(1, recIndex("spikes-E"), 0, 100+int64(i))
	}
	if err := b.Drop(1); err != nil {
		t.Fatal(err)
	}
	if err := b.Drop(1); err == nil || !strings.Contains(err.Error(), "not in the batch") {
		t.Errorf("second Drop of point 1: error %v", err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[int]bool{0: true, 1: false, 2: true} {
		if got := d.Done(p); got != want {
			t.Errorf("Done(%d) = %v, want %v", p, got, want)
		}
	}
	if parts := files(t, filepath.Join(dir, partsDir)); len(parts) != 9 { // summary + 2 points × 2 populations × (spikes, state)
		t.Errorf("parts after the drop: %q", parts)
	}
	// The dropped point runs again, alone: a batch of one cannot drop it.
	b = newTestBatch(t, d, []pointData{p1}, vars)
	if err := b.Drop(1); err == nil || !strings.Contains(err.Error(), "Abort") {
		t.Errorf("Drop of a batch's last point: error %v", err)
	}
	spikes := commitAndFinish(t, d, b)
	if want := wantSpikes([]pointData{p0, p1, p2}); !reflect.DeepEqual(spikes, want) {
		t.Errorf("%d spikes, want %d (the dropped rows must be gone)", len(spikes), len(want))
	}
}
