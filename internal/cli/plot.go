package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/snn-gpu/snn-gpu/plots"
)

func newPlotCmd(stdout io.Writer) *cobra.Command {
	var opt plots.Options
	var format string
	cmd := &cobra.Command{
		Use:   "plot OUT_DIR",
		Short: "Draw the figures of an output folder: rasters, multimeter traces, ISI and rate histograms, heat maps (PNG, SVG)",
		Long: `Draw the figures of a finished run's output folder (PNG and/or SVG, in OUT_DIR/plots unless --out):

  raster_pK_POP    spikes of a spike_recorder at point K (neuron against time), over the
                   population rate of its neurons in bins of --bin ms (NEST's raster_plot)
  hist_pK_POP      distributions of the inter-spike intervals and of the per-neuron rates
                   after [analysis] t_start
  network_pK       every spike_recorder at point K stacked top to bottom in config order, a colour
                   each, over the last 100 ms of the run (--window), beside the populations' mean
                   rates (Potjans & Diesmann 2014, Fig. 6); by default for points with two or more
  traces_pK_POP    a multimeter's samples, one panel per recorded variable
  heatmap_COL_POP  a summary column (--column, default rate_hz) over two swept parameters,
                   one cell per grid value (Brunel's phase diagram: configs/brunel_phase.toml)

Without --figure every kind the folder has the tables for is drawn; per-point figures for
every point of runs with at most 16 points, else for the points given with --point.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, k := range opt.Points {
				if k < 0 {
					return fmt.Errorf("--point %d: expected a point number >= 0", k)
				}
			}
			switch format {
			case "both":
				opt.Formats = plots.Formats
			default:
				opt.Formats = []string{format}
			}
			res, err := plots.Write(args[0], opt)
			if err != nil {
				return err
			}
			for _, n := range res.Notes {
				fmt.Fprintln(stdout, n)
			}
			for _, f := range res.Files {
				fmt.Fprintln(stdout, f)
			}
			fmt.Fprintf(stdout, "%d file(s) written to %s\n", len(res.Files), res.Dir)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntSliceVar(&opt.Points, "point", nil, "points of the per-point figures: --point 2 --point 5, or --point 2,5 (default: every point, up to 16)")
	f.StringVar(&opt.Population, "population", "", "only this population (default: every population)")
	f.StringSliceVar(&opt.Kinds, "figure", nil, "kinds of figure: raster, hist, network, traces, heatmap (default: every kind the folder has the tables for)")
	f.StringVar(&opt.Column, "column", plots.DefaultColumn, "summary column of the heat map: rate_hz, cv_isi, fano, peak_hz, peak_power, synapses")
	f.StringSliceVar(&opt.Axes, "axes", nil, "the heat map's swept parameters X,Y (default: of a sweep over two, the inner one on x)")
	f.BoolVar(&opt.Log, "log", false, "colour the heat map by the logarithm of the column (rates, peak power)")
	f.Float64Var(&opt.BinMs, "bin", plots.DefaultBinMs, "bin of the population rate under a raster (ms)")
	f.Float64SliceVar(&opt.Window, "window", nil, "time window of the network figure: LO,HI in ms, or a LENGTH: the last LENGTH ms of the run (default: the last 100 ms)")
	f.StringVar(&format, "format", "png", "png, svg or both")
	f.StringVar(&opt.OutDir, "out", "", "folder of the figures (default: OUT_DIR/plots)")
	return cmd
}
