package network

import (
	"math"
	"slices"
	"testing"

	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/spec"
)

// An index may return extra neurons but must return, in ascending order,
// every neuron within reach of the centre (periodic displacement where the
// layer wraps): rules then draw exactly as a full scan would.
func TestCellIndexFindsEveryNeuronInReach(t *testing.T) {
	st := rng.NewStream(rng.NewKey(9, 0), rng.PurposePosition, 0, 0, 0)
	for _, c := range []struct {
		dims  int
		wrap  bool
		reach float64
	}{{2, false, 0.05}, {2, true, 0.05}, {2, true, 0.3}, {3, false, 0.1}, {3, true, 0.12}, {2, true, 0.7}} {
		l := &Layer{Dims: c.dims, EdgeWrap: c.wrap, Pos: make([][3]float64, 3000)}
		for d := 0; d < c.dims; d++ {
			l.Extent[d], l.Center[d] = 2, 0.5
		}
		for i := range l.Pos {
			for d := 0; d < c.dims; d++ {
				l.Pos[i][d] = -0.5 + 2*st.Float64()
			}
		}
		ix := newCellIndex(l.Pos, l, l, c.reach)
		if ix == nil {
			if c.reach < 0.5 {
				t.Fatalf("%+v: no index", c)
			}
			continue
		}
		for k := 0; k < 200; k++ {
			var center [3]float64
			for d := 0; d < c.dims; d++ {
				center[d] = -0.6 + 2.2*st.Float64() // also just outside the layer
			}
			got := ix.near(center, c.reach, nil)
			if !slices.IsSorted(got) {
				t.Fatalf("%+v: candidates not ascending", c)
			}
			for q, p := range l.Pos {
				d := l.disp(center, p)
				if math.Sqrt(d[0]*d[0]+d[1]*d[1]+d[2]*d[2]) <= c.reach {
					if _, found := slices.BinarySearch(got, uint32(q)); !found {
						t.Fatalf("%+v: neuron %d at %v is within %g of %v but not a candidate", c, q, p, c.reach, center)
					}
				}
			}
		}
	}
}

// A mask's reach bounds every displacement it accepts (the index relies on
// it), for every shape, anchored and turned.
func TestMaskReachBoundsTheMask(t *testing.T) {
	st := rng.NewStream(rng.NewKey(10, 0), rng.PurposePosition, 0, 0, 0)
	masks := []struct {
		m    spec.Mask
		dims int
	}{
		{spec.Mask{Shape: "circular", Radius: 0.3, Anchor: []float64{0.2, -0.1}}, 2},
		{spec.Mask{Shape: "doughnut", InnerRadius: 0.1, OuterRadius: 0.4}, 2},
		{spec.Mask{Shape: "rectangular", LowerLeft: []float64{0, -0.05}, UpperRight: []float64{0.4, 0.05}, AzimuthAngle: 35, Anchor: []float64{0.1, 0.1}}, 2},
		{spec.Mask{Shape: "rectangular", LowerLeft: []float64{0.2, 0.1}, UpperRight: []float64{0.5, 0.3}}, 2},
		{spec.Mask{Shape: "elliptical", MajorAxis: 0.8, MinorAxis: 0.2, AzimuthAngle: 60}, 2},
		{spec.Mask{Shape: "box", LowerLeft: []float64{-0.1, 0, 0.2}, UpperRight: []float64{0.3, 0.2, 0.5}, AzimuthAngle: 20, PolarAngle: 40}, 3},
		{spec.Mask{Shape: "spherical", Radius: 0.25}, 3},
		{spec.Mask{Shape: "ellipsoidal", MajorAxis: 0.6, MinorAxis: 0.3, PolarAxis: 0.4, AzimuthAngle: 10, PolarAngle: 80}, 3},
	}
	for _, c := range masks {
		mk, err := buildMask(&c.m, c.dims)
		if err != nil {
			t.Fatal(err)
		}
		inside := 0
		for k := 0; k < 100000; k++ {
			var d [3]float64
			for i := 0; i < c.dims; i++ {
				d[i] = -1 + 2*st.Float64()
			}
			if mk.inside(d) {
				inside++
				if norm(d) > mk.reach {
					t.Fatalf("%s: %v is inside at distance %g > reach %g", c.m.Shape, d, norm(d), mk.reach)
				}
			}
		}
		if inside == 0 {
			t.Fatalf("%s: no sample inside: the test tells nothing", c.m.Shape)
		}
	}
}
