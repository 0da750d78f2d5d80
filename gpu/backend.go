package gpu

import (
	"context"
	"fmt"
	"math"
	"slices"
	"unsafe"

	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/internal/memory"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/structural"
)

// Backend runs networks on a Device: the same step order and the same
// random numbers as the CPU backend, in a few launches per step.
type Backend struct {
	Dev Device
	// FlushSteps is how many steps pass between copies of the recordings
	// to the host (0: 100). The spike buffers hold as many spikes per
	// neuron and step as the model can emit (Population.SpikeCap), so they
	// cannot overflow.
	FlushSteps int
	// NoGraphs launches every kernel on its own even where the device can
	// capture a window of steps and replay it.
	NoGraphs bool
	// PlasticHistory is how many of its latest spikes a neuron keeps per
	// member for the plastic synapses onto it (0: historyCap's default).
	PlasticHistory int
	// DPIHistoryMs is how far back (ms, beyond the longest delay) a
	// neuron keeps the dPI that urbanczik_synapses read (0:
	// DefaultDPIHistoryMs).
	DPIHistoryMs float64
	name         string
	// unchecked leaves out check_finite (for the benchmark that measures
	// what it costs).
	unchecked bool
}

// NewBackend returns the backend of a device; name is what summary.parquet
// records ("gpu", "gpu-emulated").
func NewBackend(dev Device, name string) *Backend { return &Backend{Dev: dev, name: name} }

// Name implements engine.Backend.
func (b *Backend) Name() string { return b.name }

// flushSteps is FlushSteps, or its default.
func (b *Backend) flushSteps() int64 {
	if b.FlushSteps <= 0 {
		return 100
	}
	return int64(b.FlushSteps)
}

const block = 256

func blocks(n int64) int { return int(max(1, (n+block-1)/block)) }

// sim is one network on the device.
type sim struct {
	b      *Backend
	dev    Device
	net    *network.Network
	allocs []Ptr
	B      int64
	slots  int64
	clock  Ptr
	flush  int64

	pops     []*devPop
	launches []launch // the per-model update and emit launches of a step
	propArgs Ptr
	finish   Ptr
	meters   []*devMeter

	// check_finite's arguments (one per population), its result [pops][B]
	// and the host's copy.
	finiteArgs Ptr
	first      Ptr
	firstHost  []uint64
	widest     int64 // the largest population

	gap   *gapSim       // waveform relaxation; nil without gap junctions
	watch *engine.Watch // the members failed so far (gap junctions' trial passes skip them)

	rateLaunches []launch // open every step: the rates sent (rate.go)

	// Plastic projections (per-member synapses): their entries of
	// propagate's table, rewritten when structural plasticity rewires.
	table   Ptr
	plastic []*plasticProj

	stdp *stdpSim // spike-timing-dependent projections (stdp.go); nil without
}

// plasticProj is a projection whose synapses are per member, on the
// device as one CSR per member: the members' row offsets one after the
// other ([B][ns+1], absolute into one targets array).
type plasticProj struct {
	pr      *network.Projection
	entry   int // in propagate's table
	args    projectionArgs
	cap     int64 // targets the device array holds
	offsets []int64
	targets []uint32
}

type devPop struct {
	p        *network.Population
	args     popArgs
	kernel   string
	recCount []uint32
	rec      []uint32
}

// launch is one kernel over the populations (or device projections) of one
// model: blockIdx.z picks the element of an argument array.
type launch struct {
	kernel string
	width  int64 // the largest population or projection
	count  int   // elements of the argument array
	args   Ptr
}

type devMeter struct {
	rec      network.Recorder
	index    int
	args     sampleArgs
	argsPtr  Ptr
	out      []float32
	nextBase int64 // first sample index not yet flushed
}

// upload copies xs to a new device buffer (0 for an empty slice).
func upload[T any](s *sim, xs []T) (Ptr, error) {
	if len(xs) == 0 {
		return 0, nil
	}
	n := int64(len(xs)) * int64(unsafe.Sizeof(xs[0]))
	p, err := s.alloc(n)
	if err != nil {
		return 0, err
	}
	return p, s.dev.HtoD(p, unsafe.Pointer(&xs[0]), n)
}

func (s *sim) alloc(n int64) (Ptr, error) {
	p, err := s.dev.Alloc(n)
	if err != nil {
		return 0, err
	}
	s.allocs = append(s.allocs, p)
	return p, nil
}

func (s *sim) release() {
	for _, p := range s.allocs {
		s.dev.Free(p)
	}
}

// Run implements engine.Backend. Every window of FlushSteps steps ends with
// check_finite, whose result is read with the recordings.
func (b *Backend) Run(ctx context.Context, net *network.Network, sink engine.Sink, progress func(int64)) error {
	s := &sim{b: b, dev: b.Dev, net: net, B: int64(net.Batch()), slots: int64(net.MaxDelay + 1), flush: b.flushSteps()}
	defer s.release()
	if err := s.setup(); err != nil {
		return err
	}
	capt, _ := b.Dev.(Capturer)
	if b.NoGraphs || s.gap != nil {
		capt = nil // waveform relaxation decides on the host how often to repeat a window
	}
	graphs := map[string]Replay{}
	defer func() {
		for _, g := range graphs {
			_ = g.Close()
		}
	}()
	sp, err := structural.New(net)
	if err != nil {
		return err
	}
	if sp != nil {
		// Calcium and elements follow the spikes as drain hands them out.
		sink = engine.Plastic(net, sp, sink)
	}
	watch := engine.NewWatch(net, sink)
	s.watch = watch
	for from, to := int64(0), int64(0); from < net.Steps; from = to {
		to = min(from+s.flush, net.Steps)
		if sp != nil {
			// Windows end where an update falls: it runs on the host
			// between them, after every earlier spike has been drained.
			if err := s.rewire(sp, sink, from); err != nil {
				return err
			}
			to = min(to, sp.Next(from))
		}
		if err := s.window(from, to, capt, graphs); err != nil {
			return err
		}
		if err := s.drain(from, to, watch); err != nil {
			return err
		}
		if watch.AllFailed() {
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if progress != nil {
			progress(to)
		}
	}
	if sp != nil && !watch.AllFailed() {
		if err := s.rewire(sp, sink, net.Steps); err != nil {
			return err
		}
	}
	if err := s.downloadWeights(sink); err != nil {
		return err
	}
	if ws, ok := sink.(engine.WFRSink); ok && s.gap != nil {
		for m, st := range s.gap.stats {
			ws.WFR(m, st)
		}
	}
	return watch.Err()
}

// window runs steps [from, to): replaying a captured graph of the window's
// launches where the device can, capturing it the first time a window of
// its shape comes (windows differ only in length and in the multimeter
// samples due), and launching step by step otherwise.
func (s *sim) window(from, to int64, capt Capturer, graphs map[string]Replay) error {
	run := func() error {
		for step := from; step < to; step++ {
			if err := s.gapStep(step); err != nil {
				return err
			}
		}
		if s.b.unchecked {
			return nil
		}
		return s.launch("check_finite", [3]int{blocks(s.widest), int(s.B), len(s.pops)}, block, s.finiteArgs)
	}
	if capt == nil {
		return run()
	}
	shape := fmt.Sprint(to - from)
	for step := from; step < to; step++ {
		for i, m := range s.meters {
			if m.due(step) {
				shape += fmt.Sprintf(" %d:%d", step-from, i)
			}
		}
	}
	g, ok := graphs[shape]
	if !ok {
		var err error
		if g, err = capt.Capture(run); err != nil {
			return fmt.Errorf("%s on %s: capturing steps %d to %d: %w", s.b.name, s.dev.Name(), from, to-1, err)
		}
		graphs[shape] = g
	}
	if err := g.Run(); err != nil {
		return fmt.Errorf("%s on %s: steps %d to %d: %w", s.b.name, s.dev.Name(), from, to-1, err)
	}
	return nil
}

// Check reports whether dev can run net: every model needs its kernel
// (update_<model>, emit_<device model>), and Poisson means must be below
// rng.PoissonSmall per step.
func Check(dev Device, net *network.Network) error {
	if err := checkPlastic(dev, net); err != nil {
		return err
	}
	for _, p := range net.Pops {
		if !dev.Has("update_" + p.Model.Name) {
			return fmt.Errorf("population %s: %s has no GPU kernel yet; use --backend cpu", p.Name, p.Model.Name)
		}
	}
	for _, d := range net.Devices {
		if !dev.Has("emit_" + d.Model.Name) {
			return fmt.Errorf("device %s: %s has no GPU kernel yet; use --backend cpu", d.Name, d.Model.Name)
		}
		if d.Model == models.PoissonGenerator {
			for m, p := range d.Params {
				if l := p["rate"] * net.Dt / 1000; l >= rng.PoissonSmall {
					return fmt.Errorf("device %s (member %d): rate·dt = %g per step; the GPU backend draws Poisson counts below %g per step; use --backend cpu", d.Name, m, l, rng.PoissonSmall)
				}
			}
		}
	}
	return nil
}

func (s *sim) setup() error {
	if err := Check(s.dev, s.net); err != nil {
		return err
	}
	var err error
	net := s.net
	if s.clock, err = upload(s, []int64{0}); err != nil {
		return err
	}
	points := make([]int64, s.B)
	for m, p := range net.Points {
		points[m] = int64(p)
	}
	pointsPtr, err := upload(s, points)
	if err != nil {
		return err
	}
	// Populations: state [vars][B][n] (network.Population.Init's layout,
	// then the zeroed history slots), rings [ports][B][slots][n],
	// constants [B][nconst].
	for _, p := range net.Pops {
		dp := &devPop{p: p, kernel: "update_" + p.Model.Name}
		n := int64(p.N)
		state := make([]float32, 0, (len(p.Init)+p.History)*int(s.B)*p.N)
		for _, v := range p.Init {
			state = append(state, v...)
		}
		state = state[:cap(state)]
		spikeCap := n * int64(p.SpikeCap)
		a := popArgs{N: n, B: s.B, Slots: s.slots, RecCap: spikeCap * s.flush, Clock: s.clock,
			Seed: int64(net.Seed), Points: pointsPtr, Object: int64(p.Index), SpikeCap: spikeCap}
		if a.State, err = upload(s, state); err != nil {
			return err
		}
		if a.Ring, err = s.alloc(int64(len(p.Model.Ports)) * s.B * s.slots * n * 4); err != nil {
			return err
		}
		consts, nc := flatConsts(p.Const)
		a.NConst = nc
		if a.Consts, err = upload(s, consts); err != nil {
			return err
		}
		// Per-neuron parameters: [P][B][n], Population.PerNeuron's blocks one
		// after the other.
		if a.Params, err = upload(s, slices.Concat(p.PerNeuron...)); err != nil {
			return err
		}
		if a.Spikes, err = s.alloc(s.B * spikeCap * 4); err != nil {
			return err
		}
		if a.Counts, err = s.alloc(s.B * 4); err != nil {
			return err
		}
		if a.Rec, err = s.alloc(s.B * a.RecCap * 8); err != nil {
			return err
		}
		if a.RecCount, err = s.alloc(s.B * 4); err != nil {
			return err
		}
		dp.args = a
		dp.recCount = make([]uint32, s.B)
		s.pops = append(s.pops, dp)
	}
	if net.WFR != nil {
		if err := s.setupGap(); err != nil {
			return err
		}
	}
	updates := groups[popArgs]{}
	for _, dp := range s.pops {
		updates.add(dp.kernel, dp.args, dp.args.N)
	}
	if err := updates.upload(s); err != nil {
		return err
	}
	if s.gap != nil {
		s.gap.updateLaunches(s)
	}
	emits := groups[emitArgs]{}
	// Projections: CSR, per-member scale, and either a device emission or
	// an entry of propagate's table.
	var table []projectionArgs
	for _, pr := range net.Projections {
		if pr.Gap || pr.Rate {
			continue // coupled by waveform relaxation (gap.go), or rates sent every step (rate.go)
		}
		tp := s.pops[pr.Target]
		portRing := func(port int) Ptr { return tp.args.Ring + Ptr(int64(port)*s.B*s.slots*tp.args.N*4) }
		ring, ringNeg := portRing(pr.Port), portRing(pr.PortNeg)
		offsets, err := upload(s, pr.Offsets)
		if err != nil {
			return err
		}
		targets, err := upload(s, pr.Targets)
		if err != nil {
			return err
		}
		var weights Ptr
		if pr.Plastic == nil { // a plastic projection's weights are its members' (stdp.go)
			if weights, err = upload(s, pr.Weights); err != nil {
				return err
			}
		}
		delays, err := upload(s, pr.Delays)
		if err != nil {
			return err
		}
		scale, err := upload(s, pr.Weight)
		if err != nil {
			return err
		}
		if pr.Source.Device {
			d := net.Devices[pr.Source.Index]
			consts, nc := flatConsts(d.Const)
			cp, err := upload(s, consts)
			if err != nil {
				return err
			}
			a := emitArgs{Nodes: int64(d.N), NNZ: pr.Synapses(), NT: tp.args.N, B: s.B, Slots: s.slots, NConst: nc,
				Offsets: offsets, Targets: targets, Weights: weights, Delays: delays, Delay: int64(pr.Delay),
				Scale: scale, Ring: ring, RingNeg: ringNeg, Consts: cp, Clock: s.clock, Seed: int64(net.Seed), Points: pointsPtr,
				Object: int64(pr.Index), Device: int64(d.Index)}
			emits.add("emit_"+d.Model.Name, a, a.NNZ)
			continue
		}
		sp := s.pops[pr.Source.Index]
		a := projectionArgs{NS: sp.args.N, NT: tp.args.N, Offsets: offsets, Targets: targets,
			Weights: weights, Delays: delays, Delay: int64(pr.Delay), Scale: scale,
			Spikes: sp.args.Spikes, Counts: sp.args.Counts, Ring: ring, RingNeg: ringNeg, SpikeCap: sp.args.SpikeCap}
		if pr.Plastic != nil {
			if a, err = s.addSTDP(pr, a); err != nil {
				return err
			}
		} else if pr.PerMember != nil {
			pp := &plasticProj{pr: pr, entry: len(table), args: a}
			if err := pp.setup(s); err != nil {
				return err
			}
			a = pp.args
			s.plastic = append(s.plastic, pp)
		}
		table = append(table, a)
	}
	if err := emits.upload(s); err != nil {
		return err
	}
	if err := s.setupSTDP(); err != nil {
		return err
	}
	if err := s.setupRate(pointsPtr); err != nil {
		return err
	}
	tablePtr, err := upload(s, table)
	if err != nil {
		return err
	}
	s.table = tablePtr
	if s.propArgs, err = upload(s, []propagateArgs{{NProj: int64(len(table)), B: s.B, Slots: s.slots, Proj: tablePtr, Clock: s.clock}}); err != nil {
		return err
	}
	counts := make([]Ptr, len(s.pops))
	for i, dp := range s.pops {
		counts[i] = dp.args.Counts
	}
	countsPtr, err := upload(s, counts)
	if err != nil {
		return err
	}
	if s.finish, err = upload(s, []finishArgs{{NCounts: int64(len(counts)), Counts: countsPtr, B: s.B, Clock: s.clock}}); err != nil {
		return err
	}
	if err := s.setupFinite(); err != nil {
		return err
	}
	return s.setupMeters()
}

// setupFinite prepares check_finite: one argument struct per population
// and the result words, all ones (nothing found).
func (s *sim) setupFinite() error {
	s.firstHost = make([]uint64, int64(len(s.pops))*s.B)
	for i := range s.firstHost {
		s.firstHost[i] = math.MaxUint64
	}
	var err error
	if s.first, err = upload(s, s.firstHost); err != nil {
		return err
	}
	args := make([]finiteArgs, len(s.pops))
	for i, dp := range s.pops {
		args[i] = finiteArgs{N: dp.args.N, B: s.B, NVars: int64(len(dp.p.Model.State)), State: dp.args.State,
			First: s.first + Ptr(int64(i)*s.B*8)}
		s.widest = max(s.widest, dp.args.N)
	}
	s.finiteArgs, err = upload(s, args)
	return err
}

// checkFinite reads check_finite's result and reports each member's first
// non-finite state variable, in population order, with its value.
func (s *sim) checkFinite(w *engine.Watch, from, to int64) error {
	if s.b.unchecked {
		return nil
	}
	if err := s.dev.DtoH(unsafe.Pointer(&s.firstHost[0]), s.first, int64(len(s.firstHost))*8); err != nil {
		return err
	}
	for pi, dp := range s.pops {
		nvars := uint64(len(dp.p.Model.State))
		for m := range s.B {
			key := s.firstHost[int64(pi)*s.B+m]
			if key == math.MaxUint64 || w.Failed(int(m)) {
				continue
			}
			i, v := int64(key/nvars), int64(key%nvars)
			var x float32
			if err := s.dev.DtoH(unsafe.Pointer(&x), dp.args.State+Ptr(((v*s.B+m)*dp.args.N+i)*4), 4); err != nil {
				return err
			}
			w.NonFinite(int(m), pi, int(v), int(i), x, from, to)
		}
	}
	return nil
}

// groups collects argument structs by kernel, in order of first appearance.
type groups[T any] struct {
	kernels []string
	args    map[string][]T
	width   map[string]int64
}

func (g *groups[T]) add(kernel string, a T, width int64) {
	if g.args == nil {
		g.args, g.width = map[string][]T{}, map[string]int64{}
	}
	if _, ok := g.args[kernel]; !ok {
		g.kernels = append(g.kernels, kernel)
	}
	g.args[kernel] = append(g.args[kernel], a)
	g.width[kernel] = max(g.width[kernel], width)
}

// upload puts each kernel's argument array on the device and adds its
// launch to the step's.
func (g *groups[T]) upload(s *sim) error {
	for _, k := range g.kernels {
		p, err := upload(s, g.args[k])
		if err != nil {
			return err
		}
		s.launches = append(s.launches, launch{kernel: k, width: g.width[k], count: len(g.args[k]), args: p})
	}
	return nil
}

// flatConsts lays out per-member constants as [B][nconst], padding the
// shorter ones with zeros (a Poisson table's length depends on the rate).
func flatConsts(c [][]float64) ([]float64, int64) {
	nc := 0
	for _, x := range c {
		nc = max(nc, len(x))
	}
	out := make([]float64, len(c)*max(nc, 1))
	for m, x := range c {
		copy(out[m*max(nc, 1):], x)
	}
	return out, int64(max(nc, 1))
}

func (s *sim) setupMeters() error {
	for i, r := range s.net.Recorders {
		if r.Model == "multimeter" && len(r.Vars) == 0 && r.Ca >= 0 {
			return fmt.Errorf("gpu: recorder %d records only Ca from %s, which has no state to sample it with; use --backend cpu", i, s.pops[r.Pop].p.Model.Name)
		}
		if r.Model != "multimeter" || len(r.Vars) == 0 || len(r.Neurons) == 0 {
			continue
		}
		dp := s.pops[r.Pop]
		p := dp.p
		m := &devMeter{rec: r, index: i}
		capSamples := s.flush/r.Interval + 1
		a := sampleArgs{N: int64(p.N), B: s.B, NVars: int64(len(r.Vars)), NRec: int64(len(r.Neurons)), Cap: capSamples,
			State: dp.args.State, Clock: s.clock, Interval: r.Interval}
		vars := make([]int64, len(r.Vars))
		offsets := make([]float64, int(s.B)*len(r.Vars))
		for k, v := range r.Vars {
			vars[k] = int64(v)
			if rel := p.Model.State[v].Relative; rel != "" {
				for mm := 0; mm < int(s.B); mm++ {
					offsets[mm*len(r.Vars)+k] = p.Params[mm][rel]
				}
			}
		}
		var err error
		if a.Vars, err = upload(s, vars); err != nil {
			return err
		}
		if a.Offsets, err = upload(s, offsets); err != nil {
			return err
		}
		if a.Neurons, err = upload(s, r.Neurons); err != nil {
			return err
		}
		if a.Out, err = s.alloc(s.B * a.Cap * a.NVars * a.NRec * 4); err != nil {
			return err
		}
		m.args = a
		if m.argsPtr, err = upload(s, []sampleArgs{a}); err != nil {
			return err
		}
		s.meters = append(s.meters, m)
	}
	return nil
}

// gapStep is step with waveform relaxation around it: the trial passes
// before a window's first step, the extrapolation after its last.
func (s *sim) gapStep(step int64) error {
	if s.gap == nil {
		return s.step(step)
	}
	W := int64(s.net.WFR.Window)
	if step%W == 0 {
		if err := s.gap.relax(s, step, min(step+W, s.net.Steps), s.watch); err != nil {
			return err
		}
	}
	if err := s.step(step); err != nil {
		return err
	}
	if (step+1)%W == 0 || step+1 == s.net.Steps {
		return s.gap.extrapolate(s)
	}
	return nil
}

// step launches one step: neuron updates and device emissions (one launch
// per model), propagation, multimeter samples due, and the step's end.
func (s *sim) step(step int64) error {
	for _, ls := range [2][]launch{s.rateLaunches, s.launches} {
		for _, l := range ls {
			if err := s.launch(l.kernel, [3]int{blocks(l.width), int(s.B), l.count}, block, l.args); err != nil {
				return err
			}
		}
	}
	if s.stdp != nil {
		if err := s.launch("stdp_transmit", [3]int{propagateBlocks, int(s.B), 1}, 128, s.stdp.argsPtr); err != nil {
			return err
		}
	}
	if err := s.launch("propagate", [3]int{propagateBlocks, int(s.B), 1}, 128, s.propArgs); err != nil {
		return err
	}
	if s.stdp != nil {
		if err := s.launch("stdp_after", [3]int{propagateBlocks, int(s.B), 1}, 128, s.stdp.argsPtr); err != nil {
			return err
		}
	}
	for _, m := range s.meters {
		if !m.due(step) {
			continue
		}
		if err := s.launch("sample", [3]int{blocks(m.args.NVars * m.args.NRec), int(s.B), 1}, block, m.argsPtr); err != nil {
			return err
		}
	}
	return s.launch("finish_step", [3]int{1, 1, 1}, block, s.finish)
}

// due reports whether the multimeter samples at the end of step.
func (m *devMeter) due(step int64) bool {
	stamp := step + 1
	return stamp%m.rec.Interval == 0 && stamp > m.rec.Min && stamp <= m.rec.Max
}

// propagateBlocks is how many blocks share a step's spikes: enough to fill a
// GPU whatever the spike count, few enough that idle ones cost little.
const propagateBlocks = 64

func (s *sim) launch(kernel string, grid [3]int, threads int, args Ptr) error {
	if err := s.dev.Launch(kernel, grid, threads, args); err != nil {
		return fmt.Errorf("%s on %s: launch of %s (grid %v, block %d): %w", s.b.name, s.dev.Name(), kernel, grid, threads, err)
	}
	return nil
}

// drain reports the members whose state became non-finite in steps
// [from, to), then copies the recordings of the window to the host and
// hands them to w (which passes on those of the other members) in the CPU
// backend's order: by step, then population, then member, neurons
// ascending; then the samples of the step.
func (s *sim) drain(from, to int64, w *engine.Watch) error {
	if err := s.dev.Sync(); err != nil {
		return fmt.Errorf("%s on %s: steps %d to %d: %w", s.b.name, s.dev.Name(), from, to-1, err)
	}
	if err := s.checkOverflow(); err != nil {
		return err
	}
	if err := s.checkFinite(w, from, to); err != nil {
		return err
	}
	type bucket struct{ spikes [][]uint32 } // by step offset
	byPop := make([][]bucket, len(s.pops))  // [pop][member]
	for pi, dp := range s.pops {
		if err := s.dev.DtoH(unsafe.Pointer(&dp.recCount[0]), dp.args.RecCount, s.B*4); err != nil {
			return err
		}
		total := int64(0)
		for _, c := range dp.recCount {
			total = max(total, int64(c))
		}
		if total > dp.args.RecCap {
			return fmt.Errorf("%s: spike buffer of %s overflowed (%d > %d)", s.b.name, dp.p.Name, total, dp.args.RecCap)
		}
		if need := s.B * dp.args.RecCap * 2; int64(len(dp.rec)) < need {
			dp.rec = make([]uint32, need)
		}
		byPop[pi] = make([]bucket, s.B)
		for m := int64(0); m < s.B; m++ {
			// Only the entries written: the buffer holds room for every
			// neuron in every step, and copying it whole would cost more
			// than the simulation.
			e := dp.rec[m*dp.args.RecCap*2:]
			n := int64(dp.recCount[m])
			if err := s.dev.DtoH(unsafe.Pointer(&e[0]), dp.args.Rec+Ptr(m*dp.args.RecCap*8), n*8); err != nil {
				return err
			}
			bk := bucket{spikes: make([][]uint32, to-from)}
			for k := int64(0); k < n; k++ {
				st, nr := int64(e[2*k]), e[2*k+1]
				bk.spikes[st-from] = append(bk.spikes[st-from], nr)
			}
			for _, l := range bk.spikes {
				slices.Sort(l)
			}
			byPop[pi][m] = bk
		}
		if err := s.dev.Zero(dp.args.RecCount, s.B*4); err != nil {
			return err
		}
	}
	for _, m := range s.meters {
		need := s.B * m.args.Cap * m.args.NVars * m.args.NRec
		if int64(len(m.out)) < need {
			m.out = make([]float32, need)
		}
		if err := s.dev.DtoH(unsafe.Pointer(&m.out[0]), m.args.Out, need*4); err != nil {
			return err
		}
	}
	for step := from; step < to; step++ {
		for pi := range s.pops {
			for m := int64(0); m < s.B; m++ {
				if l := byPop[pi][m].spikes[step-from]; len(l) > 0 {
					w.Spikes(int(m), pi, step, l)
				}
			}
		}
		stamp := step + 1
		for _, mt := range s.meters {
			if !mt.due(step) {
				continue
			}
			si := stamp/mt.rec.Interval - 1 - mt.args.Base
			size := mt.args.NVars * mt.args.NRec
			for m := int64(0); m < s.B; m++ {
				off := (m*mt.args.Cap + si) * size
				w.Sample(int(m), mt.index, step, mt.out[off:off+size])
			}
		}
	}
	// The next window's samples start where this one ends.
	for _, mt := range s.meters {
		mt.args.Base = to / mt.rec.Interval
		a := mt.args // a copy: cgo refuses pointers into structs holding Go pointers
		if err := s.dev.HtoD(mt.argsPtr, unsafe.Pointer(&a), int64(unsafe.Sizeof(a))); err != nil {
			return err
		}
	}
	return nil
}

// Fit estimates the device memory of net's structure: what the batch
// shares (connectivity) and what each member adds, and returns how many
// members fit in the device's free memory, with a report of the estimate.
func (b *Backend) Fit(net *network.Network) (int, string, error) {
	free, total, err := b.Dev.MemInfo()
	if err != nil {
		return 0, "", err
	}
	shared, member := b.estimate(net, int64(max(b.FlushSteps, 100)))
	usable := float64(free) * 0.9 // room for the runtime and fragmentation
	fit := int((usable - float64(shared)) / float64(member))
	report := fmt.Sprintf("GPU memory (%s): %s shared (connectivity) + %s per point; %s free of %s: up to %d points per batch",
		b.Dev.Name(), memory.Format(float64(shared)), memory.Format(float64(member)), memory.Format(float64(free)), memory.Format(float64(total)), max(fit, 0))
	if fit < 1 {
		return 0, report, fmt.Errorf("%s: one point does not fit", report)
	}
	return fit, report, nil
}

// Estimate returns the device bytes net's structure shares across a batch
// and the bytes each member adds, for flush steps between copies: exactly
// what setup allocates (tested).
func Estimate(net *network.Network, flush int64) (shared, member int64) {
	return (&Backend{}).estimate(net, flush)
}

// estimate is Estimate with b's options (the plastic histories' size).
func (b *Backend) estimate(net *network.Network, flush int64) (shared, member int64) {
	const word = 8
	slots := int64(net.MaxDelay + 1)
	shared += word + int64(unsafe.Sizeof(propagateArgs{})) + int64(unsafe.Sizeof(finishArgs{})) + int64(len(net.Pops))*word
	shared += int64(len(net.Pops)) * int64(unsafe.Sizeof(finiteArgs{}))
	member += word                        // the member's rng key word
	member += int64(len(net.Pops)) * word // check_finite's result
	if net.WFR != nil {
		member += 8 + 4 // gap.go: the member's mode and its count of neurons not converged
	}
	nconst := func(c [][]float64) int64 {
		n := 0
		for _, x := range c {
			n = max(n, len(x))
		}
		return int64(max(n, 1))
	}
	for _, p := range net.Pops {
		n := int64(p.N)
		spikes := n * int64(p.SpikeCap)
		shared += int64(unsafe.Sizeof(popArgs{}))
		if net.WFR != nil && p.Model.Gap { // gap.go: Σg, in, out, end, prev, the saved state
			W := int64(net.WFR.Window)
			shared += int64(unsafe.Sizeof(gapArgs{})) + 2*int64(unsafe.Sizeof(copyArgs{}))
			member += n*8 + 2*n*W*4*8 + 2*n*W*8 + int64(len(p.Model.State)+p.History)*n*4
		}
		member += int64(len(p.Model.State)+p.History)*n*4 + int64(len(p.Model.Ports))*slots*n*4 + // state, rings
			nconst(p.Const)*8 + int64(len(p.PerNeuron))*n*4 + // constants, per-neuron parameters
			spikes*4 + 4 + spikes*flush*8 + 4 // spikes, count, recording, its count
	}
	for _, pr := range net.Projections {
		shared += pr.Bytes()
		member += 4 // the member's weight scale
		switch {
		case pr.Gap: // its mirror's CSR instead (the same size: gap junctions are symmetric)
			shared += int64(unsafe.Sizeof(gapProj{}))
		case pr.Source.Device:
			shared += int64(unsafe.Sizeof(emitArgs{}))
			member += nconst(net.Devices[pr.Source.Index].Const) * 8
		default:
			shared += int64(unsafe.Sizeof(projectionArgs{}))
		}
	}
	s, m := b.estimateSTDP(net)
	shared, member = shared+s, member+m
	for _, r := range net.Recorders {
		if r.Model != "multimeter" || len(r.Vars) == 0 || len(r.Neurons) == 0 {
			continue
		}
		v, k := int64(len(r.Vars)), int64(len(r.Neurons))
		shared += int64(unsafe.Sizeof(sampleArgs{})) + v*8 + k*4
		member += v*8 + (flush/r.Interval+1)*v*k*4
	}
	return shared, member
}
