package plasticity

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/rng"
)

// Urbanczik is urbanczik_synapse (Urbanczik & Senn 2014, NEST's event-driven
// form): the dendritic prediction error of the target, dPI_k per step,
// times the synapse's PSP kernel, low-pass filtered with TauDelta and
// integrated with rate Eta. Per synapse it keeps the initial weight W_0,
// the integrals PI_int and PI_exp_int and two presynaptic traces (decay
// tau_L = C_m_p/g_L_p and tau_s); the weight is computed from them afresh
// at every spike and clipped to [Wmin, Wmax] for transmission only, so the
// bounds are not sticky.
type Urbanczik struct {
	Eta, TauDelta, Wmin, Wmax float64
	// The target's dendritic C_m_p (pF), g_L_p (nS), tau_syn_ex_p and
	// tau_syn_in_p (ms), read by name at network build.
	Cm, GL, TauEx, TauIn float64
}

// DefaultUrbanczik holds NEST's defaults of urbanczik_synapse (the
// target's constants unset).
var DefaultUrbanczik = Urbanczik{Eta: 0.07, TauDelta: 100, Wmin: 0, Wmax: 100}

// urbanczikTarget are the target's parameters the rule reads, in the order
// of Urbanczik's fields.
var urbanczikTarget = []string{"C_m_p", "g_L_p", "tau_syn_ex_p", "tau_syn_in_p"}

// The synapse's variables, in order.
const (
	uW0    = iota // initial weight
	uPI           // PI_int
	uPIExp        // PI_exp_int
	uTrL          // trace with decay tau_L, just after the last spike
	uTrS          // trace with decay tau_s
	uVars
)

func newUrbanczik(p, target map[string]float64) (Rule, error) {
	r := Urbanczik{Eta: p["eta"], TauDelta: p["tau_Delta"], Wmin: p["Wmin"], Wmax: p["Wmax"]}
	switch {
	case !(r.TauDelta > 0):
		return nil, fmt.Errorf("tau_Delta = %g ms, expected > 0", r.TauDelta)
	case !(r.Wmin <= r.Wmax):
		return nil, fmt.Errorf("Wmin = %g above Wmax = %g", r.Wmin, r.Wmax)
	case math.IsNaN(r.Eta) || math.IsInf(r.Eta, 0):
		return nil, fmt.Errorf("eta = %g, expected a finite number", r.Eta)
	}
	if target == nil {
		return r, nil
	}
	r.Cm, r.GL, r.TauEx, r.TauIn = target["C_m_p"], target["g_L_p"], target["tau_syn_ex_p"], target["tau_syn_in_p"]
	tauL := r.Cm / r.GL
	switch {
	case !(r.Cm > 0 && r.GL > 0):
		return nil, fmt.Errorf("the target's C_m_p = %g pF and g_L_p = %g nS, expected > 0", r.Cm, r.GL)
	case tauL == r.TauEx || tauL == r.TauIn:
		// the PSP kernel's normalisation divides by tau_L - tau_s
		return nil, fmt.Errorf("the target's C_m_p/g_L_p = %g ms equals tau_syn_ex_p (%g) or tau_syn_in_p (%g)", tauL, r.TauEx, r.TauIn)
	}
	return r, nil
}

// anchorEntries bounds the run of entries whose decays are advanced by
// multiplication: 256 roundings, 3e-14 relative at most.
const anchorEntries = 256

func (Urbanczik) Vars() int         { return uVars }
func (Urbanczik) TauPlus() float64  { return 0 }
func (Urbanczik) PostState() string { return "dPI" }

// Init keeps w as W_0 and applies NEST 3.10's check: Wmax nonzero and of
// the weight's sign (a weight of 0 counting as positive); Wmin is not
// checked against the weight (NEST does not).
func (r Urbanczik) Init(v []float64, w float64) error {
	if r.Wmax == 0 || (w < 0) != (r.Wmax < 0) {
		return fmt.Errorf("weight %g and Wmax %g not of the same sign (NEST: weight and Wmax must have same sign)", w, r.Wmax)
	}
	clear(v)
	v[uW0] = w
	return nil
}

// Send reads the target's entries (t_k, dPI_k) with t_last - d < t_k <=
// tPre - d, each paired with the PSP kernel at u = t_k + d (the synapse sees
// the target's error one delay late): PI = PSP(u)·dPI_k adds to PI_int, and
// e^(-(tPre-u)/tau_Delta)·PI to PI_exp_int, which first decays from t_last.
// tau_s is tau_syn_ex_p while the weight carried last is positive, else
// tau_syn_in_p, as in NEST. Exponentials are rng.Exp and products are
// rounded before they are added (no fused multiply-add), so that a device
// port can give the same bits.
func (r Urbanczik) Send(w float64, v []float64, pre Pre, tPre, d float64, post *Post) float64 {
	tauL, tauS := r.Cm/r.GL, r.TauIn
	if w > 0 {
		tauS = r.TauEx
	}
	tLast := pre.TLast
	ts, dpi := post.History.Between(tLast-d, tPre-d)
	// The three decays at u, e^((t_last-u)/tau_L), e^((t_last-u)/tau_s) and
	// e^((u-tPre)/tau_Delta), advance by the same factors from one entry to
	// the next while the entries are one gap (a step) apart: three
	// multiplications per entry instead of three exps, recomputed exactly
	// every anchorEntries so that the rounding does not build up.
	var eL, eS, eD, fL, fS, fD, gap, dExp float64
	for k, t := range ts {
		u := t + d
		if k%anchorEntries != 0 && math.Abs(t-ts[k-1]-gap) < historyEps {
			eL, eS, eD = eL*fL, eS*fS, eD*fD
		} else {
			eL, eS, eD = rng.Exp((tLast-u)/tauL), rng.Exp((tLast-u)/tauS), rng.Exp((u-tPre)/r.TauDelta)
			if k+1 < len(ts) {
				gap = ts[k+1] - t
				fL, fS, fD = rng.Exp(-gap/tauL), rng.Exp(-gap/tauS), rng.Exp(gap/r.TauDelta)
			}
		}
		pi := (float64(v[uTrL]*eL) - float64(v[uTrS]*eS)) * dpi[k]
		v[uPI] += pi
		dExp += float64(eD * pi)
	}
	v[uPIExp] = float64(rng.Exp((tLast-tPre)/r.TauDelta)*v[uPIExp]) + dExp
	w = v[uW0] + (v[uPI]-v[uPIExp])*15*r.Cm*tauS*r.Eta/(r.GL*(tauL-tauS))
	v[uTrL] = float64(v[uTrL]*rng.Exp((tLast-tPre)/tauL)) + 1
	v[uTrS] = float64(v[uTrS]*rng.Exp((tLast-tPre)/tauS)) + 1
	return min(max(w, r.Wmin), r.Wmax)
}
