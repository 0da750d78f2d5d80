package plots

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/snn-gpu/snn-gpu/output"
)

const (
	// DefaultWindowMs is the length of the network figure's time window
	// without Options.Window: the end of the run, as Potjans & Diesmann's
	// Fig. 6 shows 100 ms.
	DefaultWindowMs = 100.0
	// maxNetworkRows is the most neurons a network figure draws (PD14 has
	// 77,169): beyond it one in k recorded neurons of every band, the same k
	// for all, so that the bands keep the proportions of the recordings.
	maxNetworkRows = 8000
	rateBarWidth   = 8 // points: the thickness of a bar of the rates
)

// band is one spike_recorder of a network figure.
type band struct {
	who    string // the label: the population (and the recorder)
	rec    Recorder
	spikes []output.SpikeRow // the recorder's, at the figure's point
	rateHz float64           // the population's mean rate from the summary; NaN: none
}

// networkFigure draws the spikes of every band from lo to hi ms, stacked
// top to bottom in the given order with a colour each and their labels at
// the centres, beside a bar chart of their rates in the same colours
// (Potjans & Diesmann 2014, Fig. 6).
func networkFigure(title string, bands []band, lo, hi float64) *figure {
	total := 0
	for _, b := range bands {
		total += len(b.rec.Neurons)
	}
	stride := (total + maxNetworkRows - 1) / maxNetworkRows
	yLabel := "neurons by population"
	if stride > 1 {
		yLabel += fmt.Sprintf(" (1 in %d drawn)", stride)
	}
	dots := newPanel("", "time (ms)", yLabel)
	rates := newPanel("", "mean rate (Hz)", "")
	var rowTicks, barTicks []plot.Tick
	top := 0.0 // rows go down from 0: the first band on top
	for i, b := range bands {
		c := lineColors[i%len(lineColors)]
		row := map[int32]float64{}
		for j := 0; j < len(b.rec.Neurons); j += stride {
			row[int32(b.rec.Neurons[j])] = top - float64(len(row)) - 0.5
		}
		var xys plotter.XYs
		for _, s := range b.spikes {
			if y, ok := row[s.Neuron]; ok && s.TimeMs > lo && s.TimeMs <= hi {
				xys = append(xys, plotter.XY{X: s.TimeMs, Y: y})
			}
		}
		if len(xys) > 0 {
			dots.Add(spikeDots(xys, c))
		}
		// A labelled tick at the band's centre, an unlabelled one at its
		// lower edge.
		bottom := top - float64(len(row))
		rowTicks = append(rowTicks, plot.Tick{Value: (top + bottom) / 2, Label: b.who}, plot.Tick{Value: bottom})
		top = bottom

		y := float64(len(bands) - 1 - i)
		barTicks = append(barTicks, plot.Tick{Value: y, Label: b.who})
		if math.IsNaN(b.rateHz) {
			continue
		}
		bar, err := plotter.NewBarChart(plotter.Values{b.rateHz}, vg.Points(rateBarWidth))
		if err != nil { // a summary rate is finite or NULL: a broken file
			panic(err)
		}
		bar.Horizontal, bar.XMin, bar.Color = true, y, c
		bar.LineStyle.Width = 0
		rates.Add(bar)
	}
	dots.X.Min, dots.X.Max = lo, hi
	dots.Y.Min, dots.Y.Max = top, 0
	dots.Y.Tick.Marker = plot.ConstantTicks(rowTicks)
	rates.Y.Min, rates.Y.Max = -0.5, float64(len(bands))-0.5
	rates.Y.Tick.Marker = plot.ConstantTicks(barTicks)
	// Room right of the longest bar; an axis even when every rate is 0.
	rates.X.Min, rates.X.Max = 0, max(1, 1.1*rates.X.Max)
	return &figure{title: title, panels: [][]*plot.Plot{{dots, rates}}, rows: []float64{1}, cols: []float64{4, 1}}
}

// networkWindow is the time window (ms) of a network figure at point p:
// window's LO,HI within the run, or the last LENGTH ms of the run (at most
// the whole run), by default the last DefaultWindowMs.
func networkWindow(p Point, window []float64) (lo, hi float64, err error) {
	var given []string
	for _, v := range window {
		given = append(given, number(v))
	}
	flag := "--window " + strings.Join(given, ",")
	switch len(window) {
	case 0:
		return max(0, p.TSim-DefaultWindowMs), p.TSim, nil
	case 1:
		if !(window[0] > 0) {
			return 0, 0, fmt.Errorf("%s: expected a length in ms > 0 (the end of the run), or LO,HI", flag)
		}
		return max(0, p.TSim-window[0]), p.TSim, nil
	case 2:
		lo, hi = window[0], window[1]
		if !(lo >= 0 && lo < hi && hi <= p.TSim) {
			return 0, 0, fmt.Errorf("%s: expected LO,HI in ms with 0 <= LO < HI <= %s, within the run of point %d (t_sim = %s ms)",
				flag, number(p.TSim), p.Index, number(p.TSim))
		}
		return lo, hi, nil
	}
	return 0, 0, fmt.Errorf("%s: expected LO,HI in ms, or a LENGTH in ms (the end of the run)", flag)
}
