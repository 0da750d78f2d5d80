package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"github.com/snn-gpu/snn-gpu/output"
)

// column is a numeric column of summary.parquet a heat map can show.
type column struct {
	name, label string
	get         func(output.SummaryRow) float64
}

// Columns are the summary columns a heat map can show, in the summary's
// order.
var columns = []column{
	{"rate_hz", "rate (Hz)", func(r output.SummaryRow) float64 { return r.RateHz }},
	{"cv_isi", "ISI CV", func(r output.SummaryRow) float64 { return r.CVISI }},
	{"fano", "Fano factor", func(r output.SummaryRow) float64 { return r.Fano }},
	{"peak_hz", "spectral peak (Hz)", func(r output.SummaryRow) float64 { return r.PeakHz }},
	{"peak_power", "peak power (× shot noise)", func(r output.SummaryRow) float64 { return r.PeakPower }},
	{"synapses", "recurrent synapses", func(r output.SummaryRow) float64 { return float64(r.Synapses) }},
}

// columnNamed returns the column called name, or an error listing them.
func columnNamed(name string) (column, error) {
	var names []string
	for _, c := range columns {
		if c.name == name {
			return c, nil
		}
		names = append(names, c.name)
	}
	return column{}, fmt.Errorf("--column %s: expected a summary column, one of %s", name, strings.Join(names, ", "))
}

// grid is a summary column over two swept parameters: one cell per pair of
// their distinct values, NaN where no point (or no value) is. Cells are
// drawn at their indices, all the same size however the values are spaced
// (a list sweep such as brunel_states' is a table), and the ticks name the
// values.
type grid struct {
	xs, ys []float64        // distinct values, ascending
	z      [][]float64      // [y][x]
	labels plotter.XYLabels // at cell indices
}

func (g *grid) Dims() (c, r int)   { return len(g.xs), len(g.ys) }
func (g *grid) Z(c, r int) float64 { return g.z[r][c] }
func (g *grid) X(c int) float64    { return float64(c) }
func (g *grid) Y(r int) float64    { return float64(r) }

// newGrid places the rows of population pop on the grid of swept[xi] ×
// swept[yi], as log10 of the values if log (values <= 0 have none); the
// points' labels mark their cells. Two points on one cell (a sweep over
// more than these two parameters) are refused.
func newGrid(rows []output.SummaryRow, swept []string, xi, yi int, pop string, col column, log bool) (*grid, error) {
	var mine []output.SummaryRow
	for _, r := range rows {
		if r.Population == pop {
			mine = append(mine, r)
		}
	}
	g := &grid{}
	for _, r := range mine {
		g.xs = append(g.xs, r.Values[xi])
		g.ys = append(g.ys, r.Values[yi])
	}
	slices.Sort(g.xs)
	slices.Sort(g.ys)
	g.xs, g.ys = slices.Compact(g.xs), slices.Compact(g.ys)
	g.z = make([][]float64, len(g.ys))
	at := make([][]int, len(g.ys)) // the point on each cell, -1: none
	for j := range g.z {
		g.z[j] = make([]float64, len(g.xs))
		at[j] = make([]int, len(g.xs))
		for i := range g.z[j] {
			g.z[j][i], at[j][i] = math.NaN(), -1
		}
	}
	for _, r := range mine {
		x, y := r.Values[xi], r.Values[yi]
		i, _ := slices.BinarySearch(g.xs, x)
		j, _ := slices.BinarySearch(g.ys, y)
		if at[j][i] >= 0 {
			return nil, fmt.Errorf("points %d and %d are both at %s = %g, %s = %g: a heat map shows a sweep over two parameters (choose them with --axes X,Y; the others must not vary)",
				at[j][i], r.Point, swept[xi], x, swept[yi], y)
		}
		at[j][i] = r.Point
		g.z[j][i] = col.get(r)
		if log {
			g.z[j][i] = math.Log10(g.z[j][i])
			if math.IsInf(g.z[j][i], -1) {
				g.z[j][i] = math.NaN()
			}
		}
		if r.Label != "" {
			g.labels.XYs = append(g.labels.XYs, plotter.XY{X: float64(i), Y: float64(j)})
			g.labels.Labels = append(g.labels.Labels, r.Label)
		}
	}
	return g, nil
}

// finiteRange is the least and greatest finite value of z (NaN, NaN when
// there is none).
func finiteRange(z [][]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range z {
		for _, v := range row {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if lo > hi {
		return math.NaN(), math.NaN()
	}
	return lo, hi
}

// colorMap is a sequential map from blue to yellow whose luminance rises
// with the value, neither black nor white at its ends.
func colorMap(lo, hi float64) palette.ColorMap {
	cm, err := moreland.NewLuminance([]color.Color{
		color.NRGBA{R: 0x3b, G: 0x52, B: 0x8b, A: 0xff},
		color.NRGBA{R: 0x21, G: 0x91, B: 0x8c, A: 0xff},
		color.NRGBA{R: 0x5e, G: 0xc9, B: 0x62, A: 0xff},
		color.NRGBA{R: 0xfd, G: 0xe7, B: 0x25, A: 0xff},
	})
	if err != nil {
		panic(err)
	}
	if lo == hi { // one value: a range around it, so that it has a colour
		lo, hi = lo-0.5, hi+0.5
	}
	cm.SetMin(lo)
	cm.SetMax(hi)
	return cm
}

// dark tells a colour on which white text reads better than black.
func dark(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return 0.299*float64(r)+0.587*float64(g)+0.114*float64(b) < 0.5*0xffff
}

// heatmapFigure draws the grid with a colour bar on its right; log says
// that the grid holds log10 of the column.
func heatmapFigure(title, xName, yName string, col column, g *grid, log bool) (*figure, error) {
	lo, hi := finiteRange(g.z)
	if math.IsNaN(lo) {
		if log {
			return nil, fmt.Errorf("no point has a value of %s above 0", col.name)
		}
		return nil, fmt.Errorf("no point has a value of %s", col.name)
	}
	cm := colorMap(lo, hi)
	hm := plotter.NewHeatMap(g, cm.Palette(255))
	hm.Min, hm.Max = cm.Min(), cm.Max()
	hm.NaN = missingCell
	cells := newPanel("", xName, yName)
	cells.Add(hm)
	if len(g.labels.Labels) > 0 {
		l, err := plotter.NewLabels(g.labels)
		if err != nil {
			return nil, err
		}
		for k := range l.TextStyle {
			l.TextStyle[k].XAlign, l.TextStyle[k].YAlign = draw.XCenter, draw.YCenter
			l.TextStyle[k].Font.Size = 14
			l.TextStyle[k].Color = color.Black
			at := g.labels.XYs[k]
			if c, err := cm.At(g.z[int(at.Y)][int(at.X)]); err == nil && dark(c) {
				l.TextStyle[k].Color = color.White
			}
		}
		cells.Add(l)
	}
	cells.X.Tick.Marker = gridTicks(g.xs)
	cells.Y.Tick.Marker = gridTicks(g.ys)

	bar := newPanel("", "", col.label)
	bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	bar.HideX()
	var notes []string
	if log {
		bar.Y.Tick.Marker = logTicks{}
		notes = append(notes, "log scale")
	}
	if slices.ContainsFunc(g.z, func(row []float64) bool { return slices.ContainsFunc(row, math.IsNaN) }) {
		if log {
			notes = append(notes, "grey: no value, or <= 0")
		} else {
			notes = append(notes, "grey: no value")
		}
	}
	if len(notes) > 0 {
		title += " (" + strings.Join(notes, "; ") + ")"
	}
	return &figure{title: title, panels: [][]*plot.Plot{{cells, bar}}, rows: []float64{1}, cols: []float64{7, 1}}, nil
}

// gridTicks puts a tick on every cell and labels the values of every
// cell, or of every second, third, … when there are more than 12.
func gridTicks(values []float64) plot.Ticker {
	every := (len(values) + 11) / 12
	ticks := make(plot.ConstantTicks, len(values))
	for i, v := range values {
		ticks[i].Value = float64(i)
		if i%every == 0 {
			ticks[i].Label = number(v)
		}
	}
	return ticks
}

// logTicks label an axis of log10 values with the values: ticks at 1, 2
// and 5 times the powers of ten, the minor ones unlabelled where there are
// many decades.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	var t []plot.Tick
	decades := hi - lo
	for e := math.Floor(lo); e <= math.Ceil(hi); e++ {
		for _, k := range []float64{1, 2, 5} {
			v := e + math.Log10(k)
			if v < lo || v > hi {
				continue
			}
			tick := plot.Tick{Value: v}
			if k == 1 || decades < 3 {
				tick.Label = number(math.Pow(10, v))
			}
			t = append(t, tick)
		}
	}
	return t
}
