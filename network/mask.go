package network

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/spec"
)

// mask is a NEST mask as a test on the displacement from the driver neuron
// to a pool neuron.
type mask struct {
	inside func(d [3]float64) bool
	reach  float64 // no displacement longer than this is inside
}

// buildMask turns a mask spec into its test, for layers of dims dimensions.
func buildMask(m *spec.Mask, dims int) (*mask, error) {
	want := map[string]int{"rectangular": 2, "circular": 2, "doughnut": 2, "elliptical": 2, "box": 3, "spherical": 3, "ellipsoidal": 3}
	md, ok := want[m.Shape]
	if !ok {
		return nil, fmt.Errorf("unknown mask %q", m.Shape)
	}
	if md != dims {
		return nil, fmt.Errorf("a %s mask is %d-dimensional, the layers are %d-dimensional", m.Shape, md, dims)
	}
	var anchor [3]float64
	if m.Anchor != nil {
		if len(m.Anchor) != dims {
			return nil, fmt.Errorf("anchor has %d values for %d dimensions", len(m.Anchor), dims)
		}
		copy(anchor[:], m.Anchor)
	}
	rot := rotation(m.AzimuthAngle, m.PolarAngle)
	anchorLen := norm(anchor)
	local := func(d [3]float64) [3]float64 { // into the mask's own frame
		for k := range d {
			d[k] -= anchor[k]
		}
		return rot(d)
	}
	switch m.Shape {
	case "circular", "spherical":
		if !(m.Radius > 0) {
			return nil, fmt.Errorf("%s mask: radius must be > 0", m.Shape)
		}
		r2 := m.Radius * m.Radius
		return &mask{inside: func(d [3]float64) bool {
			d = local(d)
			return d[0]*d[0]+d[1]*d[1]+d[2]*d[2] <= r2
		}, reach: anchorLen + m.Radius}, nil
	case "doughnut":
		if !(m.InnerRadius >= 0 && m.OuterRadius > m.InnerRadius) {
			return nil, fmt.Errorf("doughnut mask: need 0 <= inner_radius < outer_radius")
		}
		in2, out2 := m.InnerRadius*m.InnerRadius, m.OuterRadius*m.OuterRadius
		return &mask{inside: func(d [3]float64) bool {
			d = local(d)
			r2 := d[0]*d[0] + d[1]*d[1]
			return r2 > in2 && r2 <= out2
		}, reach: anchorLen + m.OuterRadius}, nil
	case "rectangular", "box":
		if len(m.LowerLeft) != dims || len(m.UpperRight) != dims {
			return nil, fmt.Errorf("%s mask: lower_left and upper_right need %d values", m.Shape, dims)
		}
		var lo, hi [3]float64
		for k := 0; k < dims; k++ {
			lo[k], hi[k] = m.LowerLeft[k], m.UpperRight[k]
			if !(lo[k] < hi[k]) {
				return nil, fmt.Errorf("%s mask: lower_left must be below upper_right in every dimension", m.Shape)
			}
		}
		// NEST turns a box about its own centre, with a margin of 1e-12
		// for the rounding of the rotation.
		var c [3]float64
		eps := 0.0
		if m.AzimuthAngle != 0 || m.PolarAngle != 0 {
			eps = 1e-12
			for k := 0; k < dims; k++ {
				c[k] = (lo[k] + hi[k]) / 2
			}
		}
		return &mask{inside: func(d [3]float64) bool {
			for k := range d {
				d[k] -= anchor[k] + c[k]
			}
			d = rot(d)
			for k := 0; k < dims; k++ {
				if d[k]+c[k] < lo[k]-eps || d[k]+c[k] > hi[k]+eps {
					return false
				}
			}
			return true
		}, reach: anchorLen + boxReach(lo, hi) + eps}, nil
	case "elliptical", "ellipsoidal":
		a, b, c := m.MajorAxis/2, m.MinorAxis/2, m.PolarAxis/2
		if !(a > 0 && b > 0 && a >= b) || dims == 3 && !(c > 0) {
			return nil, fmt.Errorf("%s mask: need major_axis >= minor_axis > 0 (and polar_axis > 0 in 3-D)", m.Shape)
		}
		if dims == 2 {
			c = 1
		}
		return &mask{inside: func(d [3]float64) bool {
			d = local(d)
			return d[0]*d[0]/(a*a)+d[1]*d[1]/(b*b)+d[2]*d[2]/(c*c) <= 1
		}, reach: anchorLen + math.Max(a, math.Max(b, c))}, nil
	}
	return nil, fmt.Errorf("unknown mask %q", m.Shape)
}

// rotation returns the map of a displacement into the frame of a mask
// rotated by azimuth (degrees, from x towards y, about z) and then by polar
// (degrees, from z towards x, about y): R_y(-polar)·R_z(-azimuth), as NEST.
// boxReach bounds the distance from the origin of the box [lo, hi] turned
// about its centre: the centre's distance plus the half diagonal.
func boxReach(lo, hi [3]float64) float64 {
	var c, h [3]float64
	for k := range c {
		c[k], h[k] = (lo[k]+hi[k])/2, (hi[k]-lo[k])/2
	}
	return norm(c) + norm(h)
}

func norm(d [3]float64) float64 { return math.Sqrt(d[0]*d[0] + d[1]*d[1] + d[2]*d[2]) }

func rotation(azimuth, polar float64) func([3]float64) [3]float64 {
	if azimuth == 0 && polar == 0 {
		return func(d [3]float64) [3]float64 { return d }
	}
	ca, sa := math.Cos(azimuth*math.Pi/180), math.Sin(azimuth*math.Pi/180)
	cp, spol := math.Cos(polar*math.Pi/180), math.Sin(polar*math.Pi/180)
	return func(d [3]float64) [3]float64 {
		x := ca*d[0] + sa*d[1]
		y := -sa*d[0] + ca*d[1]
		z := d[2]
		return [3]float64{cp*x - spol*z, y, spol*x + cp*z}
	}
}
