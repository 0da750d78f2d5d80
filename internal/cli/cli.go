package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/gpu"
	"github.com/snn-gpu/snn-gpu/internal/buildinfo"
	"github.com/snn-gpu/snn-gpu/internal/compare"
	"github.com/snn-gpu/snn-gpu/internal/memory"
	"github.com/snn-gpu/snn-gpu/internal/runner"
	"github.com/snn-gpu/snn-gpu/models"
)

// Main runs the command line with args (without the program name) and
// returns the exit code: 0 when everything ran and was written; the code of
// an error that has an ExitCode method (3: some points failed during the
// simulation, the others are saved; 130 and 143: interrupted by SIGINT or
// SIGTERM, finished points saved); 1 for every other error (config, flags,
// memory, folder in use, I/O).
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := interruptible(context.Background())
	defer stop()
	root := NewRoot(ctx, stdout, stderr)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		fmt.Fprintln(stderr, "snn-gpu:", err)
		return exitCode(ctx, err)
	}
	return 0
}

// exitCode is the code of the first error in err's chain with an ExitCode
// method, else that of the signal that interrupted ctx, else 1.
func exitCode(ctx context.Context, err error) int {
	var c interface{ ExitCode() int }
	if errors.As(err, &c) || errors.As(context.Cause(ctx), &c) {
		return c.ExitCode()
	}
	return 1
}

// interrupt is the cause of a run stopped by a signal; job scripts tell it
// from a failure by the exit code, the shell's 128 + the signal's number.
type interrupt struct {
	name string
	sig  syscall.Signal
}

func (i interrupt) Error() string { return i.name }
func (i interrupt) ExitCode() int { return 128 + int(i.sig) }

// interruptible returns a context that the first SIGINT or SIGTERM cancels
// with an interrupt as its cause. A second signal has its default effect:
// the process ends at once.
func interruptible(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			if s == syscall.SIGTERM {
				cancel(interrupt{"SIGTERM", syscall.SIGTERM})
			} else {
				cancel(interrupt{"SIGINT", syscall.SIGINT})
			}
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// NewRoot builds the command tree.
func NewRoot(ctx context.Context, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "snn-gpu",
		Short: "Batch simulator of NEST-style spiking networks on GPUs and CPUs",
		Long: `snn-gpu runs NEST-style network models, and sweeps over their parameters, many network
instances at once: on a GPU when built with CUDA, on all CPU cores otherwise.

  snn-gpu sweep configs/brunel_states.toml     run every point of a sweep, write Parquet results
  snn-gpu sweep FILE --shard auto              one task of a SLURM array job: a shard of the sweep
  snn-gpu merge out/brunel_states              the shards' outputs as one sweep's
  snn-gpu run configs/brunel.toml --set g=6    run one point
  snn-gpu rerun out/brunel-point0              repeat a run from its run.json alone: the same spikes
  snn-gpu compare out/a out/b                  spike trains identical? statistics within error?
  snn-gpu plot out/brunel_states               draw rasters, histograms and heat maps of a run
  snn-gpu fit thetaplanes out/thetaplanes      fit Ca-AdEx's piecewise-planar rate map to a sweep
  snn-gpu models                               list the models with their parameters`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.SetVersionTemplate("{{.Version}}")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newRunCmd(ctx, "sweep", stdout, stderr), newRunCmd(ctx, "run", stdout, stderr), newModelsCmd(stdout), newInspectCmd(stdout),
		newRerunCmd(ctx, stdout, stderr), newCompareCmd(stdout), newPlotCmd(stdout), newExportCmd(stdout), newMergeCmd(stdout), newFitCmd(stdout))
	return root
}

// version is what --version prints: the build, and whether it can use a
// GPU.
func version() string {
	b := buildinfo.Get()
	rev := b.Revision
	if rev == "" {
		rev = "unknown"
	}
	if b.Modified {
		rev += " (modified)"
	}
	cuda := "no (the CPU backend only; make gpu builds the CUDA binary)"
	if gpu.Available {
		cuda = "yes"
	}
	return fmt.Sprintf("snn-gpu %s\nrevision  %s\ngo        %s %s/%s\ncuda      %s\n", b.Version, rev, b.GoVersion, runtime.GOOS, runtime.GOARCH, cuda)
}

type runFlags struct {
	out, backend string
	seed         uint32
	sets         []string
	quiet        bool
	maxMemory    string
	shard        string
	devices      string
}

// maxMemoryUsage is the help of --max-memory.
const maxMemoryUsage = "refuse runs estimated to need more memory than SIZE (8GiB, 512MiB, 2GB); default: what the machine has available"

// parseMaxMemory reads --max-memory ("" is no cap).
func parseMaxMemory(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	n, err := memory.ParseSize(s)
	if err != nil {
		return 0, fmt.Errorf("--max-memory %w", err)
	}
	return n, nil
}

// What the counting flags take, for their messages.
var counted = map[string]string{
	"threads": "a number of threads >= 0 (0: all cores)",
	"batch":   "a batch size >= 0 (0: automatic)",
	"point":   "a point number >= 0 (sweep runs every point)",
}

// count returns the value of a counting flag and whether it was given; a
// negative value is refused.
func count(cmd *cobra.Command, name string) (int, bool, error) {
	if !cmd.Flags().Changed(name) {
		return 0, false, nil
	}
	v, err := cmd.Flags().GetInt(name)
	if err == nil && v < 0 {
		err = fmt.Errorf("--%s %d: expected %s", name, v, counted[name])
	}
	return v, err == nil, err
}

// counts reads --threads, --batch and --point into opt: the config's threads
// and batch unless given (runner.Options' -1); for run the point given or
// 0, for sweep every point.
func counts(cmd *cobra.Command, opt *runner.Options) error {
	opt.Threads, opt.Batch, opt.Point = -1, -1, runner.AllPoints
	if cmd.Name() == "run" {
		opt.Point = 0
	}
	for _, c := range []struct {
		name string
		dst  *int
	}{{"threads", &opt.Threads}, {"batch", &opt.Batch}, {"point", &opt.Point}} {
		v, given, err := count(cmd, c.name)
		if err != nil {
			return err
		}
		if given {
			*c.dst = v
		}
	}
	return nil
}

func newRunCmd(ctx context.Context, name string, stdout, stderr io.Writer) *cobra.Command {
	var fl runFlags
	cmd := &cobra.Command{
		Use:  name + " FILE",
		Args: cobra.ExactArgs(1),
	}
	if name == "sweep" {
		cmd.Short = "Run every point of a config's [sweep], in batches that share one network"
		cmd.Long = `Run every point of a config's [sweep]. Points that share their structure run as one batch
(one network, per-member parameters). Results go to DIR/summary.parquet, spikes.parquet,
state.parquet and run.json; an interrupted sweep resumes where it stopped when run again.
FILE is a path, or the name of an embedded example (brunel, brunel_alpha, brunel_states).`
	} else {
		cmd.Short = "Run one point of a config (the base point, or --point K of its sweep)"
	}
	f := cmd.Flags()
	f.StringVar(&fl.out, "out", "", "output folder (default: [output] dir, else out/<config name>)")
	f.StringVar(&fl.backend, "backend", "", "auto, cpu or gpu (default: [simulation] backend)")
	f.Int("threads", 0, "CPU threads, 0 = automatic, up to all cores (default: [simulation] threads)")
	f.Int("batch", 0, "points per batch, 0 = auto (default: [simulation] batch)")
	f.Uint32Var(&fl.seed, "seed", 0, "random seed (default: [simulation] seed)")
	f.StringArrayVar(&fl.sets, "set", nil, "NAME=VALUE: override a [vars] or [simulation] entry (repeatable)")
	f.BoolVarP(&fl.quiet, "quiet", "q", false, "no progress report")
	f.StringVar(&fl.maxMemory, "max-memory", "", maxMemoryUsage)
	f.StringVar(&fl.devices, "devices", "", "GPUs to run batches on at once: all, or numbers (0,1,2); each batch sized to its device (GPU binary)")
	if name == "run" {
		f.Int("point", 0, "which point of the sweep to run (default 0)")
	} else {
		f.StringVar(&fl.shard, "shard", "", "I/N: run the I-th of N shards (from 0) into OUT/shard-I-of-N, for merge; auto: the task of a SLURM array job")
	}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		maxMemory, err := parseMaxMemory(fl.maxMemory)
		if err != nil {
			return err
		}
		ropt := runner.Options{Backend: fl.backend, OutDir: fl.out, MaxMemory: maxMemory}
		if err := counts(cmd, &ropt); err != nil {
			return err
		}
		if fl.devices != "" {
			if fl.backend == "cpu" {
				return fmt.Errorf("--devices %s with --backend cpu: devices are GPUs; the CPU backend uses --threads", fl.devices)
			}
			if ropt.Devices, err = runner.Devices(fl.devices); err != nil {
				return err
			}
		}
		if fl.shard != "" {
			s, err := runner.ParseShard(fl.shard, os.Getenv)
			if err != nil {
				return err
			}
			ropt.Shard = &s
		}
		opt := configs.Options{Sets: fl.sets}
		if cmd.Flags().Changed("seed") {
			opt.Seed = &fl.seed
		}
		file, err := configs.Load(args[0], opt)
		if err != nil {
			return err
		}
		if !fl.quiet {
			ropt.Progress = stderr
		}
		res, err := runner.Run(ctx, file, ropt)
		if err != nil {
			return err
		}
		return printResult(stdout, res)
	}
	return cmd
}

// printResult writes a finished run's summary table and where it went.
func printResult(stdout io.Writer, res *runner.Result) error {
	if res.Shard != nil {
		fmt.Fprintf(stdout, "shard %s: %d point(s) simulated on %s (%d done before); results in %s, for snn-gpu merge %s\n",
			res.Shard, res.Ran, res.Backend, res.Points-res.Ran, res.Dir, filepath.Dir(res.Dir))
		return nil
	}
	if err := runner.PrintSummary(stdout, res); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d point(s) simulated on %s", res.Ran, res.Backend)
	if before := res.Points - res.Ran; before > 0 {
		fmt.Fprintf(stdout, " (%d done before)", before)
	}
	fmt.Fprintf(stdout, "; results in %s\n", res.Dir)
	return nil
}

func newRerunCmd(ctx context.Context, stdout, stderr io.Writer) *cobra.Command {
	var out, backend, maxMemory string
	var quiet, force bool
	cmd := &cobra.Command{
		Use:   "rerun RUN.JSON",
		Short: "Repeat a run from its run.json alone (the config file is not needed), into a new folder",
		Long: `Repeat a finished run from its run.json (or the folder holding it): the config's text, every
--set, the seed, the point, the backend, threads and batch are all in run.json, so the config file
may be gone. The outputs go to the run's folder + "-rerun" (or --out) and are the original's bit for
bit, but for the fields of run.json that say when, where and by which command it ran and how long
its batches took. A run.json of another version or revision of snn-gpu is refused unless --force.
--threads and --batch change how it runs, not what it computes;
another --backend may round sums differently (the GPU matches the CPU statistically, not always
bit for bit).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			maxMemory, err := parseMaxMemory(maxMemory)
			if err != nil {
				return err
			}
			var given runner.Options
			if err := counts(cmd, &given); err != nil {
				return err
			}
			r, err := runner.LoadRerun(args[0], force)
			if err != nil {
				return err
			}
			for _, w := range r.Warnings {
				fmt.Fprintln(stderr, "snn-gpu: warning:", w)
			}
			if given.Threads >= 0 {
				r.Options.Threads = given.Threads
			}
			if given.Batch >= 0 {
				r.Options.Batch = given.Batch
			}
			if backend != "" {
				r.Options.Backend = backend
			}
			if out != "" {
				r.Options.OutDir = out
			}
			r.Options.MaxMemory = maxMemory
			if !quiet {
				r.Options.Progress = stderr
			}
			res, err := r.Run(ctx)
			if err != nil {
				return err
			}
			return printResult(stdout, res)
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "output folder (default: the run's folder + \"-rerun\")")
	f.StringVar(&backend, "backend", "", "auto, cpu or gpu (default: the run's)")
	f.Int("threads", 0, "CPU threads, 0 = automatic, up to all cores (default: the run's)")
	f.Int("batch", 0, "points per batch, 0 = auto (default: the run's)")
	f.BoolVar(&force, "force", false, "repeat a run.json of another version or revision of snn-gpu (results may differ)")
	f.BoolVarP(&quiet, "quiet", "q", false, "no progress report")
	f.StringVar(&maxMemory, "max-memory", "", maxMemoryUsage)
	return cmd
}

func newInspectCmd(stdout io.Writer) *cobra.Command {
	var opt runner.InspectOptions
	var sets []string
	var seed uint32
	var maxMemory string
	cmd := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Build a config's network and describe every projection (degrees, autapses, multapses, weights, delays, memory)",
		Long: `Build the network of one point of a config and describe every projection: synapse count,
in- and out-degree mean, spread and histogram, autapses, multapses, weight and delay summaries,
memory and build time. With --out DIR it writes DIR/connectivity.parquet (one row per projection),
and with --edges also DIR/edges.parquet (projection, source, target, weight, delay_ms; sources and
targets as indices within their populations).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, name := range []string{"threads", "point"} {
				if _, _, err := count(cmd, name); err != nil {
					return err
				}
			}
			var err error
			if opt.MaxMemory, err = parseMaxMemory(maxMemory); err != nil {
				return err
			}
			copt := configs.Options{Sets: sets}
			if cmd.Flags().Changed("seed") {
				copt.Seed = &seed
			}
			file, err := configs.Load(args[0], copt)
			if err != nil {
				return err
			}
			if opt.Edges && opt.OutDir == "" {
				return fmt.Errorf("--edges needs --out DIR")
			}
			return runner.Inspect(stdout, file, opt)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opt.Point, "point", 0, "which point of the sweep")
	f.StringVar(&opt.OutDir, "out", "", "write connectivity.parquet (and edges.parquet) to this folder")
	f.BoolVar(&opt.Edges, "edges", false, "also write edges.parquet with every synapse")
	f.IntVar(&opt.Threads, "threads", 0, "CPU threads for the construction (0: all cores)")
	f.Uint32Var(&seed, "seed", 0, "random seed (default: [simulation] seed)")
	f.StringArrayVar(&sets, "set", nil, "NAME=VALUE: override a [vars] or [simulation] entry (repeatable)")
	f.StringVar(&maxMemory, "max-memory", "", maxMemoryUsage)
	return cmd
}

func newCompareCmd(stdout io.Writer) *cobra.Command {
	var opt compare.Options
	cmd := &cobra.Command{
		Use:   "compare A B",
		Short: "Compare two output folders: identical spike trains, and statistics that differ beyond their error",
		Long: `Compare two output folders of the same sweep (a run and its rerun, two seeds, two values of a
parameter set with --set), point by point and population by population: whether the recorded spike
trains are identical, and for rate_hz, cv_isi, fano and peak_hz the difference B − A, its standard
error and z = (B − A)/error (peak_power is shown, not tested). A difference is flagged when |z|
exceeds the two-sided normal quantile of alpha over the number of statistics tested (Bonferroni).
docs/rerun_compare.md says how each error is estimated.

Exit status: 0 when everything is identical or within its error, 4 when some statistic differs
beyond its error, 1 when the folders cannot be compared (a file missing, other sweeps or points).`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := compare.Compare(args[0], args[1], opt)
			if err != nil {
				return err
			}
			if err := rep.Write(stdout); err != nil {
				return err
			}
			return rep.Verdict()
		},
	}
	cmd.Flags().Float64Var(&opt.Alpha, "alpha", compare.DefaultAlpha, "family-wise significance level (the chance of flagging a statistic of two runs that differ by their seed only)")
	return cmd
}

func newModelsCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "models [NAME...]",
		Short: "List the models with their parameters, units and defaults",
		RunE: func(cmd *cobra.Command, args []string) error {
			want := map[string]bool{}
			for _, a := range args {
				if _, ok := models.LookupNeuron(a); ok {
					want[a] = true
				} else if _, ok := models.LookupDevice(a); ok {
					want[a] = true
				} else if _, ok := models.LookupRecorder(a); ok {
					want[a] = true
				} else {
					return fmt.Errorf("unknown model %q (known: %s)", a, strings.Join(models.Names(), ", "))
				}
			}
			show := func(name string) bool { return len(want) == 0 || want[name] }
			tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
			for _, m := range models.Neurons() {
				if show(m.Name) {
					printModel(tw, "neuron", m.Name, m.Doc, m.Params, m.State)
					printNamed(tw, m)
				}
			}
			for _, d := range models.Devices() {
				if show(d.Name) {
					printModel(tw, "device", d.Name, d.Doc, d.Params, nil)
				}
			}
			for _, r := range models.Recorders() {
				if show(r.Name) {
					printModel(tw, "recorder", r.Name, r.Doc, r.Params, nil)
				}
			}
			return tw.Flush()
		},
	}
}

// printNamed lists a neuron model's named receptors and presets.
func printNamed(tw *tabwriter.Writer, m *models.Neuron) {
	for _, k := range []struct {
		kind models.PortKind
		what string
	}{{models.SpikePort, "spike"}, {models.CurrentPort, "current"}} {
		if names := m.Receptors(k.kind); len(names) > 0 {
			fmt.Fprintf(tw, "  %s receptors (syn.receptor): %s\n", k.what, strings.Join(names, ", "))
		}
	}
	for _, p := range m.Presets {
		doc := p.Doc
		if p.Refused != "" {
			doc = "refused: " + p.Refused
		}
		fmt.Fprintf(tw, "  preset %q: %s\n", p.Name, doc)
	}
	if len(m.Presets) > 0 || len(m.Receptors(models.SpikePort))+len(m.Receptors(models.CurrentPort)) > 0 {
		fmt.Fprintln(tw)
	}
}

func printModel(tw *tabwriter.Writer, kind, name, doc string, params []models.Param, state []models.StateVar) {
	fmt.Fprintf(tw, "%s (%s)\n", name, kind)
	for _, line := range strings.Split(doc, "\n") {
		fmt.Fprintf(tw, "  %s\n", line)
	}
	fmt.Fprintln(tw, "  parameter\tunit\tdefault\tdescription")
	for _, p := range params {
		doc := p.Doc
		if p.PerNeuron {
			doc += " (may differ between neurons)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", p.Name, unit(p.Unit), defaultOf(p), doc)
	}
	if len(state) > 0 {
		fmt.Fprintln(tw, "  state\tunit\tinitial\tdescription")
		for _, s := range state {
			doc := s.Doc
			if s.Internal {
				doc += " (internal: recordable, not settable)"
			}
			initial := fmt.Sprintf("%g", s.Default)
			if s.DefaultParam != "" {
				initial = s.DefaultParam
			}
			if s.Initial != nil {
				initial = fmt.Sprintf("%g (default parameters)", s.Initial(models.Defaults(params)))
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", s.Name, unit(s.Unit), initial, doc)
		}
	}
	fmt.Fprintln(tw)
}

func unit(u string) string {
	if u == "" {
		return "-"
	}
	return u
}

func defaultOf(p models.Param) string {
	switch {
	case p.Kind == models.Bool:
		return fmt.Sprint(p.Default != 0)
	case p.Kind == models.List || p.Kind == models.Strings:
		return "[]"
	case math.IsInf(p.Default, 1):
		return "inf"
	case math.IsInf(p.Default, -1):
		return "-inf"
	}
	return fmt.Sprintf("%g", p.Default)
}

func newMergeCmd(stdout io.Writer) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "merge OUT_DIR...",
		Short: "Merge the shards of a sweep (sweep --shard) into the outputs of the whole sweep",
		Long: `Merge the shards of a sweep run with --shard I/N (or auto, in a SLURM array job): each OUT_DIR
is a shard's folder or a folder holding shard-I-of-N folders. The shards must be of one sweep (the
same config, --set, seed, version, backend and shard count) and hold every point exactly once;
otherwise merge names the shards that differ, the points held twice, and the missing points with
the shard that should have had them. The merged summary.parquet, spikes.parquet, state.parquet
(and CSV and NEST views) are those the whole sweep run at once writes, byte for byte, with one
run.json; they go to the folder holding the shards, or --out. Merging again changes nothing.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := runner.Merge(args, out)
			if err != nil {
				return err
			}
			if err := runner.PrintSummary(stdout, res); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%d point(s) merged; results in %s\n", res.Points, res.Dir)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "folder of the merged outputs (default: the folder that holds the shards)")
	return cmd
}
