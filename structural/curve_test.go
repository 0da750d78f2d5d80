package structural

import (
	"math"
	"testing"

	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/spec"
)

// nestEuler is NEST's integration of the gaussian and sigmoid curves over T
// at resolution h: per sub-step the calcium first decays Euler-style, then
// z grows by h times the curve at that calcium.
func nestEuler(c *Curve, z, ca, T, tau, h float64) float64 {
	for k := 0; k < int(math.Round(T/h)); k++ {
		ca -= ca * h / tau
		z += h * c.Rate(ca)
	}
	return max(0, z)
}

var curves = []spec.Element{
	{Curve: "linear", GrowthRate: 1e-4, Eps: 0.10},
	{Curve: "gaussian", GrowthRate: 1e-4, Eta: 0.05, Eps: 0.10},
	{Curve: "gaussian", GrowthRate: 4e-4, Eta: 0, Eps: 0.2},
	{Curve: "sigmoid", GrowthRate: 1e-4, Eps: 0.10, Psi: 0.05},
	{Curve: "gaussian", GrowthRate: -2e-4, Eta: 0.0, Eps: 0.05},
}

// The zeros of the gaussian curve are eta and eps, its maximum nu at their
// middle; the sigmoid's zero is eps; the linear curve's too.
func TestCurveShape(t *testing.T) {
	g, _ := NewCurve(spec.Element{Curve: "gaussian", GrowthRate: 2, Eta: 0.1, Eps: 0.7})
	for _, c := range []struct{ ca, want float64 }{{0.1, 0}, {0.7, 0}, {0.4, 2}} {
		if got := g.Rate(c.ca); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("gaussian rate at Ca = %g: %g, want %g", c.ca, got, c.want)
		}
	}
	s, _ := NewCurve(spec.Element{Curve: "sigmoid", GrowthRate: 2, Eps: 0.7, Psi: 0.1})
	l, _ := NewCurve(spec.Element{Curve: "linear", GrowthRate: 2, Eps: 0.7})
	for _, c := range []*Curve{&s, &l} {
		if got := c.Rate(0.7); math.Abs(got) > 1e-12 {
			t.Errorf("%s rate at eps: %g, want 0", c.Kind, got)
		}
	}
	if got := s.Rate(0); math.Abs(got-2*(2/(1+math.Exp(-7))-1)) > 1e-12 {
		t.Errorf("sigmoid rate at 0: %g", got)
	}
}

// Grow against NEST's integration: the linear curve's closed form is
// NEST's own (checked here against NEST's Euler scheme, which converges to
// it); the others against NEST's Euler scheme at h = 0.1 ms. A right-point
// Euler sum of g(t) = rate(Ca(t)) differs from the integral by
// h/2·(g(T) − g(0)) + O(h²) (Euler–Maclaurin), and NEST's Euler-decayed
// calcium lies below the exact one by at most Ca0·t·h/(2·tau²), which moves
// z by at most L·Ca0·h·T²/(4·tau²) with L the curve's largest slope in Ca
// (measured on [0, Ca0]). The tolerance is 1.1 times their sum.
func TestGrowMatchesNESTIntegration(t *testing.T) {
	const h, tau = 0.1, 10000.0
	for _, e := range curves {
		c, err := NewCurve(e)
		if err != nil {
			t.Fatal(err)
		}
		for _, T := range []float64{0.1, 3.7, 200, 10000} {
			for _, ca0 := range []float64{0, 0.03, 0.075, 0.12, 0.3} {
				z0 := 5.0
				got := c.Grow(z0, ca0, T, tau)
				want := nestEuler(&c, z0, ca0, T, tau, h)
				L := 0.0
				for k := range 1000 {
					x := ca0 * float64(k) / 1000
					L = max(L, math.Abs(c.Rate(x+1e-7)-c.Rate(x))/1e-7)
				}
				g0, g1 := c.Rate(ca0), c.Rate(ca0*math.Exp(-T/tau))
				tol := 1.1*(h/2*math.Abs(g1-g0)+L*ca0*h*T*T/(4*tau*tau)) + 1e-9 // + the rounding of 1e5 additions
				if math.Abs(got-want) > tol {
					t.Errorf("%s nu=%g: T = %g ms, Ca0 = %g: z = %.9g, NEST's Euler %.9g (tolerance %.2g)", e.Curve, e.GrowthRate, T, ca0, got, want, tol)
				}
			}
		}
	}
}

// NEST's test_growth_curves.py in miniature: a neuron's own spike train
// (Poisson, 20 Hz, 10 s) through Spikes and a final Finish, against an
// event-driven reference computed here: the exact calcium (a sum of
// decaying jumps) and z by the trapezoid rule on a 0.01-ms grid (error
// below 1e-9 elements for these smooth integrands).
func TestGrowthFromOwnSpikes(t *testing.T) {
	const dt, tau, beta = 0.1, 10000.0, 1e-4
	const steps = 100000
	s := rng.NewStream(rng.NewKey(7, 0), rng.PurposeSelection, 0, 0, 0)
	var spikes []int64 // steps
	for k := int64(0); k < steps; k++ {
		if s.Float64() < 20*dt/1000 {
			spikes = append(spikes, k)
		}
	}
	for _, e := range curves {
		e.Name = "se"
		p := single(t, []spec.Element{e}, spec.Calcium{TauCa: tau, BetaCa: beta}, dt)
		for _, k := range spikes {
			p.Spikes(0, 0, k, []uint32{0})
		}
		p.Finish(0, steps)
		el := p.Element(0, 0, "se")

		ca := func(tm float64) float64 { // Ca just after time tm (spike at stamp k+1)
			x := 0.0
			for _, k := range spikes {
				if ts := float64(k+1) * dt; ts <= tm {
					x += beta * math.Exp(-(tm-ts)/tau)
				}
			}
			return x
		}
		// Integrate piecewise between spikes so that the jumps fall on
		// the grid's ends.
		z := 0.0
		prev := 0.0
		bounds := []float64{}
		for _, k := range spikes {
			bounds = append(bounds, float64(k+1)*dt)
		}
		bounds = append(bounds, steps*dt)
		for _, b := range bounds {
			n := int(math.Ceil((b - prev) / 0.01))
			hh := (b - prev) / float64(max(n, 1))
			c0 := ca(prev)
			sum := 0.0
			for i := 0; i <= n; i++ {
				w := 1.0
				if i == 0 || i == n {
					w = 0.5
				}
				sum += w * el.Curve.Rate(c0*math.Exp(-float64(i)*hh/tau))
			}
			z = max(0, z+sum*hh)
			prev = b
		}
		if got, want := p.Calcium(0, 0)[0], ca(steps*dt); math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: Ca = %.12g, reference %.12g", e.Curve, got, want)
		}
		if got := el.Z[0]; math.Abs(got-z) > 1e-7 {
			t.Errorf("%s nu=%g: z = %.10g, event-driven reference %.10g", e.Curve, e.GrowthRate, got, z)
		}
	}
}
