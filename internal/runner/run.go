package runner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/snn-gpu/snn-gpu/analysis"
	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/internal/buildinfo"
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
	// Point selects one point (snn-gpu run); AllPoints runs the whole sweep.
	Point int
	// Shard, when set, runs one shard of the sweep (Point is AllPoints)
	// into ShardDir of the output folder, for Merge.
	Shard *Shard
	// Use, when set, is the backend to run on (Backend names one instead).
	Use engine.Backend
	// Devices, when set, are backends of one kind, one per device, that
	// run batches at once, each batch sized to its device (Use and
	// Backend are then not used).
	Devices  []engine.Backend
	Progress io.Writer // progress reports (stderr); nil: none
	// MaxMemory, when > 0, caps the memory the run may take (bytes), below
	// what the machine has available.
	MaxMemory int64
}

// AllPoints is the Options.Point of a whole sweep.
const AllPoints = -1

// Result is what a run produced.
type Result struct {
	Dir     string
	Swept   []string
	Rows    []output.SummaryRow
	Batches []BatchInfo // every batch of the run, by first point (run.json's)
	Points  int         // points of the run
	Ran     int         // points simulated now (the others were done before)
	Backend string
	Shard   *Shard // the shard run, if one; its tables are made by Merge
	// Memory is the estimated peak memory (bytes) of the largest batch,
	// made before anything was built.
	Memory float64
}

// Run simulates the points of a loaded config and writes the outputs. The
// output folder is the run's alone while it runs; a run refused or stopped
// before its first batch was saved leaves no folder it created.
func Run(ctx context.Context, f *configs.File, opt Options) (_ *Result, err error) {
	points := f.Points
	hash, dir := f.Hash, f.Output.Dir
	if opt.Point != AllPoints {
		if err := checkPoint(f, opt.Point); err != nil {
			return nil, err
		}
		points = points[opt.Point : opt.Point+1]
		sum := sha256.Sum256(fmt.Appendf(nil, "%s:point=%d", hash, opt.Point))
		hash = hex.EncodeToString(sum[:]) // one point is another run than the whole sweep
		dir = fmt.Sprintf("%s-point%d", dir, opt.Point)
	}
	if opt.OutDir != "" {
		dir = opt.OutDir
	}
	if s := opt.Shard; s != nil {
		if opt.Point != AllPoints {
			return nil, fmt.Errorf("%s: --point %d and --shard %s: a shard is part of the whole sweep; give one of them", f.Path, opt.Point, s)
		}
		shards, err := Shards(f, s.Count)
		if err != nil {
			return nil, err
		}
		points = shards[s.Index]
		sum := sha256.Sum256(fmt.Appendf(nil, "%s:shard=%s", hash, s))
		hash = hex.EncodeToString(sum[:]) // a shard is another run than the whole sweep
		dir = ShardDir(dir, *s)
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
	devices := opt.Devices
	if len(devices) == 0 {
		backend := opt.Use
		if backend == nil {
			if backend, err = Backend(backendName, threads); err != nil {
				return nil, err
			}
		}
		devices = []engine.Backend{backend}
	}
	backend := devices[0]
	explicit := batch > 0
	if !explicit {
		batch = parallel.Threads(threads) // one member per core keeps every core busy
	}
	plan, err := checkMemory(f, points, backend, threads, batch, explicit, opt.MaxMemory, len(devices))
	if err != nil {
		return nil, err
	}
	batch = plan.batch
	defer holdGC(plan.limit)()

	out, err := output.Open(dir, hash, f.Swept, outputOptions(f, opt.Shard != nil))
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	var todo []configs.Point
	for _, p := range points {
		if !out.Done(p.Index) {
			todo = append(todo, p)
		}
	}
	res := &Result{Dir: dir, Swept: f.Swept, Points: len(points), Ran: len(todo), Backend: backend.Name(), Shard: opt.Shard}
	var failures []PointFailure
	started := time.Now()
	sizes := make([]int, len(devices)) // each device's batch size
	for i, d := range devices {
		sizes[i] = batch
		if sz, ok := d.(engine.Sizer); ok && len(todo) > 0 {
			n, err := fitBatch(sz, todo, batch, explicit, threads, opt.Progress)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Path, err)
			}
			sizes[i] = min(n, plan.most)
		}
	}
	batch = slices.Max(sizes)
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
		failures, err = runBatches(ctx, todo, devices, sizes, out, threads, f, prog)
		prog.finish()
		if err != nil {
			if ctx.Err() != nil {
				return nil, interrupted(ctx, out, points)
			}
			return nil, err
		}
	}
	if len(failures) > 0 {
		// Not finished: the points done stay committed, and running the
		// same command again retries the failed ones.
		return nil, &PointsFailed{Config: f.Path, Dir: dir, Points: len(points), Failures: failures}
	}
	info := runInfo(f, opt, dir, points, out.Batches(), backend.Name(), threads, batch, started)
	if err := out.Finish(info); err != nil {
		return nil, err
	}
	res.Batches = info.Batches
	if opt.Shard != nil {
		return res, nil // the summary is made when the shards are merged
	}
	_, rows, err := output.ReadSummary(filepath.Join(dir, "summary.parquet"))
	if err != nil {
		return nil, err
	}
	res.Rows = rows
	return res, nil
}

// outputOptions are what the config's [output] asks the folder to hold;
// shard for a shard's folder.
func outputOptions(f *configs.File, shard bool) output.Options {
	return output.Options{
		Compression: f.Output.Compression, Spikes: f.Output.Spikes, State: f.Output.State, NEST: f.Output.NEST, CSV: f.Output.CSV,
		Shard: shard,
	}
}

// fitBatch asks a memory-bound backend how many points of each structure
// fit, reports its estimate, and returns the batch size: the largest that
// fits everywhere, or the one asked for when it fits.
func fitBatch(sz engine.Sizer, todo []configs.Point, batch int, explicit bool, threads int, w io.Writer) (int, error) {
	fit := math.MaxInt
	for _, g := range sweep.Batches(todo, 0) {
		net, err := buildNetwork(g[:1], threads)
		if err != nil {
			return 0, err
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

// checkPoint refuses a --point the config does not have.
func checkPoint(f *configs.File, k int) error {
	if k < 0 || k >= len(f.Points) {
		return fmt.Errorf("%s: --point %d: expected a point from 0 to %d (the config has %d)", f.Path, k, len(f.Points)-1, len(f.Points))
	}
	return nil
}

// PointFailure is a point whose simulation failed.
type PointFailure struct {
	Point int
	Err   error
}

// PointsFailed is Run's error when some points failed during the
// simulation (their state became NaN or infinite) while the others were
// simulated and saved. The run is not finished (no run.json, no merged
// tables); running it again retries the failed points.
type PointsFailed struct {
	Config, Dir string
	Points      int // points of the run
	Failures    []PointFailure
}

func (e *PointsFailed) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d of %d point(s) failed during the simulation", e.Config, len(e.Failures), e.Points)
	if len(e.Failures) < e.Points {
		fmt.Fprintf(&b, "; the other points are saved in %s", e.Dir)
	}
	b.WriteString(" (the run is not finished: the same command again retries the failed points)")
	for _, p := range e.Failures {
		fmt.Fprintf(&b, "\n  point %d: %v", p.Point, p.Err)
	}
	return b.String()
}

// ExitCode is the command's exit status: the run went through, some points
// failed.
func (e *PointsFailed) ExitCode() int { return 3 }

// interrupted is the error of a run stopped by ctx: it wraps the cause (a
// signal, for the command line's exit code) and says what was saved.
func interrupted(ctx context.Context, out *output.Dir, points []configs.Point) error {
	for _, p := range points {
		if out.Done(p.Index) {
			return fmt.Errorf("interrupted (%w): the points finished so far are saved in %s; run the same command again to resume", context.Cause(ctx), out.Path())
		}
	}
	return fmt.Errorf("interrupted (%w) before a point finished: nothing was saved", context.Cause(ctx))
}

// runBatches runs the points on every device at once: each device takes,
// in device order at first and then as it becomes free, the next points of
// the structure at the head of the queue, as many as its batch size (so
// one device runs sweep.Batches(todo, size)). The first error stops the other devices
// after their batch; the failed points come back by point.
func runBatches(ctx context.Context, todo []configs.Point, devices []engine.Backend, sizes []int, out *output.Dir, threads int, f *configs.File, prog *progress) ([]PointFailure, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	queue := sweep.Batches(todo, 0)
	var failures []PointFailure
	var first error
	next := func(size int) []configs.Point {
		mu.Lock()
		defer mu.Unlock()
		if len(queue) == 0 || first != nil {
			return nil
		}
		g := queue[0]
		n := min(size, len(g))
		if n == len(g) {
			queue = queue[1:]
		} else {
			queue[0] = g[n:]
		}
		return g[:n:n]
	}
	var wg sync.WaitGroup
	firsts := make([][]configs.Point, len(devices))
	for i := range devices {
		firsts[i] = next(sizes[i])
	}
	for i, d := range devices {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := firsts[i]; b != nil; b = next(sizes[i]) {
				failed, err := runBatch(ctx, b, out, d, threads, f, prog)
				mu.Lock()
				failures = append(failures, failed...)
				if err != nil && first == nil {
					first = err
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.SortFunc(failures, func(a, b PointFailure) int { return a.Point - b.Point })
	return failures, first
}

// buildNetwork builds the network of a batch of points. Its errors name the
// config's field (network.Build's) and the points.
func buildNetwork(pts []configs.Point, threads int) (*network.Network, error) {
	specs := make([]spec.Network, len(pts))
	idx := make([]int, len(pts))
	for i, p := range pts {
		specs[i], idx[i] = p.Net, p.Index
	}
	net, err := network.Build(specs, idx, threads)
	if err != nil {
		if len(idx) == 1 {
			return nil, fmt.Errorf("%w (point %d)", err, idx[0])
		}
		return nil, fmt.Errorf("%w (points %v)", err, idx)
	}
	return net, nil
}

// runBatch simulates a batch and commits its points, but for those whose
// simulation failed: it returns them.
func runBatch(ctx context.Context, pts []configs.Point, out *output.Dir, backend engine.Backend, threads int, f *configs.File, prog *progress) ([]PointFailure, error) {
	net, err := buildNetwork(pts, threads)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	idx := net.Points
	b, err := out.NewBatch(idx, layout(net, &pts[0].Net))
	if err != nil {
		return nil, err
	}
	an := pts[0].Net.Analysis
	st := newStats(net, an.TStart, an.BinMs)
	sinks := engine.Sinks{st}
	if f.Output.Spikes {
		sinks = append(sinks, newSpikeRecorders(net, b))
	}
	if f.Output.State {
		sinks = append(sinks, &multimeters{net: net, batch: b})
	}
	if net.Structural.Rewires() {
		sinks = append(sinks, &structure{net: net, batch: b})
	}
	if slices.ContainsFunc(net.Projections, func(pr *network.Projection) bool { return pr.Plastic != nil }) {
		sinks = append(sinks, &plasticWeights{net: net, batch: b})
	}
	t0 := time.Now()
	err = backend.Run(ctx, net, sinks, func(s int64) { prog.step(len(pts), s, net.Steps, net.Dt) })
	wall := time.Since(t0)
	var failed engine.Failed
	if errors.As(err, &failed) {
		err = nil
	}
	if err != nil {
		b.Abort()
		return nil, err
	}
	var failures []PointFailure
	bad := map[int]bool{}
	for _, fm := range failed {
		bad[fm.Member] = true
		failures = append(failures, PointFailure{Point: idx[fm.Member], Err: fm.Err})
		prog.pointFailed(idx[fm.Member], fm.Err)
	}
	if len(bad) == len(pts) {
		b.Abort()
		return failures, nil
	}
	for m := range bad {
		if err := b.Drop(idx[m]); err != nil {
			b.Abort()
			return nil, err
		}
	}
	for m, p := range pts {
		if bad[m] {
			continue
		}
		synapses := make([]int64, len(net.Pops)) // at the end of the run: plastic projections change
		for _, pr := range net.Projections {
			if !pr.Source.Device && !pr.Twin() {
				synapses[pr.Source.Index] += pr.Of(m).Synapses()
			}
		}
		for pi, pop := range net.Pops {
			s := st.pops[m][pi].Summary()
			rs := analysis.RateSummary{Mean: math.NaN(), SD: math.NaN(), Final: math.NaN(), SettleMs: math.NaN()}
			if r := st.rates[m][pi]; r != nil {
				rs = r.Summary()
			}
			b.AddSummary(output.SummaryRow{
				Point: p.Index, Values: p.Values, Label: p.Label, Population: pop.Name, N: s.N,
				RateHz: s.RateHz, CVISI: s.CVISI, Fano: s.Fano, PeakHz: s.PeakHz, PeakPower: s.PeakPower,
				Synapses: synapses[pi], Backend: backend.Name(),
				RateMean: rs.Mean, RateSD: rs.SD, RateFinal: rs.Final, RateSettleMs: rs.SettleMs,
			})
		}
	}
	for m, w := range st.wfr {
		if !bad[m] {
			b.SetWFR(output.WFRCount{Point: idx[m], Windows: w.Windows, Mean: w.Mean(), Max: w.Max, Capped: w.Capped})
			if w.Capped > 0 {
				prog.wfrCapped(idx[m], w.Capped, w.Windows, net.WFR.MaxIterations)
			}
		}
	}
	if f.Output.Edges {
		if err := finalEdges(out.Path(), net, f, bad); err != nil {
			b.Abort()
			return nil, err
		}
	}
	b.SetWallTime(wall)
	if err := b.Commit(); err != nil {
		return nil, err
	}
	prog.batchDone(idx[0], idx[len(idx)-1], len(pts), net.Steps, net.Dt, wall)
	return failures, nil
}

// finalEdges writes, for every point of the batch that did not fail,
// structural plasticity's synapses at the end of the run as
// dir/edges/point-K.parquet (inspect --edges' table).
func finalEdges(dir string, net *network.Network, f *configs.File, bad map[int]bool) error {
	var prs []*network.Projection
	for _, pr := range net.Projections {
		if pr.Role == network.RoleStructural {
			prs = append(prs, pr)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "edges"), 0o755); err != nil {
		return err
	}
	for m, point := range net.Points {
		if bad[m] {
			continue
		}
		in := output.Inspection{Hash: f.Hash, Seed: net.Seed, Point: point, Dt: net.Dt}
		path := filepath.Join(dir, "edges", fmt.Sprintf("point-%d.parquet", point))
		if err := writeEdges(path, net, prs, m, f.Output.Compression, in); err != nil {
			return err
		}
	}
	return nil
}

// Info is what run.json records: the build, the machine, the command, and
// everything needed to repeat the run without its config file (LoadRerun
// reads it back): the config's text, every --set in order, --seed, the
// point of `run --point`, and the backend, threads and batch it ran with;
// then every point resolved. A rerun writes the same run.json but for
// the fields that say when, where and by which command it ran (see
// varyingFields).
type Info struct {
	Tool       string   `json:"tool"`
	Version    string   `json:"version"`
	Revision   string   `json:"revision,omitempty"`
	Modified   bool     `json:"modified,omitempty"` // built from a tree with uncommitted changes
	GoVersion  string   `json:"go_version"`
	Platform   string   `json:"platform"`
	Host       string   `json:"host"`
	CPUs       int      `json:"cpus"`
	Command    []string `json:"command"`
	Config     string   `json:"config"`         // the path given, or embedded:NAME
	ConfigHash string   `json:"config_hash"`    // of the text, the sets and the seed
	ConfigText string   `json:"config_text"`    // the config's bytes, exactly
	Sets       []string `json:"sets"`           // every --set, in order
	Seed       *uint32  `json:"seed,omitempty"` // --seed, when given
	// Point is K for `run --point K` (run alone is point 0); nil for a sweep.
	Point *int `json:"point,omitempty"`
	// Shard is the shard of `sweep --shard I/N`; nil for a whole sweep.
	Shard    *ShardInfo  `json:"shard,omitempty"`
	Out      string      `json:"out"` // the output folder
	Output   OutputInfo  `json:"output"`
	Backend  string      `json:"backend"`
	Threads  int         `json:"threads"`
	Batch    int         `json:"batch"`
	Started  time.Time   `json:"started"`
	Finished time.Time   `json:"finished"`
	Swept    []string    `json:"swept"`
	Batches  []BatchInfo `json:"batches"`
	Points   []PointInfo `json:"points"`
}

// OutputInfo is what the config's [output] asks to write.
type OutputInfo struct {
	Spikes      bool   `json:"spikes"`
	State       bool   `json:"state"`
	Compression string `json:"compression"`
	NEST        bool   `json:"nest"`
	CSV         bool   `json:"csv"`
}

// BatchInfo is one batch of points simulated together and how long it
// took: measured, so it is here and not in summary.parquet, whose bytes a
// rerun repeats.
type BatchInfo struct {
	Points []int   `json:"points"`
	WallS  float64 `json:"wall_s"` // the simulation's wall-clock time
	// StepsPerS is the time steps the batch advanced (every point at once)
	// per wall-clock second: Infinity for a batch too short to measure.
	StepsPerS spec.Float `json:"steps_per_s"`
	// WFR is, per point with gap junctions, the waveform-relaxation
	// iterations per window (mean and largest).
	WFR []output.WFRCount `json:"wfr,omitempty"`
}

// PointInfo is one resolved point.
type PointInfo struct {
	Index  int          `json:"index"`
	Values []spec.Float `json:"values"` // a swept value may be infinite
	Label  string       `json:"label,omitempty"`
	Net    spec.Network `json:"network"`
}

func runInfo(f *configs.File, opt Options, dir string, points []configs.Point, batches []output.BatchTime, backend string, threads, batch int, started time.Time) Info {
	build := buildinfo.Get()
	info := Info{
		Tool: "snn-gpu", Version: build.Version, Revision: build.Revision, Modified: build.Modified, GoVersion: build.GoVersion,
		Platform: runtime.GOOS + "/" + runtime.GOARCH, CPUs: runtime.NumCPU(),
		Command: os.Args, Config: f.Path, ConfigHash: f.Hash, ConfigText: string(f.Source),
		Sets: append([]string{}, f.Options.Sets...), Seed: f.Options.Seed, Out: dir,
		Output: OutputInfo{
			Spikes: f.Output.Spikes, State: f.Output.State, Compression: f.Output.Compression, NEST: f.Output.NEST, CSV: f.Output.CSV,
		},
		Backend: backend, Threads: parallel.Threads(threads), Batch: batch, Started: started, Finished: time.Now(), Swept: f.Swept,
	}
	if opt.Point != AllPoints {
		info.Point = &opt.Point
	}
	if s := opt.Shard; s != nil {
		info.Shard = &ShardInfo{Index: s.Index, Count: s.Count, Points: []int{}}
		for _, p := range points {
			info.Shard.Points = append(info.Shard.Points, p.Index)
		}
	}
	info.Host, _ = os.Hostname()
	for _, p := range points {
		values := make([]spec.Float, len(p.Values))
		for i, v := range p.Values {
			values[i] = spec.Float(v)
		}
		info.Points = append(info.Points, PointInfo{Index: p.Index, Values: values, Label: p.Label, Net: p.Net})
	}
	sim := map[int]spec.Simulation{}
	for _, p := range points {
		sim[p.Index] = p.Net.Simulation
	}
	info.Batches = []BatchInfo{}
	for _, b := range batches {
		s := sim[b.Points[0]] // a batch's points share the grid
		steps := float64(models.Steps(s.TSim, s.Dt))
		info.Batches = append(info.Batches, BatchInfo{Points: b.Points, WallS: b.WallS, StepsPerS: spec.Float(steps / b.WallS), WFR: b.WFR})
	}
	return info
}

// PrintSummary writes a finished run's summary rows as an aligned table,
// with the wall time of each point's batch.
func PrintSummary(w io.Writer, res *Result) error {
	swept, rows := res.Swept, res.Rows
	wall := map[int]float64{}
	for _, b := range res.Batches {
		for _, p := range b.Points {
			wall[p] = b.WallS
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	hasLabel, hasRates := false, false
	for _, r := range rows {
		hasLabel = hasLabel || r.Label != ""
		hasRates = hasRates || !math.IsNaN(r.RateFinal)
	}
	head := []string{"point"}
	if hasLabel {
		head = append(head, "label")
	}
	head = append(head, swept...)
	head = append(head, "pop", "n", "rate_hz", "cv_isi", "fano", "peak_hz", "synapses")
	if hasRates {
		head = append(head, "rate_mean", "rate_sd", "rate_final", "settle_ms")
	}
	head = append(head, "wall_s")
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
			fmt.Sprintf("%.2f", r.Fano), fmt.Sprintf("%.1f", r.PeakHz), fmt.Sprint(r.Synapses))
		if hasRates {
			cells = append(cells, fmt.Sprintf("%.4g", r.RateMean), fmt.Sprintf("%.4g", r.RateSD), fmt.Sprintf("%.4g", r.RateFinal), fmt.Sprintf("%.1f", r.RateSettleMs))
		}
		cells = append(cells, fmt.Sprintf("%.1f", wall[r.Point]))
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	return tw.Flush()
}
