package models

// GapStep is the electrical coupling of one step for a model with Gap
// (gap_junction connections, docs/models.md: Gap junctions). The engine
// fills G and In; the update writes Out and End. Everything is float64:
// waveform relaxation compares potentials to 1e-4 mV. A window of Window
// steps is held neuron by neuron, so that the exchange adds each neighbour's
// whole window at once: coefficient c of neuron i's polynomial over step k
// of the window is at index (i·Window + k)·4 + c of In and Out, and its
// end value at i·Window + k of End. K is the step of the window this
// update makes.
type GapStep struct {
	// Order is the interpolation order of the polynomials (0, 1 or 3).
	Order     int
	Window, K int
	// G is each neuron's total gap conductance Σ_j g_ij (nS), and In holds
	// Σ_j g_ij·p_jc, p_j the polynomial of neighbour j's V_m over the step
	// in normalized time τ = t/h in [0, 1]: the gap current at τ is
	// -G·V(τ) + Σ_c In_c·τ^c (pA). Both are 0 until the first exchange.
	G  []float64
	In []float64
	// Out receives the neuron's own polynomial of V_m over the step
	// (GapPolynomial), End its V_m at the step's end.
	Out []float64
	End []float64
}

// GapPolynomial returns the coefficients of a potential over one step in
// normalized time τ in [0, 1], of the interpolation order: 0 holds the
// start value v0; 1 goes linearly to the end value v1; 3 is the cubic
// Hermite polynomial through v0 and v1 with the slopes d0 and d1 (h·dV/dt
// at the two ends). Coefficients beyond the order are 0. kernels/ode.cuh's
// gap_polynomial is its twin.
func GapPolynomial(order int, v0, v1, d0, d1 float64) [4]float64 {
	switch order {
	case 0:
		return [4]float64{v0}
	case 1:
		return [4]float64{v0, v1 - v0}
	}
	c2 := float64(float64(-3*v0)+float64(3*v1)) - float64(2*d0) - d1
	c3 := float64(float64(2*v0)-float64(2*v1)) + d0 + d1
	return [4]float64{v0, d0, c2, c3}
}

// gapCurrent is the gap current at normalized time tau onto a neuron at
// potential v: -g·v + c0 + c1·τ + c2·τ² + c3·τ³.
func gapCurrent(g float64, c *[4]float64, tau, v float64) float64 {
	p := float64(float64(float64(c[3]*tau)+c[2])*tau) + c[1]
	p = float64(p*tau) + c[0]
	return p - float64(g*v)
}
