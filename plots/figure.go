package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure sizes and spacing. At dpi a figure is 1000 × 700 pixels.
const (
	figWidth  vg.Length = 750 // points (vg.Length's unit)
	figHeight vg.Length = 525
	dpi                 = 96
	margin    vg.Length = 8  // around the figure
	gap       vg.Length = 14 // between cells
)

// Colours: black axes and text; data in colours with a channel of 100 or
// more, so that an axis is the only long black line.
var (
	barColor    = color.RGBA{R: 0x4c, G: 0x72, B: 0xb0, A: 0xff}
	dotColor    = color.RGBA{R: 0x1f, G: 0x3f, B: 0xc8, A: 0xff}
	missingCell = color.RGBA{R: 0xe8, G: 0xe8, B: 0xe8, A: 0xff}
	lineColors  = mustPalette("Dark2", 8)
)

func mustPalette(name string, n int) []color.Color {
	p, err := brewer.GetPalette(brewer.TypeQualitative, name, n)
	if err != nil {
		panic(err)
	}
	return p.Colors()
}

// figure is a titled grid of panels. rows and cols weigh the cells'
// heights (top row first) and widths; a nil panel leaves its cell empty.
type figure struct {
	title  string
	panels [][]*plot.Plot
	rows   []float64
	cols   []float64
}

// titleStyle is the figure's title: larger than the panels' titles.
func titleStyle() text.Style {
	p := plot.New()
	s := p.Title.TextStyle
	s.Font = font.From(plot.DefaultFont, 14)
	return s
}

// newPanel is a plot with the figure's common style: labelled axes and a
// slightly heavier axis line.
func newPanel(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Width = vg.Points(1)
		a.Tick.Width = vg.Points(1)
		a.Tick.Marker = plainTicks{}
	}
	return p
}

// unlabelled draws an axis' ticks without their labels: the upper panels
// of a column share the time axis of the lowest one.
type unlabelled struct{ plot.Ticker }

func (u unlabelled) Ticks(lo, hi float64) []plot.Tick {
	t := u.Ticker.Ticks(lo, hi)
	for i := range t {
		t[i].Label = ""
	}
	return t
}

// shareX gives the panels of a column the same x range and leaves the tick
// labels and the label to the lowest one.
func shareX(panels ...*plot.Plot) {
	lo, hi := panels[0].X.Min, panels[0].X.Max
	for _, p := range panels[1:] {
		lo, hi = min(lo, p.X.Min), max(hi, p.X.Max)
	}
	for i, p := range panels {
		p.X.Min, p.X.Max = lo, hi
		if i < len(panels)-1 {
			p.X.Tick.Marker = unlabelled{p.X.Tick.Marker}
			p.X.Label.Text = ""
		}
	}
}

// layout returns the canvas of every panel in c: the cells of the grid,
// below the title, sized by the weights, then cropped so that the data
// areas of the panels in a column share their left and right edges and
// those in a row their top and bottom edges (plot.Align does this for
// cells of equal size).
func (f *figure) layout(c draw.Canvas) [][]draw.Canvas {
	c = draw.Crop(c, margin, -margin, margin, -margin)
	if f.title != "" {
		c.Max.Y -= titleStyle().Rectangle(f.title).Size().Y + gap/2
	}
	widths := split(c.Max.X-c.Min.X, f.cols)
	heights := split(c.Max.Y-c.Min.Y, f.rows)
	cells := make([][]draw.Canvas, len(f.rows))
	top := c.Max.Y
	for i := range f.rows {
		left := c.Min.X
		cells[i] = make([]draw.Canvas, len(f.cols))
		for j := range f.cols {
			cell := c
			cell.Min = vg.Point{X: left, Y: top - heights[i]}
			cell.Max = vg.Point{X: left + widths[j], Y: top}
			cells[i][j] = cell
			left += widths[j] + gap
		}
		top -= heights[i] + gap
	}
	// The largest space left of, right of, below and above the data area,
	// per column (left, right) and per row (below, above).
	lefts, rights := make([]vg.Length, len(f.cols)), make([]vg.Length, len(f.cols))
	belows, aboves := make([]vg.Length, len(f.rows)), make([]vg.Length, len(f.rows))
	for i, row := range f.panels {
		for j, p := range row {
			if p == nil {
				continue
			}
			d := p.DataCanvas(cells[i][j])
			lefts[j] = max(lefts[j], d.Min.X-cells[i][j].Min.X)
			rights[j] = max(rights[j], cells[i][j].Max.X-d.Max.X)
			belows[i] = max(belows[i], d.Min.Y-cells[i][j].Min.Y)
			aboves[i] = max(aboves[i], cells[i][j].Max.Y-d.Max.Y)
		}
	}
	for i, row := range f.panels {
		for j, p := range row {
			if p == nil {
				continue
			}
			cell := cells[i][j]
			d := p.DataCanvas(cell)
			cells[i][j] = draw.Crop(cell,
				lefts[j]-(d.Min.X-cell.Min.X), -(rights[j] - (cell.Max.X - d.Max.X)),
				belows[i]-(d.Min.Y-cell.Min.Y), -(aboves[i] - (cell.Max.Y - d.Max.Y)))
		}
	}
	return cells
}

// split shares total less the gaps between len(weights) parts by weight.
func split(total vg.Length, weights []float64) []vg.Length {
	var sum float64
	for _, w := range weights {
		sum += w
	}
	free := total - gap*vg.Length(len(weights)-1)
	out := make([]vg.Length, len(weights))
	for i, w := range weights {
		out[i] = free * vg.Length(w/sum)
	}
	return out
}

// dataAreas returns the rectangle in which each panel draws its data, on a
// canvas of the figure's size.
func (f *figure) dataAreas() [][]vg.Rectangle {
	c := draw.New(vgimg.NewWith(vgimg.UseWH(figWidth, figHeight), vgimg.UseDPI(dpi)))
	cells := f.layout(c)
	out := make([][]vg.Rectangle, len(f.panels))
	for i, row := range f.panels {
		for j, p := range row {
			if p != nil {
				out[i] = append(out[i], p.DataCanvas(cells[i][j]).Rectangle)
			}
		}
	}
	return out
}

// draw draws the title and the panels on c.
func (f *figure) draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	if f.title != "" {
		top := draw.Crop(c, margin, -margin, margin, -margin)
		c.FillText(titleStyle(), vg.Point{X: top.Center().X, Y: top.Max.Y}, f.title)
	}
	cells := f.layout(c)
	for i, row := range f.panels {
		for j, p := range row {
			if p != nil {
				p.Draw(cells[i][j])
			}
		}
	}
}

// encode renders the figure as "png" or "svg".
func (f *figure) encode(format string) ([]byte, error) {
	var buf bytes.Buffer
	switch format {
	case "png":
		img := vgimg.NewWith(vgimg.UseWH(figWidth, figHeight), vgimg.UseDPI(dpi))
		f.draw(draw.New(img))
		if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
			return nil, err
		}
	case "svg":
		svg := vgsvg.New(figWidth, figHeight)
		f.draw(draw.New(svg))
		if _, err := svg.WriteTo(&buf); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown format %q (want png or svg)", format)
	}
	return buf.Bytes(), nil
}

// number writes v with at most 4 significant digits, without an exponent
// from 0.0001 to a million.
func number(v float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 4, 64), 64)
	if a := math.Abs(r); a == 0 || a >= 1e-4 && a < 1e6 {
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	return strconv.FormatFloat(r, 'g', -1, 64)
}

// plainTicks are plot.DefaultTicks labelled by number.
type plainTicks struct{}

func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	t := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range t {
		if t[i].Label != "" {
			t[i].Label = number(t[i].Value)
		}
	}
	return t
}
