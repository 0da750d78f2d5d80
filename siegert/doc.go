// Package siegert is the mean-field transfer function of the leaky
// integrate-and-fire neuron: the stationary firing rate Phi(mu, sigma) of a LIF
// neuron driven by Gaussian white noise of mean mu and standard deviation sigma
// (Siegert 1951; Amit & Brunel 1997), with the threshold and reset shifted for
// synaptic filtering (Fourcaud & Brunel 2002), as NEST's siegert_neuron uses it:
//
//	Phi = 1 / (t_ref + tau_m sqrt(pi) I),  I = ∫_{y_r}^{y_th} e^{s²} (1 + erf s) ds,
//	y_th = (theta - mu)/sigma + a,  y_r = (V_reset - mu)/sigma + a,
//	a = |zeta(1/2)|/sqrt(2) sqrt(tau_syn/tau_m),
//
// in 1/s for times in ms, and 0 when theta - mu > 6 sigma (NEST's cut-off).
//
// The integrand grows like 2 e^{s²} above 0 and decays like 1/(sqrt(pi) |s|)
// below; written with erfcx(u) = e^{u²} erfc(u), it is erfcx(-s), and the
// integral splits into parts that never overflow (Neuron.Rate): the
// Gaussian part ∫ e^{t²} dt in closed form (a series of positive terms, or
// Dawson's asymptotic expansion), and ∫ erfcx by 10-point Gauss–Legendre
// panels up to 10 and by its asymptotic expansion beyond, integrated term by
// term, whose logarithm is taken from mu, theta and V_reset directly so that
// mu far above threshold or a tiny sigma reach the deterministic LIF rate
// 1/(t_ref + tau_m ln((mu - V_reset)/(mu - theta))) without losing digits.
// The result is within about 1e-13 of the exact value (tests: an independent
// adaptive quadrature), tighter than NEST's own 1.49e-8 (GSL QAGS), which also
// fails for sigma below about 1e-6 mV.
//
// kernels/siegert.cuh is the twin for the GPU kernels, operation for
// operation; it uses the device's (or, emulated, the host's) erfc, exp and
// log, so the two agree to a few ulps rather than bit for bit.
//
// Brunel gives the mean field of Brunel's (2000) network and its fixed points.
package siegert
