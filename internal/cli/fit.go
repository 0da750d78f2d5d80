package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/snn-gpu/snn-gpu/thetaplanes"
)

func newFitCmd(stdout io.Writer) *cobra.Command {
	fit := &cobra.Command{
		Use:   "fit",
		Short: "Fit a model to a finished run's outputs (thetaplanes)",
	}
	var soma, distal string
	var stim float64
	var planes int
	tp := &cobra.Command{
		Use:   "thetaplanes OUT_DIR",
		Short: "Fit the piecewise-planar ThetaPlanes map of Ca-AdEx to a rate sweep (configs/ca_adex_thetaplanes.toml)",
		Long: `Fit the ThetaPlanes transfer function (docs/thetaplanes.md) to the output folder of a sweep over a
somatic and a distal current: per population (brain state), rate = max(0, max_k a_k + b_k·I_s + c_k·I_d)
by least squares, the rates counted over the stimulus. Writes OUT_DIR/thetaplanes.json (the planes,
the RMS and largest error per state) and prints them.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			m, err := thetaplanes.Measure(dir, soma, distal, stim)
			if err != nil {
				return err
			}
			var maps []thetaplanes.Map
			for _, s := range m.States {
				fm, err := thetaplanes.Fit(s, m.Points[s], planes)
				if err != nil {
					return err
				}
				maps = append(maps, fm)
				fmt.Fprintf(stdout, "%s: %d points, RMS error %.3g Hz, largest %.3g Hz\n", s, fm.Points, fm.RMS, fm.Max)
				for k, p := range fm.Planes {
					where := ""
					if l := fm.Line; l != nil {
						where = fmt.Sprintf("   where %.4g·I_s %+.4g·I_d <= %.4g pA", l.Cos, l.Sin, l.Theta)
						if k == 1 {
							where = fmt.Sprintf("   where %.4g·I_s %+.4g·I_d > %.4g pA", l.Cos, l.Sin, l.Theta)
						}
					}
					fmt.Fprintf(stdout, "  rate = max(0, %.4g Hz %+.5g Hz/pA·I_s %+.5g Hz/pA·I_d)%s\n", p.A, p.B, p.C, where)
				}
			}
			data, err := json.MarshalIndent(map[string]any{"soma": soma, "distal": distal, "stimulus_ms": stim, "maps": maps}, "", "  ")
			if err != nil {
				return err
			}
			path := filepath.Join(dir, "thetaplanes.json")
			if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
				return err
			}
			fmt.Fprintln(stdout, path)
			return nil
		},
	}
	f := tp.Flags()
	f.StringVar(&soma, "soma", "I_s", "swept name of the somatic current (pA)")
	f.StringVar(&distal, "distal", "I_d", "swept name of the distal current (pA)")
	f.Float64Var(&stim, "stimulus", 2000, "ms of stimulus from t = 0 over which the rates are counted")
	f.IntVar(&planes, "planes", 2, "planes per map (1 to 4)")
	fit.AddCommand(tp)
	return fit
}
