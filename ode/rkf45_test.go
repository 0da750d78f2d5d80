package ode

import (
	"math"
	"testing"
)

// decay is dy/dt = -k·y per component, solved by y0·e^(-k t).
type decay []float64

func (k decay) Derivs(_ float64, y, dy []float64) {
	for i := range y {
		dy[i] = -k[i] * y[i]
	}
}

// oscillator is y” = -w²y as a system; its energy is conserved.
type oscillator float64

func (w oscillator) Derivs(_ float64, y, dy []float64) {
	dy[0] = y[1]
	dy[1] = -float64(w) * float64(w) * y[0]
}

// The stepper meets its tolerance over many calls with the step size
// carried over, and grows the step where the solution is smooth.
func TestEvolveAccuracy(t *testing.T) {
	cases := []struct {
		name  string
		f     System
		y0    []float64
		exact func(t float64) []float64
	}{
		{"decay", decay{1, 10, 100}, []float64{1, 2, 3}, func(t float64) []float64 {
			return []float64{math.Exp(-t), 2 * math.Exp(-10*t), 3 * math.Exp(-100*t)}
		}},
		{"oscillator", oscillator(5), []float64{1, 0}, func(t float64) []float64 {
			return []float64{math.Cos(5 * t), -5 * math.Sin(5*t)}
		}},
	}
	for _, c := range cases {
		s := New(len(c.y0), 1e-6)
		y := append([]float64(nil), c.y0...)
		h := 0.0
		const span, calls = 0.1, 100
		for k := 1; k <= calls; k++ {
			h = s.Evolve(c.f, y, span, h)
			want := c.exact(float64(k) * span)
			for i := range y {
				// The local tolerance 1e-6 per step accumulates over the steps taken.
				if math.Abs(y[i]-want[i]) > 1e-6*float64(s.Steps) {
					t.Fatalf("%s: y[%d](%g) = %g, exact %g (%d steps)", c.name, i, float64(k)*span, y[i], want[i], s.Steps)
				}
			}
		}
		if !(h > 0) {
			t.Errorf("%s: carried step %g", c.name, h)
		}
	}
}

// A stiff start is met by rejected, shrunk steps; a span that is all smooth
// needs one step per call once the carried size exceeds it.
func TestEvolveAdapts(t *testing.T) {
	s := New(1, 1e-6)
	y := []float64{1}
	h := s.Evolve(decay{1000}, y, 0.1, 0)
	if s.Rejected == 0 || s.Steps < 10 {
		t.Errorf("fast decay over 0.1: %d steps, %d rejected; want many, some rejected", s.Steps, s.Rejected)
	}
	if math.Abs(y[0]-math.Exp(-100)) > 1e-5 {
		t.Errorf("y = %g, exact %g", y[0], math.Exp(-100))
	}
	s = New(1, 1e-6)
	y = []float64{1}
	h = 0
	for range 10 {
		h = s.Evolve(decay{0.001}, y, 0.1, h)
	}
	if s.Steps != 10 || s.Rejected != 0 {
		t.Errorf("slow decay: %d steps, %d rejected over 10 calls; want 10, 0", s.Steps, s.Rejected)
	}
	if h <= 0.1 {
		t.Errorf("slow decay: carried step %g, want it grown beyond the span", h)
	}
}

// Scale weighs a variable's error: a concentration of 1e-4 decaying at
// rate 20 over 0.1 is uncontrolled at tolerance 1e-3 (errors of the size
// of the value pass), and held to the tolerance over its weight (1e-3/1e4
// = 1e-7 per step) when weighed 1e4.
func TestScaleWeighsTheError(t *testing.T) {
	exact := 1e-4 * math.Exp(-20*0.1)
	run := func(scale []float64) (float64, int) {
		s := New(1, 1e-3)
		s.Scale = scale
		y := []float64{1e-4}
		s.Evolve(decay{20}, y, 0.1, 0)
		return y[0], s.Steps
	}
	plain, plainSteps := run(nil)
	weighed, weighedSteps := run([]float64{1e4})
	if err := math.Abs(plain - exact); plainSteps != 1 {
		t.Errorf("unweighed: %d steps (error %g); expected one step, the error never compared with the value", plainSteps, err)
	}
	// Each accepted step's local error is below 1e-7; the global error of
	// a decaying solution is at most their sum.
	if err := math.Abs(weighed - exact); err > 1e-7*float64(weighedSteps) || weighedSteps <= plainSteps {
		t.Errorf("weighed: %d steps, error %g; want more steps than unweighed and an error below 1e-7 per step", weighedSteps, err)
	}
}
