package gpu

import "github.com/snn-gpu/snn-gpu/network"

// rateProj and rateArgs mirror kernels/rate.cuh's RateProj and RateArgs.
type rateProj struct {
	Offsets, Sources, Weights, Delays Ptr
	Delay                             int64
	Scale, Src                        Ptr
	SrcStride, SrcMStride             int64
	Ring, RingNeg                     Ptr
	Term                              Ptr
	NTerm                             int64
}

type rateArgs struct {
	NT, B, Slots, NProj int64
	Proj                Ptr
	Clock               Ptr
}

// setupRate prepares the launches that open every step of a network with
// rate models (cpu/rate.go's order): rate_emit for the output-noise
// populations, the rate generators' values, then rate_deliver, one thread
// per target and member summing its synapses by target in the CPU's order.
func (s *sim) setupRate(pointsPtr Ptr) error {
	net := s.net
	var emit []popArgs
	var width int64
	for _, dp := range s.pops {
		if r := dp.p.Model.Rate; r != nil && r.Emit {
			emit = append(emit, dp.args)
			width = max(width, dp.args.N)
		}
	}
	launches := []launch{}
	if len(emit) > 0 {
		p, err := upload(s, emit)
		if err != nil {
			return err
		}
		launches = append(launches, launch{kernel: "rate_emit", width: width, count: len(emit), args: p})
	}
	byTgt := make([][]rateProj, len(s.pops))
	devOut := map[int]Ptr{} // each rate generator's value of the step, [B]
	for _, pr := range net.Projections {
		if !pr.Rate {
			continue
		}
		tp := s.pops[pr.Target]
		portRing := func(port int) Ptr { return tp.args.Ring + Ptr(int64(port)*s.B*s.slots*tp.args.N*4) }
		rp := rateProj{Delay: int64(pr.Delay), Ring: portRing(pr.Port), RingNeg: portRing(pr.PortNeg)}
		var err error
		if rp.Scale, err = upload(s, pr.Weight); err != nil {
			return err
		}
		offsets, sources, weights, delays := byTarget(pr, tp.p.N)
		for _, u := range []struct {
			dst *Ptr
			up  func() (Ptr, error)
		}{
			{&rp.Offsets, func() (Ptr, error) { return upload(s, offsets) }},
			{&rp.Sources, func() (Ptr, error) { return upload(s, sources) }},
			{&rp.Weights, func() (Ptr, error) { return upload(s, weights) }},
			{&rp.Delays, func() (Ptr, error) { return upload(s, delays) }},
		} {
			if *u.dst, err = u.up(); err != nil {
				return err
			}
		}
		if pr.Source.Device {
			d := net.Devices[pr.Source.Index]
			out, ok := devOut[d.Index]
			if !ok {
				if out, err = s.alloc(s.B * 4); err != nil {
					return err
				}
				devOut[d.Index] = out
				consts, nc := flatConsts(d.Const)
				cp, err := upload(s, consts)
				if err != nil {
					return err
				}
				a, err := upload(s, []emitArgs{{Nodes: int64(d.N), B: s.B, NConst: nc, Consts: cp, Clock: s.clock,
					Ring: out, Seed: int64(net.Seed), Points: pointsPtr, Object: int64(pr.Index)}})
				if err != nil {
					return err
				}
				launches = append(launches, launch{kernel: "emit_" + d.Model.Name, width: 1, count: 1, args: a})
			}
			rp.Src, rp.SrcStride, rp.SrcMStride = out, 0, 1
		} else {
			sp := s.pops[pr.Source.Index]
			rp.Src = sp.args.State + Ptr(int64(sp.p.Model.Rate.Var)*s.B*sp.args.N*4)
			rp.SrcStride, rp.SrcMStride = 1, sp.args.N
		}
		if r := tp.p.Model.Rate; r != nil && r.Term != nil {
			rp.Term, rp.NTerm = tp.args.Consts, tp.args.NConst
		}
		byTgt[pr.Target] = append(byTgt[pr.Target], rp)
	}
	var deliver []rateArgs
	width = 0
	for i, rps := range byTgt {
		if len(rps) == 0 {
			continue
		}
		table, err := upload(s, rps)
		if err != nil {
			return err
		}
		deliver = append(deliver, rateArgs{NT: s.pops[i].args.N, B: s.B, Slots: s.slots, NProj: int64(len(rps)), Proj: table, Clock: s.clock})
		width = max(width, s.pops[i].args.N)
	}
	if len(deliver) > 0 {
		p, err := upload(s, deliver)
		if err != nil {
			return err
		}
		launches = append(launches, launch{kernel: "rate_deliver", width: width, count: len(deliver), args: p})
	}
	s.rateLaunches = launches
	return nil
}

// byTarget transposes a projection's CSR to rows by target, each row's
// synapses in source order then CSR order (a stable counting sort): the
// order in which the CPU adds them.
func byTarget(pr *network.Projection, nt int) (offsets []int64, sources []uint32, weights []float32, delays []uint16) {
	offsets = make([]int64, nt+1)
	for _, t := range pr.Targets {
		offsets[t+1]++
	}
	for t := range nt {
		offsets[t+1] += offsets[t]
	}
	next := append([]int64(nil), offsets[:nt]...)
	sources = make([]uint32, len(pr.Targets))
	if pr.Weights != nil {
		weights = make([]float32, len(pr.Targets))
	}
	if pr.Delays != nil {
		delays = make([]uint16, len(pr.Targets))
	}
	for src := 0; src+1 < len(pr.Offsets); src++ {
		for j := pr.Offsets[src]; j < pr.Offsets[src+1]; j++ {
			t := pr.Targets[j]
			k := next[t]
			next[t]++
			sources[k] = uint32(src)
			if weights != nil {
				weights[k] = pr.Weights[j]
			}
			if delays != nil {
				delays[k] = pr.Delays[j]
			}
		}
	}
	return offsets, sources, weights, delays
}
