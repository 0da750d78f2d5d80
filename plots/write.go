package plots

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/snn-gpu/snn-gpu/output"
)

// The kinds of figure.
const (
	Raster  = "raster"  // spikes over the population rate, per point and spike_recorder
	Hist    = "hist"    // ISI and rate distributions, per point and spike_recorder
	Network = "network" // every spike_recorder stacked beside their rates, per point
	Traces  = "traces"  // multimeter samples, per point and multimeter
	Heatmap = "heatmap" // a summary column over two swept parameters, per population
)

// Kinds lists the kinds of figure in the order Write draws them.
var Kinds = []string{Raster, Hist, Network, Traces, Heatmap}

// Formats lists the image formats.
var Formats = []string{"png", "svg"}

// Defaults of Options.
const (
	DefaultBinMs = 5.0 // NEST's raster_plot bins the population rate in 5 ms
	// MaxDefaultPoints is the most points that get per-point figures
	// without Options.Points: a larger sweep is a heat map's business.
	MaxDefaultPoints = 16
	DefaultColumn    = "rate_hz"
)

// Options choose what Write draws.
type Options struct {
	Points     []int     // points of the per-point figures; nil: every point, up to MaxDefaultPoints
	Population string    // "": every population
	Kinds      []string  // nil: every kind the folder has the tables for
	Column     string    // the heat map's summary column; "": DefaultColumn
	Axes       []string  // the heat map's x and y swept names; nil: the last and the first of two
	Log        bool      // colour the heat map by the logarithm of the column
	BinMs      float64   // bin of the raster's population rate (ms); 0: DefaultBinMs
	Window     []float64 // the network figure's LO, HI (ms), or its length at the end of the run; nil: DefaultWindowMs
	Formats    []string  // nil: png
	OutDir     string    // "": DIR/plots
}

// Result is what Write did.
type Result struct {
	Dir   string   // where the figures are
	Files []string // the files written, in order
	Notes []string // what was left out, and why
}

// named is a figure and the base name of its files.
type named struct {
	name string
	fig  *figure
}

// Write draws the figures of the output folder dir and writes them to
// opt.OutDir. It checks everything and renders every figure before it
// creates the folder or writes a file, and writes each file under a
// temporary name first.
func Write(dir string, opt Options) (*Result, error) {
	f, err := Open(dir)
	if err != nil {
		return nil, err
	}
	figs, notes, err := f.figures(&opt)
	if err != nil {
		return nil, err
	}
	res := &Result{Dir: opt.OutDir, Notes: notes}
	type file struct {
		path string
		data []byte
	}
	var files []file
	for _, fg := range figs {
		for _, format := range opt.Formats {
			data, err := fg.fig.encode(format)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", fg.name, format, err)
			}
			files = append(files, file{filepath.Join(opt.OutDir, fg.name+"."+format), data})
		}
	}
	if err := os.MkdirAll(opt.OutDir, 0o755); err != nil {
		return nil, err
	}
	for _, fl := range files {
		if err := writeFile(fl.path, fl.data); err != nil {
			return res, err
		}
		res.Files = append(res.Files, fl.path)
	}
	return res, nil
}

// figures checks opt (filling in its defaults) and makes the figures it
// asks for, with notes on what was left out.
func (f *Folder) figures(opt *Options) ([]named, []string, error) {
	if err := f.check(opt); err != nil {
		return nil, nil, err
	}
	explicit := opt.Kinds != nil
	kinds := opt.Kinds
	var notes []string
	if !explicit {
		kinds, notes = f.available(*opt)
	}
	points := opt.Points
	if points == nil {
		if len(f.Points) <= MaxDefaultPoints {
			for _, p := range f.Points {
				points = append(points, p.Index)
			}
		} else if !explicit && slices.ContainsFunc(kinds, perPoint) {
			notes = append(notes, fmt.Sprintf("%d points: raster, hist and traces only for the points given with --point", len(f.Points)))
			kinds = slices.DeleteFunc(kinds, perPoint)
		}
	}
	var figs []named
	for _, kind := range Kinds {
		if !slices.Contains(kinds, kind) {
			continue
		}
		var got []named
		var why []string
		var err error
		switch kind {
		case Raster, Hist:
			got, why, err = f.spikeFigures(kind, points, *opt)
		case Network:
			got, why, err = f.networkFigures(points, *opt)
		case Traces:
			got, why, err = f.traceFigures(points, *opt)
		case Heatmap:
			got, why, err = f.heatmaps(*opt)
		}
		if err != nil {
			return nil, nil, err
		}
		for _, w := range why {
			if explicit && len(got) == 0 {
				return nil, nil, fmt.Errorf("%s: no %s figure: %s", f.Dir, kind, w)
			}
			notes = append(notes, fmt.Sprintf("no %s figure: %s", kind, w))
		}
		figs = append(figs, got...)
	}
	if len(figs) == 0 {
		return nil, nil, fmt.Errorf("%s: nothing to plot: %s", f.Dir, strings.Join(notes, "; "))
	}
	return figs, notes, nil
}

func perPoint(kind string) bool { return kind != Heatmap }

// check validates opt against the folder and fills in its defaults.
func (f *Folder) check(opt *Options) error {
	if opt.OutDir == "" {
		opt.OutDir = filepath.Join(f.Dir, "plots")
	}
	if opt.Formats == nil {
		opt.Formats = []string{"png"}
	}
	for _, format := range opt.Formats {
		if !slices.Contains(Formats, format) {
			return fmt.Errorf("--format %s: expected png, svg or both", format)
		}
	}
	for _, k := range opt.Kinds {
		if !slices.Contains(Kinds, k) {
			return fmt.Errorf("--figure %s: expected one of %s", k, strings.Join(Kinds, ", "))
		}
	}
	for _, k := range opt.Points {
		if k < 0 || k >= len(f.Points) {
			return fmt.Errorf("%s: --point %d: expected a point from 0 to %d (the run has %d)", f.Dir, k, len(f.Points)-1, len(f.Points))
		}
	}
	if opt.Population != "" {
		if _, ok := f.Points[0].population(opt.Population); !ok {
			var names []string
			for _, p := range f.Points[0].Populations {
				names = append(names, p.Name)
			}
			return fmt.Errorf("%s: --population %s: expected one of the run's populations: %s", f.Dir, opt.Population, strings.Join(names, ", "))
		}
	}
	if opt.Column == "" {
		opt.Column = DefaultColumn
	}
	if _, err := columnNamed(opt.Column); err != nil {
		return err
	}
	if opt.Axes != nil {
		if len(opt.Axes) != 2 || opt.Axes[0] == opt.Axes[1] {
			return fmt.Errorf("--axes %s: expected two different swept names, X,Y", strings.Join(opt.Axes, ","))
		}
		for _, a := range opt.Axes {
			if !slices.Contains(f.Swept, a) {
				return fmt.Errorf("%s: --axes %s: %s is not swept (the run sweeps %s)", f.Dir, strings.Join(opt.Axes, ","), a, sweptList(f.Swept))
			}
		}
	}
	if opt.BinMs == 0 {
		opt.BinMs = DefaultBinMs
	}
	if !(opt.BinMs > 0) {
		return fmt.Errorf("--bin %g: expected a bin width in ms > 0", opt.BinMs)
	}
	return nil
}

// available returns the kinds of figure the folder has the tables for, and
// a note for each other kind.
func (f *Folder) available(opt Options) (kinds, notes []string) {
	for _, kind := range Kinds {
		var why string
		switch kind {
		case Raster, Hist, Network:
			if !f.has(spikesFile) {
				why = f.missing(spikesFile).Error()
			} else if kind == Network && !f.has(summaryFile) {
				why = f.missing(summaryFile).Error()
			}
		case Traces:
			if !f.has(stateFile) {
				why = f.missing(stateFile).Error()
			}
		case Heatmap:
			if len(f.Swept) != 2 && opt.Axes == nil {
				why = "a heat map needs a sweep over two parameters (the run sweeps " + sweptList(f.Swept) + ")"
			} else if !f.has(summaryFile) {
				why = f.missing(summaryFile).Error()
			}
		}
		switch {
		case why == "":
			kinds = append(kinds, kind)
		case kind == Raster:
			notes = append(notes, "no raster, hist or network figure: "+why)
		case kind == Hist, kind == Network && !f.has(spikesFile):
			// said with the raster
		default:
			notes = append(notes, fmt.Sprintf("no %s figure: %s", kind, why))
		}
	}
	return kinds, notes
}

func sweptList(swept []string) string {
	if len(swept) == 0 {
		return "nothing"
	}
	return strings.Join(swept, ", ")
}

// recKey names the rows of one recorder at one point.
type recKey struct {
	point    int
	recorder string
}

// byRecorder groups rows by point and recorder, keeping their order.
func byRecorder[R any](rows []R, key func(R) recKey) map[recKey][]R {
	by := map[recKey][]R{}
	for _, r := range rows {
		k := key(r)
		by[k] = append(by[k], r)
	}
	return by
}

// target is one recorder at one point, with the base name of its figure
// and how titles call it.
type target struct {
	point Point
	rec   Recorder
	name  string // kind_pK_POPULATION, and _RECORDER when the population has more than one recorder of the model
	who   string // the population, and the recorder in parentheses in that case
}

// targets returns the recorders of a model at the given points.
func (f *Folder) targets(kind, model string, points []int, opt Options) []target {
	var out []target
	for _, k := range points {
		p := f.Points[k]
		per := map[string]int{}
		for _, r := range p.Recorders {
			if r.Model == model {
				per[r.Source]++
			}
		}
		for _, r := range p.Recorders {
			if r.Model != model || (opt.Population != "" && r.Source != opt.Population) {
				continue
			}
			t := target{point: p, rec: r, name: fmt.Sprintf("%s_p%d_%s", kind, p.Index, safe(r.Source)), who: r.Source}
			if per[r.Source] > 1 {
				t.name += "_" + safe(r.Name)
				t.who += " (" + r.Name + ")"
			}
			out = append(out, t)
		}
	}
	return out
}

// spikeTargets returns the spike_recorders at the points and the spikes
// by point and recorder, or why there are none.
func (f *Folder) spikeTargets(kind string, points []int, opt Options) ([]target, map[recKey][]output.SpikeRow, string, error) {
	targets := f.targets(kind, "spike_recorder", points, opt)
	if len(targets) == 0 {
		return nil, nil, noRecorder("spike_recorder", points, opt), nil
	}
	rows, err := f.Spikes()
	if err != nil {
		return nil, nil, "", err
	}
	return targets, byRecorder(rows, func(r output.SpikeRow) recKey { return recKey{r.Point, r.Recorder} }), "", nil
}

// spikeFigures draws a raster or hist figure per spike_recorder and point,
// and says why a recorder has none.
func (f *Folder) spikeFigures(kind string, points []int, opt Options) ([]named, []string, error) {
	targets, by, why, err := f.spikeTargets(kind, points, opt)
	if err != nil || targets == nil {
		return nil, []string{why}, err // figures returns err first
	}
	var out []named
	var notes []string
	for _, t := range targets {
		spikes := by[recKey{t.point.Index, t.rec.Name}]
		pop, _ := t.point.population(t.rec.Source)
		switch {
		case kind == Raster:
			title := fmt.Sprintf("Spikes of %s, %s", t.who, f.Title(t.point))
			out = append(out, named{t.name, rasterFigure(title, t.point, t.rec, pop.StandsFor, spikes, opt.BinMs)})
		case pop.StandsFor > 1:
			notes = append(notes, fmt.Sprintf("%s: a node of %s stands for %d neurons: no intervals or rates of single neurons", t.name, pop.Name, pop.StandsFor))
		default:
			lo, hi := window(t.point, t.rec)
			if hi <= lo {
				notes = append(notes, fmt.Sprintf("%s: %s records nothing after t_start = %g ms", t.name, t.rec.Name, t.point.TStart))
				continue
			}
			title := fmt.Sprintf("Spike statistics of %s after %g ms, %s", t.who, lo, f.Title(t.point))
			out = append(out, named{t.name, histFigure(title, t.point, t.rec, spikes)})
		}
	}
	return out, notes, nil
}

// networkFigures draws a network figure per point: its spike_recorders
// in config order (those of opt.Population only, if given) with their
// populations' rates. Without opt.Kinds only points with two or more.
func (f *Folder) networkFigures(points []int, opt Options) ([]named, []string, error) {
	targets, by, why, err := f.spikeTargets(Network, points, opt)
	if err != nil || targets == nil {
		return nil, []string{why}, err // figures returns err first
	}
	_, summary, err := f.Summary()
	if err != nil {
		return nil, nil, err
	}
	rates := map[recKey]float64{} // by point and population
	for _, r := range summary {
		rates[recKey{r.Point, r.Population}] = r.RateHz
	}
	var out []named
	var notes []string
	for _, k := range points {
		p := f.Points[k]
		var bands []band
		for _, t := range targets {
			if t.point.Index != k {
				continue
			}
			rate, ok := rates[recKey{k, t.rec.Source}]
			if !ok {
				rate = math.NaN()
			}
			bands = append(bands, band{who: t.who, rec: t.rec, spikes: by[recKey{k, t.rec.Name}], rateHz: rate})
		}
		name := fmt.Sprintf("%s_p%d", Network, k)
		if len(bands) == 1 && opt.Kinds == nil {
			notes = append(notes, name+": one spike_recorder, which its raster shows (--figure network draws it alone)")
			continue
		}
		lo, hi, err := networkWindow(p, opt.Window)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", f.Dir, err)
		}
		title := fmt.Sprintf("Spikes from %s to %s ms, %s", number(lo), number(hi), f.Title(p))
		out = append(out, named{name, networkFigure(title, bands, lo, hi)})
	}
	return out, notes, nil
}

// traceFigures draws a traces figure per multimeter and point.
func (f *Folder) traceFigures(points []int, opt Options) ([]named, []string, error) {
	targets := f.targets(Traces, "multimeter", points, opt)
	if len(targets) == 0 {
		return nil, []string{noRecorder("multimeter", points, opt)}, nil
	}
	vars, rows, err := f.State()
	if err != nil {
		return nil, nil, err
	}
	by := byRecorder(rows, func(r output.StateRow) recKey { return recKey{r.Point, r.Recorder} })
	var out []named
	var notes []string
	for _, t := range targets {
		title := fmt.Sprintf("Multimeter %s on %s, %s", t.rec.Name, t.rec.Source, f.Title(t.point))
		fig := tracesFigure(title, t.point, t.rec, vars, by[recKey{t.point.Index, t.rec.Name}])
		if len(fig.panels) == 0 {
			notes = append(notes, fmt.Sprintf("%s: state.parquet has none of %s", t.name, strings.Join(t.rec.RecordFrom, ", ")))
			continue
		}
		out = append(out, named{t.name, fig})
	}
	return out, notes, nil
}

// noRecorder says why there is no figure of a recorder model.
func noRecorder(model string, points []int, opt Options) string {
	switch {
	case len(points) == 0:
		return "no point chosen (--point K)"
	case opt.Population != "":
		return fmt.Sprintf("no %s records population %s", model, opt.Population)
	}
	return "the run has no " + model
}

// heatmaps draws the summary column over the two swept axes, per
// population.
func (f *Folder) heatmaps(opt Options) ([]named, []string, error) {
	axes := opt.Axes
	if axes == nil {
		if len(f.Swept) != 2 {
			return nil, []string{"a heat map needs a sweep over two parameters (the run sweeps " + sweptList(f.Swept) + ")"}, nil
		}
		// Rows are the outer loop of a grid, columns the inner one.
		axes = []string{f.Swept[1], f.Swept[0]}
	}
	col, err := columnNamed(opt.Column)
	if err != nil {
		return nil, nil, err
	}
	swept, rows, err := f.Summary()
	if err != nil {
		return nil, nil, err
	}
	xi, yi := slices.Index(swept, axes[0]), slices.Index(swept, axes[1])
	if xi < 0 || yi < 0 {
		return nil, nil, fmt.Errorf("%s: the summary's swept columns are %s, not %s and %s", filepath.Join(f.Dir, summaryFile), sweptList(swept), axes[0], axes[1])
	}
	var out []named
	var notes []string
	for _, pop := range f.Points[0].Populations {
		if opt.Population != "" && pop.Name != opt.Population {
			continue
		}
		g, err := newGrid(rows, swept, xi, yi, pop.Name, col, opt.Log)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", filepath.Join(f.Dir, summaryFile), err)
		}
		title := fmt.Sprintf("%s of %s over %s and %s", col.label, pop.Name, axes[0], axes[1])
		name := fmt.Sprintf("heatmap_%s_%s", col.name, safe(pop.Name))
		fig, err := heatmapFigure(title, axes[0], axes[1], col, g, opt.Log)
		if err != nil {
			notes = append(notes, name+": "+err.Error())
			continue
		}
		out = append(out, named{name, fig})
	}
	return out, notes, nil
}

// safe makes a name fit for a file name: letters, digits, '-', '_' and
// '.' stay, anything else becomes '_'.
func safe(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, name)
}

// writeFile writes data to a temporary file next to path and renames it
// over path, so that path is never a part of an image.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	err = errors.Join(err, tmp.Chmod(0o644), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
