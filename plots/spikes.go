package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/snn-gpu/snn-gpu/output"
)

// Bins of the histograms of intervals and of rates.
const (
	isiBins  = 40
	rateBins = 25
)

// rasterFigure is NEST's raster_plot: the spikes of one recorder (neuron
// against time) over the population rate of its neurons in bins of binMs;
// each node stands for standsFor neurons.
func rasterFigure(title string, p Point, rec Recorder, standsFor int, spikes []output.SpikeRow, binMs float64) *figure {
	yLabel := "neuron"
	if standsFor > 1 {
		yLabel = fmt.Sprintf("node (%d neurons each)", standsFor)
	}
	dots := newPanel("", "time (ms)", yLabel)
	xys := make(plotter.XYs, len(spikes))
	for i, s := range spikes {
		xys[i] = plotter.XY{X: s.TimeMs, Y: float64(s.Neuron)}
	}
	dots.Add(spikeDots(xys, dotColor))
	dots.Y.Min = float64(rec.Neurons[0]) - 0.5
	dots.Y.Max = float64(rec.Neurons[len(rec.Neurons)-1]) + 0.5
	dots.X.Min, dots.X.Max = 0, p.TSim

	rate := newPanel("", "time (ms)", "rate (Hz)")
	rate.Add(bars(populationRate(spikes, len(rec.Neurons)*standsFor, p.TSim, binMs)))
	rate.Y.Min = 0
	rate.X.Min, rate.X.Max = 0, p.TSim
	shareX(dots, rate)
	return &figure{title: title, panels: [][]*plot.Plot{{dots}, {rate}}, rows: []float64{3, 1}, cols: []float64{1}}
}

// spikeDots draws spikes (time, row) as a raster's dots in colour c.
func spikeDots(xys plotter.XYs, c color.Color) *plotter.Scatter {
	sc, err := plotter.NewScatter(xys)
	if err != nil { // times and ids are finite: a broken file
		panic(err)
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(1), Shape: draw.CircleGlyph{}}
	return sc
}

// populationRate returns the rate per neuron of n neurons in bins of binMs
// from 0 to tSim (the last one shorter if binMs does not divide tSim). A
// spike stamped t ends the step it was emitted in, so bin k holds
// k·binMs < t <= (k+1)·binMs.
func populationRate(spikes []output.SpikeRow, n int, tSim, binMs float64) []plotter.HistogramBin {
	nb := max(1, int(math.Ceil(tSim/binMs-1e-9)))
	bins := make([]plotter.HistogramBin, nb)
	for k := range bins {
		bins[k].Min, bins[k].Max = float64(k)*binMs, min(float64(k+1)*binMs, tSim)
	}
	for _, s := range spikes {
		k := min(max(int(math.Ceil(s.TimeMs/binMs-1e-9))-1, 0), nb-1)
		bins[k].Weight++
	}
	for k := range bins {
		bins[k].Weight /= float64(n) * (bins[k].Max - bins[k].Min) / 1000
	}
	return bins
}

// bars draws bins as a filled histogram.
func bars(bins []plotter.HistogramBin) *plotter.Histogram {
	h := &plotter.Histogram{Bins: bins, FillColor: barColor}
	h.LineStyle = draw.LineStyle{Color: barColor, Width: vg.Points(0.5)}
	if len(bins) > 0 {
		h.Width = bins[0].Max - bins[0].Min
	}
	return h
}

// window is the part of the run a recorder's statistics use: after the
// analysis' t_start and within the recorder's start and stop.
func window(p Point, rec Recorder) (lo, hi float64) {
	return max(p.TStart, rec.Start), min(p.TSim, rec.Stop)
}

// intervalsAndRates returns the inter-spike intervals (ms) and the rate
// (Hz) of every recorded neuron, silent ones included, from the spikes
// with lo < t <= hi. spikes are in time order.
func intervalsAndRates(spikes []output.SpikeRow, neurons []int, lo, hi float64) (isis, rates []float64) {
	last := map[int32]float64{}
	count := map[int32]int{}
	for _, s := range spikes {
		if s.TimeMs <= lo || s.TimeMs > hi {
			continue
		}
		if t, ok := last[s.Neuron]; ok {
			isis = append(isis, s.TimeMs-t)
		}
		last[s.Neuron] = s.TimeMs
		count[s.Neuron]++
	}
	for _, n := range neurons {
		rates = append(rates, float64(count[int32(n)])/(hi-lo)*1000)
	}
	return isis, rates
}

// histogram counts values that are multiples of quantum (intervals of dt,
// rates of counts over a window) from lo on, in about n bins whose width is
// a multiple of quantum, so that every bin holds as many possible values
// and a value is not on a bin's edge.
func histogram(values []float64, lo, quantum float64, n int) []plotter.HistogramBin {
	hi := lo
	for _, v := range values {
		hi = max(hi, v)
	}
	width := quantum * max(1, math.Ceil((hi-lo)/quantum/float64(n)))
	start := lo - quantum/2
	bins := make([]plotter.HistogramBin, int((hi-start)/width)+1)
	for k := range bins {
		bins[k].Min, bins[k].Max = start+float64(k)*width, start+float64(k+1)*width
	}
	for _, v := range values {
		bins[min(max(int((v-start)/width), 0), len(bins)-1)].Weight++
	}
	return bins
}

// histFigure shows the distribution of the inter-spike intervals and of
// the per-neuron rates of one recorder, side by side.
func histFigure(title string, p Point, rec Recorder, spikes []output.SpikeRow) *figure {
	lo, hi := window(p, rec)
	isis, rates := intervalsAndRates(spikes, rec.Neurons, lo, hi)
	isi := newPanel(fmt.Sprintf("inter-spike intervals (%d)", len(isis)), "ISI (ms)", "intervals")
	isi.Add(bars(histogram(isis, 0, p.Dt, isiBins)))
	isi.Y.Min = 0

	var mean float64
	for _, r := range rates {
		mean += r / float64(len(rates))
	}
	rate := newPanel(fmt.Sprintf("rates of %d neurons (mean %.3g Hz)", len(rates), mean), "rate (Hz)", "neurons")
	rate.Add(bars(histogram(rates, slices.Min(rates), 1000/(hi-lo), rateBins)))
	rate.Y.Min = 0
	return &figure{title: title, panels: [][]*plot.Plot{{isi, rate}}, rows: []float64{1}, cols: []float64{1, 1}}
}
