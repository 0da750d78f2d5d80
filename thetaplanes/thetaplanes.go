package thetaplanes

import (
	"fmt"
	"math"
	"sort"
)

// Point is one measured rate.
type Point struct {
	Is, Id float64 // somatic and distal input (pA)
	Rate   float64 // Hz
}

// Plane is rate = A + B·I_s + C·I_d (Hz, Hz/pA, Hz/pA).
type Plane struct {
	A float64 `json:"a_hz"`
	B float64 `json:"b_soma_hz_per_pa"`
	C float64 `json:"c_distal_hz_per_pa"`
}

func (p Plane) at(is, id float64) float64 { return p.A + p.B*is + p.C*id }

// Line is the threshold between two planes: the points with
// Cos·I_s + Sin·I_d > Theta (pA) take the second plane.
type Line struct {
	Cos   float64 `json:"cos"`
	Sin   float64 `json:"sin"`
	Theta float64 `json:"theta_pa"`
}

func (l Line) above(is, id float64) bool { return l.Cos*is+l.Sin*id > l.Theta }

// Map is a fitted ThetaPlanes map of one brain state.
type Map struct {
	State  string  `json:"state"`
	Planes []Plane `json:"planes"`
	// Line separates Planes[0] (below) from Planes[1] (above); nil with one
	// plane.
	Line *Line `json:"line,omitempty"`
	// RMS and Max are the root-mean-square and the largest absolute
	// difference between the map and the measured rates (Hz), over the
	// Points measured points.
	RMS    float64 `json:"rms_error_hz"`
	Max    float64 `json:"max_error_hz"`
	Points int     `json:"points"`
}

// Rate evaluates the map.
func (m Map) Rate(is, id float64) float64 {
	p := m.Planes[0]
	if m.Line != nil && m.Line.above(is, id) {
		p = m.Planes[1]
	}
	return max(0, p.at(is, id))
}

// DistalSlope is the largest |∂rate/∂I_d| of the map's planes (Hz/pA).
func (m Map) DistalSlope() float64 {
	s := 0.0
	for _, p := range m.Planes {
		s = max(s, math.Abs(p.C))
	}
	return s
}

// Fit fits a map of at most planes planes (1 or 2) to the points.
func Fit(state string, pts []Point, planes int) (Map, error) {
	if planes < 1 || planes > 2 {
		return Map{}, fmt.Errorf("thetaplanes: %d planes; expected 1 or 2", planes)
	}
	if len(pts) < 3*planes {
		return Map{}, fmt.Errorf("thetaplanes: %d points are too few for %d planes", len(pts), planes)
	}
	p, ok := fitPlane(pts)
	if !ok {
		return Map{}, fmt.Errorf("thetaplanes: no plane fits the %s rates (fewer than three firing points off one line)", state)
	}
	best := finish(Map{State: state, Planes: []Plane{p}}, pts)
	if planes == 2 {
		if two, ok := fitTwo(state, pts); ok && two.RMS < 0.5*best.RMS-1e-9 {
			best = two
		}
	}
	return best, nil
}

func finish(m Map, pts []Point) Map {
	m.Points = len(pts)
	m.RMS, m.Max = 0, 0
	for _, p := range pts {
		d := m.Rate(p.Is, p.Id) - p.Rate
		m.RMS += d * d
		m.Max = max(m.Max, math.Abs(d))
	}
	m.RMS = math.Sqrt(m.RMS / float64(len(pts)))
	return m
}

// fitTwo searches the threshold line of a two-plane map: every 2° with
// at most 100 cuts each, then every 0.5° around the best with every cut.
func fitTwo(state string, pts []Point) (Map, bool) {
	best := Map{RMS: math.Inf(1)}
	best = scan(state, pts, best, 0, 180, 2, 100)
	if best.Planes == nil {
		return best, false
	}
	phi := math.Atan2(best.Line.Sin, best.Line.Cos) * 180 / math.Pi
	return scan(state, pts, best, phi-2, phi+2, 0.5, len(pts)), true
}

// scan tries the lines at angles from lo to hi degrees in steps of step,
// with at most cuts thresholds each (between neighbouring projections of
// the points), and returns the best map of those and best.
func scan(state string, pts []Point, best Map, lo, hi, step float64, cuts int) Map {
	proj := make([]float64, len(pts))
	for deg := lo; deg < hi+1e-9; deg += step {
		phi := deg * math.Pi / 180
		c, s := math.Cos(phi), math.Sin(phi)
		for i, p := range pts {
			proj[i] = c*p.Is + s*p.Id
		}
		sorted := append([]float64(nil), proj...)
		sort.Float64s(sorted)
		var mids []float64
		for k := 1; k < len(sorted); k++ {
			if sorted[k]-sorted[k-1] > 1e-9 {
				mids = append(mids, (sorted[k]+sorted[k-1])/2)
			}
		}
		every := max(1, len(mids)/cuts)
		for k := 0; k < len(mids); k += every {
			l := Line{c, s, mids[k]}
			var below, above []Point
			for i, p := range pts {
				if proj[i] > l.Theta {
					above = append(above, p)
				} else {
					below = append(below, p)
				}
			}
			p0, ok0 := fitPlane(below)
			p1, ok1 := fitPlane(above)
			if !ok0 || !ok1 {
				continue
			}
			if m := finish(Map{State: state, Planes: []Plane{p0, p1}, Line: &l}, pts); m.RMS < best.RMS {
				best = m
			}
		}
	}
	return best
}

// fitPlane fits one plane with the zero floor: least squares on the
// firing points, then on those and the silent points the plane puts above
// zero, until that set stops changing. A silent point the plane puts at
// or below zero is fitted exactly by the floor.
func fitPlane(pts []Point) (Plane, bool) {
	in := make([]bool, len(pts))
	for i, p := range pts {
		in[i] = p.Rate > 0
	}
	var q Plane
	for range 20 {
		var sub []Point
		for i, p := range pts {
			if in[i] {
				sub = append(sub, p)
			}
		}
		var ok bool
		if q, ok = leastSquares(sub); !ok {
			return Plane{}, false
		}
		changed := false
		for i, p := range pts {
			if want := p.Rate > 0 || q.at(p.Is, p.Id) > 0; want != in[i] {
				in[i], changed = want, true
			}
		}
		if !changed {
			break
		}
	}
	return q, true
}

// leastSquares fits a plane to the points (normal equations, 3×3).
func leastSquares(pts []Point) (Plane, bool) {
	if len(pts) < 3 {
		return Plane{}, false
	}
	var m [3][4]float64
	for _, p := range pts {
		x := [3]float64{1, p.Is, p.Id}
		for r := range 3 {
			for c := range 3 {
				m[r][c] += x[r] * x[c]
			}
			m[r][3] += x[r] * p.Rate
		}
	}
	scale := m[0][0] + m[1][1] + m[2][2]
	for c := range 3 { // Gauss-Jordan with partial pivoting
		piv := c
		for r := c + 1; r < 3; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[piv][c]) {
				piv = r
			}
		}
		if math.Abs(m[piv][c]) < 1e-9*scale {
			return Plane{}, false // the points lie on a line: no plane
		}
		m[c], m[piv] = m[piv], m[c]
		for r := range 3 {
			if r == c {
				continue
			}
			f := m[r][c] / m[c][c]
			for q := c; q < 4; q++ {
				m[r][q] -= f * m[c][q]
			}
		}
	}
	return Plane{A: m[0][3] / m[0][0], B: m[1][3] / m[1][1], C: m[2][3] / m[2][2]}, true
}
