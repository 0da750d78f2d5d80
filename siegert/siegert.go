package siegert

import "math"

// Neuron holds the parameters of the transfer function, with the names and
// units of NEST's siegert_neuron: potentials relative to rest.
type Neuron struct {
	TauM   float64 // membrane time constant (ms)
	TauSyn float64 // synaptic time constant (ms); 0 for white noise
	TRef   float64 // refractory period (ms)
	Theta  float64 // threshold (mV)
	VReset float64 // reset potential (mV)
}

const (
	// Cutoff: NEST's rate is 0 when the mean is this many standard
	// deviations below threshold.
	Cutoff = 6.0
	// ShiftFactor is |zeta(1/2)|/sqrt(2), the threshold shift of Fourcaud
	// and Brunel (2002) per sqrt(tau_syn/tau_m).
	ShiftFactor = 1.0326265761156086
	sqrtPi      = 1.7724538509055160
	// asymFrom: beyond it erfcx and Dawson's function are integrated and
	// evaluated by their asymptotic expansions (12 terms: the first omitted
	// one is below 1e-16 relative at 10).
	asymFrom  = 10.0
	asymTerms = 12
	// seriesMax bounds the power series of ∫e^{t²} below asymFrom (it needs
	// about x² + 9x terms, under 200).
	seriesMax = 400
)

// glNode, glWeight: the 10-point Gauss–Legendre rule on [-1, 1] (positive
// half; TestGaussLegendre checks them).
var (
	glNode   = [5]float64{0.14887433898163121088, 0.4333953941292471908, 0.67940956829902440623, 0.86506336668898451073, 0.97390652851717172008}
	glWeight = [5]float64{0.29552422471475287017, 0.26926671930999635509, 0.219086362515982044, 0.14945134915058059315, 0.066671344308688137594}
	// panels: breakpoints of the erfcx quadrature on [0, asymFrom]; each
	// 10-point panel is exact to about 2e-16 relative.
	panels = [6]float64{0, 1, 2, 4, 7, asymFrom}
)

// Shift is the shift a of threshold and reset, in units of sigma.
func (p Neuron) Shift() float64 {
	return ShiftFactor * math.Sqrt(p.TauSyn/p.TauM)
}

// Rate is Phi(mu, sigma) in 1/s: mu and sigma in mV. sigma is the standard
// deviation (NEST's diffusion input is its square). With sigma = 0 it is the
// deterministic LIF rate (the limit; NEST's quadrature fails there).
func (p Neuron) Rate(mu, sigma float64) float64 {
	if p.Theta-mu > Cutoff*sigma {
		return 0
	}
	if sigma == 0 { // mu >= theta
		if mu == p.Theta {
			return 0
		}
		return 1e3 / (p.TRef + p.TauM*math.Log1p((p.Theta-p.VReset)/(mu-p.Theta)))
	}
	a := p.Shift()
	yth := (p.Theta-mu)/sigma + a
	yr := (p.VReset-mu)/sigma + a
	var integral float64 // I
	switch {
	case yth <= 0:
		// Mean above the shifted threshold: I = ∫_{-yth}^{-yr} erfcx. Its
		// asymptotic part's logarithm comes from the potentials, free of
		// sigma: ln(yr/yth) = ln1p((theta - V_reset)/(mu - theta - a sigma)).
		lo, hi := -yth, -yr
		if lo >= asymFrom {
			integral = erfcxTail(lo, math.Log1p((p.Theta-p.VReset)/(mu-p.Theta-a*sigma)))
		} else {
			integral = erfcxIntegral(lo, hi)
		}
	case yr < 0:
		// Threshold above, reset below the mean: I = ∫_{yr}^0 erfcx(-s) ds +
		// ∫_0^{yth} (2 e^{s²} - erfcx(s)) ds.
		integral = 2*expSqIntegral(yth) + signedErfcxIntegral(yth, -yr)
	default:
		// Mean below the shifted reset: I = 2 ∫_{yr}^{yth} e^{s²} ds - ∫ erfcx.
		integral = 2*(expSqIntegral(yth)-expSqIntegral(yr)) - erfcxIntegral(yr, yth)
	}
	if math.IsInf(integral, 1) {
		return 0 // yth beyond 26.6: e^{yth²} overflows, the rate is below 1e-290
	}
	return 1e3 / (p.TRef + p.TauM*sqrtPi*integral)
}

// Erfcx is the scaled complementary error function e^{x²} erfc(x) for
// 0 <= x <= 10 (the range the quadrature uses). x² is split into its
// rounded value and the exact remainder, so that e^{x²} keeps full
// precision.
func Erfcx(x float64) float64 {
	x2 := x * x
	e := math.FMA(x, x, -x2)
	ex := math.Exp(x2)
	return (ex + ex*e) * math.Erfc(x)
}

// signedErfcxIntegral is ∫_a^b erfcx for a, b >= 0 in either order.
func signedErfcxIntegral(a, b float64) float64 {
	if b < a {
		return -erfcxIntegral(b, a)
	}
	return erfcxIntegral(a, b)
}

// erfcxIntegral is ∫_a^b erfcx(u) du for 0 <= a <= b: Gauss–Legendre panels
// below asymFrom, the asymptotic expansion above.
func erfcxIntegral(a, b float64) float64 {
	sum := 0.0
	if a < asymFrom {
		top := math.Min(b, asymFrom)
		for i := 0; i+1 < len(panels); i++ {
			lo, hi := math.Max(a, panels[i]), math.Min(top, panels[i+1])
			if lo < hi {
				sum += gaussErfcx(lo, hi)
			}
		}
	}
	if b > asymFrom {
		lo := math.Max(a, asymFrom)
		sum += erfcxTail(lo, math.Log(b/lo))
	}
	return sum
}

// gaussErfcx is the 10-point Gauss–Legendre rule for ∫_lo^hi erfcx.
func gaussErfcx(lo, hi float64) float64 {
	c, h := 0.5*(lo+hi), 0.5*(hi-lo)
	s := 0.0
	for i := range glNode {
		d := h * glNode[i]
		s += glWeight[i] * (Erfcx(c-d) + Erfcx(c+d))
	}
	return h * s
}

// erfcxTail is ∫_a^b erfcx for asymFrom <= a <= b, given L = ln(b/a) (b enters
// through L only), from
// erfcx(u) ~ (1/(sqrt(pi) u)) Σ_k (-1)^k (2k-1)!!/(2u²)^k integrated term by
// term: (1/sqrt(pi)) [L + Σ_{k>=1} (-1)^k (2k-1)!!/(2^k 2k) (a^{-2k} - b^{-2k})],
// each difference written as a^{-2k} (-expm1(-2kL)) so that b close to a
// loses nothing.
func erfcxTail(a, L float64) float64 {
	inv := 1 / (a * a)
	pw := 1.0   // a^{-2k}
	coef := 1.0 // (2k-1)!!/2^k
	sum := 0.0
	sign := -1.0
	for k := 1; k <= asymTerms; k++ {
		pw *= inv
		coef *= float64(2*k-1) / 2
		sum += sign * coef / float64(2*k) * pw * -math.Expm1(-float64(2*k)*L)
		sign = -sign
	}
	return (L + sum) / sqrtPi
}

// expSqIntegral is ∫_0^x e^{t²} dt for x >= 0: the power series
// Σ x^{2n+1}/(n! (2n+1)), all terms positive, below asymFrom; e^{x²} times
// Dawson's asymptotic expansion D(x) ~ (1/(2x)) Σ_k (2k-1)!!/(2x²)^k above.
// It overflows to +Inf beyond x = 26.6.
func expSqIntegral(x float64) float64 {
	if x < asymFrom {
		x2 := x * x
		t, sum := x, x
		for n := 1; n < seriesMax; n++ {
			t *= x2 / float64(n)
			d := t / float64(2*n+1)
			sum += d
			if d <= sum*1e-17 {
				break
			}
		}
		return sum
	}
	inv := 1 / (2 * x * x)
	term, sum := 1.0, 1.0
	for k := 1; k <= asymTerms; k++ {
		term *= float64(2*k-1) * inv
		sum += term
	}
	x2 := x * x
	e := math.FMA(x, x, -x2)
	ex := math.Exp(x2)
	return (ex + ex*e) * sum / (2 * x)
}
