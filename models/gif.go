package models

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/rng"
)

// What gif_psc_exp and gif_cond_exp share: parameters, the layout of the
// spike-triggered current (stc) and threshold movement (sfa) components,
// their decay and jumps, and the escape-noise test.
//
// NEST takes tau_stc, q_stc, tau_sfa and q_sfa as lists of any length. Our
// state is float32 structure of arrays with a fixed set of variables per
// model, so each model has GifMaxComponents slots for each kind: the state
// variables stc_1 … stc_4 and sfa_1 … sfa_4, and the constants
// P_k = exp(-h/tau_k) and q_k per slot. A population uses the first
// len(tau_stc) (len(tau_sfa)) slots; the counts are constants, so the update
// loops over the slots in use only and sums them in NEST's order. Longer
// lists are refused by Check. Four slots hold every published fit we know of
// (Mensi et al. 2012, Pozzorini et al. 2015 and NEST's examples use one or
// two) at 8 floats per neuron; since the layout does not depend on the
// lists, points of a sweep that differ only in them share a batch.

// GifMaxComponents is the most stc (and the most sfa) components a gif
// population may have.
const GifMaxComponents = 4

// Derived constants of the gif models, in Const order (kernels/gif.cuh
// mirrors it). The common ones come first; each model appends its own.
const (
	gifNStc = iota // number of stc components in use
	gifNSfa        // number of sfa components in use
	gifPStc        // exp(-h/tau_stc[k]): GifMaxComponents slots from here
)

const (
	gifQStc        = gifPStc + GifMaxComponents + iota // q_stc[k] (pA): GifMaxComponents slots
	gifPSfa        = gifQStc + GifMaxComponents        // exp(-h/tau_sfa[k])
	gifQSfa        = gifPSfa + GifMaxComponents        // q_sfa[k] (mV)
	gifVTStar      = gifQSfa + GifMaxComponents        // V_T_star
	gifVreset      = gifVTStar + 1                     // V_reset
	gifIe          = gifVTStar + 2                     // I_e
	gifRefSteps    = gifVTStar + 3                     // t_ref in steps
	gifDeltaV      = gifVTStar + 4                     // Delta_V
	gifLogLamH     = gifVTStar + 5                     // log(lambda_0·h·1e-3): lambda_0 in 1/s, h in ms (-Inf when lambda_0 = 0)
	gifConstCommon = gifVTStar + 6                     // the models' own constants start here
)

// The state variables of the gif models, in State order (the same for both;
// the synaptic pair is I_syn_ex, I_syn_in for gif_psc_exp and g_ex, g_in for
// gif_cond_exp).
const (
	gifVm    = iota // V_m (absolute, as NEST keeps it)
	gifSynEx        // I_syn_ex (pA) or g_ex (nS)
	gifSynIn        // I_syn_in (pA) or g_in (nS)
	gifIStc         // I_stc: the sum of the stc components at the start of the last step
	gifESfa         // E_sfa: V_T_star plus the sfa components at the start of the last step
	gifRef          // refractory steps left
	gifIStim        // current from current generators, acting from the next step
	gifStc          // stc_1 … stc_4 from here
)

const (
	gifSfa        = gifStc + GifMaxComponents // sfa_1 … sfa_4
	gifStateCount = gifSfa + GifMaxComponents
)

// gifParams are the parameters both models have, NEST's names, units and
// defaults (gif_psc_exp's; gif_cond_exp's are the same).
func gifParams() []Param {
	return []Param{
		{Name: "C_m", Unit: "pF", Default: 80, Doc: "membrane capacitance"},
		{Name: "g_L", Unit: "nS", Default: 4, Doc: "leak conductance (tau_m = C_m/g_L)"},
		{Name: "E_L", Unit: "mV", Default: -70, Doc: "leak reversal potential"},
		{Name: "V_reset", Unit: "mV", Default: -55, Doc: "reset potential, held for t_ref after a spike"},
		{Name: "V_T_star", Unit: "mV", Default: -35, Doc: "base threshold (the threshold without sfa)"},
		{Name: "Delta_V", Unit: "mV", Default: 0.5, Doc: "escape-noise width: hazard lambda_0·exp((V_m - E_sfa)/Delta_V)"},
		{Name: "lambda_0", Unit: "Hz", Default: 1, Doc: "hazard at threshold, in 1/s as NEST takes it (NEST divides by 1000 for 1/ms)"},
		{Name: "t_ref", Unit: "ms", Default: 4, Doc: "absolute refractory period (V_m held at V_reset)"},
		{Name: "tau_syn_ex", Unit: "ms", Default: 2, Doc: "time constant of the excitatory synapse"},
		{Name: "tau_syn_in", Unit: "ms", Default: 2, Doc: "time constant of the inhibitory synapse"},
		{Name: "I_e", Unit: "pA", Default: 0, Doc: "constant input current"},
		{Name: "tau_stc", Unit: "ms", Kind: List, Doc: fmt.Sprintf("time constants of the spike-triggered currents (at most %d)", GifMaxComponents)},
		{Name: "q_stc", Unit: "pA", Kind: List, Doc: "jumps of the spike-triggered currents (NEST's docs say nA; NEST adds the number to currents in pA, and so do we)"},
		{Name: "tau_sfa", Unit: "ms", Kind: List, Doc: fmt.Sprintf("time constants of the threshold movements (at most %d)", GifMaxComponents)},
		{Name: "q_sfa", Unit: "mV", Kind: List, Doc: "jumps of the threshold movements"},
	}
}

// gifState returns the state variables, with the synaptic pair named and
// described by the model.
func gifState(vm StateVar, ex, in StateVar) []StateVar {
	s := []StateVar{
		vm, ex, in,
		{Name: "I_stc", Unit: "pA", Internal: true, Doc: "sum of the spike-triggered currents, as used in the last step (its start value)"},
		{Name: "E_sfa", Unit: "mV", Internal: true, Doc: "threshold V_T_star + sum of the sfa components, as used in the last step (its start value)"},
		{Name: "refractory_steps", Internal: true, Doc: "refractory steps left"},
		{Name: "I_stim", Unit: "pA", Internal: true, Doc: "current from current generators, acting from the next step"},
	}
	for k := 1; k <= GifMaxComponents; k++ {
		s = append(s, StateVar{Name: fmt.Sprintf("stc_%d", k), Unit: "pA", Internal: true, Doc: fmt.Sprintf("spike-triggered current component %d (0 when unused)", k)})
	}
	for k := 1; k <= GifMaxComponents; k++ {
		s = append(s, StateVar{Name: fmt.Sprintf("sfa_%d", k), Unit: "mV", Internal: true, Doc: fmt.Sprintf("threshold movement component %d (0 when unused)", k)})
	}
	return s
}

// gifChecks are NEST's checks of the gif models (gif_psc_exp::Parameters_::set)
// plus our limit on the number of components.
func gifChecks(p Values, l Lists) error {
	for _, pair := range [][2]string{{"tau_stc", "q_stc"}, {"tau_sfa", "q_sfa"}} {
		tau, q := l[pair[0]], l[pair[1]]
		if len(tau) != len(q) {
			return fmt.Errorf("%s and %s must have the same length (got %d and %d)", pair[0], pair[1], len(tau), len(q))
		}
		if len(tau) > GifMaxComponents {
			return fmt.Errorf("%s has %d elements; at most %d %s components are supported (the state keeps a fixed number of them per neuron)",
				pair[0], len(tau), GifMaxComponents, pair[0][4:])
		}
		for k, x := range tau {
			if !(x > 0) {
				return fmt.Errorf("%s[%d] must be > 0 (got %g): all time constants must be strictly positive", pair[0], k, x)
			}
		}
		for k, x := range q {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%s[%d] must be finite (got %g)", pair[1], k, x)
			}
		}
	}
	if err := positive(p, "g_L", "C_m", "Delta_V", "tau_syn_ex", "tau_syn_in"); err != nil {
		return err
	}
	return nonNegative(p, "t_ref", "lambda_0")
}

// gifDerive fills the common constants of c.
func gifDerive(c []float64, p Values, l Lists, dt float64) {
	c[gifNStc] = float64(len(l["tau_stc"]))
	c[gifNSfa] = float64(len(l["tau_sfa"]))
	for k, tau := range l["tau_stc"] {
		c[gifPStc+k] = math.Exp(-dt / tau)
		c[gifQStc+k] = l["q_stc"][k]
	}
	for k, tau := range l["tau_sfa"] {
		c[gifPSfa+k] = math.Exp(-dt / tau)
		c[gifQSfa+k] = l["q_sfa"][k]
	}
	c[gifVTStar] = p["V_T_star"]
	c[gifVreset] = p["V_reset"]
	c[gifIe] = p["I_e"]
	c[gifRefSteps] = float64(Steps(p["t_ref"], dt))
	c[gifDeltaV] = p["Delta_V"]
	c[gifLogLamH] = math.Log(p["lambda_0"] * 1e-3 * dt)
}

// gifAdapt is step 1 and 2 of NEST's update for neuron i: the stc sum and
// the threshold E_sfa from the components' start-of-step values (summed in
// component order, from 0 and from V_T_star), then the components decay.
func gifAdapt(c []float64, s [][]float32, i int) (stc, sfa float32) {
	nStc, nSfa := int(c[gifNStc]), int(c[gifNSfa])
	for k := 0; k < nStc; k++ {
		x := s[gifStc+k][i]
		stc = stc + x
		s[gifStc+k][i] = x * float32(c[gifPStc+k])
	}
	sfa = float32(c[gifVTStar])
	for k := 0; k < nSfa; k++ {
		x := s[gifSfa+k][i]
		sfa = sfa + x
		s[gifSfa+k][i] = x * float32(c[gifPSfa+k])
	}
	return stc, sfa
}

// gifJump adds the jumps q_stc and q_sfa to the (decayed) components of a
// neuron that fired.
func gifJump(c []float64, s [][]float32, i int) {
	nStc, nSfa := int(c[gifNStc]), int(c[gifNSfa])
	for k := 0; k < nStc; k++ {
		s[gifStc+k][i] = s[gifStc+k][i] + float32(c[gifQStc+k])
	}
	for k := 0; k < nSfa; k++ {
		s[gifSfa+k][i] = s[gifSfa+k][i] + float32(c[gifQSfa+k])
	}
}

// gifFire is the escape-noise test of step 4. NEST fires when a uniform u
// satisfies u < 1 - exp(-lambda·h) with lambda = lambda_0·exp((V - E_sfa)/Delta_V)
// (in 1/ms). With E = -log(1 - u), an exponential variable of mean 1, that
// is E < lambda·h, and in logarithms
//
//	log E - log(lambda_0·h) < (V - E_sfa)/Delta_V,
//
// which needs no exp and is evaluated with the portable logarithm, in
// double, so that the GPU (kernels/gif.cuh) decides the same. u is the
// first Float64 of the neuron's stream for this step (purpose 5,
// PurposeNeuron, object = population, index = neuron). lambda_0 = 0 gives
// log(0) = -Inf on the right of the subtraction: never fires, as in NEST.
//
// Most steps of most neurons are far below threshold, and the two
// logarithms would dominate the update. Since E >= u, a u >= 4·lambda·h
// gives E >= 4·lambda·h, which fails the test by log 4, far beyond any
// rounding: such a step is decided without logarithms and the decision is
// the same. 4·lambda·h is bounded from above by a power of two (2^(⌈y·log2 e⌉+2),
// y = log(lambda·h)), exact in double on both sides.
func gifFire(u *Update, i int, v, sfa float32) bool {
	c := u.Const
	st := rng.NewStream(u.Key, rng.PurposeNeuron, u.Object, uint32(i), uint32(u.Step))
	x := (float64(v) - float64(sfa)) / c[gifDeltaV]
	r := st.Float64()
	if y := x + c[gifLogLamH]; r > 0 && y < 0 && (y < -1000 || r >= math.Ldexp(1, int(math.Ceil(y*math.Log2E))+2)) {
		return false
	}
	e := -rng.Log(1 - r)
	return rng.Log(e)-c[gifLogLamH] < x
}

// gifFinish is step 3 and 4 of both models for neuron i, whose V is vi
// after the step's integration: the hazard test (or the refractory count
// and V_reset), then V, the recordables and the next step's current stored.
func gifFinish(u *Update, i int, vi, stc, sfa float32) {
	c, s := u.Const, u.State
	ref := s[gifRef]
	if ref[i] == 0 {
		if gifFire(u, i, vi, sfa) {
			gifJump(c, s, i)
			ref[i] = float32(c[gifRefSteps])
			u.Spikes = append(u.Spikes, uint32(i))
		}
	} else {
		ref[i]--
		vi = float32(c[gifVreset])
	}
	s[gifVm][i] = vi
	s[gifIStc][i] = stc
	s[gifESfa][i] = sfa
	s[gifIStim][i] = u.In[2][i]
}

// gifDoc is the part of the models' documentation they share.
const gifDoc = `Adaptation (NEST's stc and sfa lists, at most 4 components each): each own spike adds q_stc[k] (pA) to a
current eta_k that decays with tau_stc[k] and subtracts from the membrane input, and q_sfa[k] (mV) to a threshold
component gamma_k that decays with tau_sfa[k]; E_sfa = V_T_star + sum gamma_k. Escape noise: in a step of length h
the neuron fires with probability 1 - exp(-lambda·h), lambda = lambda_0·exp((V_m - E_sfa)/Delta_V), lambda_0 in
1/s. After a spike V_m is held at V_reset for t_ref (it is not reset in the spike's own step, as NEST logs it).
Per step, NEST's order: I_stc and E_sfa from the components' start values, then the components decay; `

// GifPscExp is NEST's gif_psc_exp: the generalized integrate-and-fire
// neuron of Mensi et al. (2012) and Pozzorini et al. (2015) with
// exponential synaptic currents, integrated exactly.
var GifPscExp = &Neuron{
	Name: "gif_psc_exp",
	Doc: `Generalized integrate-and-fire neuron with escape noise and exponential synaptic currents (NEST's gif_psc_exp;
Mensi et al. 2012, Pozzorini et al. 2015). C_m dV/dt = -g_L (V - E_L) - I_stc + I_syn_ex + I_syn_in + I_e + I_stim.
` + gifDoc + `the
synaptic currents decay and take the spikes due now (w > 0: I_syn_ex, w < 0: I_syn_in, pA); if not refractory,
V ← P30·(I_stim + I_e - I_stc) + P33·V + P31·E_L + P21ex·I_syn_ex + P21in·I_syn_in (the new currents: a spike
acts on V in its arrival step) and the hazard test; else count down and V ← V_reset. Current input acts from the
next step. V_m starts at -70 mV whatever E_L, as in NEST.`,
	Params: gifParams(),
	State: gifState(
		StateVar{Name: "V_m", Unit: "mV", Default: -70, Doc: "membrane potential (starts at -70 mV whatever E_L, as in NEST)"},
		StateVar{Name: "I_syn_ex", Unit: "pA", Doc: "excitatory synaptic current"},
		StateVar{Name: "I_syn_in", Unit: "pA", Doc: "inhibitory synaptic current"}),
	Ports: []Port{
		{Name: "ex", Kind: SpikePort, Sign: +1},
		{Name: "in", Kind: SpikePort, Sign: -1},
		{Name: "currents", Kind: CurrentPort},
	},
	WeightUnit: weightIn("pA"),
	Check:      func(p Values, l Lists, dt float64) error { return gifChecks(p, l) },
	Derive:     deriveGifPscExp,
	Update:     updateGifPscExp,
}

// Constants of gif_psc_exp after the common ones (kernels/gif_psc_exp.cu).
const (
	gpeP33   = gifConstCommon + iota // exp(-h/tau_m), tau_m = C_m/g_L
	gpeP30                           // tau_m/C_m·(1 - exp(-h/tau_m)): a constant current → V
	gpeP31EL                         // (1 - exp(-h/tau_m))·E_L
	gpeP21ex                         // I_syn_ex → V (NEST's IAFPropagatorExp, pscPropagators)
	gpeP21in                         // I_syn_in → V
	gpeP11ex                         // exp(-h/tau_syn_ex)
	gpeP11in                         // exp(-h/tau_syn_in)
	gpeConstCount
)

func deriveGifPscExp(p Values, l Lists, dt float64) []float64 {
	c := make([]float64, gpeConstCount)
	gifDerive(c, p, l, dt)
	cm := p["C_m"]
	tau := cm / p["g_L"]
	em1 := math.Expm1(-dt / tau)
	c[gpeP33] = math.Exp(-dt / tau)
	c[gpeP30] = -tau / cm * em1
	c[gpeP31EL] = -em1 * p["E_L"]
	c[gpeP21ex], _ = pscPropagators(p["tau_syn_ex"], tau, cm, dt)
	c[gpeP21in], _ = pscPropagators(p["tau_syn_in"], tau, cm, dt)
	c[gpeP11ex] = math.Exp(-dt / p["tau_syn_ex"])
	c[gpeP11in] = math.Exp(-dt / p["tau_syn_in"])
	return c
}

func init() {
	RegisterNeuron(GifPscExp)
	RegisterNeuron(GifCondExp)
}

func updateGifPscExp(u *Update) {
	c := u.Const
	p33, p30, p31el := float32(c[gpeP33]), float32(c[gpeP30]), float32(c[gpeP31EL])
	p21ex, p21in := float32(c[gpeP21ex]), float32(c[gpeP21in])
	p11ex, p11in := float32(c[gpeP11ex]), float32(c[gpeP11in])
	ie := float32(c[gifIe])
	s := u.State
	v, iex, iin, ref, cur := s[gifVm], s[gifSynEx], s[gifSynIn], s[gifRef], s[gifIStim]
	spkEx, spkIn := u.In[0], u.In[1]
	for i := u.Lo; i < u.Hi; i++ {
		stc, sfa := gifAdapt(c, s, i)
		iex[i] = float32(iex[i]*p11ex) + spkEx[i]
		iin[i] = float32(iin[i]*p11in) + spkIn[i]
		vi := v[i]
		if ref[i] == 0 {
			vi = float32(float32(float32(float32(p30*float32(float32(cur[i]+ie)-stc))+float32(p33*vi))+p31el)+
				float32(iex[i]*p21ex)) + float32(iin[i]*p21in)
		}
		gifFinish(u, i, vi, stc, sfa)
	}
}

// GifCondExp is NEST's gif_cond_exp: gif_psc_exp with conductance-based
// exponential synapses, integrated by RK4 (gifCondRK4).
var GifCondExp = &Neuron{
	Name: "gif_cond_exp",
	Doc: `Generalized integrate-and-fire neuron with escape noise and exponential synaptic conductances (NEST's
gif_cond_exp). C_m dV/dt = -g_L (V - E_L) - g_ex (V - E_ex) - g_in (V - E_in) - I_stc + I_e + I_stim,
dg_X/dt = -g_X/tau_syn_X; a spike of weight w adds w (nS) to g_ex (w > 0) or |w| to g_in (w < 0).
` + gifDoc + `if not
refractory, V is integrated over the step with the old conductances (NEST: GSL's adaptive RKF45; here classical
RK4 with 2^k substeps, k chosen per neuron and step from the stiffness h·(g_L + g_ex + g_in)/C_m and the synaptic
time constants, the conductances' decay exact); then the conductances decay exactly and take the spikes due now;
if not refractory the hazard test with the new V; else count down and V ← V_reset. V_m starts at E_L.
gsl_error_tol is accepted (NEST's parameter) and checked, and has no effect.`,
	Params: append(gifParams(),
		Param{Name: "E_ex", Unit: "mV", Default: 0, Doc: "excitatory reversal potential"},
		Param{Name: "E_in", Unit: "mV", Default: -85, Doc: "inhibitory reversal potential"},
		Param{Name: "gsl_error_tol", Default: 1e-3, Doc: "NEST's RKF45 tolerance: accepted and checked (> 0), without effect (RK4 with substeps here)"},
	),
	State: gifState(
		StateVar{Name: "V_m", Unit: "mV", DefaultParam: "E_L", Doc: "membrane potential (starts at E_L, as in NEST)"},
		StateVar{Name: "g_ex", Unit: "nS", Doc: "excitatory synaptic conductance"},
		StateVar{Name: "g_in", Unit: "nS", Doc: "inhibitory synaptic conductance"}),
	Ports: []Port{
		{Name: "ex", Kind: SpikePort, Sign: +1},
		{Name: "in", Kind: SpikePort, Sign: -1},
		{Name: "currents", Kind: CurrentPort},
	},
	WeightUnit: weightIn("nS"),
	Check: func(p Values, l Lists, dt float64) error {
		if err := gifChecks(p, l); err != nil {
			return err
		}
		return positive(p, "gsl_error_tol")
	},
	Derive: deriveGifCondExp,
	Update: updateGifCondExp,
}

// The RK4 of gif_cond_exp. A step h is split into n = 2^k substeps of
// length s = h/n; k is the smallest level with
//
//	h·(g_L + g_ex + g_in)/C_m <= GifRK4Theta·2^k
//
// (the largest decay rate of V in the step, at its start: the
// conductances only decay within it), and at least the level at which
// h/tau_syn_X/2^k <= GifRK4Theta for each synapse whose conductance is
// not zero (the time scale on which the coefficients change), at most
// GifRK4MaxLevel. With s times the rate at most 0.1 the local error of RK4,
// (rate·s)^5/120 of the distance to the fixed point, is below 1e-7 relative:
// float32 rounding, which the test against a fine-step float64 reference
// shows. V alone is integrated by RK4: the conductances are
// g·exp(-t/tau_syn) exactly, at the stage times from factors per level, and
// their end-of-step value is g·exp(-h/tau_syn), as for the psc models.
const (
	GifRK4Theta    = 0.1
	GifRK4MaxLevel = 10 // at most 1024 substeps
)

// Constants of gif_cond_exp after the common ones
// (kernels/gif_cond_exp.cu). Per level k = 0 … GifRK4MaxLevel, gceLevel
// holds gceLevelWidth numbers (gceL*), with s = h/2^k.
const (
	gceGL      = gifConstCommon + iota // g_L
	gceEL                              // E_L
	gceEex                             // E_ex
	gceEin                             // E_in
	gceHOverC                          // h/C_m (the stiffness test)
	gceP11ex                           // exp(-h/tau_syn_ex)
	gceP11in                           // exp(-h/tau_syn_in)
	gceLevelEx                         // the lowest level for a nonzero g_ex
	gceLevelIn                         // the lowest level for a nonzero g_in
	gceLevel                           // the per-level constants start here
)

const (
	gceLBound   = iota // GifRK4Theta·2^k: the level fits when h·rate <= it
	gceLHalfSC         // s/(2 C_m)
	gceLSC             // s/C_m
	gceLSixthSC        // s/(6 C_m)
	gceLExHalf         // exp(-s/(2 tau_syn_ex))
	gceLExFull         // exp(-s/tau_syn_ex)
	gceLInHalf         // exp(-s/(2 tau_syn_in))
	gceLInFull         // exp(-s/tau_syn_in)
	gceLevelWidth
)

const gceConstCount = gceLevel + (GifRK4MaxLevel+1)*gceLevelWidth

func deriveGifCondExp(p Values, l Lists, dt float64) []float64 {
	c := make([]float64, gceConstCount)
	gifDerive(c, p, l, dt)
	cm := p["C_m"]
	c[gceGL] = p["g_L"]
	c[gceEL] = p["E_L"]
	c[gceEex] = p["E_ex"]
	c[gceEin] = p["E_in"]
	c[gceHOverC] = dt / cm
	c[gceP11ex] = math.Exp(-dt / p["tau_syn_ex"])
	c[gceP11in] = math.Exp(-dt / p["tau_syn_in"])
	c[gceLevelEx] = float64(gifSynLevel(dt / p["tau_syn_ex"]))
	c[gceLevelIn] = float64(gifSynLevel(dt / p["tau_syn_in"]))
	for k := 0; k <= GifRK4MaxLevel; k++ {
		s := dt / float64(int(1)<<k)
		b := c[gceLevel+k*gceLevelWidth:]
		b[gceLBound] = GifRK4Theta * float64(int(1)<<k)
		b[gceLHalfSC] = s / (2 * cm)
		b[gceLSC] = s / cm
		b[gceLSixthSC] = s / (6 * cm)
		b[gceLExHalf] = math.Exp(-s / (2 * p["tau_syn_ex"]))
		b[gceLExFull] = math.Exp(-s / p["tau_syn_ex"])
		b[gceLInHalf] = math.Exp(-s / (2 * p["tau_syn_in"]))
		b[gceLInFull] = math.Exp(-s / p["tau_syn_in"])
	}
	return c
}

// gifSynLevel is the lowest level k with x/2^k <= GifRK4Theta (at most
// GifRK4MaxLevel).
func gifSynLevel(x float64) int {
	k := 0
	for k < GifRK4MaxLevel && x > GifRK4Theta*float64(int(1)<<k) {
		k++
	}
	return k
}

// gifCondLevel picks the number of substeps (as a level) for a neuron
// whose conductances are gex, gin at the start of the step.
func gifCondLevel(c []float64, gl, gex, gin float32) int {
	x := float32(float32(float32(gl+gex)+gin) * float32(c[gceHOverC]))
	k := 0
	if gex != 0 {
		k = max(k, int(c[gceLevelEx]))
	}
	if gin != 0 {
		k = max(k, int(c[gceLevelIn]))
	}
	for k < GifRK4MaxLevel && x > float32(c[gceLevel+k*gceLevelWidth+gceLBound]) {
		k++
	}
	return k
}

// gifCondF is C_m·dV/dt at v with conductances ge, gi and the constant
// input i0 = I_stim + I_e - I_stc: i0 - g_L(v - E_L) - ge(v - E_ex) - gi(v - E_in).
func gifCondF(v, ge, gi, i0, gl, el, eex, ein float32) float32 {
	return float32(float32(float32(i0-float32(gl*float32(v-el)))-float32(ge*float32(v-eex))) - float32(gi*float32(v-ein)))
}

// gifCondRK4 integrates V over one step from v with the start-of-step
// conductances gex, gin (which decay exactly within it) and returns it.
func gifCondRK4(c []float64, v, gex, gin, i0 float32) float32 {
	gl, el, eex, ein := float32(c[gceGL]), float32(c[gceEL]), float32(c[gceEex]), float32(c[gceEin])
	k := gifCondLevel(c, gl, gex, gin)
	b := c[gceLevel+k*gceLevelWidth:]
	hsc, sc, ssc := float32(b[gceLHalfSC]), float32(b[gceLSC]), float32(b[gceLSixthSC])
	exH, exF, inH, inF := float32(b[gceLExHalf]), float32(b[gceLExFull]), float32(b[gceLInHalf]), float32(b[gceLInFull])
	for j := 0; j < 1<<k; j++ {
		geM, giM := float32(gex*exH), float32(gin*inH)
		geB, giB := float32(gex*exF), float32(gin*inF)
		f1 := gifCondF(v, gex, gin, i0, gl, el, eex, ein)
		f2 := gifCondF(v+float32(hsc*f1), geM, giM, i0, gl, el, eex, ein)
		f3 := gifCondF(v+float32(hsc*f2), geM, giM, i0, gl, el, eex, ein)
		f4 := gifCondF(v+float32(sc*f3), geB, giB, i0, gl, el, eex, ein)
		v = v + float32(ssc*float32(float32(float32(f1+float32(2*f2))+float32(2*f3))+f4))
		gex, gin = geB, giB
	}
	return v
}

func updateGifCondExp(u *Update) {
	c := u.Const
	p11ex, p11in := float32(c[gceP11ex]), float32(c[gceP11in])
	ie := float32(c[gifIe])
	s := u.State
	v, gex, gin, ref, cur := s[gifVm], s[gifSynEx], s[gifSynIn], s[gifRef], s[gifIStim]
	spkEx, spkIn := u.In[0], u.In[1]
	for i := u.Lo; i < u.Hi; i++ {
		stc, sfa := gifAdapt(c, s, i)
		vi := v[i]
		if ref[i] == 0 {
			vi = gifCondRK4(c, vi, gex[i], gin[i], float32(float32(cur[i]+ie)-stc))
		}
		gex[i] = float32(gex[i]*p11ex) + spkEx[i]
		gin[i] = float32(gin[i]*p11in) - spkIn[i] // the in port holds negative weights: g_in takes |w|
		gifFinish(u, i, vi, stc, sfa)
	}
}
