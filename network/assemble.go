package network

import (
	"fmt"
	"slices"

	"github.com/snn-gpu/snn-gpu/internal/parallel"
)

// part is an edge set read as is, or flipped (each edge reversed: the
// symmetric counterpart, with the same weight and delay).
type part struct {
	set  *edgeSet
	flip bool
}

// ends returns source and target of edge j of row r of chunk ch.
func (p part) ends(ch *chunk, r int, j int64) (uint32, uint32) {
	var s, t uint32
	switch {
	case ch.explicit:
		s, t = ch.src[j], ch.other[j]
	case p.set.driverIsTarget:
		s, t = ch.other[j], uint32(r)
	default:
		s, t = uint32(r), ch.other[j]
	}
	if p.flip {
		return t, s
	}
	return s, t
}

// assemble builds the CSR (by source, rows sorted by target) of the parts'
// edges, for ns sources. Edges are placed in the order parts, chunks, rows,
// edges, and rows are then sorted stably by target, so the result does not
// depend on the chunking.
func assemble(ns int, parts []part, withParams bool, threads int) (*CSR, error) {
	type segment struct {
		p  part
		ch *chunk
	}
	var segs []segment
	for _, p := range parts {
		for c := range p.set.chunks {
			segs = append(segs, segment{p, &p.set.chunks[c]})
		}
	}
	cursor := make([]int64, len(segs)*ns)
	each := func(sg segment, f func(s, t uint32, j int64)) {
		start := int64(0)
		for ri, end := range sg.ch.end {
			for j := start; j < end; j++ {
				s, t := sg.p.ends(sg.ch, sg.ch.lo+ri, j)
				f(s, t, j)
			}
			start = end
		}
	}
	parallel.For(threads, len(segs), func(_, k int) {
		row := cursor[k*ns : (k+1)*ns]
		each(segs[k], func(s, _ uint32, _ int64) { row[s]++ })
	})
	csr := &CSR{Offsets: make([]int64, ns+1)}
	var total int64
	for s := 0; s < ns; s++ {
		csr.Offsets[s] = total
		for k := range segs {
			n := cursor[k*ns+s]
			cursor[k*ns+s] = total
			total += n
		}
	}
	csr.Offsets[ns] = total
	if total > maxSynapses {
		return nil, fmt.Errorf("%d synapses in one projection is more than this version supports", total)
	}
	csr.Targets = make([]uint32, total)
	if withParams {
		csr.Weights = make([]float32, total)
		csr.Delays = make([]uint16, total)
	}
	parallel.For(threads, len(segs), func(_, k int) {
		row := cursor[k*ns : (k+1)*ns]
		ch := segs[k].ch
		each(segs[k], func(s, t uint32, j int64) {
			pos := row[s]
			row[s]++
			csr.Targets[pos] = t
			if withParams {
				csr.Weights[pos] = ch.weights[j]
				csr.Delays[pos] = ch.delays[j]
			}
		})
	})
	sorted := len(parts) == 1 && !parts[0].set.explicit && parts[0].set.driverIsTarget != parts[0].flip
	if !sorted {
		csr.sortRows(threads)
	}
	return csr, nil
}

// sortRows sorts every row by target, stably (multapses keep their order).
func (c *CSR) sortRows(threads int) {
	type syn struct {
		t uint32
		w float32
		d uint16
	}
	ns := len(c.Offsets) - 1
	blocks := max(1, min(ns/64, 16*parallel.Threads(threads)))
	parallel.For(threads, blocks, func(_, b int) {
		var buf []syn
		for s := b * ns / blocks; s < (b+1)*ns/blocks; s++ {
			lo, hi := c.Offsets[s], c.Offsets[s+1]
			row := c.Targets[lo:hi]
			if slices.IsSorted(row) {
				continue
			}
			buf = buf[:0]
			for j := lo; j < hi; j++ {
				x := syn{t: c.Targets[j]}
				if c.Weights != nil {
					x.w, x.d = c.Weights[j], c.Delays[j]
				}
				buf = append(buf, x)
			}
			slices.SortStableFunc(buf, func(a, b syn) int { return int(int64(a.t) - int64(b.t)) })
			for i, x := range buf {
				c.Targets[lo+int64(i)] = x.t
				if c.Weights != nil {
					c.Weights[lo+int64(i)], c.Delays[lo+int64(i)] = x.w, x.d
				}
			}
		}
	})
}
