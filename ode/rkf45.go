// Package ode is the adaptive ODE stepper every model integrated
// numerically shares: the embedded Runge-Kutta-Fehlberg 4(5) method with
// an absolute error tolerance and a step size that carries over from one
// call to the next, as NEST drives GSL's rkf45 (gsl_odeiv_evolve_apply
// with a standard control of eps_abs, eps_rel = 0). kernels/ode.cuh is its
// twin for the GPU, operation for operation, so that a model gets the same
// bits on both backends.
//
// A model states its right-hand side (System); the stepper knows nothing
// else about it.
package ode

import "github.com/snn-gpu/snn-gpu/rng"

// System is the right-hand side of an ODE: dydt = f(t, y), t measured from
// the start of the span being integrated.
type System interface {
	Derivs(t float64, y, dydt []float64)
}

// Fehlberg's coefficients: stage times, stage weights, the fifth-order
// solution and the difference between the fourth- and fifth-order ones.
const (
	a2, a3, a4, a5, a6 = 1.0 / 4, 3.0 / 8, 12.0 / 13, 1.0, 1.0 / 2

	b21                = 1.0 / 4
	b31, b32           = 3.0 / 32, 9.0 / 32
	b41, b42, b43      = 1932.0 / 2197, -7200.0 / 2197, 7296.0 / 2197
	b51, b52, b53, b54 = 439.0 / 216, -8.0, 3680.0 / 513, -845.0 / 4104
	b61, b62, b63, b64 = -8.0 / 27, 2.0, -3544.0 / 2565, 1859.0 / 4104
	b65                = -11.0 / 40

	c1, c3, c4, c5, c6 = 16.0 / 135, 6656.0 / 12825, 28561.0 / 56430, -9.0 / 50, 2.0 / 55
	e1, e3, e4, e5, e6 = 1.0 / 360, -128.0 / 4275, -2197.0 / 75240, 1.0 / 50, 2.0 / 55

	safety = 0.9 // the control's step factor is this much below what the error suggests
)

// RKF45 integrates systems of one dimension. It holds its work arrays, so
// one stepper serves one goroutine.
type RKF45 struct {
	AbsTol float64
	// Scale, when set, weighs each variable's error: variable i meets the
	// tolerance when |error|·Scale[i] <= AbsTol, so that a variable whose
	// natural size is far from 1 (a concentration of 1e-4 mM) is
	// controlled as finely as the others. Nil weighs every variable 1.
	Scale                  []float64
	k1, k2, k3, k4, k5, k6 []float64
	y0, tmp, yerr, dydtOut []float64
	Steps, Rejected        int // accepted and rejected trial steps so far (statistics)
}

// New returns a stepper for systems of dim variables with the absolute
// error tolerance absTol (NEST's HH models: 1e-6).
func New(dim int, absTol float64) *RKF45 {
	s := &RKF45{AbsTol: absTol}
	for _, p := range []*[]float64{&s.k1, &s.k2, &s.k3, &s.k4, &s.k5, &s.k6, &s.y0, &s.tmp, &s.yerr} {
		*p = make([]float64, dim)
	}
	return s
}

// Evolve advances y over [0, span] in adaptive steps starting with the step
// size h (0: span) and returns the step size suggested for the next call:
// the last step's size, grown or shrunk by its error. A trial step whose
// error exceeds the tolerance by more than 10 % is repeated with a smaller
// step (by at most 5×, unless that would no longer move t past
// the step's end); one below half of it
// lets the next step grow by at most 5×. The step that reaches span is cut
// to the rest, and the size carried over grows from that cut one, as GSL
// does.
func (s *RKF45) Evolve(f System, y []float64, span, h float64) float64 {
	if !(h > 0) {
		h = span
	}
	t := 0.0
	for t < span {
		copy(s.y0, y)
		f.Derivs(t, y, s.k1)
		for {
			final := h > span-t
			step := h
			if final {
				step = span - t
			}
			s.trial(f, t, step, y)
			next := t + step
			if final {
				next = span
			}
			nh, shrink := s.adjust(step)
			if shrink && nh < step && next+nh != next {
				copy(y, s.y0)
				s.Rejected++
				h = nh
				continue
			}
			if shrink {
				nh = step
			}
			s.Steps++
			t, h = next, nh
			break
		}
	}
	return h
}

// trial replaces y by the fifth-order step of size h from t, and s.yerr by
// its error estimate.
func (s *RKF45) trial(f System, t, h float64, y []float64) {
	y0, tmp := s.y0, s.tmp
	for i := range y {
		tmp[i] = y0[i] + float64(h*float64(b21*s.k1[i]))
	}
	f.Derivs(t+float64(a2*h), tmp, s.k2)
	for i := range y {
		tmp[i] = y0[i] + float64(h*(float64(b31*s.k1[i])+float64(b32*s.k2[i])))
	}
	f.Derivs(t+float64(a3*h), tmp, s.k3)
	for i := range y {
		tmp[i] = y0[i] + float64(h*(float64(b41*s.k1[i])+float64(b42*s.k2[i])+float64(b43*s.k3[i])))
	}
	f.Derivs(t+float64(a4*h), tmp, s.k4)
	for i := range y {
		tmp[i] = y0[i] + float64(h*(float64(b51*s.k1[i])+float64(b52*s.k2[i])+float64(b53*s.k3[i])+float64(b54*s.k4[i])))
	}
	f.Derivs(t+float64(a5*h), tmp, s.k5)
	for i := range y {
		tmp[i] = y0[i] + float64(h*(float64(b61*s.k1[i])+float64(b62*s.k2[i])+float64(b63*s.k3[i])+float64(b64*s.k4[i])+float64(b65*s.k5[i])))
	}
	f.Derivs(t+float64(a6*h), tmp, s.k6)
	for i := range y {
		d := float64(c1*s.k1[i]) + float64(c3*s.k3[i]) + float64(c4*s.k4[i]) + float64(c5*s.k5[i]) + float64(c6*s.k6[i])
		y[i] = y0[i] + float64(h*d)
		e := float64(e1*s.k1[i]) + float64(e3*s.k3[i]) + float64(e4*s.k4[i]) + float64(e5*s.k5[i]) + float64(e6*s.k6[i])
		s.yerr[i] = float64(h * e)
	}
}

// adjust returns the step size the error of the last trial step of size h
// asks for, and whether the step must be shrunk (repeated). The factor is
// safety/r^(1/5) to shrink (at least 1/5) and safety/r^(1/6) to grow (at
// most 5, never below 1), r the largest error over the tolerance; the
// powers are rng's portable Exp and Log, so that the GPU gets the same.
func (s *RKF45) adjust(h float64) (float64, bool) {
	r := 0.0
	for i, e := range s.yerr {
		x := abs(e) / s.AbsTol
		if s.Scale != nil {
			x = float64(abs(e)*s.Scale[i]) / s.AbsTol
		}
		if x > r {
			r = x
		}
	}
	switch {
	case r > 1.1:
		return float64(h * max(safety/rng.Exp(rng.Log(r)/5), 0.2)), true
	case r < 0.5:
		// r = 0 (an exact step) gives the largest growth.
		g := 5.0
		if r > 0 {
			g = min(max(safety/rng.Exp(rng.Log(r)/6), 1), 5)
		}
		return float64(h * g), false
	}
	return h, false
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
