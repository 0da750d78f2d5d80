package models

import (
	"fmt"
	"math"
)

// Exact-integration propagators of the leaky membrane of the psc models
// (Rotter & Diesmann 1999), derived here; NEST's IAFPropagator computes
// the same quantities (libnestutil/iaf_propagator.{h,cpp}) and treats the
// singular case tau_m = tau_syn the same way.
//
// Membrane (V relative to E_L): dV/dt = -V/tau_m + I(t)/C. Over one step h
// the contribution of a synaptic current that starts the step at I0 is
// (1/C)∫₀ʰ e^{-(h-s)/tau_m} I(s) ds. With kappa = 1/tau_s - 1/tau_m = 1/beta,
// beta = tau_s·tau_m/(tau_m - tau_s):
//
//   - exponential current I(s) = I0·e^{-s/tau_s}:
//     P32 = (1/C) e^{-h/tau_m} (1 - e^{-kappa h})/kappa
//     = (beta/C)·e^{-h/tau_s}·expm1(h/beta),
//     whose limit for kappa → 0 is (h/C)·e^{-h/tau_m};
//   - the alpha current's derivative state dI0, I(s) = dI0·s·e^{-s/tau_s}:
//     P31 = (1/C) e^{-h/tau_m} (1 - e^{-kappa h}(1 + kappa h))/kappa²
//     = (beta/C)·e^{-h/tau_s}·(beta·expm1(h/beta) - h),
//     whose limit is (h²/2C)·e^{-h/tau_m}.
//
// The regular forms lose all their digits as kappa → 0 (expm1 of a tiny
// argument times a huge beta). As NEST does, P32 takes the singular form
// when the regular one is not a positive normal number (tau_m = tau_s gives
// beta = Inf and NaN), and P31 when h <= 1e-7·tau_m²/|tau_m - tau_s|.
//
// At the other end, tau_s below about h/709, expm1(h/beta) overflows and
// e^{-h/tau_s} underflows; their product is e^{-h/tau_m} - e^{-h/tau_s},
// computed as such there (no cancellation: the second term is negligible).
// Without this, P32 fell back on the singular form, h/tau_s times too
// large, and P31 was NaN.
func pscPropagators(tauS, tauM, c, h float64) (p32, p31 float64) {
	invBeta := (tauM - tauS) / (tauS * tauM) // exact 0 when the two are equal
	beta := tauS * tauM / (tauM - tauS)
	expS := math.Exp(-h / tauS)
	em1 := math.Expm1(h * invBeta)
	expM := math.Exp(-h / tauM)
	p32 = beta / c * expS * em1
	regular31 := beta / c * expS * (beta*em1 - h)
	if math.IsInf(em1, 1) {
		d := expM - expS // e^{-h/tau_s}·expm1(h/beta)
		p32 = beta / c * d
		regular31 = beta / c * (beta*d - h*expS)
	}
	if math.IsNaN(p32) || math.IsInf(p32, 0) || !(p32 >= 0x1p-1022) {
		p32 = h / c * expM
	}
	if h > 1e-7*tauM*tauM/math.Abs(tauM-tauS) {
		p31 = regular31
	} else {
		p31 = 0.5 * h * h / c * expM
	}
	return p32, p31
}

// pscChecks are NEST's checks common to iaf_psc_exp and iaf_psc_alpha.
func pscChecks(p Values) error {
	if err := positive(p, "C_m", "tau_m", "tau_syn_ex", "tau_syn_in"); err != nil {
		return err
	}
	if err := nonNegative(p, "t_ref"); err != nil {
		return err
	}
	if !(p["V_reset"] < p["V_th"]) {
		return errResetThreshold(p)
	}
	return nil
}

func errResetThreshold(p Values) error {
	return fmt.Errorf("V_reset must be < V_th (got V_reset %g, V_th %g)", p["V_reset"], p["V_th"])
}
