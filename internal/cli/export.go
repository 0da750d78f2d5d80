package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/export/nest"
)

func newExportCmd(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write a config's network for another simulator (export nest: a PyNEST 3 script)",
	}
	cmd.AddCommand(newExportNESTCmd(stdout))
	return cmd
}

func newExportNESTCmd(stdout io.Writer) *cobra.Command {
	var sets []string
	var seed uint32
	var out string
	cmd := &cobra.Command{
		Use:   "nest FILE -o SCRIPT.py",
		Short: "Write a PyNEST 3 script that builds and simulates one point of a config in NEST",
		Long: `Write a readable PyNEST (NEST 3) script that builds and simulates the network of one point of a
config (--point K, --set, --seed as for run) and writes its spikes, multimeter samples and summary
as snn-gpu's CSV tables (spikes.csv, state.csv, summary.csv) with run.json and timing.json, so that
snn-gpu compare can set our run and NEST's side by side:

  snn-gpu export nest configs/brunel.toml -o brunel_nest.py
  python3 brunel_nest.py --out out/brunel-nest --threads 2
  snn-gpu run configs/brunel.toml --out out/brunel
  snn-gpu compare out/brunel out/brunel-nest

The script needs NEST 3 and numpy. What NEST cannot express (a model that exists only here, a
logarithm of a random value) is refused with its config path, and nothing is written.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, _, err := count(cmd, "point")
			if err != nil {
				return err
			}
			if out == "" {
				return fmt.Errorf("-o SCRIPT.py is required")
			}
			copt := configs.Options{Sets: sets}
			if cmd.Flags().Changed("seed") {
				copt.Seed = &seed
			}
			file, err := configs.Load(args[0], copt)
			if err != nil {
				return err
			}
			if k >= len(file.Points) {
				return fmt.Errorf("--point %d: %s has %d point(s), 0 to %d", k, args[0], len(file.Points), len(file.Points)-1)
			}
			p := file.Points[k]
			base := strings.TrimSuffix(filepath.Base(args[0]), ".toml")
			script, err := nest.Script(&p.Net, nest.Source{Config: args[0], ConfigHash: file.Hash, Point: k,
				Swept: file.Swept, Values: p.Values, Label: p.Label, DefaultOut: filepath.Join("out", fmt.Sprintf("%s-nest-point%d", base, k))})
			if err != nil {
				return fmt.Errorf("%s, point %d: %w", args[0], k, err)
			}
			if err := writeFileAtomic(out, script, 0o755); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "wrote %s: %s point %d for NEST 3 (python3 %s --out DIR --threads N)\n", out, args[0], k, out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "output", "o", "", "the script to write")
	f.Int("point", 0, "which point of the sweep")
	f.Uint32Var(&seed, "seed", 0, "random seed (default: [simulation] seed)")
	f.StringArrayVar(&sets, "set", nil, "NAME=VALUE: override a [vars] or [simulation] entry (repeatable)")
	return cmd
}

// writeFileAtomic writes data under a temporary name next to path and
// renames it into place, so that a failure leaves nothing half-written.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), perm)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
