package plots

import (
	"image"
	"image/color"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/output"
)

// pd14Sizes are the full-scale populations of Potjans & Diesmann (2014),
// L2/3e to L6i.
var pd14Sizes = []int{20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948}

// TestNetworkBands renders network figures of made-up recorders, every
// recorded neuron firing, and finds each band by its colour in the PNG: its
// dots lie in a stripe of the raster whose place and height its order and
// its share of the drawn neurons give (first on top), and its bar of the
// rates is in the same order, as long as its rate gives.
func TestNetworkBands(t *testing.T) {
	cases := []struct {
		name   string
		sizes  []int
		rates  []float64
		lo, hi float64
		before []int  // bands whose spikes are all before lo: no dots
		yLabel string // in the SVG
		stride int    // one in stride neurons drawn
	}{
		{"three bands", []int{100, 50, 200}, []float64{1, 5, 3}, 0, 100, nil, "neurons by population", 1},
		{"a band before the window", []int{300, 300}, []float64{2, 4}, 200, 300, []int{1}, "neurons by population", 1},
		{"PD14 at full scale", pd14Sizes, []float64{0.97, 2.87, 4.75, 5.40, 8.14, 9.08, 0.99, 7.52}, 1000, 1100, nil,
			"neurons by population (1 in 10 drawn)", 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var bands []band
			drawn := make([]int, len(c.sizes)) // rows of each band
			total := 0
			for i, n := range c.sizes {
				rec := Recorder{Name: "r", Model: "spike_recorder", Source: string(rune('A' + i))}
				var spikes []output.SpikeRow
				for id := range n {
					rec.Neurons = append(rec.Neurons, id)
					tm := c.lo + 1 + float64(id%97)*(c.hi-c.lo-2)/97
					if slices.Contains(c.before, i) {
						tm = c.lo - 1
					}
					spikes = append(spikes, output.SpikeRow{Neuron: int32(id), TimeMs: tm})
				}
				bands = append(bands, band{who: rec.Source, rec: rec, spikes: spikes, rateHz: c.rates[i]})
				drawn[i] = (n + c.stride - 1) / c.stride
				total += drawn[i]
			}
			fig := networkFigure("t", bands, c.lo, c.hi)
			data, err := fig.encode("png")
			if err != nil {
				t.Fatal(err)
			}
			img := decodePNG(t, data)
			areas := fig.dataAreas()
			if len(areas) != 1 || len(areas[0]) != 2 {
				t.Fatalf("data areas %v, want a raster and the rates side by side", areas)
			}
			raster, rates := crop(img, areas[0][0]).Bounds(), crop(img, areas[0][1]).Bounds()
			height := float64(raster.Dy())
			const slack = 3 // pixels: a dot's radius and rounding
			above := 0
			var barY, barLen []float64
			for i := range bands {
				c0 := lineColors[i%len(lineColors)]
				top := float64(raster.Min.Y) + height*float64(above)/float64(total)
				bottom := top + height*float64(drawn[i])/float64(total)
				above += drawn[i]
				ys := colored(img, raster, c0)
				if slices.Contains(c.before, i) {
					if len(ys) != 0 {
						t.Errorf("band %d: %d dots of spikes before the window", i, len(ys))
					}
				} else if len(ys) == 0 {
					t.Errorf("band %d: no dots", i)
				} else if lo, hi := slices.Min(ys), slices.Max(ys); float64(lo) < top-slack || float64(hi) > bottom+slack {
					t.Errorf("band %d: dots in rows %d–%d, want within %.0f–%.0f", i, lo, hi, top, bottom)
				}
				bar := colored(img, rates, c0)
				if len(bar) == 0 {
					t.Fatalf("band %d: no bar of its rate", i)
				}
				barY = append(barY, mean(bar))
				// From x = 0, the data area's left edge, to the right of the
				// last pixel of the colour.
				barLen = append(barLen, float64(maxX(img, rates, c0)+1)-areas[0][1].Min.X.Dots(dpi))
			}
			for i := 1; i < len(barY); i++ {
				if barY[i] <= barY[i-1] {
					t.Errorf("bar %d at row %.0f, not below bar %d at %.0f", i, barY[i], i-1, barY[i-1])
				}
			}
			// Lengths in proportion to the rates, within two pixels.
			longest := slices.Index(c.rates, slices.Max(c.rates))
			for i, l := range barLen {
				if want := barLen[longest] * c.rates[i] / c.rates[longest]; math.Abs(l-want) > 2 {
					t.Errorf("bar %d is %.0f pixels long, want %.0f", i, l, want)
				}
			}
			svg, err := fig.encode("svg")
			if err != nil {
				t.Fatal(err)
			}
			texts := svgTexts(t, svg)
			if count(texts, c.yLabel) != 1 {
				t.Errorf("SVG has no label %q", c.yLabel)
			}
			for _, b := range bands { // on the raster and on the rates
				if n := count(texts, b.who); n != 2 {
					t.Errorf("SVG has the label %q %d times, want twice", b.who, n)
				}
			}
		})
	}
}

// colored returns the rows of the pixels of colour c within r.
func colored(img image.Image, r image.Rectangle, c color.Color) []int {
	var ys []int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if sameColor(img.At(x, y), c) {
				ys = append(ys, y)
			}
		}
	}
	return ys
}

// maxX is the column of the rightmost pixel of colour c within r.
func maxX(img image.Image, r image.Rectangle, c color.Color) int {
	right := r.Min.X
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if sameColor(img.At(x, y), c) {
				right = max(right, x)
			}
		}
	}
	return right
}

func mean(v []int) float64 {
	s := 0.0
	for _, x := range v {
		s += float64(x)
	}
	return s / float64(len(v))
}

// TestNetworkWindow: the default and LENGTH windows end with the run (at
// most all of it); LO,HI must lie within it.
func TestNetworkWindow(t *testing.T) {
	p := Point{Index: 2, TSim: 300}
	cases := []struct {
		window []float64
		tSim   float64
		lo, hi float64
		err    string
	}{
		{nil, 300, 200, 300, ""},
		{nil, 50, 0, 50, ""},
		{[]float64{20}, 300, 280, 300, ""},
		{[]float64{1000}, 300, 0, 300, ""},
		{[]float64{0, 300}, 300, 0, 300, ""},
		{[]float64{12.5, 40}, 300, 12.5, 40, ""},
		{[]float64{250, 400}, 300, 0, 0, "--window 250,400: expected LO,HI in ms with 0 <= LO < HI <= 300, within the run of point 2 (t_sim = 300 ms)"},
		{[]float64{-10, 20}, 300, 0, 0, "--window -10,20: expected LO,HI in ms with 0 <= LO"},
		{[]float64{40, 40}, 300, 0, 0, "--window 40,40: expected LO,HI"},
		{[]float64{0}, 300, 0, 0, "--window 0: expected a length in ms > 0 (the end of the run), or LO,HI"},
		{[]float64{math.NaN()}, 300, 0, 0, "--window NaN: expected a length in ms > 0"},
		{[]float64{1, 2, 3}, 300, 0, 0, "--window 1,2,3: expected LO,HI in ms, or a LENGTH in ms (the end of the run)"},
	}
	for _, c := range cases {
		p.TSim = c.tSim
		lo, hi, err := networkWindow(p, c.window)
		switch {
		case c.err != "" && (err == nil || !strings.HasPrefix(err.Error(), c.err)):
			t.Errorf("%v: err = %v, want %q", c.window, err, c.err)
		case c.err == "" && (err != nil || lo != c.lo || hi != c.hi):
			t.Errorf("%v of %g ms: %g, %g, %v, want %g, %g", c.window, c.tSim, lo, hi, err, c.lo, c.hi)
		}
	}
}

// TestNetworkDefault: without --figure a network figure needs two spike
// recorders; --figure network draws one alone.
func TestNetworkDefault(t *testing.T) {
	cases := []struct {
		name  string
		opt   Options
		want  []string // network figures
		notes []string
	}{
		{"both recorders", Options{Points: []int{0, 3}}, []string{"network_p0", "network_p3"}, nil},
		{"one population", Options{Points: []int{1}, Population: "E"}, nil,
			[]string{"network_p1: one spike_recorder, which its raster shows (--figure network draws it alone)"}},
		{"one population, asked for", Options{Points: []int{1}, Population: "I", Kinds: []string{Network}}, []string{"network_p1"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Open(small)
			if err != nil {
				t.Fatal(err)
			}
			figs, notes, err := f.figures(&c.opt)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, fg := range figs {
				if strings.HasPrefix(fg.name, Network) {
					got = append(got, fg.name)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("network figures %q, want %q", got, c.want)
			}
			for _, n := range c.notes {
				if !slices.Contains(notes, "no network figure: "+n) {
					t.Errorf("notes %q lack %q", notes, n)
				}
			}
		})
	}
}
