package network

import (
	"math"
	"slices"
)

// cellIndex buckets the neurons of a layer into a grid of cells, so that the
// neurons a mask can reach are found without testing every pair. Queries
// return candidates in ascending order: a rule visits them in the order of a
// scan over all neurons, so the network does not depend on the index.
type cellIndex struct {
	dims   int
	lo     [3]float64 // corner of the indexed domain
	size   [3]float64 // cell size
	n      [3]int     // cells per dimension
	period bool       // the domain is periodic (the displacement layer wraps)
	start  []int32    // cell c holds ids[start[c]:start[c+1]]
	ids    []uint32
}

// newCellIndex indexes pos, searched with displacements measured in layer
// disp, for masks reaching reach from their driver. It returns nil when an
// index cannot be exact (the positions do not live on disp's periodic
// domain) or cannot help (the reach covers the layer).
func newCellIndex(pos [][3]float64, own, disp *Layer, reach float64) *cellIndex {
	ix := &cellIndex{dims: disp.Dims, period: disp.EdgeWrap}
	if disp.EdgeWrap && (own.Extent != disp.Extent || own.Center != disp.Center) {
		return nil
	}
	var hi [3]float64
	for d := 0; d < ix.dims; d++ {
		if ix.period {
			ix.lo[d], hi[d] = disp.Center[d]-disp.Extent[d]/2, disp.Center[d]+disp.Extent[d]/2
			continue
		}
		ix.lo[d], hi[d] = math.Inf(1), math.Inf(-1)
		for _, p := range pos {
			ix.lo[d], hi[d] = math.Min(ix.lo[d], p[d]), math.Max(hi[d], p[d])
		}
	}
	total := 1
	for d := 0; d < ix.dims; d++ {
		span := hi[d] - ix.lo[d]
		ix.n[d] = 1
		if reach > 0 && span > 0 {
			ix.n[d] = int(min(256, max(1, math.Floor(span/(reach/2)))))
		}
		total *= ix.n[d]
	}
	for total > 4*len(pos)+64 { // no more cells than a few per neuron
		total = 1
		for d := 0; d < ix.dims; d++ {
			ix.n[d] = max(1, ix.n[d]/2)
			total *= ix.n[d]
		}
	}
	if total == 1 {
		return nil
	}
	for d := 0; d < ix.dims; d++ {
		ix.size[d] = (hi[d] - ix.lo[d]) / float64(ix.n[d])
		if ix.size[d] == 0 {
			ix.size[d] = 1
		}
	}
	cell := make([]int32, len(pos))
	ix.start = make([]int32, total+1)
	for i, p := range pos {
		c := 0
		for d := 0; d < ix.dims; d++ {
			k := min(ix.n[d]-1, max(0, int((p[d]-ix.lo[d])/ix.size[d])))
			c = c*ix.n[d] + k
		}
		cell[i] = int32(c)
		ix.start[c+1]++
	}
	for c := 0; c < total; c++ {
		ix.start[c+1] += ix.start[c]
	}
	ix.ids = make([]uint32, len(pos))
	next := slices.Clone(ix.start[:total])
	for i, c := range cell { // ascending within each cell
		ix.ids[next[c]] = uint32(i)
		next[c]++
	}
	return ix
}

// near appends to dst, in ascending order, every neuron that may lie within
// reach of center (and some farther ones).
func (ix *cellIndex) near(center [3]float64, reach float64, dst []uint32) []uint32 {
	var from, to [3]int
	for d := 0; d < 3; d++ {
		if d >= ix.dims {
			continue
		}
		a := int(math.Floor((center[d] - reach - ix.lo[d]) / ix.size[d]))
		b := int(math.Floor((center[d] + reach - ix.lo[d]) / ix.size[d]))
		switch {
		case ix.period && b-a+1 >= ix.n[d]:
			a, b = 0, ix.n[d]-1
		case !ix.period:
			a, b = max(a, 0), min(b, ix.n[d]-1)
			if a > b {
				return dst
			}
		}
		from[d], to[d] = a, b
	}
	first := len(dst)
	wrap := func(k, n int) int { return ((k % n) + n) % n }
	var visit func(d, c int)
	visit = func(d, c int) {
		if d == ix.dims {
			dst = append(dst, ix.ids[ix.start[c]:ix.start[c+1]]...)
			return
		}
		for k := from[d]; k <= to[d]; k++ {
			visit(d+1, c*ix.n[d]+wrap(k, ix.n[d]))
		}
	}
	visit(0, 0)
	slices.Sort(dst[first:])
	return dst
}
