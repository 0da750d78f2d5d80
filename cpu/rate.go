package cpu

import (
	"github.com/snn-gpu/snn-gpu/network"
)

// rateSim sends the rates of rate models (docs/models.md, Rate models):
// at the start of each step the output-noise models emit their noisy rate,
// then every rate connection adds w·X_j (X_j through the target's Term
// where it has one) into its target's rate port, in the slot of the step
// plus the delay (instantaneous connections: the step itself, which the
// update that follows reads). A target range sums in the serial order
// (projection, source, CSR position), whatever the thread count.
type rateSim struct {
	emit  []int                   // update items of models that emit before the sends
	byTgt [][]*network.Projection // rate projections into each population, config order
	// terms[pop][m] is the target's per-input function, nil for none.
	terms [][]func(float32) float32
	items []deliverItem // the target ranges of populations with rate input
	run   func(worker, item int)
}

func newRateSim(s *sim) *rateSim {
	rs := &rateSim{byTgt: make([][]*network.Projection, len(s.pops)), terms: make([][]func(float32) float32, len(s.pops))}
	any := false
	for _, pr := range s.net.Projections {
		if pr.Rate {
			rs.byTgt[pr.Target] = append(rs.byTgt[pr.Target], pr)
			any = true
		}
	}
	for i, it := range s.updates {
		if r := s.pops[it.pop].Model.Rate; r != nil && r.Emit {
			rs.emit = append(rs.emit, i)
		}
	}
	if !any && len(rs.emit) == 0 {
		return nil
	}
	for pi, p := range s.pops {
		if r := p.Model.Rate; r != nil && r.Term != nil {
			for m := range s.net.Batch() {
				rs.terms[pi] = append(rs.terms[pi], r.Term(p.Const[m]))
			}
		}
	}
	for _, it := range s.deliver {
		if len(rs.byTgt[it.pop]) > 0 {
			rs.items = append(rs.items, it)
		}
	}
	rs.run = func(_, i int) { rs.sendRange(s, &rs.items[i]) }
	return rs
}

// send runs the emit updates and the sends of step s.now (after s.point).
func (rs *rateSim) send(s *sim) {
	s.pool.Run(len(rs.emit), func(_, i int) {
		it := &s.updates[rs.emit[i]]
		it.u.Emit = true
		s.pops[it.pop].Model.Update(&it.u)
		it.u.Emit = false
	})
	s.pool.Run(len(rs.items), rs.run)
}

// sendRange adds the rates sent in step s.now into targets [lo, hi) of one
// member of one population.
func (rs *rateSim) sendRange(s *sim, it *deliverItem) {
	tp := s.pops[it.pop]
	n, m, slots := tp.N, it.member, s.slots
	whole := it.lo == 0 && it.hi == n
	var term func(float32) float32
	if rs.terms[it.pop] != nil {
		term = rs.terms[it.pop][m]
	}
	for _, pr := range rs.byTgt[it.pop] {
		ex := tp.ring[pr.Port][m*slots*n : (m+1)*slots*n]
		in := tp.ring[pr.PortNeg][m*slots*n : (m+1)*slots*n]
		scale := pr.Weight[m]
		var rates []float32
		var dev float32
		if pr.Source.Device {
			d := s.net.Devices[pr.Source.Index]
			dev = d.Model.Source(d.Const[m], s.now)
		} else {
			sp := s.pops[pr.Source.Index]
			rates = sp.vars[sp.Model.Rate.Var][m*sp.N : (m+1)*sp.N]
		}
		for src := 0; src+1 < len(pr.Offsets); src++ {
			a, b := rowRange(pr, src, it.lo, it.hi, whole)
			if a == b {
				continue
			}
			x := dev
			if rates != nil {
				x = rates[src]
			}
			if term != nil {
				x = term(x)
			}
			for j := a; j < b; j++ {
				w := scale
				if pr.Weights != nil {
					w = pr.Weights[j] * scale
				}
				d := pr.Delay
				if pr.Delays != nil {
					d = int(pr.Delays[j])
				}
				d += s.slot
				if d >= slots {
					d -= slots
				}
				ring := ex
				if w < 0 {
					ring = in
				}
				ring[d*n+int(pr.Targets[j])] += w * x
			}
		}
	}
}
