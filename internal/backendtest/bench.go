package backendtest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// The benchmarks every backend runs (bench/ for the CPU, gpu/ on a real
// device, gpu/emu on the emulated one), so that their figures are computed
// the same way.

// Events is an engine.Sink that counts recurrent synaptic events: every
// spike of a population delivered through each of its outgoing synapses
// to populations (device drives are not counted).
type Events struct {
	outdeg [][]int64 // [population][neuron]
	N      int64     // events so far, all members together
}

// NewEvents returns a counter for the populations and projections of net.
func NewEvents(net *network.Network) *Events {
	e := &Events{outdeg: make([][]int64, len(net.Pops))}
	for i, p := range net.Pops {
		e.outdeg[i] = make([]int64, p.N)
	}
	for _, pr := range net.Projections {
		if pr.Source.Device {
			continue
		}
		for s := range e.outdeg[pr.Source.Index] {
			e.outdeg[pr.Source.Index][s] += pr.Offsets[s+1] - pr.Offsets[s]
		}
	}
	return e
}

// Spikes implements engine.Sink.
func (e *Events) Spikes(_, pop int, _ int64, neurons []uint32) {
	for _, n := range neurons {
		e.N += e.outdeg[pop][n]
	}
}

// Sample implements engine.Sink.
func (e *Events) Sample(int, int, int64, []float32) {}

// BenchOptions configures BenchBrunel.
type BenchOptions struct {
	// Batch is the number of copies of the point run as one batch (sweep
	// points 0 … Batch-1: one CSR, each member its own random numbers);
	// 0 means 1.
	Batch int
	// Threads builds the network (0: all cores).
	Threads int
	// Config is the example run (point 0); "" is brunel. The
	// microcircuit benchmarks use it.
	Config string
	// Sets are --set overrides of the config ("t_sim=200" for a shortened
	// run); none: NEST's 1 s.
	Sets []string
	// WarmUp runs the network once before the timing (first-use costs of a
	// device: allocations, caches).
	WarmUp bool
	// Work, when not nil, counts the launches of the device under test:
	// launches per step are reported, and a run without any fails.
	Work func() int64
}

// fitter is a backend whose memory bounds the batch (gpu.Backend).
type fitter interface {
	Fit(net *network.Network) (int, string, error)
}

// BenchBrunel runs configs/brunel.toml (NEST's brunel_delta_nest.py: 12,500
// neurons, 15.6 M synapses, 1 s simulated) on be, with o.Batch copies of the
// point in one batch. Reported: wall seconds per simulated second and
// network (wall_s/sim_s), recurrent synaptic events per wall second
// (events/s, all members together), CSR bytes per synapse (B/synapse), the
// build time (build_s) and, given o.Work, launches/step. o.Config runs
// another example the same way.
func BenchBrunel(b *testing.B, be engine.Backend, o BenchOptions) {
	batch := max(o.Batch, 1)
	config := o.Config
	if config == "" {
		config = "brunel"
	}
	f, err := configs.Load(config, configs.Options{Sets: o.Sets})
	if err != nil {
		b.Fatal(err)
	}
	pts := make([]spec.Network, batch)
	idx := make([]int, batch)
	for i := range pts {
		pts[i], idx[i] = f.Points[0].Net, i
	}
	t0 := time.Now()
	net, err := network.Build(pts, idx, o.Threads)
	if err != nil {
		b.Fatal(err)
	}
	build := time.Since(t0)
	if ft, ok := be.(fitter); ok {
		n, report, err := ft.Fit(net)
		b.Log(report)
		if err != nil {
			b.Fatal(err)
		}
		if n < batch {
			b.Fatalf("a batch of %d does not fit: %s", batch, report)
		}
	}
	var bytes, synapses int64
	for _, pr := range net.Projections {
		bytes += pr.Bytes()
		synapses += pr.Synapses()
	}
	run := func() int64 {
		e := NewEvents(net)
		if err := be.Run(context.Background(), net, e, nil); err != nil {
			b.Fatal(err)
		}
		return e.N
	}
	if o.WarmUp {
		run()
	}
	var launches0 int64
	if o.Work != nil {
		launches0 = o.Work()
	}
	var ev int64
	simSeconds := float64(net.Steps) * net.Dt / 1000
	for b.Loop() {
		ev += run()
	}
	wall := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(wall/simSeconds/float64(batch), "wall_s/sim_s")
	b.ReportMetric(float64(ev)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(bytes)/float64(synapses), "B/synapse")
	b.ReportMetric(build.Seconds(), "build_s")
	if o.Work != nil {
		launches := o.Work() - launches0
		if launches == 0 {
			b.Fatalf("%s launched no kernel: did something else run?", be.Name())
		}
		b.ReportMetric(float64(launches)/float64(int64(b.N)*net.Steps), "launches/step")
	}
}

// EmptyNetwork is one iaf_psc_delta neuron (NEST's defaults: it never
// fires), no devices, connections or recorders, for ms: what a backend
// costs per step when there is nothing to compute.
func EmptyNetwork(ms float64) spec.Network {
	return spec.Network{
		Simulation:  spec.Simulation{Dt: 0.1, TSim: ms, Seed: 1},
		Populations: []spec.Population{{Name: "n", Model: "iaf_psc_delta", N: 1, Params: map[string]float64{}}},
		Analysis:    spec.Analysis{BinMs: 1},
	}
}

// Step counts of the two empty networks BenchStepOverhead compares: the
// difference of their wall times leaves out what a run costs once (setup,
// allocations, teardown).
const (
	overheadShortMs = 100.0  // 1,000 steps
	overheadLongMs  = 2100.0 // 21,000 steps
	overheadPairs   = 3      // pairs per iteration; the median is reported
)

// BenchStepOverhead measures the per-step cost of be on EmptyNetwork: the
// wall time of a long run minus that of a short one, over the steps between
// them (us/step, the median of the pairs timed); the wall time of a one-step
// run (setup_ms: allocations, uploads, one step, one flush, teardown); and,
// given work (the device's launch counter), launches/step. One warm-up run
// comes first.
func BenchStepOverhead(b *testing.B, be engine.Backend, work func() int64) {
	build := func(ms float64) *network.Network {
		net, err := network.Build([]spec.Network{EmptyNetwork(ms)}, []int{0}, 1)
		if err != nil {
			b.Fatal(err)
		}
		return net
	}
	one, short, long := build(0.1), build(overheadShortMs), build(overheadLongMs)
	run := func(net *network.Network) time.Duration {
		t0 := time.Now()
		if err := be.Run(context.Background(), net, NewEvents(net), nil); err != nil {
			b.Fatal(err)
		}
		return time.Since(t0)
	}
	run(short) // warm-up
	var launches0 int64
	if work != nil {
		launches0 = work()
	}
	var perStep, setup []float64 // seconds
	steps := int64(0)
	for b.Loop() {
		for range overheadPairs {
			setup = append(setup, run(one).Seconds())
			ts, tl := run(short), run(long)
			perStep = append(perStep, (tl-ts).Seconds()/float64(long.Steps-short.Steps))
			steps += one.Steps + short.Steps + long.Steps
		}
	}
	b.ReportMetric(median(perStep)*1e6, "us/step")
	b.ReportMetric(median(setup)*1e3, "setup_ms")
	if work != nil {
		launches := work() - launches0
		if launches == 0 {
			b.Fatalf("%s launched no kernel: did something else run?", be.Name())
		}
		b.ReportMetric(float64(launches)/float64(steps), "launches/step")
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// UpdateModels are the neuron models BenchNeuronUpdates times.
var UpdateModels = []string{"iaf_psc_delta", "iaf_psc_exp", "iaf_psc_alpha", "izhikevich", "gif_psc_exp", "gif_cond_exp"}

// BenchNeuronUpdates times a whole run of one population of n neurons of
// model (NEST's defaults, driven by I_e: 450 pA for the LIF models, which
// then fire at about 60 Hz, 10 for izhikevich, regular spiking at about
// 22 Hz, 200 for the gif models, with Mensi et al.'s two stc and two sfa
// components) for ms, with no other input and no recorder: the neuron update
// and what every step costs besides (clearing, the spike lists, the step's
// launches). Reported: neuron updates per second (updates/s) and, given
// work, launches/step.
func BenchNeuronUpdates(b *testing.B, be engine.Backend, model string, n int, ms float64, work func() int64) {
	ie := 450.0
	var lists map[string][]float64
	switch model {
	case "izhikevich":
		ie = 10
	case "gif_psc_exp", "gif_cond_exp":
		ie, lists = 200, mensi
	}
	pt := spec.Network{
		Simulation:  spec.Simulation{Dt: 0.1, TSim: ms, Seed: 1},
		Populations: []spec.Population{{Name: "n", Model: model, N: n, Params: map[string]float64{"I_e": ie}, Lists: lists}},
		Analysis:    spec.Analysis{BinMs: 1},
	}
	timeRuns(b, be, pt, model, work)
}

// timeRuns builds the one-point network pt and times whole runs of it on
// be after a warm-up run that must produce spikes. It reports
// updates/s (neurons × steps per second, for each population's n) and,
// given work, launches/step, and returns the network.
func timeRuns(b *testing.B, be engine.Backend, pt spec.Network, what string, work func() int64) *network.Network {
	net, err := network.Build([]spec.Network{pt}, []int{0}, 1)
	if err != nil {
		b.Fatal(err)
	}
	run := func() int64 {
		spikes := &spikeCount{}
		if err := be.Run(context.Background(), net, spikes, nil); err != nil {
			b.Fatal(err)
		}
		return spikes.n
	}
	if run() == 0 { // warm-up, and a check that the neurons fire
		b.Fatalf("%s: no spikes", what)
	}
	var launches0 int64
	if work != nil {
		launches0 = work()
	}
	for b.Loop() {
		run()
	}
	n := 0
	for _, p := range net.Pops {
		n += p.N
	}
	b.ReportMetric(float64(n)*float64(net.Steps)*float64(b.N)/b.Elapsed().Seconds(), "updates/s")
	if work != nil {
		b.ReportMetric(float64(work()-launches0)/float64(int64(b.N)*net.Steps), "launches/step")
	}
	return net
}

type spikeCount struct{ n int64 }

func (c *spikeCount) Spikes(_, _ int, _ int64, neurons []uint32) { c.n += int64(len(neurons)) }
func (c *spikeCount) Sample(int, int, int64, []float32)          {}
