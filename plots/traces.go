package plots

import (
	"fmt"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/output"
)

// maxTraces is the most neurons a traces figure draws: more lines than
// that are a tangle.
const maxTraces = 8

// tracesFigure draws a multimeter's samples: one panel per variable it
// records (units from the source population's model), one line per neuron
// (the first maxTraces), sharing the time axis. vars are the state table's
// columns, rows the recorder's samples at the point.
func tracesFigure(title string, p Point, rec Recorder, vars []string, rows []output.StateRow) *figure {
	model := ""
	if pop, ok := p.population(rec.Source); ok {
		model = pop.Model
	}
	ids := recorded(rows)
	if len(ids) > maxTraces {
		title += fmt.Sprintf(", first %d of %d neurons", maxTraces, len(ids))
		ids = ids[:maxTraces]
	}
	f := &figure{title: title, cols: []float64{1}}
	var panels []*plot.Plot
	for _, v := range rec.RecordFrom {
		k := slices.Index(vars, v)
		if k < 0 {
			continue
		}
		panel := newPanel("", "time (ms)", axisLabel(v, unitOf(model, v)))
		for i, id := range ids {
			var xys plotter.XYs
			for _, r := range rows {
				if r.Neuron == id && r.Valid[k] {
					xys = append(xys, plotter.XY{X: r.TimeMs, Y: float64(r.Values[k])})
				}
			}
			line, err := plotter.NewLine(xys)
			if err != nil { // a non-finite sample: the run stops before one is written
				panic(err)
			}
			line.Color = lineColors[i%len(lineColors)]
			line.Width = vg.Points(1)
			panel.Add(line)
			if len(panels) == 0 && len(ids) > 1 {
				panel.Legend.Add(fmt.Sprintf("neuron %d", id), line)
			}
		}
		panel.X.Min, panel.X.Max = 0, p.TSim
		panel.Legend.Top = true
		panels = append(panels, panel)
		f.panels = append(f.panels, []*plot.Plot{panel})
		f.rows = append(f.rows, 1)
	}
	if len(panels) > 0 {
		shareX(panels...)
	}
	return f
}

// unitOf is the unit of a state variable of a neuron model, "" if unknown
// or dimensionless.
func unitOf(model, v string) string {
	m, ok := models.LookupNeuron(model)
	if !ok {
		return ""
	}
	for _, s := range m.State {
		if s.Name == v {
			return s.Unit
		}
	}
	return ""
}

// axisLabel is "name (unit)", or the name alone without a unit.
func axisLabel(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + " (" + unit + ")"
}

// recorded returns the ids of the neurons that have rows, ascending.
func recorded(rows []output.StateRow) []int32 {
	seen := map[int32]bool{}
	var ids []int32
	for _, r := range rows {
		if !seen[r.Neuron] {
			seen[r.Neuron] = true
			ids = append(ids, r.Neuron)
		}
	}
	slices.Sort(ids)
	return ids
}
