package runner

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/internal/memory"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
	"github.com/snn-gpu/snn-gpu/sweep"
)

// Bytes of what the runner holds per recorded population and member: an
// output slot (its row buffers, Arrow builders and the Parquet writer's
// pages; measured 0.9 MiB) for spikes, and per column for samples
// (measured 0.33 MiB); and once, the merge of the part files at the end,
// and zstd's encoders (one per GOMAXPROCS, made at the first use: measured
// 18 MiB and 1.25 MiB per P).
const (
	spikeSlotBytes  = 1 << 20
	sampleSlotBytes = 1 << 19 // per column: neuron, time and each variable
	outputBytes     = 8 << 20
	zstdBytes       = 18 << 20
	zstdPerProc     = 1.25 * (1 << 20)
	// spectrumBytes is what the periodogram of one population's count
	// takes per bin at the end of a batch (Bluestein's transforms at
	// worst: five complex arrays of up to 4 bins each, and the chirp).
	spectrumBytes = 5*4*16 + 16 + 3*8
	// summaryRowBytes is a summary row kept until the end (and read back),
	// and pointJSONFactor how many copies of a point's record run.json's
	// encoding holds while it is written (compact, indented, slack).
	summaryRowBytes = 512
	pointJSONFactor = 3
)

// resident is the process's memory in use now (a variable for tests,
// whose process sizes vary).
var resident = memory.Resident

// memoryCheck is the estimate of a run made before anything is built.
type memoryCheck struct {
	run    memory.Estimate   // the run's own: memory in use, per-point bookkeeping
	groups []memory.Estimate // one per structure (a batch's network, engine and sinks)
	first  []int             // the first point of each structure
	size   []int             // and its number of points
	shapes []*network.Shape
	limit  memory.Limit
	known  bool // limit is set
}

// estimateMemory estimates, from the resolved points alone, the peak
// memory of building their networks (network.Plan) with what use adds to
// each (a backend's run, inspect's statistics), and, for the whole run,
// what is in use now and the bookkeeping of every point. The limit is the
// machine's available memory, or maxMemory when that is lower.
func estimateMemory(f *configs.File, points []configs.Point, threads int, maxMemory int64, use func(*network.Shape, *spec.Network, *memory.Estimate)) (*memoryCheck, error) {
	mc := &memoryCheck{}
	mc.run.Add("in use before the run", resident(), 0)
	for _, g := range sweep.Batches(points, 0) {
		specs := make([]spec.Network, len(g))
		for i, p := range g {
			specs[i] = p.Net
		}
		sh, err := network.Plan(specs, threads)
		if err != nil {
			return nil, fmt.Errorf("%s: point %d: %w", f.Path, g[0].Index, err)
		}
		var e memory.Estimate
		sh.Memory(&e)
		use(sh, &g[0].Net, &e)
		mc.groups = append(mc.groups, e)
		mc.shapes = append(mc.shapes, sh)
		mc.first = append(mc.first, g[0].Index)
		mc.size = append(mc.size, len(g))
		pops := float64(len(g[0].Net.Populations))
		mc.run.Add("per-point bookkeeping", float64(len(g))*(pointJSONFactor*pointRecordBytes(&g[0].Net)+summaryRowBytes*pops), 0)
	}
	if avail, ok := memory.Available(); ok {
		avail.Bytes += resident() // the limit is on the whole process
		mc.limit, mc.known = avail, true
	}
	if maxMemory > 0 && (!mc.known || float64(maxMemory) < mc.limit.Bytes) {
		mc.limit, mc.known = memory.Limit{Bytes: float64(maxMemory), Source: "--max-memory"}, true
	}
	return mc, nil
}

// pointRecordBytes is about the size of a point's record in run.json
// (indented JSON: a line of some 16 bytes per number of a list, some 32
// per named value; measured 6 kB for the Brunel network's), and of its
// PointInfo.
func pointRecordBytes(s *spec.Network) float64 {
	const line, entry = 16, 32
	n := 1024.0
	lists := func(l map[string][]float64) (k int) {
		for _, x := range l {
			k += len(x)
		}
		return k
	}
	for _, p := range s.Populations {
		n += 256 + entry*float64(len(p.Params)+len(p.Init)+len(p.Draws)+len(p.PerNeuron)) + line*float64(lists(p.Lists))
		if p.Spatial != nil {
			n += line * float64(4*len(p.Spatial.Positions)+len(p.Spatial.Pos)+8)
		}
	}
	for _, d := range s.Devices {
		n += 128 + entry*float64(len(d.Params)) + line*float64(lists(d.Lists))
	}
	for _, r := range s.Recorders {
		n += 256 + line*float64(len(r.Neurons)+len(r.RecordFrom))
	}
	return n + 512*float64(len(s.Connections))
}

// runMemory adds what a run on backend holds beyond the network: the
// backend's state and buffers, and the sinks'.
func runMemory(backend engine.Backend, out configs.Output) func(*network.Shape, *spec.Network, *memory.Estimate) {
	return func(sh *network.Shape, s *spec.Network, e *memory.Estimate) {
		if me, ok := backend.(engine.MemoryEstimator); ok {
			me.Memory(sh, e)
		}
		sinkMemory(sh, s, out, e)
	}
}

// sinkMemory adds what the runner's sinks hold: the analysis (per neuron
// interval bookkeeping and the binned count, per population and member;
// one periodogram at a time) and the recorders (which neurons, and an
// output slot per recorded population and member).
func sinkMemory(sh *network.Shape, s *spec.Network, out configs.Output, e *memory.Estimate) {
	window := float64(sh.Steps)*s.Simulation.Dt - math.Max(s.Analysis.TStart, 0)
	bins := math.Max(0, math.Floor(window/s.Analysis.BinMs))
	for _, p := range sh.Pops {
		e.Add("analysis", 0, 32*float64(p.N))
		e.Add("analysis bins", 0, 8*bins)
	}
	e.Add("analysis bins", spectrumBytes*bins, 0)
	spikes, samples := map[int]bool{}, map[int]int{}
	for _, r := range sh.Recorders {
		switch r.Model {
		case "spike_recorder":
			if out.Spikes {
				e.Add("recorders", float64(sh.Pops[r.Pop].N), 0)
				spikes[r.Pop] = true
			}
		case "multimeter":
			if out.State {
				samples[r.Pop] += r.Vars
			}
		}
	}
	e.Add("output files", outputBytes, 0)
	if out.Compression == "" || out.Compression == "zstd" {
		e.Add("output files", zstdBytes+zstdPerProc*float64(runtime.GOMAXPROCS(0)), 0)
	}
	e.Add("recorders", 0, float64(len(spikes))*spikeSlotBytes)
	for _, vars := range samples {
		e.Add("recorders", 0, float64(2+vars)*sampleSlotBytes)
	}
}

// total is the estimate of structure g with the run's own terms, and the
// members its batches of batch points have (fewer where it has fewer
// points).
func (mc *memoryCheck) total(g, batch int) (memory.Estimate, int) {
	var all memory.Estimate
	all.Merge(mc.run)
	all.Merge(mc.groups[g])
	return all, min(batch, mc.size[g])
}

// fit returns the largest batch up to most that fits every structure
// (0: not even one point of some structure fits) and the structure that
// bounds it.
func (mc *memoryCheck) fit(most int) (int, int) {
	fit, worst := most, 0
	for g := range mc.groups {
		all, _ := mc.total(g, most)
		if n := all.Fit(mc.limit.Bytes, most); n < min(fit, mc.size[g]) {
			fit, worst = n, g
		}
	}
	return fit, worst
}

// describe is the estimate of structure g with batches of batch points,
// with its largest terms: "1.21 GiB (connectivity 70.1 MiB, …)".
func (mc *memoryCheck) describe(g, batch int) string {
	all, members := mc.total(g, batch)
	return fmt.Sprintf("%s (%s)", memory.Format(all.Bytes(members)), all.Largest(members, 3))
}

// representable reports the first structure whose sizes cannot be
// indexed (network.Shape.Representable).
func (mc *memoryCheck) representable(f *configs.File) error {
	for g, sh := range mc.shapes {
		if err := sh.Representable(); err != nil {
			return fmt.Errorf("%s: point %d: %w", f.Path, mc.first[g], err)
		}
	}
	return nil
}

// advice says what to change when a term is too large.
var advice = []struct{ term, what string }{
	{"analysis bins", "a shorter t_sim or a larger analysis.bin_ms"},
	{"recorders", "fewer recorded populations or neurons"},
	{"samples", "fewer recorded neurons or a longer multimeter interval"},
	{"spike recordings", "fewer neurons"},
	{"per-point bookkeeping", "fewer sweep points"},
	{"ring buffers", "fewer neurons or shorter delays"},
	{"output files", `another compression in [output] (zstd keeps an encoder per CPU)`},
	{"in use before the run", "fewer sweep points (the loaded config holds them)"},
	{"", "fewer neurons or synapses"},
}

// refusal explains why structure g does not fit with batches of batch
// points (batch 1: not even alone).
func (mc *memoryCheck) refusal(f *configs.File, g, batch int) error {
	all, members := mc.total(g, batch)
	largest := all.Largest(members, 1)
	what := ""
	for _, a := range advice {
		if strings.HasPrefix(largest, a.term) {
			what = a.what
			break
		}
	}
	if members > 1 {
		what = "a smaller --batch, or " + what
	}
	if mc.limit.Source == "--max-memory" {
		what += ", or a larger --max-memory"
	}
	return fmt.Errorf("%s: point %d needs an estimated %s of memory in a batch of %d point(s), more than the %s available (%s): use %s",
		f.Path, mc.first[g], mc.describe(g, batch), members, memory.Format(mc.limit.Bytes), mc.limit.Source, what)
}

// batchPlan is what checkMemory decided.
type batchPlan struct {
	batch int     // the batch size to run
	most  int     // the largest batch that fits (bounds a GPU's own sizing)
	limit float64 // the memory limit (0: none known)
	check *memoryCheck
}

// checkMemory estimates the run's memory before anything is built or
// written and decides the batch size (memoryCheck.decide).
//
// With several devices, each holds a batch at once, and so does the host
// (each batch's network is built there): a structure's estimate counts
// devices batches.
func checkMemory(f *configs.File, points []configs.Point, backend engine.Backend, threads, batch int, explicit bool, maxMemory int64, devices int) (batchPlan, error) {
	use := runMemory(backend, f.Output)
	if devices > 1 {
		one := use
		use = func(sh *network.Shape, s *spec.Network, e *memory.Estimate) {
			one(sh, s, e)
			var batch memory.Estimate
			batch.Merge(*e)
			for range devices - 1 {
				e.Merge(batch)
			}
		}
	}
	mc, err := estimateMemory(f, points, threads, maxMemory, use)
	if err != nil {
		return batchPlan{}, err
	}
	most := batch
	if _, sizer := backend.(engine.Sizer); sizer && !explicit {
		most = math.MaxInt32
	}
	return mc.decide(f, batch, most, explicit)
}

// decide returns the batch size: batch when it is explicit and fits, the
// largest that fits up to batch otherwise; a backend that sizes its own
// batches (engine.Sizer, the GPU) may go up to the plan's most. It refuses
// what does not fit even alone, an explicit batch that does not fit, and
// sizes that cannot be indexed.
func (mc *memoryCheck) decide(f *configs.File, batch, most int, explicit bool) (batchPlan, error) {
	plan := batchPlan{batch: batch, most: most, check: mc}
	if mc.known {
		fit, worst := mc.fit(most)
		switch {
		case fit < 1:
			return plan, mc.refusal(f, worst, 1)
		case explicit && fit < batch:
			return plan, fmt.Errorf("%w; --batch %d fits", mc.refusal(f, worst, batch), fit)
		}
		plan.batch, plan.most, plan.limit = min(batch, fit), fit, mc.limit.Bytes
	}
	return plan, mc.representable(f)
}

// holdGC makes limit (bytes; 0: none), less what the process holds outside
// the Go runtime (its code, C libraries), the Go runtime's soft memory
// limit, so that the collector keeps the heap under it rather than let
// garbage grow to twice the live data, and returns what undoes it. The
// estimates bound live data: with the limit held, a run that fits stays
// under it.
func holdGC(limit float64) (undo func()) {
	if limit <= 0 {
		return func() {}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	outside := math.Max(0, resident()-float64(ms.Sys-ms.HeapReleased))
	old := debug.SetMemoryLimit(int64(math.Min(math.Max(limit-outside, 0), math.MaxInt64)))
	return func() { debug.SetMemoryLimit(old) }
}

// report writes the estimate of the largest structure with batches of
// batch points, and the limit, as one line on w (nil: nowhere), and
// returns that estimate.
func (plan batchPlan) report(w io.Writer, batch int) float64 {
	mc := plan.check
	if len(mc.groups) == 0 {
		return 0
	}
	g, peak := 0, 0.0
	for i := range mc.groups {
		if all, members := mc.total(i, batch); all.Bytes(members) > peak {
			g, peak = i, all.Bytes(members)
		}
	}
	limit := "no limit known"
	if mc.known {
		limit = fmt.Sprintf("limit %s (%s)", memory.Format(mc.limit.Bytes), mc.limit.Source)
	}
	if w != nil {
		_, members := mc.total(g, batch)
		fmt.Fprintf(w, "memory: estimated peak %s with %d point(s) per batch; %s\n", mc.describe(g, batch), members, limit)
	}
	return peak
}
