package network

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/internal/parallel"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/spec"
)

func buildProjection(points []spec.Network, i int, net *Network, names map[string]Endpoint, threads int) (*Projection, error) {
	c := points[0].Connections[i]
	src, ok := names[c.Source]
	if !ok {
		return nil, fmt.Errorf("unknown source %q", c.Source)
	}
	tgt, ok := names[c.Target]
	if !ok || tgt.Device {
		return nil, fmt.Errorf("target %q is not a population", c.Target)
	}
	target := net.Pops[tgt.Index]
	pr := &Projection{Index: i, Name: c.Source + "->" + c.Target, Source: src, Target: tgt.Index, Rule: c.Rule.Name}

	kind := models.SpikePort
	ns := 0
	if src.Device {
		d := net.Devices[src.Index]
		ns = d.N
		if d.Model.Output == models.CurrentOutput {
			kind = models.CurrentPort
		}
	} else {
		ns = net.Pops[src.Index].N
	}
	if c.Syn.Receptor != 0 {
		return nil, fmt.Errorf("receptor %d: %s has no receptor types; use 0", c.Syn.Receptor, target.Model.Name)
	}
	if pr.Port = target.Model.PortOf(kind); pr.Port < 0 {
		return nil, fmt.Errorf("%s takes no %s input", target.Model.Name, map[models.PortKind]string{models.SpikePort: "spike", models.CurrentPort: "current"}[kind])
	}

	rule, err := makeRule(c.Rule, ruleShape{ns, target.N, !src.Device && src.Index == tgt.Index})
	if err != nil {
		return nil, err
	}

	// Per-member constant weights need no per-synapse storage; a random
	// weight (the same law for every member) is drawn per synapse.
	randomWeight := !c.Syn.Weight.IsConst()
	pr.Weight = make([]float32, len(points))
	for b := range points {
		w := points[b].Connections[i].Syn.Weight
		if w.IsConst() != !randomWeight {
			return nil, fmt.Errorf("weight is random for some batch members and constant for others")
		}
		pr.Weight[b] = 1
		if !randomWeight {
			pr.Weight[b] = float32(w.Const)
		}
	}
	randomDelay := !c.Syn.Delay.IsConst()
	if !randomDelay {
		d, err := delaySteps(c.Syn.Delay.Const, net.Dt)
		if err != nil {
			return nil, err
		}
		pr.Delay = d
		net.MaxDelay = max(net.MaxDelay, d)
	}

	var draw synDraw
	if randomWeight || randomDelay {
		draw = func(st *rng.Stream) (float32, uint16, error) {
			var w float32
			var d uint16
			if randomWeight {
				x, err := Draw(c.Syn.Weight, st)
				if err != nil {
					return 0, 0, err
				}
				w = float32(x)
			}
			if randomDelay {
				x, err := Draw(c.Syn.Delay, st)
				if err != nil {
					return 0, 0, err
				}
				s, err := delaySteps(x, net.Dt)
				if err != nil {
					return 0, 0, err
				}
				d = uint16(s)
			}
			return w, d, nil
		}
	}
	csr, err := buildCSR(ns, target.N, rule, draw, rng.NewKey(net.Seed, rng.Network), uint32(i), threads)
	if err != nil {
		return nil, err
	}
	pr.CSR = *csr
	if !randomWeight {
		pr.Weights = nil
	}
	if randomDelay {
		for _, d := range pr.Delays {
			net.MaxDelay = max(net.MaxDelay, int(d))
		}
	} else {
		pr.Delays = nil
	}
	return pr, nil
}

// delaySteps rounds a delay to the nearest step, as NEST does, and refuses
// delays below one step.
func delaySteps(ms, dt float64) (int, error) {
	s := models.Steps(ms, dt)
	if s < 1 {
		return 0, fmt.Errorf("delay %g ms is below the resolution %g ms", ms, dt)
	}
	if s > math.MaxUint16 {
		return 0, fmt.Errorf("delay %g ms is longer than %d steps", ms, math.MaxUint16)
	}
	return int(s), nil
}

// synDraw draws the random weight and delay of one synapse.
type synDraw func(st *rng.Stream) (float32, uint16, error)

// chunk is the synapses of a range of targets, in target-major order.
type chunk struct {
	lo, hi  int
	rowEnd  []int64  // end of each target's sources in srcs
	srcs    []uint32 // sources, target by target
	weights []float32
	delays  []uint16
	err     error
}

// buildCSR draws every target's sources (in parallel over chunks of
// targets) and transposes them into CSR by source. Rows come out sorted by
// target because chunks are filled in target order; the result does not
// depend on the number of chunks or threads.
func buildCSR(ns, nt int, rule rowRule, draw synDraw, key rng.Key, proj uint32, threads int) (*CSR, error) {
	threads = parallel.Threads(threads)
	nChunks := max(1, min((nt+255)/256, 8*threads, (8<<20)/max(ns, 1)))
	chunks := make([]chunk, nChunks)
	for c := range chunks {
		chunks[c].lo = c * nt / nChunks
		chunks[c].hi = (c + 1) * nt / nChunks
	}
	parallel.For(threads, nChunks, func(_, c int) {
		ch := &chunks[c]
		for t := ch.lo; t < ch.hi; t++ {
			st := rng.NewStream(key, rng.PurposeConnect, proj, uint32(t), 0)
			n0 := len(ch.srcs)
			ch.srcs = rule(t, &st, ch.srcs)
			ch.rowEnd = append(ch.rowEnd, int64(len(ch.srcs)))
			if draw == nil {
				continue
			}
			ps := rng.NewStream(key, rng.PurposeSynParam, proj, uint32(t), 0)
			for range ch.srcs[n0:] {
				w, d, err := draw(&ps)
				if err != nil {
					ch.err = err
					return
				}
				ch.weights = append(ch.weights, w)
				ch.delays = append(ch.delays, d)
			}
		}
	})
	// cursor[c*ns+s]: where chunk c writes its next synapse from source s.
	cursor := make([]int64, nChunks*ns)
	for c := range chunks {
		if chunks[c].err != nil {
			return nil, chunks[c].err
		}
		row := cursor[c*ns : (c+1)*ns]
		for _, s := range chunks[c].srcs {
			row[s]++
		}
	}
	csr := &CSR{Offsets: make([]int64, ns+1)}
	var total int64
	for s := 0; s < ns; s++ {
		csr.Offsets[s] = total
		for c := 0; c < nChunks; c++ {
			n := cursor[c*ns+s]
			cursor[c*ns+s] = total
			total += n
		}
	}
	csr.Offsets[ns] = total
	if total > math.MaxInt32*2 {
		return nil, fmt.Errorf("%d synapses in one projection is more than this version supports", total)
	}
	csr.Targets = make([]uint32, total)
	if draw != nil {
		csr.Weights = make([]float32, total)
		csr.Delays = make([]uint16, total)
	}
	parallel.For(threads, nChunks, func(_, c int) {
		ch := &chunks[c]
		row := cursor[c*ns : (c+1)*ns]
		start := int64(0)
		for ti, end := range ch.rowEnd {
			t := uint32(ch.lo + ti)
			for j := start; j < end; j++ {
				s := ch.srcs[j]
				pos := row[s]
				row[s]++
				csr.Targets[pos] = t
				if draw != nil {
					csr.Weights[pos] = ch.weights[j]
					csr.Delays[pos] = ch.delays[j]
				}
			}
			start = end
		}
	})
	return csr, nil
}
