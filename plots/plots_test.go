package plots

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/runner"
	"github.com/snn-gpu/snn-gpu/output"
	"github.com/snn-gpu/snn-gpu/spec"
)

// small is the output folder of the runner's small sweep (a 2 × 2 grid
// over g and eta; spike recorders on E (all 400) and I (20), a multimeter
// of V_m and refractory_steps on 3 neurons of E; 300 ms, statistics from
// 100 ms on), run once for all tests.
var small string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "plots-test")
	if err != nil {
		panic(err)
	}
	small = filepath.Join(dir, "small")
	f, err := configs.Load("../internal/runner/testdata/small_sweep.toml", configs.Options{})
	if err == nil {
		_, err = runner.Run(context.Background(), f, runner.Options{
			Use: &cpu.Backend{Threads: 2}, Threads: 2, Batch: -1, Point: runner.AllPoints, OutDir: small,
		})
	}
	code := 1
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// panelsOf is how many panels each kind of figure has in the small run,
// how many x axes of 250 pixels or more it draws (the heat map's colour
// bar and the network figure's rates have none), and the axis labels its
// SVG shows (each once).
var panelsOf = map[string]struct {
	panels, xAxes int
	labels        []string
}{
	Raster:  {2, 2, []string{"neuron", "rate (Hz)", "time (ms)"}},
	Hist:    {2, 2, []string{"ISI (ms)", "intervals", "rate (Hz)", "neurons"}},
	Network: {2, 1, []string{"neurons by population", "time (ms)", "mean rate (Hz)"}},
	Traces:  {2, 2, []string{"V_m (mV)", "refractory_steps", "time (ms)"}},
	Heatmap: {2, 1, []string{"g", "eta", "rate (Hz)"}}, // the cells and the colour bar
}

// TestFigures renders every figure of the small run and checks its content:
// the PNG's size, the number of panels (data areas of the layout, and x
// axes drawn: the heat map's colour bar has none), ink in every data area,
// and the SVG's labels.
func TestFigures(t *testing.T) {
	f, err := Open(small)
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{}
	figs, notes, err := f.figures(&opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 0 {
		t.Errorf("notes %q", notes)
	}
	var names []string
	for _, fg := range figs {
		names = append(names, fg.name)
	}
	var want []string
	for _, kind := range []string{Raster, Hist} {
		for p := range 4 {
			want = append(want, fmt.Sprintf("%s_p%d_E", kind, p), fmt.Sprintf("%s_p%d_I", kind, p))
		}
	}
	for p := range 4 {
		want = append(want, fmt.Sprintf("network_p%d", p))
	}
	for p := range 4 {
		want = append(want, fmt.Sprintf("traces_p%d_E", p))
	}
	want = append(want, "heatmap_rate_hz_E", "heatmap_rate_hz_I")
	if !slices.Equal(names, want) {
		t.Fatalf("figures\n%q\nwant\n%q", names, want)
	}
	for _, fg := range figs {
		kind := fg.name[:strings.Index(fg.name, "_")]
		t.Run(fg.name, func(t *testing.T) {
			want := panelsOf[kind]
			areas := fg.fig.dataAreas()
			n := 0
			for _, row := range areas {
				n += len(row)
			}
			if n != want.panels {
				t.Fatalf("%d panels, want %d", n, want.panels)
			}
			data, err := fg.fig.encode("png")
			if err != nil {
				t.Fatal(err)
			}
			img := decodePNG(t, data)
			if lines := axisLines(img, 250); len(lines) != want.xAxes {
				t.Errorf("%d x axes drawn, want %d: %v", len(lines), want.xAxes, lines)
			}
			for _, row := range areas {
				for _, r := range row {
					if ink := inked(crop(img, r)); ink < 100 {
						t.Errorf("data area %v is blank (%d pixels inked)", r, ink)
					}
				}
			}
			svg, err := fg.fig.encode("svg")
			if err != nil {
				t.Fatal(err)
			}
			texts := svgTexts(t, svg)
			for _, l := range want.labels {
				if c := count(texts, l); c != 1 {
					t.Errorf("SVG has the label %q %d times, want once", l, c)
				}
			}
		})
	}
}

// crop is the part of a figure's PNG inside r (in points, origin bottom
// left), less a pixel of border.
func crop(img image.Image, r vg.Rectangle) image.Image {
	px := func(l vg.Length) int { return int(math.Round(l.Dots(dpi))) }
	h := img.Bounds().Dy()
	rect := image.Rect(px(r.Min.X)+1, h-px(r.Max.Y)+1, px(r.Max.X)-1, h-px(r.Min.Y)-1)
	return img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(rect)
}

// TestLayout: stacked panels share the time axis (the same left and right
// edges of their data areas) and take the heights their weights give; panels
// side by side share their top and bottom.
func TestLayout(t *testing.T) {
	panel := func() *plot.Plot {
		p := newPanel("", "x", "y")
		p.Add(plotter.NewFunction(func(x float64) float64 { return x }))
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1000
		return p
	}
	narrow := panel()
	narrow.Y.Max = 1 // shorter tick labels: a wider data area unless aligned
	cases := []struct {
		name       string
		fig        *figure
		rows, cols int
	}{
		{"stacked 3:1", &figure{title: "t", panels: [][]*plot.Plot{{panel()}, {narrow}}, rows: []float64{3, 1}, cols: []float64{1}}, 2, 1},
		{"three stacked", &figure{panels: [][]*plot.Plot{{panel()}, {panel()}, {panel()}}, rows: []float64{1, 1, 1}, cols: []float64{1}}, 3, 1},
		{"side by side", &figure{title: "t", panels: [][]*plot.Plot{{panel(), narrow}}, rows: []float64{1}, cols: []float64{1, 1}}, 1, 2},
	}
	near := func(a, b vg.Length) bool { return math.Abs(float64(a-b)) < 0.01 }
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			areas := c.fig.dataAreas()
			if len(areas) != c.rows || len(areas[0]) != c.cols {
				t.Fatalf("%d × %d data areas, want %d × %d", len(areas), len(areas[0]), c.rows, c.cols)
			}
			for i := range areas {
				for j := range areas[i] {
					a, first := areas[i][j], areas[0][j]
					if !near(a.Min.X, first.Min.X) || !near(a.Max.X, first.Max.X) {
						t.Errorf("column %d: row %d spans x %v–%v, row 0 %v–%v", j, i, a.Min.X, a.Max.X, first.Min.X, first.Max.X)
					}
					if b := areas[i][0]; !near(a.Min.Y, b.Min.Y) || !near(a.Max.Y, b.Max.Y) {
						t.Errorf("row %d: column %d spans y %v–%v, column 0 %v–%v", i, j, a.Min.Y, a.Max.Y, b.Min.Y, b.Max.Y)
					}
					if i > 0 && a.Max.Y >= areas[i-1][j].Min.Y {
						t.Errorf("row %d overlaps row %d", i, i-1)
					}
					if j > 0 && a.Min.X <= areas[i][j-1].Max.X {
						t.Errorf("column %d overlaps column %d", j, j-1)
					}
				}
			}
			if c.name == "stacked 3:1" {
				top, bottom := areas[0][0].Size().Y, areas[1][0].Size().Y
				if ratio := float64(top / bottom); ratio < 2.5 || ratio > 4.5 {
					t.Errorf("heights %v and %v: ratio %.2f, want about 3", top, bottom, ratio)
				}
			}
		})
	}
}

// TestHeatmapCells draws a 5 × 3 grid of distinct values and counts the
// cells along a row and a column of the PNG.
func TestHeatmapCells(t *testing.T) {
	var rows []output.SummaryRow
	for j, eta := range []float64{0.5, 1, 4} { // uneven: cells stay equal
		for i, g := range []float64{3, 4, 5, 6, 8} {
			rows = append(rows, output.SummaryRow{Point: len(rows), Values: []float64{eta, g}, Population: "E", RateHz: float64(i + 5*j)})
		}
	}
	rows[7].Label = "B"
	col, _ := columnNamed("rate_hz")
	g, err := newGrid(rows, []string{"eta", "g"}, 1, 0, "E", col, false)
	if err != nil {
		t.Fatal(err)
	}
	if c, r := g.Dims(); c != 5 || r != 3 {
		t.Fatalf("grid %d × %d, want 5 × 3", c, r)
	}
	if g.Z(2, 1) != 7 || g.labels.Labels[0] != "B" || g.labels.XYs[0] != (plotter.XY{X: 2, Y: 1}) {
		t.Errorf("cell (2, 1) = %v, labels %v", g.Z(2, 1), g.labels)
	}
	fig, err := heatmapFigure("t", "g", "eta", col, g, false)
	if err != nil {
		t.Fatal(err)
	}
	data, err := fig.encode("png")
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, data)
	area := fig.dataAreas()[0][0]
	px := func(l vg.Length) int { return int(math.Round(l.Dots(dpi))) }
	x0, x1 := px(area.Min.X)+2, px(area.Max.X)-2
	y0, y1 := img.Bounds().Dy()-px(area.Max.Y)+2, img.Bounds().Dy()-px(area.Min.Y)-2
	// Along the lowest row and the first column, away from the label.
	if n := runs(img, x0, y1-5, 1, 0, x1-x0, 20); n != 5 {
		t.Errorf("%d cells along a row, want 5", n)
	}
	if n := runs(img, x0+5, y0, 0, 1, y1-y0, 20); n != 3 {
		t.Errorf("%d cells along a column, want 3", n)
	}
}

func TestGridRefusesTwoPointsOnACell(t *testing.T) {
	rows := []output.SummaryRow{
		{Point: 0, Values: []float64{1, 5, 0.1}, Population: "E"},
		{Point: 1, Values: []float64{1, 5, 0.2}, Population: "E"},
	}
	col, _ := columnNamed("rate_hz")
	_, err := newGrid(rows, []string{"eta", "g", "J"}, 1, 0, "E", col, false)
	if err == nil || !strings.Contains(err.Error(), "points 0 and 1 are both at g = 5, eta = 1") {
		t.Errorf("err = %v", err)
	}
}

func TestHeatmapOfMissingValues(t *testing.T) {
	rows := []output.SummaryRow{
		{Point: 0, Values: []float64{1, 5}, Population: "E", RateHz: 0, CVISI: math.NaN()},
		{Point: 1, Values: []float64{1, 6}, Population: "E", RateHz: 10, CVISI: 0.5},
	}
	for _, c := range []struct {
		column string
		log    bool
		want   string // in the title, or the error
	}{
		{"cv_isi", false, "(grey: no value)"},
		{"rate_hz", true, "(log scale; grey: no value, or <= 0)"},
		{"rate_hz", false, ""},
	} {
		col, _ := columnNamed(c.column)
		g, err := newGrid(rows, []string{"eta", "g"}, 1, 0, "E", col, c.log)
		if err != nil {
			t.Fatal(err)
		}
		fig, err := heatmapFigure("T", "g", "eta", col, g, c.log)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(fig.title, c.want) || (c.want == "" && fig.title != "T") {
			t.Errorf("%s log=%v: title %q, want it to end %q", c.column, c.log, fig.title, c.want)
		}
	}
	rows[1].CVISI = math.NaN()
	col, _ := columnNamed("cv_isi")
	g, _ := newGrid(rows, []string{"eta", "g"}, 1, 0, "E", col, false)
	if _, err := heatmapFigure("T", "g", "eta", col, g, false); err == nil || err.Error() != "no point has a value of cv_isi" {
		t.Errorf("all missing: err = %v", err)
	}
}

// TestPopulationRate: spikes of 2 neurons in 5 ms bins over 12 ms; a spike
// stamped on a bin's end belongs to that bin.
func TestPopulationRate(t *testing.T) {
	spikes := []output.SpikeRow{{TimeMs: 0.1}, {TimeMs: 5}, {TimeMs: 5.1}, {TimeMs: 9.9}, {TimeMs: 12}}
	bins := populationRate(spikes, 2, 12, 5)
	want := []plotter.HistogramBin{
		{Min: 0, Max: 5, Weight: 2 / (2 * 0.005)},  // 0.1, 5
		{Min: 5, Max: 10, Weight: 2 / (2 * 0.005)}, // 5.1, 9.9
		{Min: 10, Max: 12, Weight: 1 / (2 * 0.002)},
	}
	if len(bins) != len(want) {
		t.Fatalf("bins %v", bins)
	}
	for i := range want {
		if math.Abs(bins[i].Min-want[i].Min) > 1e-12 || math.Abs(bins[i].Max-want[i].Max) > 1e-12 || math.Abs(bins[i].Weight-want[i].Weight) > 1e-9 {
			t.Errorf("bin %d = %+v, want %+v", i, bins[i], want[i])
		}
	}
}

// TestIntervalsAndRates: intervals within the window only, rates of every
// recorded neuron, silent ones included.
func TestIntervalsAndRates(t *testing.T) {
	spikes := []output.SpikeRow{
		{Neuron: 0, TimeMs: 50}, // before the window
		{Neuron: 0, TimeMs: 110}, {Neuron: 1, TimeMs: 120}, {Neuron: 0, TimeMs: 130},
		{Neuron: 1, TimeMs: 160}, {Neuron: 0, TimeMs: 175}, {Neuron: 0, TimeMs: 250}, // the last after it
	}
	isis, rates := intervalsAndRates(spikes, []int{0, 1, 2}, 100, 200)
	if !slices.Equal(isis, []float64{20, 40, 45}) {
		t.Errorf("intervals %v, want [20 40 45]", isis)
	}
	if !slices.Equal(rates, []float64{30, 20, 0}) {
		t.Errorf("rates %v, want [30 20 0]", rates)
	}
	for _, c := range []struct {
		values      []float64
		lo, quantum float64
		counts      []float64
		width       float64
	}{
		{[]float64{0, 1, 2, 4}, 0, 1, []float64{1, 1, 1, 0, 1}, 1},               // one quantum per bin
		{[]float64{0.1, 0.2, 0.2, 0.3, 2}, 0.1, 0.1, []float64{4, 0, 0, 1}, 0.5}, // 19 quanta in about 4 bins: 5 per bin
		{[]float64{1.25, 2.5, 2.5, 5}, 1.25, 1.25, []float64{1, 2, 0, 1}, 1.25},
		{nil, 0, 0.1, []float64{0}, 0.1},
	} {
		bins := histogram(c.values, c.lo, c.quantum, 4)
		var counts []float64
		for _, b := range bins {
			counts = append(counts, b.Weight)
		}
		w := bins[0].Max - bins[0].Min
		if !slices.Equal(counts, c.counts) || math.Abs(w-c.width) > 1e-9 || math.Abs(bins[0].Min-(c.lo-c.quantum/2)) > 1e-9 {
			t.Errorf("histogram(%v, %v, %v, 4) = %v, want counts %v of width %v", c.values, c.lo, c.quantum, bins, c.counts, c.width)
		}
	}
}

// TestWrite writes PNG and SVG of a selection and checks the files.
func TestWrite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "figs")
	res, err := Write(small, Options{Points: []int{2}, Population: "E", Formats: Formats, OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, name := range []string{"raster_p2_E", "hist_p2_E", "traces_p2_E", "heatmap_rate_hz_E"} {
		want = append(want, filepath.Join(out, name+".png"), filepath.Join(out, name+".svg"))
	}
	if !slices.Equal(res.Files, want) {
		t.Fatalf("files\n%q\nwant\n%q", res.Files, want)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != len(want) {
		t.Errorf("%d entries in %s, want %d (no temporary files)", len(entries), out, len(want))
	}
	for _, path := range res.Files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(path, ".png") {
			decodePNG(t, data)
		} else if texts := svgTexts(t, data); len(texts) < 5 {
			t.Errorf("%s: %d texts", path, len(texts))
		}
	}
	// The default folder is OUT_DIR/plots.
	copyDir := copyRun(t, runFile, summaryFile)
	res, err = Write(copyDir, Options{Kinds: []string{Heatmap}, Column: "cv_isi", Log: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(copyDir, "plots", "heatmap_cv_isi_E.png"), filepath.Join(copyDir, "plots", "heatmap_cv_isi_I.png")}; !slices.Equal(res.Files, want) {
		t.Errorf("files %q, want %q", res.Files, want)
	}
}

// copyRun copies files of the small run to a new folder.
func copyRun(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(small, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestRefusals: each refusal names the folder or flag and what was
// expected, and writes nothing.
func TestRefusals(t *testing.T) {
	noSpikes := copyRun(t, runFile, summaryFile, stateFile)
	noTables := copyRun(t, runFile)
	oneSwept := copyRun(t, summaryFile)
	var run map[string]any
	data, _ := os.ReadFile(filepath.Join(small, runFile))
	if err := json.Unmarshal(data, &run); err != nil {
		t.Fatal(err)
	}
	run["swept"] = []string{"g"}
	data, _ = json.Marshal(run)
	os.WriteFile(filepath.Join(oneSwept, runFile), data, 0o644)
	empty := t.TempDir()
	cases := []struct {
		name string
		dir  string
		opt  Options
		want string
	}{
		{"no run.json", empty, Options{}, empty + ": no run.json: not the output folder of a finished run"},
		{"no folder", filepath.Join(empty, "nope"), Options{}, "no such file or directory"},
		{"raster without spikes", noSpikes, Options{Kinds: []string{Raster}}, noSpikes + ": no spikes.parquet: record spikes with a spike_recorder"},
		{"traces without state", noTables, Options{Kinds: []string{Traces}}, noTables + ": no state.parquet: record state variables with a multimeter"},
		{"nothing to plot", noTables, Options{Points: []int{0}},
			"nothing to plot: no raster, hist or network figure: " + noTables + ": no spikes.parquet: record spikes with a spike_recorder"},
		{"heat map without a two-parameter sweep", oneSwept, Options{Kinds: []string{Heatmap}}, "no heatmap figure: a heat map needs a sweep over two parameters (the run sweeps g)"},
		{"point past the run", small, Options{Points: []int{4}}, "--point 4: expected a point from 0 to 3 (the run has 4)"},
		{"unknown population", small, Options{Population: "X"}, "--population X: expected one of the run's populations: E, I"},
		{"traces of a population without a multimeter", small, Options{Population: "I", Kinds: []string{Traces}}, "no traces figure: no multimeter records population I"},
		{"unknown column", small, Options{Column: "rate"}, "--column rate: expected a summary column, one of rate_hz, cv_isi"},
		{"axes not swept", small, Options{Axes: []string{"g", "J"}}, "--axes g,J: J is not swept (the run sweeps eta, g)"},
		{"one axis", small, Options{Axes: []string{"g"}}, "--axes g: expected two different swept names, X,Y"},
		{"unknown figure", small, Options{Kinds: []string{"spectrum"}}, "--figure spectrum: expected one of raster, hist, network, traces, heatmap"},
		{"unknown format", small, Options{Formats: []string{"gif"}}, "--format gif: expected png, svg or both"},
		{"negative bin", small, Options{BinMs: -1}, "--bin -1: expected a bin width in ms > 0"},
		{"window past the run", small, Options{Points: []int{1}, Window: []float64{250, 400}},
			small + ": --window 250,400: expected LO,HI in ms with 0 <= LO < HI <= 300, within the run of point 1 (t_sim = 300 ms)"},
		{"network without a summary", copyRun(t, runFile, spikesFile), Options{Kinds: []string{Network}}, "no summary.parquet: the run has not finished"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			c.opt.OutDir = out
			_, err := Write(c.dir, c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s exists after a refusal", out)
			}
		})
	}
}

func TestTitles(t *testing.T) {
	f := &Folder{Swept: []string{"eta", "g"}}
	for _, c := range []struct {
		p    Point
		want string
	}{
		{Point{Index: 2, Values: []float64{2, 5}, Label: "C"}, "point 2 (C: eta = 2, g = 5)"},
		{Point{Index: 0, Values: []float64{0.9, 4.5}}, "point 0 (eta = 0.9, g = 4.5)"},
		{Point{Index: 1, Values: []float64{1.0 / 3, 50000}}, "point 1 (eta = 0.3333, g = 50000)"},
	} {
		if got := f.Title(c.p); got != c.want {
			t.Errorf("Title = %q, want %q", got, c.want)
		}
	}
	if got := (&Folder{}).Title(Point{Index: 0, Label: "A"}); got != "point 0 (A)" {
		t.Errorf("Title = %q", got)
	}
}

// TestStandsFor: a gif_pop_psc_exp node is its N neurons (the raster's
// rate divides by them), other nodes are one.
func TestStandsFor(t *testing.T) {
	for _, c := range []struct {
		model  string
		params map[string]spec.Float
		want   int
	}{
		{"gif_pop_psc_exp", map[string]spec.Float{"N": 800}, 800},
		{"iaf_psc_delta", map[string]spec.Float{"V_th": 20}, 1},
		{"no_such_model", nil, 1},
	} {
		if got := standsFor(c.model, c.params); got != c.want {
			t.Errorf("%s: %d, want %d", c.model, got, c.want)
		}
	}

}
