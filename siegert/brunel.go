package siegert

import (
	"errors"
	"math"
)

// Brunel is the network of Brunel (2000) in the diffusion approximation:
// every neuron (delta synapses, TauSyn 0) receives CE excitatory inputs of
// weight J and CI inhibitory ones of weight -G J from neurons firing at the
// population rate nu, and CE external inputs at Eta times the threshold rate
// theta/(J CE tau_m). Then
//
//	mu    = CE J tau_m (nu_ext + nu (1 - G CI/CE)),
//	sigma² = CE J² tau_m (nu_ext + nu (1 + G² CI/CE)),
//
// with rates in 1/ms, and a stationary state is a fixed point nu = Phi(mu, sigma).
type Brunel struct {
	Neuron
	CE, CI float64 // in-degrees
	J      float64 // excitatory weight (mV)
	G      float64 // relative inhibition
	Eta    float64 // external drive relative to the threshold rate
}

// Input is the mean and standard deviation (mV) of the input at rate nu (1/s).
func (b Brunel) Input(nu float64) (mu, sigma float64) {
	ext := b.Eta * b.Theta / (b.J * b.CE * b.TauM) // 1/ms per input
	r := nu / 1e3
	gamma := b.CI / b.CE
	mu = b.CE * b.J * b.TauM * (ext + r*(1-b.G*gamma))
	sigma = math.Sqrt(b.CE * b.J * b.J * b.TauM * (ext + r*(1+b.G*b.G*gamma)))
	return mu, sigma
}

// Transfer is Phi(mu(nu), sigma(nu)) in 1/s.
func (b Brunel) Transfer(nu float64) float64 {
	return b.Rate(b.Input(nu))
}

// FixedPoint is a stationary rate (1/s) and whether the rate dynamics
// tau dnu/dt = -nu + Phi(nu) return to it (slope of Phi below 1).
type FixedPoint struct {
	Rate   float64
	Stable bool
}

// scanSteps: FixedPoints looks for sign changes of Phi(nu) - nu on this
// many intervals of [0, 1/t_ref]; two fixed points closer than 1/scanSteps
// of that range may be missed.
const scanSteps = 4000

// FixedPoints returns every fixed point in [0, 1/t_ref] in ascending order,
// each to 1e-12 relative: sign changes of Phi(nu) - nu on a grid, refined by
// bisection. Phi is below 1/t_ref, so a fixed point always exists.
func (b Brunel) FixedPoints() ([]FixedPoint, error) {
	if !(b.TRef > 0) {
		return nil, errors.New("siegert: FixedPoints needs t_ref > 0 (the rates are unbounded otherwise)")
	}
	top := 1e3 / b.TRef
	f := func(nu float64) float64 { return b.Transfer(nu) - nu }
	var out []FixedPoint
	x0, f0 := 0.0, f(0)
	if f0 == 0 {
		out = append(out, b.classify(0))
	}
	for i := 1; i <= scanSteps; i++ {
		x1 := top * float64(i) / scanSteps
		f1 := f(x1)
		if f1 == 0 {
			out = append(out, b.classify(x1))
		} else if f0*f1 < 0 {
			lo, hi, flo := x0, x1, f0
			for hi-lo > 1e-12*hi {
				mid := 0.5 * (lo + hi)
				fm := f(mid)
				if fm == 0 {
					lo, hi = mid, mid
					break
				}
				if (fm < 0) == (flo < 0) {
					lo, flo = mid, fm
				} else {
					hi = mid
				}
			}
			out = append(out, b.classify(0.5*(lo+hi)))
		}
		x0, f0 = x1, f1
	}
	if len(out) == 0 {
		return nil, errors.New("siegert: no fixed point found (non-finite transfer function?)")
	}
	return out, nil
}

// classify: stable when Phi's slope at nu is below 1 (central difference).
func (b Brunel) classify(nu float64) FixedPoint {
	h := 1e-4 * math.Max(nu, 1)
	lo := math.Max(nu-h, 0)
	slope := (b.Transfer(nu+h) - b.Transfer(lo)) / (nu + h - lo)
	return FixedPoint{Rate: nu, Stable: slope < 1}
}
