package cpu

import (
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/network"
)

// gapSim is the waveform relaxation of gap junctions (network.WFR; NEST's
// algorithm, docs/models.md): per window of steps, trial passes of the gap
// models' updates from the window's start state, each followed by an
// exchange of the neurons' polynomials, until every neuron of a member
// moved by at most wfr_tol; then the real pass of the window.
type gapSim struct {
	w    *network.WFR
	pops []*gapPop // by population index; nil for populations without gap junctions
	prs  []*network.Projection
	// exchanged: per member, whether a first exchange happened (G counts
	// from then on, as NEST's sums arrive with the first events).
	exchanged []bool
	active    []bool // per member: still iterating in this window
	trial     []int  // the update items of gap populations
	stats     []engine.WFRStats
}

// gapPop is the coupling state of one population, per member.
type gapPop struct {
	n              int
	g              [][]float64 // Σ g_ij per neuron
	zero           []float64   // G before the first exchange
	in, out        [][]float64 // [n][window][4]
	end, prev      [][]float64 // [n][window]
	saved          [][]float32 // every state variable and history slot of the member, for the trial passes
	vars           [][]float32 // the population's state (pop.vars)
	changedMembers []bool      // scratch: members whose prev is compared
}

func newGapSim(s *sim) *gapSim {
	w := s.net.WFR
	B := s.net.Batch()
	gs := &gapSim{w: w, pops: make([]*gapPop, len(s.pops)), exchanged: make([]bool, B), active: make([]bool, B),
		stats: make([]engine.WFRStats, B)}
	for pi, p := range s.pops {
		if !p.Model.Gap {
			continue
		}
		gp := &gapPop{n: p.N, zero: make([]float64, p.N), vars: p.vars}
		for range B {
			gp.g = append(gp.g, make([]float64, p.N))
			gp.in = append(gp.in, make([]float64, p.N*w.Window*4))
			gp.out = append(gp.out, make([]float64, p.N*w.Window*4))
			gp.end = append(gp.end, make([]float64, p.N*w.Window))
			gp.prev = append(gp.prev, make([]float64, p.N*w.Window))
			gp.saved = append(gp.saved, make([]float32, len(p.vars)*p.N))
		}
		gs.pops[pi] = gp
	}
	for _, pr := range s.net.Projections {
		if !pr.Gap {
			continue
		}
		gs.prs = append(gs.prs, pr)
		tg := gs.pops[pr.Target]
		for m := range B {
			pr.EachSynapse(m, func(_, t int, w float64) { tg.g[m][t] += w })
		}
	}
	for i := range s.updates {
		it := &s.updates[i]
		if gp := gs.pops[it.pop]; gp != nil {
			it.gap = models.GapStep{Order: w.InterpolationOrder, Window: w.Window,
				In: gp.in[it.member], Out: gp.out[it.member], End: gp.end[it.member]}
			it.u.Gap = &it.gap
			gs.trial = append(gs.trial, i)
		}
	}
	return gs
}

// prepare points the gap populations' updates at step k of the window.
func (gs *gapSim) prepare(s *sim, k int) {
	for _, i := range gs.trial {
		it := &s.updates[i]
		it.gap.K = k
		it.gap.G = gs.pops[it.pop].zero
		if gs.exchanged[it.member] {
			it.gap.G = gs.pops[it.pop].g[it.member]
		}
	}
}

// exchange gives each neuron of member m the sum of its neighbours'
// polynomials over the window, Σ_j g_ij·p_j, in CSR order.
func (gs *gapSim) exchange(m int) {
	for _, gp := range gs.pops {
		if gp != nil {
			clear(gp.in[m])
		}
	}
	for _, pr := range gs.prs {
		src, tgt := gs.pops[pr.Source.Index], gs.pops[pr.Target]
		L := gs.w.Window * 4
		out, in := src.out[m], tgt.in[m]
		pr.EachSynapse(m, func(s, t int, w float64) {
			o, d := out[s*L:(s+1)*L], in[t*L:(t+1)*L]
			for c := range d {
				d[c] += float64(w * o[c])
			}
		})
	}
	gs.exchanged[m] = true
}

// save and restore keep member m's state of the gap populations across a
// trial pass.
func (gs *gapSim) save(m int, back bool) {
	for _, gp := range gs.pops {
		if gp == nil {
			continue
		}
		n := gp.n
		for v, x := range gp.vars {
			if back {
				copy(x[m*n:(m+1)*n], gp.saved[m][v*n:(v+1)*n])
			} else {
				copy(gp.saved[m][v*n:(v+1)*n], x[m*n:(m+1)*n])
			}
		}
	}
}

// converged compares member m's end values with the last pass's (only the
// first steps of a short last window) and keeps them for the next.
func (gs *gapSim) converged(m, steps int) bool {
	ok := true
	W := gs.w.Window
	for _, gp := range gs.pops {
		if gp == nil {
			continue
		}
		end, prev := gp.end[m], gp.prev[m]
		for i := range gp.n {
			for k := range steps {
				j := i*W + k
				if !(abs(end[j]-prev[j]) <= gs.w.Tol) {
					ok = false
				}
				prev[j] = end[j]
			}
		}
	}
	return ok
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// relax runs the trial passes of the window [from, to) for the members
// that have not failed, and records their iterations.
func (gs *gapSim) relax(s *sim, from, to int64, w *engine.Watch) {
	iters := gs.w.Iterations()
	if iters == 0 {
		return
	}
	B := s.net.Batch()
	for m := range B {
		gs.active[m] = !w.Failed(m)
		for _, gp := range gs.pops {
			if gp != nil {
				clear(gp.prev[m])
			}
		}
	}
	used := make([]int, B)
	for range iters {
		var items []int
		for _, i := range gs.trial {
			if gs.active[s.updates[i].member] {
				items = append(items, i)
			}
		}
		if len(items) == 0 {
			break
		}
		for m := range B {
			if gs.active[m] {
				gs.save(m, false)
			}
		}
		s.trial = true
		for step := from; step < to; step++ {
			s.point(step)
			gs.prepare(s, int(step-from))
			s.pool.Run(len(items), func(wk, k int) { s.updateItem(wk, items[k]) })
		}
		s.trial = false
		for m := range B {
			if !gs.active[m] {
				continue
			}
			gs.save(m, true)
			used[m]++
			done := gs.converged(m, int(to-from))
			gs.exchange(m)
			gs.active[m] = !done
		}
	}
	for m := range B {
		if !w.Failed(m) {
			gs.stats[m].Add(used[m], !gs.active[m])
		}
	}
}

// extrapolate publishes, after the real pass of a window, each neuron's
// potential at its end as a constant for every step of the next window:
// its first guess.
func (gs *gapSim) extrapolate(s *sim, last int) {
	W := gs.w.Window
	for m := range s.net.Batch() {
		for _, gp := range gs.pops {
			if gp == nil {
				continue
			}
			out, end := gp.out[m], gp.end[m]
			for i := range gp.n {
				v := end[i*W+last]
				for k := range W {
					o := out[(i*W+k)*4 : (i*W+k+1)*4]
					o[0], o[1], o[2], o[3] = v, 0, 0, 0
				}
			}
		}
		gs.exchange(m)
	}
}
