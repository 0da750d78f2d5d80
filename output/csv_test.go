package output

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readCSV reads a CSV view with Go's RFC 4180 reader: its header and rows.
func readCSV(t *testing.T, path string) (header []string, rows [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(all) == 0 {
		t.Fatalf("%s: no header", path)
	}
	return all[0], all[1:]
}

// csvFields reads the fields of one CSV row by column name and compares
// them with the Parquet table's values.
type csvFields struct {
	t      *testing.T
	where  string
	header []string
	row    []string
}

func (c csvFields) get(col string) string {
	i := slices.Index(c.header, col)
	if i < 0 {
		c.t.Fatalf("%s: no column %s in %q", c.where, col, c.header)
	}
	return c.row[i]
}

func (c csvFields) text(col, want string) {
	if got := c.get(col); got != want {
		c.t.Errorf("%s: %s %q, Parquet %q", c.where, col, got, want)
	}
}

func (c csvFields) int(col string, want int64) {
	if got, err := strconv.ParseInt(c.get(col), 10, 64); err != nil || got != want {
		c.t.Errorf("%s: %s %q, Parquet %d", c.where, col, c.get(col), want)
	}
}

// float compares a number of bits (64, or 32 for float32 columns); NaN in
// a table read back is a NULL: an empty field.
func (c csvFields) float(col string, want float64, bits int) {
	s := c.get(col)
	if math.IsNaN(want) {
		if s != "" {
			c.t.Errorf("%s: %s %q, Parquet NULL", c.where, col, s)
		}
		return
	}
	if got, err := strconv.ParseFloat(s, bits); err != nil || got != want {
		c.t.Errorf("%s: %s %q, Parquet %v", c.where, col, s, want)
	}
}

// train compares the columns spikes and state share.
func (c csvFields) train(s SpikeRow) {
	c.int("point", int64(s.Point))
	c.text("population", s.Population)
	c.text("recorder", s.Recorder)
	c.int("neuron", int64(s.Neuron))
	c.float("time_ms", s.TimeMs, 64)
	c.int("step", s.Step)
}

// oddLayout is testLayout with dt 0.1 (times with decimals), a long
// window, and names that need quoting: a comma and quotes in E's name, a
// line break in a recorder's.
func oddLayout() Layout {
	l := testLayout("V_m", "I_syn")
	l.Dt = 0.1
	for i := range l.Recorders {
		l.Recorders[i].Stop = 1 << 30
		if l.Recorders[i].Population == "E" {
			l.Recorders[i].Population = `E, "exc"`
		}
	}
	l.Recorders[1].Name = "spikes\nI"
	return l
}

// writeCSVRun writes a run of two points with awkward names and values
// and the CSV view, and returns its folder.
func writeCSVRun(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	opt := Options{Spikes: true, State: true, CSV: true}
	swept := []string{"g"}
	d, err := Open(dir, hashA, swept, opt)
	if err != nil {
		t.Fatal(err)
	}
	l := oddLayout()
	e, i := `E, "exc"`, "I"
	b, err := d.NewBatch([]int{0, 1}, l)
	if err != nil {
		t.Fatal(err)
	}
	b.AddSpike(0, 0, 2, 137) // 13.7 ms
	b.AddSpike(0, 1, 0, 3)
	b.AddSpike(1, 0, 1, 1234567)
	b.AddSample(0, 2, 1, 5, []string{"V_m"}, []float32{-70.1})
	b.AddSample(0, 2, 1, 10, []string{"I_syn"}, []float32{0.3}) // V_m NULL
	for _, pt := range []int{0, 1} {
		for _, pop := range []string{e, i} {
			r := summaryFor(pointData{point: pt, label: []string{"plain", "a,b"}[pt]}, pop, 1)
			r.PeakHz = 1e-7 // an exponent
			b.AddSummary(r)
		}
	}
	b.SetWallTime(time.Second)
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := d.Finish(nil); err != nil {
		t.Fatal(err)
	}
	d.Close()
	return dir
}

// The CSV view holds what the Parquet tables hold, row by row (read back
// independently: Parquet through Arrow, CSV with encoding/csv), the times
// as the grid's decimals, NULL as an empty field, names quoted only where
// RFC 4180 needs it; its files are checksummed and part of the run.
func TestCSVView(t *testing.T) {
	dir := writeCSVRun(t)
	swept, opt := []string{"g"}, Options{Spikes: true, State: true, CSV: true}

	// Summary.
	_, sum, err := ReadSummary(filepath.Join(dir, summaryFile))
	if err != nil {
		t.Fatal(err)
	}
	header, rows := readCSV(t, filepath.Join(dir, "summary.csv"))
	wantHeader := []string{"point", "g", "label", "population", "n", "rate_hz", "cv_isi", "fano", "peak_hz", "peak_power", "synapses", "backend",
		"rate_mean", "rate_sd", "rate_final", "rate_settle_ms"}
	if !slices.Equal(header, wantHeader) || len(rows) != len(sum) || len(sum) != 4 {
		t.Fatalf("summary.csv: header %q, %d rows; want %q, %d rows", header, len(rows), wantHeader, len(sum))
	}
	for k, r := range sum {
		c := csvFields{t, "summary.csv row " + strconv.Itoa(k), header, rows[k]}
		c.int("point", int64(r.Point))
		c.float("g", r.Values[0], 64)
		c.text("label", r.Label)
		c.text("population", r.Population)
		c.int("n", int64(r.N))
		c.float("rate_hz", r.RateHz, 64)
		c.float("cv_isi", r.CVISI, 64)
		c.float("fano", r.Fano, 64)
		c.float("peak_hz", r.PeakHz, 64)
		c.float("peak_power", r.PeakPower, 64)
		c.int("synapses", r.Synapses)
		c.text("backend", r.Backend)
		c.float("rate_mean", r.RateMean, 64)
		c.float("rate_settle_ms", r.RateSettleMs, 64)
	}

	// Spikes and state.
	trains := []string{"point", "population", "recorder", "neuron", "time_ms", "step"}
	spikes, err := ReadSpikes(filepath.Join(dir, spikesFile))
	if err != nil {
		t.Fatal(err)
	}
	header, rows = readCSV(t, filepath.Join(dir, "spikes.csv"))
	if !slices.Equal(header, trains) || len(rows) != len(spikes) || len(spikes) != 3 {
		t.Fatalf("spikes.csv: header %q, %d rows, Parquet %d", header, len(rows), len(spikes))
	}
	for k, s := range spikes {
		csvFields{t, "spikes.csv row " + strconv.Itoa(k), header, rows[k]}.train(s)
	}
	vars, state, err := ReadState(filepath.Join(dir, stateFile))
	if err != nil {
		t.Fatal(err)
	}
	header, rows = readCSV(t, filepath.Join(dir, "state.csv"))
	if !slices.Equal(header, append(trains, vars...)) || len(rows) != len(state) || len(state) != 2 {
		t.Fatalf("state.csv: header %q, %d rows, Parquet %d", header, len(rows), len(state))
	}
	for k, s := range state {
		c := csvFields{t, "state.csv row " + strconv.Itoa(k), header, rows[k]}
		c.train(SpikeRow{s.Point, s.Population, s.Recorder, s.Neuron, s.TimeMs, s.Step})
		for v, name := range vars {
			c.float(name, float64(s.Values[v]), 32)
		}
	}

	// The text itself: the grid's decimals, the shortest float32 decimal,
	// NULL as nothing, quotes only where needed.
	text := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	for name, lines := range map[string][]string{
		"spikes.csv": {
			`0,"E, ""exc""",spikes-E,2,13.7,137`,
			"0,I,\"spikes\nI\",0,0.3,3",
			`1,"E, ""exc""",spikes-E,1,123456.7,1234567`,
		},
		"state.csv": {
			`0,"E, ""exc""",multimeter-E,1,0.5,5,-70.1,`,
			`0,"E, ""exc""",multimeter-E,1,1,10,,0.3`,
		},
		"summary.csv": {
			`0,0,plain,"E, ""exc""",108,0.25,,Infinity,1e-7,3.5,0,cpu,0,0,0,0`,
			`1,1,"a,b",I,101,1.25,,Infinity,1e-7,3.5,1000,cpu,0,0,0,0`,
		},
	} {
		got := text(name)
		for _, line := range lines {
			if !strings.Contains(got, "\n"+line+"\n") {
				t.Errorf("%s lacks the line %q:\n%s", name, line, got)
			}
		}
	}

	// Checksummed, and part of the run's identity.
	prog := text(progressFile)
	for _, name := range []string{"summary.csv", "spikes.csv", "state.csv"} {
		if !strings.Contains(prog, `"name": "`+name+`"`) {
			t.Errorf("progress.json has no checksum of %s", name)
		}
	}
	if _, err := Open(dir, hashA, swept, Options{Spikes: true, State: true}); err == nil || !strings.Contains(err.Error(), "csv=true") {
		t.Errorf("reopening without the CSV view: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "spikes.csv"), []byte(strings.Replace(text("spikes.csv"), "13.7", "13.8", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, hashA, swept, opt); err == nil || !strings.Contains(err.Error(), "spikes.csv was rewritten") {
		t.Errorf("an edited spikes.csv: %v", err)
	}
}

// A table without rows is its header line alone; without the option there
// is no CSV.
func TestCSVEmptyTables(t *testing.T) {
	for _, csvOn := range []bool{true, false} {
		dir := t.TempDir()
		d, err := Open(dir, hashA, []string{"g"}, Options{Spikes: true, State: true, CSV: csvOn})
		if err != nil {
			t.Fatal(err)
		}
		b, err := d.NewBatch([]int{0}, testLayout("V_m", "I_syn")) // recorders that see nothing
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Commit(); err != nil { // nor a summary row
			t.Fatal(err)
		}
		if err := d.Finish(nil); err != nil {
			t.Fatal(err)
		}
		d.Close()
		for name, want := range map[string]string{
			"summary.csv": "point,g,population,n,rate_hz,cv_isi,fano,peak_hz,peak_power,synapses,backend,rate_mean,rate_sd,rate_final,rate_settle_ms\n",
			"spikes.csv":  "point,population,recorder,neuron,time_ms,step\n",
			"state.csv":   "point,population,recorder,neuron,time_ms,step,V_m,I_syn\n",
		} {
			data, err := os.ReadFile(filepath.Join(dir, name))
			switch {
			case !csvOn && !os.IsNotExist(err):
				t.Errorf("%s without the CSV view: %v", name, err)
			case csvOn && (err != nil || string(data) != want):
				t.Errorf("%s: %q, %v; want %q", name, data, err, want)
			}
		}
	}
}

// The tables, Parquet and CSV, are the same bytes however the points were
// batched and however long the batches took: the measured time is in
// progress.json alone.
func TestTablesRepeatAcrossBatchesAndTimes(t *testing.T) {
	vars := []string{"V_m"}
	pts := []pointData{makePoint(0, []string{"E", "I"}, 30, vars), makePoint(1, []string{"E", "I"}, 30, vars), makePoint(2, []string{"E", "I"}, 30, vars)}
	write := func(batches [][]pointData, wall time.Duration) (string, []BatchTime) {
		dir := t.TempDir()
		d, err := Open(dir, hashA, []string{"g"}, Options{Spikes: true, State: true, CSV: true})
		if err != nil {
			t.Fatal(err)
		}
		for k, pb := range batches {
			b := newTestBatch(t, d, pb, vars)
			b.SetWallTime(wall * time.Duration(k+1))
			if err := b.Commit(); err != nil {
				t.Fatal(err)
			}
		}
		times := d.Batches()
		if err := d.Finish(nil); err != nil {
			t.Fatal(err)
		}
		d.Close()
		return dir, times
	}
	one, oneTimes := write([][]pointData{pts}, time.Second)
	split, splitTimes := write([][]pointData{pts[2:], pts[:2]}, 3*time.Second) // the later points first
	if want := []BatchTime{{Points: []int{0, 1, 2}, WallS: 1}}; !batchTimesEqual(oneTimes, want) {
		t.Errorf("one batch: %v, want %v", oneTimes, want)
	}
	if want := []BatchTime{{Points: []int{0, 1}, WallS: 6}, {Points: []int{2}, WallS: 3}}; !batchTimesEqual(splitTimes, want) {
		t.Errorf("two batches: %v, want %v (by first point)", splitTimes, want)
	}
	for _, name := range []string{summaryFile, spikesFile, stateFile, "summary.csv", "spikes.csv", "state.csv"} {
		a, errA := os.ReadFile(filepath.Join(one, name))
		b, errB := os.ReadFile(filepath.Join(split, name))
		if errA != nil || errB != nil || !bytes.Equal(a, b) || len(a) == 0 {
			t.Errorf("%s differs (%d and %d bytes; %v, %v)", name, len(a), len(b), errA, errB)
		}
	}
}

func batchTimesEqual(a, b []BatchTime) bool {
	return slices.EqualFunc(a, b, func(x, y BatchTime) bool { return slices.Equal(x.Points, y.Points) && x.WallS == y.WallS })
}

// A resumed run reports the batches an earlier process committed, with
// their times (from progress.json).
func TestBatchTimesSurviveResume(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir, hashA, nil, Options{Spikes: true})
	if err != nil {
		t.Fatal(err)
	}
	b := newTestBatch(t, d, []pointData{makePoint(0, []string{"E"}, 5, nil)}, nil)
	b.SetWallTime(1500 * time.Millisecond)
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	die(d)
	if d, err = Open(dir, hashA, nil, Options{Spikes: true}); err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if got, want := d.Batches(), []BatchTime{{Points: []int{0}, WallS: 1.5}}; !batchTimesEqual(got, want) {
		t.Errorf("after resuming: %v, want %v", got, want)
	}
}

// Numbers as JSON and JavaScript write them.
func TestAppendNumber(t *testing.T) {
	cases := []struct {
		x    float64
		bits int
		want string
	}{
		{13.7, 64, "13.7"},
		{math.Nextafter(13.7, 14), 64, "13.700000000000001"}, // 137 · 0.1 in float64
		{0, 64, "0"},
		{-0.5, 64, "-0.5"},
		{1e-6, 64, "0.000001"},
		{1e-7, 64, "1e-7"},
		{-2.5e-10, 64, "-2.5e-10"},
		{5e-324, 64, "5e-324"},
		{123456789012345680000, 64, "123456789012345680000"},
		{1e21, 64, "1e+21"},
		{1.5e300, 64, "1.5e+300"},
		{float64(float32(0.1)), 32, "0.1"},
		{float64(float32(-70.1)), 32, "-70.1"},
		{float64(float32(0.1)), 64, "0.10000000149011612"},
		{math.Inf(1), 64, "Infinity"},
		{math.Inf(-1), 32, "-Infinity"},
		{math.NaN(), 64, "NaN"},
	}
	for _, c := range cases {
		if got := string(appendNumber(nil, c.x, c.bits)); got != c.want {
			t.Errorf("appendNumber(%v, %d) = %q, want %q", c.x, c.bits, got, c.want)
		}
	}
}

// ReadSummaryCSV and ReadSpikesCSV read the CSV view back as the Parquet
// readers read the tables (what compare uses for a NEST script's folder).
func TestCSVReadersMatchParquet(t *testing.T) {
	dir := writeCSVRun(t)
	swept, sum, err := ReadSummary(filepath.Join(dir, summaryFile))
	if err != nil {
		t.Fatal(err)
	}
	cswept, csum, err := ReadSummaryCSV(filepath.Join(dir, "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	same := func(a, b SummaryRow) bool {
		eq := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
		return a.Point == b.Point && slices.EqualFunc(a.Values, b.Values, eq) && a.Label == b.Label &&
			a.Population == b.Population && a.N == b.N && eq(a.RateHz, b.RateHz) && eq(a.CVISI, b.CVISI) &&
			eq(a.Fano, b.Fano) && eq(a.PeakHz, b.PeakHz) && eq(a.PeakPower, b.PeakPower) &&
			a.Synapses == b.Synapses && a.Backend == b.Backend
	}
	if !slices.Equal(swept, cswept) || !slices.EqualFunc(sum, csum, same) || len(sum) == 0 {
		t.Errorf("summary.csv reads as %q %+v, summary.parquet as %q %+v", cswept, csum, swept, sum)
	}
	spikes, err := ReadSpikes(filepath.Join(dir, spikesFile))
	if err != nil {
		t.Fatal(err)
	}
	cspikes, err := ReadSpikesCSV(filepath.Join(dir, "spikes.csv"))
	if err != nil || !slices.Equal(spikes, cspikes) || len(spikes) == 0 {
		t.Errorf("spikes.csv reads as %+v, %v; spikes.parquet as %+v", cspikes, err, spikes)
	}
	bad := filepath.Join(t.TempDir(), "summary.csv")
	os.WriteFile(bad, []byte("point,population,n,rate_hz,cv_isi,fano,peak_hz,peak_power,synapses,backend\n0,E,ten,1,,,,,0,nest\n"), 0o644)
	if _, _, err := ReadSummaryCSV(bad); err == nil || !strings.Contains(err.Error(), `line 2, column n: "ten" is not a whole number`) {
		t.Errorf("a bad field: %v", err)
	}
}
