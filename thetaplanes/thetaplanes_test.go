package thetaplanes

import (
	"math"
	"testing"
)

// grid returns the rates of m on the 25 × 25 grid of the ThetaPlanes
// protocol (0-960 pA in 40-pA steps).
func grid(m Map) []Point {
	var pts []Point
	for i := range 25 {
		for j := range 25 {
			is, id := 40*float64(i), 40*float64(j)
			pts = append(pts, Point{is, id, m.Rate(is, id)})
		}
	}
	return pts
}

// A map of known planes is found again: its planes to rounding, its
// error 0.
func TestFitRecoversKnownMaps(t *testing.T) {
	cases := []struct {
		name string
		m    Map
	}{
		{"one plane with a threshold", Map{Planes: []Plane{{-20, 0.1, 0.02}}}},
		{"no distal slope", Map{Planes: []Plane{{-15, 0.05, 0}}}},
		{"a calcium jump (the wake map's shape)", Map{Planes: []Plane{{-2.5, 0.05, 0.03}, {29, 0.045, 0.005}},
			Line: &Line{math.Cos(0.27), math.Sin(0.27), 530}}},
	}
	for _, c := range cases {
		pts := grid(c.m)
		got, err := Fit(c.name, pts, 2)
		if err != nil {
			t.Fatal(err)
		}
		if got.RMS > 1e-9 || len(got.Planes) != len(c.m.Planes) {
			t.Errorf("%s: %d planes %+v, RMS %g; want %+v exactly", c.name, len(got.Planes), got.Planes, got.RMS, c.m.Planes)
			continue
		}
		for k, p := range got.Planes {
			w := c.m.Planes[k]
			if math.Abs(p.A-w.A) > 1e-7 || math.Abs(p.B-w.B) > 1e-10 || math.Abs(p.C-w.C) > 1e-10 {
				t.Errorf("%s: plane %d = %+v, want %+v", c.name, k, p, w)
			}
		}
	}
}

// The stated errors are those of the map: RMS and largest difference
// over the points, here with a known offset at one point.
func TestFitStatesItsError(t *testing.T) {
	m := Map{Planes: []Plane{{-20, 0.1, 0.02}}}
	pts := grid(m)
	pts[600].Rate += 5 // a point well above threshold
	got, err := Fit("x", pts, 1)
	if err != nil {
		t.Fatal(err)
	}
	var sq, worst float64
	for _, p := range pts {
		d := got.Rate(p.Is, p.Id) - p.Rate
		sq += d * d
		worst = max(worst, math.Abs(d))
	}
	if rms := math.Sqrt(sq / float64(len(pts))); math.Abs(rms-got.RMS) > 1e-12 || worst != got.Max || got.Points != len(pts) {
		t.Errorf("stated RMS %g, largest %g over %d points; recomputed %g, %g over %d", got.RMS, got.Max, got.Points, rms, worst, len(pts))
	}
	if got.Max < 4 || got.Max > 5 {
		t.Errorf("largest error %g; one point 5 Hz off should give between 4 and 5 Hz", got.Max)
	}
}

func TestFitRefusesBadArguments(t *testing.T) {
	pts := grid(Map{Planes: []Plane{{1, 0, 0}}})
	for _, k := range []int{0, 3} {
		if _, err := Fit("x", pts, k); err == nil {
			t.Errorf("%d planes accepted", k)
		}
	}
	if _, err := Fit("x", pts[:2], 1); err == nil {
		t.Error("two points accepted")
	}
}
