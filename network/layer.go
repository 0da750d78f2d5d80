package network

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/param"
	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/spec"
)

// Layer is the positions of a spatial population (NEST's spatial
// NodeCollection): grid or free, 2-D or 3-D, with or without periodic
// boundaries.
type Layer struct {
	Dims     int
	Pos      [][3]float64 // by neuron; unused dimensions are 0
	Extent   [3]float64
	Center   [3]float64
	EdgeWrap bool
	Shape    []int // grid layers only
}

// buildLayer places n neurons of population pop. Positions are structure:
// they are drawn from the seed alone, like connectivity.
func buildLayer(sp *spec.Spatial, n int, seed uint32, pop int) (*Layer, error) {
	l := &Layer{EdgeWrap: sp.EdgeWrap}
	switch {
	case len(sp.Shape) > 0:
		l.Dims = len(sp.Shape)
		l.Shape = sp.Shape
		prod := 1
		for _, k := range sp.Shape {
			prod *= k
		}
		if prod != n || l.Dims < 2 || l.Dims > 3 {
			return nil, fmt.Errorf("grid shape %v does not hold %d neurons in 2 or 3 dimensions", sp.Shape, n)
		}
		for d := 0; d < l.Dims; d++ {
			l.Extent[d] = 1
		}
	case len(sp.Positions) > 0:
		l.Dims = len(sp.Positions[0])
		if len(sp.Positions) != n {
			return nil, fmt.Errorf("%d positions for %d neurons", len(sp.Positions), n)
		}
	case len(sp.Pos) > 0:
		l.Dims = len(sp.Pos)
	default:
		return nil, fmt.Errorf("a spatial population needs a grid shape, positions or a pos parameter")
	}
	if l.Dims < 2 || l.Dims > 3 {
		return nil, fmt.Errorf("layers have 2 or 3 dimensions, not %d", l.Dims)
	}
	if sp.Extent != nil {
		if len(sp.Extent) != l.Dims {
			return nil, fmt.Errorf("extent has %d values for %d dimensions", len(sp.Extent), l.Dims)
		}
		copy(l.Extent[:], sp.Extent)
	}
	if sp.Center != nil {
		if len(sp.Center) != l.Dims {
			return nil, fmt.Errorf("center has %d values for %d dimensions", len(sp.Center), l.Dims)
		}
		copy(l.Center[:], sp.Center)
	}
	l.Pos = make([][3]float64, n)
	switch {
	case len(sp.Shape) > 0:
		l.gridPositions()
	case len(sp.Positions) > 0:
		for i, p := range sp.Positions {
			if len(p) != l.Dims {
				return nil, fmt.Errorf("position %d has %d coordinates, the layer %d", i, len(p), l.Dims)
			}
			copy(l.Pos[i][:], p)
		}
		l.fitFree(sp)
	default:
		key := rng.NewKey(seed, rng.Network)
		for d, v := range sp.Pos {
			e, err := param.Compile(exprOf(v), nil)
			if err != nil {
				return nil, fmt.Errorf("pos[%d]: %w", d, err)
			}
			if e.Spatial() {
				return nil, fmt.Errorf("pos[%d]: a position cannot depend on positions", d)
			}
			for i := range l.Pos {
				st := rng.NewStream(key, rng.PurposePosition, uint32(pop), uint32(i), uint32(d))
				x, err := e.Eval(&param.Env{Stream: &st})
				if err != nil {
					return nil, fmt.Errorf("pos[%d]: %w", d, err)
				}
				l.Pos[i][d] = x
			}
		}
		l.fitFree(sp)
	}
	for d := 0; d < l.Dims; d++ {
		if !(l.Extent[d] > 0) {
			return nil, fmt.Errorf("extent must be > 0 in every dimension (got %v)", l.Extent[:l.Dims])
		}
	}
	for i, p := range l.Pos {
		for d := 0; d < l.Dims; d++ {
			lo, hi := l.Center[d]-l.Extent[d]/2, l.Center[d]+l.Extent[d]/2
			if p[d] < lo-1e-12 || p[d] > hi+1e-12 || l.EdgeWrap && p[d] >= hi-1e-12 && len(sp.Shape) == 0 {
				return nil, fmt.Errorf("neuron %d at %v is outside the layer's extent %v around %v", i, p[:l.Dims], l.Extent[:l.Dims], l.Center[:l.Dims])
			}
		}
	}
	return l, nil
}

// exprOf is the source of a Value for param.Compile.
func exprOf(v spec.Value) string {
	if v.IsConst() {
		return fmt.Sprint(v.Const)
	}
	return v.Expr
}

// gridPositions places a grid layer as NEST does: cell centres, x from left
// to right, y from the top row down, numbered column by column.
func (l *Layer) gridPositions() {
	nx, ny, nz := l.Shape[0], l.Shape[1], 1
	if l.Dims == 3 {
		nz = l.Shape[2]
	}
	dx, dy, dz := l.Extent[0]/float64(nx), l.Extent[1]/float64(ny), l.Extent[2]/float64(nz)
	i := 0
	for x := 0; x < nx; x++ {
		for y := 0; y < ny; y++ {
			for z := 0; z < nz; z++ {
				p := &l.Pos[i]
				p[0] = l.Center[0] - l.Extent[0]/2 + (float64(x)+0.5)*dx
				p[1] = l.Center[1] + l.Extent[1]/2 - (float64(y)+0.5)*dy
				if l.Dims == 3 {
					p[2] = l.Center[2] - l.Extent[2]/2 + (float64(z)+0.5)*dz
				}
				i++
			}
		}
	}
}

// fitFree centres a free layer without a center on the bounding box of its
// positions, and gives it that box as extent (1 where the positions all
// agree) when it has none, as NEST does.
func (l *Layer) fitFree(sp *spec.Spatial) {
	for d := 0; d < l.Dims; d++ {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range l.Pos {
			lo, hi = math.Min(lo, p[d]), math.Max(hi, p[d])
		}
		if sp.Extent == nil {
			l.Extent[d] = hi - lo
			if l.Extent[d] == 0 {
				l.Extent[d] = 1
			}
		}
		if sp.Center == nil {
			l.Center[d] = (lo + hi) / 2
		}
	}
}

// disp returns the displacement from position a to position b measured in
// this (pool) layer: the shortest one when its boundaries are periodic.
func (l *Layer) disp(a, b [3]float64) [3]float64 {
	var d [3]float64
	for k := 0; k < l.Dims; k++ {
		d[k] = b[k] - a[k]
		if l.EdgeWrap {
			d[k] -= l.Extent[k] * math.Round(d[k]/l.Extent[k])
		}
	}
	return d
}
