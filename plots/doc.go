// Package plots draws the figures of a finished output folder with
// gonum.org/v1/plot, as PNG and SVG:
//
//   - raster: the spikes of one spike_recorder at one point (neuron against
//     time, NEST's raster_plot look) over the population rate of its neurons
//     in bins (Hz), the two panels sharing the time axis;
//   - network: every spike_recorder of one point stacked top to bottom in
//     config order, a colour each, over a window at the end of the run,
//     beside a bar chart of the populations' rates from the summary
//     (Potjans & Diesmann 2014, Fig. 6); at most maxNetworkRows neurons;
//   - traces: a multimeter's samples at one point, one panel per recorded
//     variable (with the unit of the source's model), one line per neuron;
//   - hist: the distribution of the inter-spike intervals and of the
//     per-neuron rates of one spike_recorder at one point, after the
//     analysis' t_start;
//   - heatmap: a summary column (rate_hz, cv_isi, …) of one population over
//     two swept parameters, one cell per grid value, with a colour bar
//     (Brunel's phase diagram from configs/brunel_phase.toml).
//
// It reads the folder through package output's readers (summary, spikes,
// state) and run.json (the resolved points: times, populations, recorders
// and the neurons they record, which the population rate divides by). A
// figure is a grid of gonum plots laid out by figure.layout, which aligns
// the data areas of the panels in a column (a shared time axis) and in a
// row. Statistics that do not exist (NaN) are left out: an empty heat map
// cell, not a colour.
package plots
