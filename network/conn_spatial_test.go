package network

// Spatial networks (issue #4 item 3; reference section 3.3): grid and free
// layers, periodic displacement, masks, distance-dependent probability,
// weight and delay. The expected geometry is computed here from grid indices
// (NEST's numbering and orientation), independently of package network's.

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/snn-gpu/snn-gpu/spec"
)

// tgrid describes an nx × ny grid layer of square cells of side h, centred on
// the origin, as the tests see it.
type tgrid struct {
	nx, ny int
	h      float64
	wrap   bool
}

func (g tgrid) n() int { return g.nx * g.ny }

// pop returns the population of the grid.
func (g tgrid) pop(name string) spec.Population {
	return spec.Population{Name: name, Model: "iaf_psc_delta", N: g.n(), Spatial: &spec.Spatial{
		Shape: []int{g.nx, g.ny}, Extent: []float64{float64(g.nx) * g.h, float64(g.ny) * g.h}, EdgeWrap: g.wrap}}
}

// pos is NEST's position of neuron i: numbered column by column, x from
// left to right, y from the top row down, cell centres.
func (g tgrid) pos(i int) [2]float64 {
	x, y := i/g.ny, i%g.ny
	return [2]float64{(float64(x) + 0.5 - float64(g.nx)/2) * g.h, (float64(g.ny)/2 - float64(y) - 0.5) * g.h}
}

// steps returns the displacement from neuron i to neuron j in cells (x to
// the right, y up), the shortest one when the grid wraps (odd sizes have no
// ties).
func (g tgrid) steps(i, j int) (int, int) {
	dx, dy := j/g.ny-i/g.ny, -(j%g.ny - i%g.ny)
	if g.wrap {
		dx, dy = wrapInt(dx, g.nx), wrapInt(dy, g.ny)
	}
	return dx, dy
}

func wrapInt(k, n int) int {
	k = ((k % n) + n) % n
	if k > n/2 {
		k -= n
	}
	return k
}

// disp is the displacement from neuron i to neuron j in space.
func (g tgrid) disp(i, j int) [2]float64 {
	dx, dy := g.steps(i, j)
	return [2]float64{float64(dx) * g.h, float64(dy) * g.h}
}

func spatialNet(seed uint32, popsList []spec.Population, conns ...spec.Connection) spec.Network {
	return spec.Network{Simulation: spec.Simulation{Dt: 0.1, TSim: 1, Seed: seed}, Populations: popsList, Connections: conns}
}

func TestGridPositions(t *testing.T) {
	// NEST's example layout: shape [3, 2] (3 columns, 2 rows) on the
	// default extent 1 × 1 around the origin.
	l, err := buildLayer(&spec.Spatial{Shape: []int{3, 2}}, 6, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]float64{{-1. / 3, 0.25}, {-1. / 3, -0.25}, {0, 0.25}, {0, -0.25}, {1. / 3, 0.25}, {1. / 3, -0.25}}
	for i, w := range want {
		if math.Abs(l.Pos[i][0]-w[0]) > 1e-12 || math.Abs(l.Pos[i][1]-w[1]) > 1e-12 || l.Pos[i][2] != 0 {
			t.Errorf("neuron %d at %v, want %v", i, l.Pos[i], w)
		}
	}
	if l.Dims != 2 || l.Extent != [3]float64{1, 1, 0} || l.Center != [3]float64{} {
		t.Errorf("dims %d, extent %v, centre %v", l.Dims, l.Extent, l.Center)
	}
	// Extent and centre given: cells of 2 × 1 around (1, -1).
	l, err = buildLayer(&spec.Spatial{Shape: []int{3, 4}, Extent: []float64{6, 4}, Center: []float64{1, -1}}, 12, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		x, y := i/4, i%4
		w := [2]float64{1 - 3 + (float64(x)+0.5)*2, -1 + 2 - (float64(y)+0.5)*1}
		if math.Abs(l.Pos[i][0]-w[0]) > 1e-12 || math.Abs(l.Pos[i][1]-w[1]) > 1e-12 {
			t.Errorf("neuron %d (column %d, row %d) at %v, want %v", i, x, y, l.Pos[i][:2], w)
		}
	}
	// 3-D: index (x·ny + y)·nz + z, z from the bottom up.
	l, err = buildLayer(&spec.Spatial{Shape: []int{2, 3, 4}}, 24, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	for x := range 2 {
		for y := range 3 {
			for z := range 4 {
				i := (x*3+y)*4 + z
				w := [3]float64{-0.5 + (float64(x)+0.5)/2, 0.5 - (float64(y)+0.5)/3, -0.5 + (float64(z)+0.5)/4}
				for d := range 3 {
					if math.Abs(l.Pos[i][d]-w[d]) > 1e-12 {
						t.Fatalf("neuron %d (x %d, y %d, z %d) at %v, want %v", i, x, y, z, l.Pos[i], w)
					}
				}
			}
		}
	}
	for _, c := range []struct {
		sp   spec.Spatial
		n    int
		want string
	}{
		{spec.Spatial{Shape: []int{3, 3}}, 10, "does not hold"},
		{spec.Spatial{Shape: []int{9}}, 9, "does not hold"},
		{spec.Spatial{Shape: []int{3, 3}, Extent: []float64{1, 1, 1}}, 9, "extent has 3 values"},
		{spec.Spatial{Shape: []int{3, 3}, Extent: []float64{1, 0}}, 9, "extent must be > 0"},
		{spec.Spatial{}, 9, "needs a grid shape"},
	} {
		if _, err := buildLayer(&c.sp, c.n, 1, 0); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v with %d neurons: error %v, want %q", c.sp, c.n, err, c.want)
		}
	}
}

func TestFreeLayers(t *testing.T) {
	// Given positions are kept; without an extent the layer is their
	// bounding box, centred on it.
	pos := [][]float64{{0.1, 0.2}, {-0.3, 0.4}, {0.5, -0.2}}
	l, err := buildLayer(&spec.Spatial{Positions: pos}, 3, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pos {
		if l.Pos[i] != [3]float64{p[0], p[1], 0} {
			t.Errorf("neuron %d at %v, want %v", i, l.Pos[i], p)
		}
	}
	if math.Abs(l.Extent[0]-0.8) > 1e-12 || math.Abs(l.Extent[1]-0.6) > 1e-12 || math.Abs(l.Center[0]-0.1) > 1e-12 || math.Abs(l.Center[1]-0.1) > 1e-12 {
		t.Errorf("extent %v, centre %v: want the bounding box 0.8 × 0.6 around (0.1, 0.1)", l.Extent, l.Center)
	}
	if _, err := buildLayer(&spec.Spatial{Positions: pos, Extent: []float64{0.5, 2}}, 3, 1, 0); err == nil {
		t.Error("positions outside the extent were accepted")
	}
	if _, err := buildLayer(&spec.Spatial{Positions: pos}, 4, 1, 0); err == nil {
		t.Error("3 positions for 4 neurons were accepted")
	}
	// Drawn positions lie inside the extent (a periodic free layer
	// excludes its upper edge), depend on the seed alone, and fill it
	// uniformly (KS per axis).
	for _, c := range []struct {
		sp   spec.Spatial
		dims int
	}{
		{spec.Spatial{Pos: []spec.Value{spec.Param("random.uniform(-0.5, 0.5)"), spec.Param("random.uniform(-1, 1)")},
			Extent: []float64{1, 2}, EdgeWrap: true}, 2},
		{spec.Spatial{Pos: []spec.Value{spec.Param("random.uniform(0, 2)"), spec.Param("random.uniform(0, 2)"), spec.Param("random.uniform(0, 2)")},
			Extent: []float64{2, 2, 2}, Center: []float64{1, 1, 1}}, 3},
	} {
		const n = 5000
		a, err := buildLayer(&c.sp, n, 7, 2)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := buildLayer(&c.sp, n, 7, 2)
		o, _ := buildLayer(&c.sp, n, 8, 2)
		if a.Dims != c.dims || fmt.Sprint(a.Pos) != fmt.Sprint(b.Pos) || fmt.Sprint(a.Pos) == fmt.Sprint(o.Pos) {
			t.Errorf("%d dims; same seed same positions %v; other seed other positions %v", a.Dims,
				fmt.Sprint(a.Pos) == fmt.Sprint(b.Pos), fmt.Sprint(a.Pos) != fmt.Sprint(o.Pos))
		}
		for d := 0; d < c.dims; d++ {
			lo, hi := a.Center[d]-a.Extent[d]/2, a.Center[d]+a.Extent[d]/2
			x := make([]float64, n)
			for i, p := range a.Pos {
				x[i] = p[d]
				if p[d] < lo || p[d] >= hi {
					t.Fatalf("neuron %d at %v, outside [%g, %g) along axis %d", i, p, lo, hi, d)
				}
			}
			if _, p := ksTest(x, distuv.Uniform{Min: lo, Max: hi}.CDF); p <= singleAlpha {
				t.Errorf("axis %d: positions not uniform on [%g, %g): KS p = %g", d, lo, hi, p)
			}
		}
	}
	if _, err := buildLayer(&spec.Spatial{Pos: []spec.Value{spec.Param("spatial.distance"), spec.Constant(0)}}, 3, 1, 0); err == nil {
		t.Error("a position depending on positions was accepted")
	}
}

// NEST (free_layer.h) centres a free layer's extent on the middle of its
// positions' bounding box when no centre is given (nest.spatial.free has no
// centre argument), and spec.Spatial says the same; so positions drawn in
// [0, 1) with extent 1 are a valid periodic layer.
func TestFreeLayerExtentCentredOnPositions(t *testing.T) {
	sp := &spec.Spatial{Pos: []spec.Value{spec.Param("random.uniform(0, 1)"), spec.Param("random.uniform(0, 1)")},
		Extent: []float64{1, 1}, EdgeWrap: true}
	l, err := buildLayer(sp, 100, 1, 0)
	if err != nil {
		t.Fatalf("positions in [0, 1)² with extent 1 × 1: %v", err)
	}
	for d := range 2 {
		if l.Center[d] < 0.4 || l.Center[d] > 0.6 {
			t.Errorf("centre %v, want the middle of the positions (about 0.5)", l.Center[:2])
		}
	}
}

// The displacement from a to b is the shortest vector under periodic
// boundaries, per axis, in any extent.
func TestPeriodicDisplacement(t *testing.T) {
	wrap := &Layer{Dims: 2, Extent: [3]float64{2, 1}, EdgeWrap: true}
	open := &Layer{Dims: 2, Extent: [3]float64{2, 1}}
	cube := &Layer{Dims: 3, Extent: [3]float64{1, 1, 1}, EdgeWrap: true}
	for _, c := range []struct {
		l    *Layer
		a, b [3]float64
		want [3]float64
	}{
		{wrap, [3]float64{0.9, 0.45}, [3]float64{-0.9, -0.45}, [3]float64{0.2, 0.1}},
		{wrap, [3]float64{-0.9, -0.45}, [3]float64{0.9, 0.45}, [3]float64{-0.2, -0.1}},
		{wrap, [3]float64{0.1, 0.1}, [3]float64{0.6, -0.2}, [3]float64{0.5, -0.3}},
		{wrap, [3]float64{-0.8, 0}, [3]float64{0.3, 0}, [3]float64{-0.9, 0}},
		{open, [3]float64{0.9, 0.45}, [3]float64{-0.9, -0.45}, [3]float64{-1.8, -0.9}},
		{cube, [3]float64{0.45, -0.45, 0.4}, [3]float64{-0.45, 0.45, -0.4}, [3]float64{0.1, -0.1, 0.2}},
	} {
		got := c.l.disp(c.a, c.b)
		for k := range 3 {
			if math.Abs(got[k]-c.want[k]) > 1e-12 {
				t.Errorf("disp(%v, %v) with extent %v, wrap %v: %v, want %v", c.a, c.b, c.l.Extent, c.l.EdgeWrap, got, c.want)
				break
			}
		}
	}
	// Through a network: all_to_all with weight = spatial.distance on a
	// periodic 7 × 5 grid equals the shortest distance computed from the
	// grid indices.
	for _, wrapped := range []bool{true, false} {
		g := tgrid{7, 5, 0.1, wrapped}
		cn := spec.Connection{Source: "A", Target: "A", Rule: mkRule("all_to_all", true, true),
			Syn: spec.Synapse{Weight: spec.Param("spatial.distance"), Delay: spec.Constant(1)}}
		pr := build(t, 2, spatialNet(1, []spec.Population{g.pop("A")}, cn)).Projections[0]
		for s := 0; s < g.n(); s++ {
			for j := pr.Offsets[s]; j < pr.Offsets[s+1]; j++ {
				d := g.disp(s, int(pr.Targets[j]))
				if want := math.Hypot(d[0], d[1]); math.Abs(float64(pr.Weights[j])-want) > 1e-6 {
					t.Fatalf("wrap %v: distance %d->%d is %g, want %g", wrapped, s, pr.Targets[j], pr.Weights[j], want)
				}
			}
		}
	}
}

func mustMask(t *testing.T, m spec.Mask, dims int) *mask {
	t.Helper()
	mk, err := buildMask(&m, dims)
	if err != nil {
		t.Fatalf("%+v: %v", m, err)
	}
	return mk
}

// Mask membership on hand-made points: boundaries are closed except the
// doughnut's inner circle (NEST: a ball minus a closed ball), anchors move
// the mask, azimuth_angle turns it counterclockwise from x towards y.
func TestMaskMembership(t *testing.T) {
	type pt = [3]float64
	cases := []struct {
		name    string
		m       spec.Mask
		dims    int
		in, out []pt
	}{
		{"circular", spec.Mask{Shape: "circular", Radius: 0.25}, 2,
			[]pt{{0, 0}, {0.25, 0}, {0, -0.25}, {0.15, 0.2}, {-0.17, 0.17}}, []pt{{0.2501, 0}, {0.18, 0.18}, {0, 0.3}}},
		{"circular anchored", spec.Mask{Shape: "circular", Radius: 0.25, Anchor: []float64{0.5, 0}}, 2,
			[]pt{{0.5, 0}, {0.75, 0}, {0.25, 0}, {0.5, 0.25}}, []pt{{0, 0}, {0.2, 0}, {0.5, 0.26}}},
		{"rectangular", spec.Mask{Shape: "rectangular", LowerLeft: []float64{-0.1, -0.2}, UpperRight: []float64{0.3, 0.2}}, 2,
			[]pt{{0, 0}, {-0.1, -0.2}, {0.3, 0.2}, {0.3, -0.2}, {0.2, 0.1}}, []pt{{-0.11, 0}, {0.31, 0}, {0, 0.21}, {0, -0.21}}},
		{"rectangular anchored", spec.Mask{Shape: "rectangular", LowerLeft: []float64{-0.1, -0.1}, UpperRight: []float64{0.1, 0.1}, Anchor: []float64{0, 0.3}}, 2,
			[]pt{{0, 0.3}, {0.09, 0.39}, {-0.09, 0.21}}, []pt{{0, 0}, {0, 0.19}, {0.11, 0.3}}},
		// A box centred on the origin turned by 90°: 0.5 long along y.
		{"rectangular azimuth 90", spec.Mask{Shape: "rectangular", LowerLeft: []float64{-0.25, -0.05}, UpperRight: []float64{0.25, 0.05}, AzimuthAngle: 90}, 2,
			[]pt{{0, 0.24}, {0, -0.24}, {0.04, 0.2}}, []pt{{0.2, 0}, {0.06, 0}, {0, 0.26}}},
		// Turned by 45°: the long axis on the diagonal x = y.
		{"rectangular azimuth 45", spec.Mask{Shape: "rectangular", LowerLeft: []float64{-0.3, -0.05}, UpperRight: []float64{0.3, 0.05}, AzimuthAngle: 45}, 2,
			[]pt{{0.2, 0.2}, {-0.2, -0.2}, {0.03, 0}}, []pt{{0.2, -0.2}, {0.25, 0.15}, {0.3, 0}}},
		{"doughnut", spec.Mask{Shape: "doughnut", InnerRadius: 0.1, OuterRadius: 0.3}, 2,
			[]pt{{0.1001, 0}, {0.3, 0}, {0, -0.2}, {0.15, 0.15}}, []pt{{0, 0}, {0.1, 0}, {0, -0.1}, {0.05, 0.05}, {0.3001, 0}, {0.22, 0.22}}},
		{"doughnut anchored", spec.Mask{Shape: "doughnut", InnerRadius: 0.1, OuterRadius: 0.3, Anchor: []float64{-0.2, 0}}, 2,
			[]pt{{0, 0}, {0.05, 0}, {-0.2, 0.25}}, []pt{{-0.2, 0}, {-0.25, 0}, {0.11, 0}}},
		// Semi-axes 0.2 (x) and 0.1 (y).
		{"elliptical", spec.Mask{Shape: "elliptical", MajorAxis: 0.4, MinorAxis: 0.2}, 2,
			[]pt{{0.2, 0}, {0, 0.1}, {-0.14, 0.07}}, []pt{{0, 0.11}, {0.21, 0}, {0.15, 0.08}}},
		{"elliptical azimuth 90 anchored", spec.Mask{Shape: "elliptical", MajorAxis: 0.4, MinorAxis: 0.2, AzimuthAngle: 90, Anchor: []float64{0.1, 0}}, 2,
			[]pt{{0.1, 0.2}, {0.1, -0.19}, {0.19, 0}}, []pt{{0.3, 0}, {-0.05, 0}, {0.1, 0.21}}},
		{"box", spec.Mask{Shape: "box", LowerLeft: []float64{-0.1, -0.2, -0.3}, UpperRight: []float64{0.1, 0.2, 0.3}}, 3,
			[]pt{{0, 0, 0}, {0.1, 0.2, 0.3}, {-0.1, -0.2, -0.3}}, []pt{{0, 0, 0.31}, {0.11, 0, 0}, {0, -0.21, 0}}},
		{"box azimuth 90", spec.Mask{Shape: "box", LowerLeft: []float64{-0.3, -0.1, -0.1}, UpperRight: []float64{0.3, 0.1, 0.1}, AzimuthAngle: 90}, 3,
			[]pt{{0, 0.29, 0}, {0.09, -0.29, 0.09}}, []pt{{0.29, 0, 0}, {0, 0.29, 0.11}}},
		{"spherical", spec.Mask{Shape: "spherical", Radius: 0.3}, 3,
			[]pt{{0, 0, 0.3}, {0.17, 0.17, 0.17}, {-0.3, 0, 0}}, []pt{{0.18, 0.18, 0.18}, {0, 0, 0.31}}},
		{"spherical anchored", spec.Mask{Shape: "spherical", Radius: 0.1, Anchor: []float64{0, 0, 0.5}}, 3,
			[]pt{{0, 0, 0.5}, {0, 0, 0.6}, {0, 0.1, 0.5}}, []pt{{0, 0, 0}, {0, 0, 0.39}}},
		{"ellipsoidal", spec.Mask{Shape: "ellipsoidal", MajorAxis: 0.6, MinorAxis: 0.4, PolarAxis: 0.2}, 3,
			[]pt{{0.3, 0, 0}, {0, 0.2, 0}, {0, 0, 0.1}}, []pt{{0, 0, 0.11}, {0, 0.21, 0}, {0.31, 0, 0}}},
	}
	for _, c := range cases {
		mk := mustMask(t, c.m, c.dims)
		for _, p := range c.in {
			if !mk.inside(p) {
				t.Errorf("%s: %v should be inside", c.name, p)
			}
		}
		for _, p := range c.out {
			if mk.inside(p) {
				t.Errorf("%s: %v should be outside", c.name, p)
			}
		}
	}
	for _, c := range []struct {
		m    spec.Mask
		dims int
		want string
	}{
		{spec.Mask{Shape: "circular", Radius: 0.2}, 3, "2-dimensional"},
		{spec.Mask{Shape: "box", LowerLeft: []float64{0, 0, 0}, UpperRight: []float64{1, 1, 1}}, 2, "3-dimensional"},
		{spec.Mask{Shape: "circular"}, 2, "radius must be > 0"},
		{spec.Mask{Shape: "doughnut", InnerRadius: 0.3, OuterRadius: 0.2}, 2, "inner_radius < outer_radius"},
		{spec.Mask{Shape: "rectangular", LowerLeft: []float64{0, 0}, UpperRight: []float64{0, 1}}, 2, "lower_left must be below"},
		{spec.Mask{Shape: "rectangular", LowerLeft: []float64{0}, UpperRight: []float64{1, 1}}, 2, "need 2 values"},
		{spec.Mask{Shape: "elliptical", MajorAxis: 0.1, MinorAxis: 0.2}, 2, "major_axis >= minor_axis"},
		{spec.Mask{Shape: "circular", Radius: 0.1, Anchor: []float64{0, 0, 0}}, 2, "anchor has 3 values"},
		{spec.Mask{Shape: "grid"}, 2, "unknown mask"},
	} {
		if _, err := buildMask(&c.m, c.dims); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v in %d-D: error %v, want %q", c.m, c.dims, err, c.want)
		}
	}
}

// NEST rotates a rectangular or box mask about the box's own centre
// ((lower_left + upper_right)/2, mask_impl.h BoxMask::inside), not about the
// driver; and the polar angle tilts boxes and ellipsoids about the y axis
// (R_y(-polar)·R_z(-azimuth)), not the x axis.
func TestMaskRotationAsNEST(t *testing.T) {
	type pt = [3]float64
	cases := []struct {
		name    string
		m       spec.Mask
		dims    int
		in, out []pt
	}{
		// [0, 0.4] × [-0.05, 0.05] turned by 90° about (0.2, 0) covers
		// [0.15, 0.25] × [-0.2, 0.2].
		{"off-centre rectangle", spec.Mask{Shape: "rectangular", LowerLeft: []float64{0, -0.05}, UpperRight: []float64{0.4, 0.05}, AzimuthAngle: 90}, 2,
			[]pt{{0.2, 0.15}, {0.2, -0.15}, {0.16, 0}}, []pt{{0, 0.3}, {0.02, 0.1}, {0.4, 0}}},
		// A box long along x tilted by polar 90° about y is long along z.
		{"box polar 90", spec.Mask{Shape: "box", LowerLeft: []float64{-0.3, -0.05, -0.05}, UpperRight: []float64{0.3, 0.05, 0.05}, PolarAngle: 90}, 3,
			[]pt{{0, 0, 0.25}, {0, 0, -0.25}}, []pt{{0.25, 0, 0}, {0, 0.25, 0}}},
		{"ellipsoid polar 90", spec.Mask{Shape: "ellipsoidal", MajorAxis: 0.6, MinorAxis: 0.1, PolarAxis: 0.1, PolarAngle: 90}, 3,
			[]pt{{0, 0, 0.25}}, []pt{{0.25, 0, 0}, {0, 0.25, 0}}},
	}
	for _, c := range cases {
		mk := mustMask(t, c.m, c.dims)
		for _, p := range c.in {
			if !mk.inside(p) {
				t.Errorf("%s: %v should be inside", c.name, p)
			}
		}
		for _, p := range c.out {
			if mk.inside(p) {
				t.Errorf("%s: %v should be outside", c.name, p)
			}
		}
	}
}

// maskCase is a mask with the test's own membership predicate on the
// displacement in cells of an 11 × 11 grid of cell side 0.1 (no point of the
// grid is within 1e-3 of a boundary, so rounding cannot flip one).
type maskCase struct {
	name string
	m    spec.Mask
	in   func(dx, dy int) bool
}

var gridMasks = []maskCase{
	{"circular", spec.Mask{Shape: "circular", Radius: 0.25}, func(dx, dy int) bool { return dx*dx+dy*dy <= 6 }},
	{"circular anchored", spec.Mask{Shape: "circular", Radius: 0.25, Anchor: []float64{0.2, 0}},
		func(dx, dy int) bool { return (dx-2)*(dx-2)+dy*dy <= 6 }},
	{"rectangular off-centre", spec.Mask{Shape: "rectangular", LowerLeft: []float64{0.05, -0.05}, UpperRight: []float64{0.25, 0.15}},
		func(dx, dy int) bool { return dx >= 1 && dx <= 2 && dy >= 0 && dy <= 1 }},
	{"rectangular azimuth 90", spec.Mask{Shape: "rectangular", LowerLeft: []float64{-0.25, -0.05}, UpperRight: []float64{0.25, 0.05}, AzimuthAngle: 90},
		func(dx, dy int) bool { return dx == 0 && dy >= -2 && dy <= 2 }},
	{"doughnut", spec.Mask{Shape: "doughnut", InnerRadius: 0.15, OuterRadius: 0.32},
		func(dx, dy int) bool { r := dx*dx + dy*dy; return r > 2 && r <= 10 }},
	// Semi-axes 0.3 and 0.15 turned by 45°: ((dx+dy)² + 4(dy-dx)²)/18 <= 1.
	{"elliptical azimuth 45", spec.Mask{Shape: "elliptical", MajorAxis: 0.6, MinorAxis: 0.3, AzimuthAngle: 45},
		func(dx, dy int) bool { return (dx+dy)*(dx+dy)+4*(dy-dx)*(dy-dx) <= 18 }},
}

// With p = 1 a masked rule connects exactly the pairs whose displacement
// from the driver to the pool neuron is inside the mask: source → target
// for pairwise_bernoulli, pairwise_poisson, all_to_all and fixed_outdegree,
// target → source for pairwise_bernoulli with use_on_source and for
// fixed_indegree (reference 3.3, driver and pool).
func TestMaskedConnections(t *testing.T) {
	for _, mc := range gridMasks {
		for _, c := range []struct {
			rule     spec.Rule
			fromTgt  bool // the driver is the target
			autapses bool
			wrap     bool
		}{
			{mkRule("pairwise_bernoulli", true, true, "p", 1.0), false, true, true},
			{mkRule("pairwise_bernoulli", false, true, "p", 1.0), false, false, false},
			{func() spec.Rule {
				r := mkRule("pairwise_bernoulli", true, true, "p", 1.0)
				r.UseOnSource = true
				return r
			}(), true, true, true},
			{mkRule("all_to_all", false, true), false, false, true},
			{mkRule("pairwise_poisson", true, true, "pairwise_avg_num_conns", 50.0), false, true, true},
		} {
			t.Run(fmt.Sprintf("%s %s use_on_source=%v autapses=%v wrap=%v", mc.name, c.rule.Name, c.rule.UseOnSource, c.autapses, c.wrap), func(t *testing.T) {
				g := tgrid{11, 11, 0.1, c.wrap}
				cn := spec.Connection{Source: "A", Target: "A", Rule: c.rule, Mask: &mc.m,
					Syn: spec.Synapse{Weight: spec.Constant(1), Delay: spec.Constant(1)}}
				pr := build(t, 2, spatialNet(1, []spec.Population{g.pop("A")}, cn)).Projections[0]
				checkCSR(t, pr, g.n(), g.n())
				got := multiplicity(pr)
				for s := 0; s < g.n(); s++ {
					for tg := 0; tg < g.n(); tg++ {
						a, b := s, tg
						if c.fromTgt {
							a, b = tg, s
						}
						dx, dy := g.steps(a, b)
						want := mc.in(dx, dy) && (s != tg || c.autapses)
						// pairwise_poisson with mean 50 misses a pair
						// with probability e^-50.
						if (got[synEdge{uint32(s), uint32(tg)}] > 0) != want {
							t.Fatalf("pair %d->%d (driver→pool %d, %d cells): connected %v, want %v",
								s, tg, dx, dy, got[synEdge{uint32(s), uint32(tg)}] > 0, want)
						}
					}
				}
			})
		}
	}
}

func iabs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// fixed_indegree and fixed_outdegree with a mask draw only inside it,
// uniformly over the candidates (or in proportion to a spatial p), with
// the degree exactly K. The cells the synapses fall on form a multinomial
// (multapses: independent draws) with C - 1 degrees of freedom over the C
// cells; without multapses each driver takes a uniform K-subset of the C
// cells, whose covariance is the multinomial's times (C-K)/(C-1), so the
// Pearson statistic is divided by that factor.
func TestFixedDegreeInsideMask(t *testing.T) {
	g := tgrid{11, 11, 0.1, true}
	circle := gridMasks[0] // 21 cells, 20 without the driver itself
	off := gridMasks[2]    // 4 cells, none the driver
	gauss := func(dx, dy int) float64 { return math.Exp(-float64(dx*dx+dy*dy) * 0.01 / (2 * 0.1 * 0.1)) }
	for _, c := range []struct {
		name   string
		rule   spec.Rule
		mc     maskCase
		weight func(dx, dy int) float64 // relative probability of a cell
	}{
		{"fixed_indegree", mkRule("fixed_indegree", false, true, "indegree", 10), circle, nil},
		{"fixed_outdegree", mkRule("fixed_outdegree", false, true, "outdegree", 12), circle, nil},
		{"fixed_indegree no multapses", mkRule("fixed_indegree", false, false, "indegree", 10), circle, nil},
		{"fixed_outdegree no multapses", mkRule("fixed_outdegree", false, false, "outdegree", 15), circle, nil},
		{"fixed_indegree gaussian p", mkRule("fixed_indegree", false, true, "indegree", 10,
			"p", "spatial_distributions.gaussian(spatial.distance, 0, 0.1)"), circle, gauss},
		{"fixed_outdegree off-centre", mkRule("fixed_outdegree", true, true, "outdegree", 6), off, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := c.rule.Name == "fixed_indegree"
			k := int(c.rule.Params[map[bool]string{true: "indegree", false: "outdegree"}[in]].Const)
			var cells [][2]int
			for dx := -5; dx <= 5; dx++ {
				for dy := -5; dy <= 5; dy++ {
					if c.mc.in(dx, dy) && (dx != 0 || dy != 0 || c.rule.AllowAutapses) {
						cells = append(cells, [2]int{dx, dy})
					}
				}
			}
			index := map[[2]int]int{}
			weight := make([]float64, len(cells))
			total := 0.0
			for i, x := range cells {
				index[x] = i
				weight[i] = 1
				if c.weight != nil {
					weight[i] = c.weight(x[0], x[1])
				}
				total += weight[i]
			}
			scale := 1.0
			if !c.rule.AllowMultapses {
				scale = float64(len(cells)-k) / float64(len(cells)-1)
			}
			twoLevel(t, c.name+" cells", func(seed uint32) float64 {
				cn := spec.Connection{Source: "A", Target: "A", Rule: c.rule, Mask: &c.mc.m,
					Syn: spec.Synapse{Weight: spec.Constant(1), Delay: spec.Constant(1)}}
				pr := build(t, 2, spatialNet(seed, []spec.Population{g.pop("A")}, cn)).Projections[0]
				checkCSR(t, pr, g.n(), g.n())
				ind, outd := degrees(pr, g.n())
				if in {
					wantDegrees(t, "in-degree", ind, k)
				} else {
					wantDegrees(t, "out-degree", outd, k)
				}
				if !c.rule.AllowMultapses {
					noMultapses(t, pr)
				}
				obs := make([]float64, len(cells))
				for s := 0; s < g.n(); s++ {
					for _, tg := range pr.Targets[pr.Offsets[s]:pr.Offsets[s+1]] {
						a, b := s, int(tg)
						if in {
							a, b = b, a
						}
						dx, dy := g.steps(a, b)
						i, ok := index[[2]int{dx, dy}]
						if !ok {
							t.Fatalf("synapse %d->%d: the pool neuron is %d, %d cells from the driver, outside the mask", s, tg, dx, dy)
						}
						obs[i]++
					}
				}
				chi2 := 0.0
				for i := range cells {
					e := float64(g.n()*k) * weight[i] / total
					if e < 5 {
						t.Fatalf("cell %v expects %g synapses: too few for the chi-squared", cells[i], e)
					}
					chi2 += (obs[i] - e) * (obs[i] - e) / e
				}
				return distuv.ChiSquared{K: float64(len(cells) - 1)}.Survival(chi2 / scale)
			})
		})
	}
}

// pairwise_bernoulli with p a function of spatial.distance on a large
// periodic grid: the synapses per distance bin match Σ p(d) over the pairs
// of the bin (each bin within 4.5 binomial standard deviations: a
// Bonferroni bound for the ~120 bins of the four profiles at a family level
// of 1e-3), and a chi-squared over all bins has p > singleAlpha.
func TestDistanceProfiles(t *testing.T) {
	n := 41
	if testing.Short() {
		n = 25
	}
	g := tgrid{n, n, 1 / float64(n), true}
	const bin = 0.025
	for _, c := range []struct {
		name, expr string
		p          func(d float64) float64
	}{
		{"gaussian", "spatial_distributions.gaussian(spatial.distance, 0, 0.15)", func(d float64) float64 { return math.Exp(-d * d / (2 * 0.15 * 0.15)) }},
		{"exponential", "spatial_distributions.exponential(spatial.distance, 0.1)", func(d float64) float64 { return math.Exp(-d / 0.1) }},
		{"linear", "max(1 - 2.5*spatial.distance, 0)", func(d float64) float64 { return math.Max(1-2.5*d, 0) }},
		// The step lies 2e-4 or more from every distance of both grids.
		{"step", "logic.conditional(spatial.distance < 0.21, 0.6, 0.05)", func(d float64) float64 {
			if d < 0.21 {
				return 0.6
			}
			return 0.05
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cn := spec.Connection{Source: "A", Target: "A", Rule: mkRule("pairwise_bernoulli", true, true, "p", c.expr),
				Syn: spec.Synapse{Weight: spec.Constant(1), Delay: spec.Constant(1)}}
			pr := build(t, 2, spatialNet(3, []spec.Population{g.pop("A")}, cn)).Projections[0]
			checkCSR(t, pr, g.n(), g.n())
			noMultapses(t, pr)
			nb := int(math.Sqrt(0.5)/bin) + 1
			mean, variance, obs := make([]float64, nb), make([]float64, nb), make([]float64, nb)
			// Every neuron has one partner at each offset of the
			// periodic grid: a bin holds n² pairs per offset in it.
			for dx := -(n / 2); dx <= n/2; dx++ {
				for dy := -(n / 2); dy <= n/2; dy++ {
					d := math.Hypot(float64(dx), float64(dy)) * g.h
					p := c.p(d)
					b := int(d / bin)
					mean[b] += float64(g.n()) * p
					variance[b] += float64(g.n()) * p * (1 - p)
				}
			}
			for s := 0; s < g.n(); s++ {
				for _, tg := range pr.Targets[pr.Offsets[s]:pr.Offsets[s+1]] {
					dx, dy := g.steps(s, int(tg))
					obs[int(math.Hypot(float64(dx), float64(dy))*g.h/bin)]++
				}
			}
			chi2, dof := 0.0, 0
			for b := range nb {
				if variance[b] == 0 {
					if obs[b] != mean[b] {
						t.Errorf("d in [%.3f, %.3f): %g synapses, want exactly %g", float64(b)*bin, float64(b+1)*bin, obs[b], mean[b])
					}
					continue
				}
				z := (obs[b] - mean[b]) / math.Sqrt(variance[b])
				if math.Abs(z) > 4.5 {
					t.Errorf("d in [%.3f, %.3f): %g synapses, want %.1f ± %.1f (z = %.2f)", float64(b)*bin, float64(b+1)*bin, obs[b], mean[b], math.Sqrt(variance[b]), z)
				}
				if variance[b] >= 5 { // the normal approximation of the bin holds
					chi2 += z * z
					dof++
				}
			}
			if p := (distuv.ChiSquared{K: float64(dof)}).Survival(chi2); p <= singleAlpha {
				t.Errorf("chi-squared over %d bins: %.1f, p = %g", dof, chi2, p)
			} else if testing.Verbose() {
				t.Logf("chi-squared over %d bins: %.1f, p = %.3g", dof, chi2, p)
			}
		})
	}
}

// Distance-dependent weights and delays equal their expression of the
// pair's distance, for every rule's orientation and after the rows are
// sorted (fixed_outdegree): each synapse keeps its own values.
// spatial.source_pos and spatial.target_pos are the source's and the
// target's, whichever end drives.
func TestSpatialWeightsAndDelays(t *testing.T) {
	g := tgrid{11, 9, 0.1, true}
	onSource := mkRule("pairwise_bernoulli", true, true, "p", 0.3)
	onSource.UseOnSource = true
	for _, r := range []spec.Rule{
		mkRule("fixed_outdegree", true, true, "outdegree", 15),
		mkRule("fixed_indegree", true, true, "indegree", 15),
		mkRule("pairwise_bernoulli", true, true, "p", 0.3),
		onSource,
		mkRule("fixed_total_number", true, true, "N", 1000),
		mkRule("all_to_all", false, true),
	} {
		t.Run(fmt.Sprintf("%s use_on_source=%v", r.Name, r.UseOnSource), func(t *testing.T) {
			for _, c := range []struct {
				weight, delay string
				w             func(s, t int) float64
				d             func(s, t int) float64 // ms
			}{
				{"0.5 + 2*spatial.distance", "1 + 10*spatial.distance",
					func(s, tg int) float64 { d := g.disp(s, tg); return 0.5 + 2*math.Hypot(d[0], d[1]) },
					func(s, tg int) float64 { d := g.disp(s, tg); return 1 + 10*math.Hypot(d[0], d[1]) }},
				{"spatial.source_pos.x + 10*spatial.target_pos.y", "2 + spatial.source_pos.y",
					func(s, tg int) float64 { return g.pos(s)[0] + 10*g.pos(tg)[1] },
					func(s, tg int) float64 { return 2 + g.pos(s)[1] }},
			} {
				cn := spec.Connection{Source: "A", Target: "A", Rule: r,
					Syn: spec.Synapse{Weight: spec.Param(c.weight), Delay: spec.Param(c.delay)}}
				pr := build(t, 2, spatialNet(2, []spec.Population{g.pop("A")}, cn)).Projections[0]
				checkCSR(t, pr, g.n(), g.n())
				if pr.Synapses() == 0 || pr.Weights == nil || pr.Delays == nil {
					t.Fatalf("%d synapses, weights %v, delays %v", pr.Synapses(), pr.Weights != nil, pr.Delays != nil)
				}
				for s := 0; s < g.n(); s++ {
					for j := pr.Offsets[s]; j < pr.Offsets[s+1]; j++ {
						tg := int(pr.Targets[j])
						if w := c.w(s, tg); math.Abs(float64(pr.Weights[j])-w) > 1e-5*math.Max(1, math.Abs(w)) {
							t.Fatalf("%s: synapse %d->%d has weight %g, want %g", c.weight, s, tg, pr.Weights[j], w)
						}
						steps := c.d(s, tg) / 0.1
						if math.Abs(steps-math.Floor(steps)-0.5) < 1e-6 {
							continue // a tie that rounding may break either way
						}
						if int(pr.Delays[j]) != int(math.Round(steps)) {
							t.Fatalf("%s: synapse %d->%d has delay %d steps, want round(%g)", c.delay, s, tg, pr.Delays[j], steps)
						}
					}
				}
			}
		})
	}
}

// NEST's spatial.distance.x, .y, .z are the absolute displacements along
// each axis (parameter.cpp, SpatialDistanceParameter::value: std::abs of
// compute_displacement), so that gaussian2D(spatial.distance.x,
// spatial.distance.y, ...) is symmetric.
func TestDistanceComponentsAreAbsolute(t *testing.T) {
	g := tgrid{5, 5, 0.1, false}
	cn := spec.Connection{Source: "A", Target: "A", Rule: mkRule("all_to_all", true, true),
		Syn: spec.Synapse{Weight: spec.Param("spatial.distance.x + 10*spatial.distance.y"), Delay: spec.Constant(1)}}
	pr := build(t, 2, spatialNet(1, []spec.Population{g.pop("A")}, cn)).Projections[0]
	for s := 0; s < g.n(); s++ {
		for j := pr.Offsets[s]; j < pr.Offsets[s+1]; j++ {
			d := g.disp(s, int(pr.Targets[j]))
			if want := math.Abs(d[0]) + 10*math.Abs(d[1]); math.Abs(float64(pr.Weights[j])-want) > 1e-5 {
				t.Fatalf("synapse %d->%d: |dx| + 10|dy| is %g, want %g (displacement %v)", s, pr.Targets[j], pr.Weights[j], want, d)
			}
		}
	}
}

// 3-D: a spherical and a box mask on a periodic 5 × 5 × 5 grid connect
// exactly the pairs inside, and positions follow NEST's numbering.
func TestSpatial3D(t *testing.T) {
	const n, h = 5, 0.2
	sp := &spec.Spatial{Shape: []int{n, n, n}, Extent: []float64{1, 1, 1}, EdgeWrap: true}
	cell := func(i int) [3]int { return [3]int{i / (n * n), (i / n) % n, i % n} }
	for _, c := range []struct {
		m  spec.Mask
		in func(d [3]int) bool
	}{
		{spec.Mask{Shape: "spherical", Radius: 0.3}, func(d [3]int) bool { return d[0]*d[0]+d[1]*d[1]+d[2]*d[2] <= 2 }},
		{spec.Mask{Shape: "box", LowerLeft: []float64{-0.1, -0.3, 0.1}, UpperRight: []float64{0.1, 0.3, 0.3}},
			func(d [3]int) bool { return d[0] == 0 && iabs(d[1]) <= 1 && d[2] == 1 }},
	} {
		cn := spec.Connection{Source: "A", Target: "A", Rule: mkRule("pairwise_bernoulli", true, true, "p", 1.0), Mask: &c.m,
			Syn: spec.Synapse{Weight: spec.Constant(1), Delay: spec.Constant(1)}}
		net := build(t, 2, spatialNet(1, []spec.Population{{Name: "A", Model: "iaf_psc_delta", N: n * n * n, Spatial: sp}}, cn))
		pr := net.Projections[0]
		got := multiplicity(pr)
		for s := 0; s < n*n*n; s++ {
			for tg := 0; tg < n*n*n; tg++ {
				a, b := cell(s), cell(tg)
				// y counts rows from the top: up is -1 in the index.
				d := [3]int{wrapInt(b[0]-a[0], n), wrapInt(-(b[1] - a[1]), n), wrapInt(b[2]-a[2], n)}
				if (got[synEdge{uint32(s), uint32(tg)}] > 0) != c.in(d) {
					t.Fatalf("%s: pair %d->%d (%v cells): connected %v", c.m.Shape, s, tg, d, got[synEdge{uint32(s), uint32(tg)}] > 0)
				}
			}
		}
	}
}

// Spatial requests NEST refuses, and masks that would be silently lost.
// (Masks larger than a periodic layer are refused by package configs, which
// knows allow_oversized_mask's geometry, not here.)
func TestSpatialErrors(t *testing.T) {
	g := tgrid{5, 5, 0.1, true}
	plain := spec.Population{Name: "P", Model: "iaf_psc_delta", N: 25}
	g3 := spec.Population{Name: "C", Model: "iaf_psc_delta", N: 27, Spatial: &spec.Spatial{Shape: []int{3, 3, 3}}}
	circle := spec.Mask{Shape: "circular", Radius: 0.2}
	for _, c := range []struct {
		name string
		src  string
		tgt  string
		rule spec.Rule
		mask *spec.Mask
		w    spec.Value
		want string
	}{
		{"mask without positions", "P", "A", mkRule("pairwise_bernoulli", true, true, "p", 0.5), &circle, spec.Constant(1), "spatial populations"},
		{"spatial weight without positions", "P", "A", mkRule("all_to_all", true, true), nil, spec.Param("spatial.distance"), "spatial populations"},
		{"spatial p without positions", "P", "A", mkRule("pairwise_bernoulli", true, true, "p", "spatial.distance"), nil, spec.Constant(1), "spatial populations"},
		{"2-D to 3-D", "A", "C", mkRule("pairwise_bernoulli", true, true, "p", "spatial.distance"), nil, spec.Constant(1), "dimensions"},
		{"circular mask on 3-D", "C", "C", mkRule("pairwise_bernoulli", true, true, "p", 0.5), &circle, spec.Constant(1), "2-dimensional"},
		// NEST applies masks with pairwise_bernoulli, fixed_indegree and
		// fixed_outdegree only (nest.Connect raises for the others); here
		// the rules below ignore a mask without a word.
		{"mask with one_to_one", "A", "A", mkRule("one_to_one", true, true), &circle, spec.Constant(1), "mask"},
		{"mask with fixed_total_number", "A", "A", mkRule("fixed_total_number", true, true, "N", 10), &circle, spec.Constant(1), "mask"},
		{"mask with symmetric_pairwise_bernoulli", "A", "A", symRule(0.3), &circle, spec.Constant(1), "mask"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cn := spec.Connection{Source: c.src, Target: c.tgt, Rule: c.rule, Mask: c.mask,
				Syn: spec.Synapse{Weight: c.w, Delay: spec.Constant(1)}}
			_, err := Build([]spec.Network{spatialNet(1, []spec.Population{g.pop("A"), plain, g3}, cn)}, []int{0}, 2)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// A spatial degree is evaluated at the driver: fixed_indegree's at the
// target, fixed_outdegree's at the source (both positions of the pair are
// the driver's).
func TestSpatialDegrees(t *testing.T) {
	g := tgrid{9, 7, 0.1, true}
	for _, c := range []struct {
		rule string
		key  string
	}{{"fixed_indegree", "indegree"}, {"fixed_outdegree", "outdegree"}} {
		r := mkRule(c.rule, true, true, c.key, "round(20*(spatial.target_pos.x + 0.45)) + spatial.source_pos.y*0")
		cn := spec.Connection{Source: "A", Target: "A", Rule: r, Syn: spec.Synapse{Weight: spec.Constant(1), Delay: spec.Constant(1)}}
		pr := build(t, 2, spatialNet(1, []spec.Population{g.pop("A")}, cn)).Projections[0]
		in, out := degrees(pr, g.n())
		deg := in
		if c.rule == "fixed_outdegree" {
			deg = out
		}
		for i, d := range deg {
			if want := int(math.Round(20 * (g.pos(i)[0] + 0.45))); d != want {
				t.Fatalf("%s: neuron %d at %v has degree %d, want %d", c.rule, i, g.pos(i), d, want)
			}
		}
	}
}
