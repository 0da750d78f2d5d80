package runner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/internal/parallel"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/output"
	"github.com/snn-gpu/snn-gpu/spec"
	"github.com/snn-gpu/snn-gpu/sweep"
)

// Options are the command-line choices that override the config.
type Options struct {
	Backend string // "" keeps the config's
	Threads int    // < 0 keeps the config's
	Batch   int    // < 0 keeps the config's
	OutDir  string // "" keeps the config's
	// Point selects one point (snn-gpu run); -1 runs the whole sweep.
	Point int
	// Use, when set, is the backend to run on (Backend names one instead).
	Use      engine.Backend
	Progress io.Writer // progress reports (stderr); nil: none
	// MaxMemory, when > 0, caps the memory the run may take (bytes), below
	// what the machine has available.
	MaxMemory int64
}

// Result is what a run produced.
type Result struct {
	Dir     string
	Swept   []string
	Rows    []output.SummaryRow
	Points  int // points of the run
	Ran     int // points simulated now (the others were done before)
	Backend string
	// Memory is the estimated peak memory (bytes) of the largest batch,
	// made before anything was built.
	Memory float64
}

// Run simulates the points of a loaded config and writes the outputs.
func Run(ctx context.Context, f *configs.File, opt Options) (*Result, error) {
	points := f.Points
	hash, dir := f.Hash, f.Output.Dir
	if opt.Point >= 0 {
		if opt.Point >= len(points) {
			return nil, fmt.Errorf("%s: --point %d: the config has %d point(s), numbered 0 to %d", f.Path, opt.Point, len(points), len(points)-1)
		}
		points = points[opt.Point : opt.Point+1]
		sum := sha256.Sum256(fmt.Appendf(nil, "%s:point=%d", hash, opt.Point))
		hash = hex.EncodeToString(sum[:]) // one point is another run than the whole sweep
		dir = fmt.Sprintf("%s-point%d", dir, opt.Point)
	}
	if opt.OutDir != "" {
		dir = opt.OutDir
	}
	threads, batch, backendName := f.Threads, f.Batch, f.Backend
	if opt.Threads >= 0 {
		threads = opt.Threads
	}
	if opt.Batch >= 0 {
		batch = opt.Batch
	}
	if opt.Backend != "" {
		backendName = opt.Backend
	}
	backend := opt.Use
	if backend == nil {
		var err error
		if backend, err = Backend(backendName, threads); err != nil {
			return nil, err
		}
	}
	explicit := batch > 0
	if !explicit {
		batch = parallel.Threads(threads) // one member per core keeps every core busy
	}
	plan, err := checkMemory(f, points, backend, threads, batch, explicit, opt.MaxMemory)
	if err != nil {
		return nil, err
	}
	batch = plan.batch
	defer holdGC(plan.limit)()

	out, err := output.Open(dir, hash, f.Swept, output.Options{
		Compression: f.Output.Compression, Spikes: f.Output.Spikes, State: f.Output.State,
	})
	if err != nil {
		return nil, err
	}
	var todo []configs.Point
	for _, p := range points {
		if !out.Done(p.Index) {
			todo = append(todo, p)
		}
	}
	res := &Result{Dir: dir, Swept: f.Swept, Points: len(points), Ran: len(todo), Backend: backend.Name()}
	started := time.Now()
	if sz, ok := backend.(engine.Sizer); ok && len(todo) > 0 {
		if batch, err = fitBatch(sz, todo, batch, explicit, threads, opt.Progress); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		batch = min(batch, plan.most)
	}
	res.Memory = plan.report(opt.Progress, batch)
	if len(todo) > 0 {
		var work int64
		for _, p := range todo {
			work = addSteps(work, 1, models.Steps(p.Net.Simulation.TSim, p.Net.Simulation.Dt))
		}
		var w io.Writer = io.Discard
		if opt.Progress != nil {
			w = opt.Progress
		}
		prog := newProgress(w, len(todo), work)
		for _, b := range sweep.Batches(todo, batch) {
			if err := runBatch(ctx, b, out, backend, threads, f, prog); err != nil {
				prog.finish()
				if ctx.Err() != nil {
					return nil, fmt.Errorf("interrupted: the points finished so far are saved in %s; run the same command again to resume", dir)
				}
				return nil, err
			}
		}
		prog.finish()
	}
	info := runInfo(f, points, backend.Name(), threads, batch, started)
	if err := out.Finish(info); err != nil {
		return nil, err
	}
	_, rows, err := output.ReadSummary(filepath.Join(dir, "summary.parquet"))
	if err != nil {
		return nil, err
	}
	res.Rows = rows
	return res, nil
}

// fitBatch asks a memory-bound backend how many points of each structure
// fit, reports its estimate, and returns the batch size: the largest that
// fits everywhere, or the one asked for when it fits.
func fitBatch(sz engine.Sizer, todo []configs.Point, batch int, explicit bool, threads int, w io.Writer) (int, error) {
	fit := math.MaxInt
	for _, g := range sweep.Batches(todo, 0) {
		net, err := network.Build([]spec.Network{g[0].Net}, []int{g[0].Index}, threads)
		if err != nil {
			return 0, fmt.Errorf("point %d: %w", g[0].Index, err)
		}
		n, report, err := sz.Fit(net)
		if err != nil {
			return 0, fmt.Errorf("point %d: %w", g[0].Index, err)
		}
		if w != nil {
			fmt.Fprintln(w, report)
		}
		if explicit && batch > n {
			return 0, fmt.Errorf("point %d: a batch of %d does not fit (%s); use --batch %d or less", g[0].Index, batch, report, n)
		}
		fit = min(fit, n)
	}
	if explicit {
		return batch, nil
	}
	return fit, nil
}

func runBatch(ctx context.Context, pts []configs.Point, out *output.Dir, backend engine.Backend, threads int, f *configs.File, prog *progress) error {
	specs := make([]spec.Network, len(pts))
	idx := make([]int, len(pts))
	for i, p := range pts {
		specs[i], idx[i] = p.Net, p.Index
	}
	net, err := network.Build(specs, idx, threads)
	if err != nil {
		return fmt.Errorf("%s: point %d: %w", f.Path, idx[0], err)
	}
	var stateVars []string
	seen := map[string]bool{}
	for _, r := range net.Recorders {
		for _, v := range r.VarNames {
			if !seen[v] {
				seen[v] = true
				stateVars = append(stateVars, v)
			}
		}
	}
	b, err := out.NewBatch(idx, stateVars)
	if err != nil {
		return err
	}
	an := specs[0].Analysis
	st := newStats(net, an.TStart, an.BinMs)
	sinks := engine.Sinks{st}
	if f.Output.Spikes {
		sinks = append(sinks, newSpikeRecorders(net, b))
	}
	if f.Output.State {
		sinks = append(sinks, &multimeters{net: net, batch: b})
	}
	t0 := time.Now()
	err = backend.Run(ctx, net, sinks, func(s int64) { prog.step(len(pts), s, net.Steps, net.Dt) })
	wall := time.Since(t0)
	if err != nil {
		b.Abort()
		return err
	}
	synapses := make([]int64, len(net.Pops))
	for _, pr := range net.Projections {
		if !pr.Source.Device {
			synapses[pr.Source.Index] += pr.Synapses()
		}
	}
	for m, p := range pts {
		for pi, pop := range net.Pops {
			s := st.pops[m][pi].Summary()
			b.AddSummary(output.SummaryRow{
				Point: p.Index, Values: p.Values, Label: p.Label, Population: pop.Name, N: s.N,
				RateHz: s.RateHz, CVISI: s.CVISI, Fano: s.Fano, PeakHz: s.PeakHz, PeakPower: s.PeakPower,
				Synapses: synapses[pi], WallS: wall.Seconds(), Backend: backend.Name(), BatchSize: len(pts),
			})
		}
	}
	if err := b.Commit(); err != nil {
		return err
	}
	prog.batchDone(idx[0], idx[len(idx)-1], len(pts), net.Steps, net.Dt, wall)
	return nil
}

// Info is what run.json records, so that a run can be repeated exactly.
type Info struct {
	Tool       string      `json:"tool"`
	Version    string      `json:"version"`
	Revision   string      `json:"revision,omitempty"`
	GoVersion  string      `json:"go_version"`
	Platform   string      `json:"platform"`
	Host       string      `json:"host"`
	CPUs       int         `json:"cpus"`
	Command    []string    `json:"command"`
	Config     string      `json:"config"`
	ConfigHash string      `json:"config_hash"`
	Backend    string      `json:"backend"`
	Threads    int         `json:"threads"`
	Batch      int         `json:"batch"`
	Started    time.Time   `json:"started"`
	Finished   time.Time   `json:"finished"`
	Swept      []string    `json:"swept"`
	Points     []PointInfo `json:"points"`
}

// PointInfo is one resolved point.
type PointInfo struct {
	Index  int          `json:"index"`
	Values []float64    `json:"values"`
	Label  string       `json:"label,omitempty"`
	Net    spec.Network `json:"network"`
}

func runInfo(f *configs.File, points []configs.Point, backend string, threads, batch int, started time.Time) Info {
	info := Info{
		Tool: "snn-gpu", Version: "(devel)", GoVersion: runtime.Version(),
		Platform: runtime.GOOS + "/" + runtime.GOARCH, CPUs: runtime.NumCPU(),
		Command: os.Args, Config: f.Path, ConfigHash: f.Hash, Backend: backend,
		Threads: parallel.Threads(threads), Batch: batch, Started: started, Finished: time.Now(), Swept: f.Swept,
	}
	info.Host, _ = os.Hostname()
	if bi, ok := debug.ReadBuildInfo(); ok {
		info.Version = bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				info.Revision = s.Value
			}
		}
	}
	for _, p := range points {
		info.Points = append(info.Points, PointInfo{Index: p.Index, Values: p.Values, Label: p.Label, Net: p.Net})
	}
	return info
}

// PrintSummary writes the summary rows as an aligned table.
func PrintSummary(w io.Writer, swept []string, rows []output.SummaryRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	hasLabel := false
	for _, r := range rows {
		hasLabel = hasLabel || r.Label != ""
	}
	head := []string{"point"}
	if hasLabel {
		head = append(head, "label")
	}
	head = append(head, swept...)
	head = append(head, "pop", "n", "rate_hz", "cv_isi", "fano", "peak_hz", "synapses", "wall_s")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, r := range rows {
		cells := []string{fmt.Sprint(r.Point)}
		if hasLabel {
			cells = append(cells, r.Label)
		}
		for _, v := range r.Values {
			cells = append(cells, fmt.Sprintf("%g", v))
		}
		cells = append(cells, r.Population, fmt.Sprint(r.N), fmt.Sprintf("%.2f", r.RateHz), fmt.Sprintf("%.3f", r.CVISI),
			fmt.Sprintf("%.2f", r.Fano), fmt.Sprintf("%.1f", r.PeakHz), fmt.Sprint(r.Synapses), fmt.Sprintf("%.1f", r.WallS))
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	return tw.Flush()
}
