package gpu

import (
	"unsafe"

	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/network"
)

// gapSim is waveform relaxation on the device: cpu/gap.go's algorithm with
// each phase a kernel over every neuron of every member (the models'
// update kernels in trial mode, gap_converge, gap_exchange,
// gap_extrapolate), the state saved and restored by gap_copy, and one word
// per member (the neurons not converged) read back per iteration.
type gapSim struct {
	w         *network.WFR
	pops      []*gapPop
	args      Ptr // [len(pops)]gapArgs
	argsHost  []gapArgs
	widest    int64
	updates   []launch // the update launches of models with gap junctions
	mode      Ptr      // [B] int64
	modeHost  []int64
	unconv    Ptr // [B] uint32
	unconvHst []uint32
	exchanged []bool
	stats     []engine.WFRStats
}

// gapPop is one population of a model with gap junctions on the device.
type gapPop struct {
	dp          *devPop
	g           []float64 // host: [B][n] Σ g_ij, uploaded at a member's first exchange
	gPtr        Ptr
	state, save Ptr
	prev        Ptr // the end values of the last pass
	copyTo      Ptr // copyArgs: state → save
	copyBack    Ptr // copyArgs: save → state
	floats      int64
}

func (s *sim) setupGap() error {
	net := s.net
	w := net.WFR
	B := int(s.B)
	gs := &gapSim{w: w, modeHost: make([]int64, B), unconvHst: make([]uint32, B), exchanged: make([]bool, B),
		stats: make([]engine.WFRStats, B)}
	var err error
	if gs.mode, err = s.alloc(s.B * 8); err != nil {
		return err
	}
	if gs.unconv, err = s.alloc(s.B * 4); err != nil {
		return err
	}
	index := map[int]int{} // population → position in gs.pops
	W := int64(w.Window)
	for _, dp := range s.pops {
		if !dp.p.Model.Gap {
			continue
		}
		n := dp.args.N
		gp := &gapPop{dp: dp, g: make([]float64, B*int(n)), state: dp.args.State,
			floats: int64(len(dp.p.Init)+dp.p.History) * s.B * n}
		a := &dp.args
		if gp.gPtr, err = s.alloc(s.B * n * 8); err != nil {
			return err
		}
		for _, p := range []*Ptr{&a.GapIn, &a.GapOut} {
			if *p, err = s.alloc(s.B * n * W * 4 * 8); err != nil {
				return err
			}
		}
		if a.GapEnd, err = s.alloc(s.B * n * W * 8); err != nil {
			return err
		}
		if gp.prev, err = s.alloc(s.B * n * W * 8); err != nil {
			return err
		}
		if gp.save, err = s.alloc(gp.floats * 4); err != nil {
			return err
		}
		if gp.copyTo, err = upload(s, []copyArgs{{N: gp.floats, Src: gp.state, Dst: gp.save}}); err != nil {
			return err
		}
		if gp.copyBack, err = upload(s, []copyArgs{{N: gp.floats, Src: gp.save, Dst: gp.state}}); err != nil {
			return err
		}
		a.GapG, a.GapWindow, a.GapOrder, a.GapMode = gp.gPtr, W, int64(w.InterpolationOrder), gs.mode
		index[dp.p.Index] = len(gs.pops)
		gs.pops = append(gs.pops, gp)
		gs.argsHost = append(gs.argsHost, gapArgs{N: n, B: s.B, Window: W, Steps: W, In: a.GapIn, Out: a.GapOut,
			End: a.GapEnd, Prev: gp.prev, Mode: gs.mode, Unconverged: gs.unconv, Tol: w.Tol})
		gs.widest = max(gs.widest, n)
	}
	// The mirrors of the gap projections into each population, in
	// projection order; the conductance sums on the host.
	projs := make([][]gapProj, len(gs.pops))
	for _, pr := range net.Projections {
		if !pr.Gap {
			continue
		}
		tg := gs.pops[index[pr.Target]]
		n := int(tg.dp.args.N)
		for m := range B {
			pr.EachSynapse(m, func(_, t int, w float64) { tg.g[m*n+t] += w })
		}
		mr := net.Mirror(pr)
		gp := gapProj{NS: int64(net.Pops[pr.Source.Index].N), Out: gs.pops[index[pr.Source.Index]].dp.args.GapOut}
		if gp.Offsets, err = upload(s, mr.Offsets); err != nil {
			return err
		}
		if gp.Targets, err = upload(s, mr.Targets); err != nil {
			return err
		}
		if gp.Weights, err = upload(s, mr.Weights); err != nil {
			return err
		}
		if gp.Scale, err = upload(s, mr.Weight); err != nil {
			return err
		}
		projs[index[pr.Target]] = append(projs[index[pr.Target]], gp)
	}
	for k := range gs.pops {
		gs.argsHost[k].NProj = int64(len(projs[k]))
		if gs.argsHost[k].Proj, err = upload(s, projs[k]); err != nil {
			return err
		}
	}
	if gs.args, err = upload(s, gs.argsHost); err != nil {
		return err
	}
	s.gap = gs
	return nil
}

// updateLaunches picks the update launches of gap models once the step's
// launches are known (their argument arrays carry the gap fields).
func (gs *gapSim) updateLaunches(s *sim) {
	for _, l := range s.launches {
		for _, gp := range gs.pops {
			if l.kernel == gp.dp.kernel {
				gs.updates = append(gs.updates, l)
				break
			}
		}
	}
}

func (gs *gapSim) launchAll(s *sim, kernel string) error {
	return s.launch(kernel, [3]int{blocks(gs.widest), int(s.B), len(gs.pops)}, block, gs.args)
}

func (gs *gapSim) setModes(s *sim) error {
	return s.dev.HtoD(gs.mode, unsafe.Pointer(&gs.modeHost[0]), s.B*8)
}

// setSteps sets the steps gap_converge compares (a short last window) and
// the step gap_extrapolate reads.
func (gs *gapSim) setSteps(s *sim, steps int64) error {
	for k := range gs.argsHost {
		gs.argsHost[k].Steps, gs.argsHost[k].Last = steps, steps-1
	}
	return s.dev.HtoD(gs.args, unsafe.Pointer(&gs.argsHost[0]), int64(len(gs.argsHost))*int64(unsafe.Sizeof(gapArgs{})))
}

// exchange runs gap_exchange for the members not idle and gives those
// exchanging for the first time their conductance sums.
func (gs *gapSim) exchange(s *sim) error {
	if err := gs.launchAll(s, "gap_exchange"); err != nil {
		return err
	}
	for m, mode := range gs.modeHost {
		if mode == gapIdle || gs.exchanged[m] {
			continue
		}
		gs.exchanged[m] = true
		for _, gp := range gs.pops {
			n := gp.dp.args.N
			if err := s.dev.HtoD(gp.gPtr+Ptr(int64(m)*n*8), unsafe.Pointer(&gp.g[int64(m)*n]), n*8); err != nil {
				return err
			}
		}
	}
	return nil
}

// Modes of gap_mode (kernels/snn.cuh).
const (
	gapFinal = 0
	gapTrial = 1
	gapIdle  = 2
)

// relax runs the trial passes of the window [from, to), the device clock
// standing at from.
func (gs *gapSim) relax(s *sim, from, to int64, w *engine.Watch) error {
	if err := gs.setSteps(s, to-from); err != nil {
		return err
	}
	iters := gs.w.Iterations()
	B := int(s.B)
	used := make([]int, B)
	for m := range B {
		gs.modeHost[m] = gapTrial
		if w.Failed(m) {
			gs.modeHost[m] = gapIdle
		}
	}
	for _, gp := range gs.pops {
		if err := s.dev.Zero(gp.prev, s.B*gp.dp.args.N*int64(gs.w.Window)*8); err != nil {
			return err
		}
	}
	for range iters {
		active := false
		for _, mode := range gs.modeHost {
			active = active || mode == gapTrial
		}
		if !active {
			break
		}
		if err := gs.setModes(s); err != nil {
			return err
		}
		for _, gp := range gs.pops {
			if err := s.launch("gap_copy", [3]int{blocks(gp.floats), 1, 1}, block, gp.copyTo); err != nil {
				return err
			}
		}
		for step := from; step < to; step++ {
			if err := s.dev.HtoD(s.clock, unsafe.Pointer(&step), 8); err != nil {
				return err
			}
			for _, l := range gs.updates {
				if err := s.launch(l.kernel, [3]int{blocks(l.width), int(s.B), l.count}, block, l.args); err != nil {
					return err
				}
			}
		}
		clock := from
		if err := s.dev.HtoD(s.clock, unsafe.Pointer(&clock), 8); err != nil {
			return err
		}
		for _, gp := range gs.pops {
			if err := s.launch("gap_copy", [3]int{blocks(gp.floats), 1, 1}, block, gp.copyBack); err != nil {
				return err
			}
		}
		if err := s.dev.Zero(gs.unconv, s.B*4); err != nil {
			return err
		}
		if err := gs.launchAll(s, "gap_converge"); err != nil {
			return err
		}
		if err := gs.exchange(s); err != nil {
			return err
		}
		if err := s.dev.DtoH(unsafe.Pointer(&gs.unconvHst[0]), gs.unconv, s.B*4); err != nil {
			return err
		}
		for m := range B {
			if gs.modeHost[m] == gapTrial {
				used[m]++
				if gs.unconvHst[m] == 0 {
					gs.modeHost[m] = gapIdle
				}
			}
		}
	}
	for m := range B {
		if !w.Failed(m) && iters > 0 {
			gs.stats[m].Add(used[m], gs.modeHost[m] != gapTrial)
		}
		gs.modeHost[m] = gapFinal
	}
	return gs.setModes(s)
}

// extrapolate publishes the end potentials as the next window's first
// guess and exchanges them for every member.
func (gs *gapSim) extrapolate(s *sim) error {
	if err := gs.launchAll(s, "gap_extrapolate"); err != nil {
		return err
	}
	return gs.exchange(s)
}
