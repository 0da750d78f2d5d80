package models

import (
	"fmt"
	"math"
	"sync"

	"github.com/snn-gpu/snn-gpu/ode"
	"github.com/snn-gpu/snn-gpu/rng"
)

// pp_cond_exp_mc_urbanczik (Urbanczik and Senn 2014; NEST's model) is a
// soma with exponential conductances coupled to a dendrite with
// exponential currents, firing as a point process with rate phi(V_m.s) and
// never reset. Its 6-variable ODE is integrated by the shared adaptive
// stepper (package ode) at NEST's absolute tolerance 1e-3, in float64 kept
// as float32 pairs as the HH models keep theirs (wideGet, wideSet). Every
// step it writes dPI, the entry NEST appends to its Urbanczik history,
// which urbanczik_synapse reads.

// urbTol is the stepper's absolute tolerance (NEST's, gsl_odeiv_control_y_new).
const urbTol = 1e-3

// The ODE vector: the first urbDim named state variables, in the order of
// NEST's recordables.
const (
	urbVs  = iota // V_m.s
	urbGEx        // g_ex.s
	urbGIn        // g_in.s
	urbVp         // V_m.p
	urbIEx        // I_ex.p
	urbIIn        // I_in.p
	urbDim
)

// The named state variables after the ODE vector; then come the history
// slots: the ODE's low halves and the step size's pair.
const (
	urbRef   = urbDim + iota // refractory_steps
	urbStimS                 // I_stim.s acting in this step
	urbPI                    // dPI of the last step
	urbNamed
)

// Derived constants, in Const order (kernels/pp_cond_exp_mc_urbanczik.cu
// mirrors it).
const (
	uCs       = iota // C_m_s
	uGLs             // g_L_s
	uELs             // E_L_s
	uEExs            // E_ex_s
	uEIns            // E_in_s
	uTauExS          // tau_syn_ex_s
	uTauInS          // tau_syn_in_s
	uIes             // I_e_s
	uCp              // C_m_p
	uGLp             // g_L_p
	uELp             // E_L_p
	uTauExP          // tau_syn_ex_p
	uTauInP          // tau_syn_in_p
	uGsp             // g_sp
	uGps             // g_ps
	uPhiMax          // phi_max (1/ms)
	uK               // rate_slope
	uBeta            // beta
	uTheta           // theta
	uRefSteps        // t_ref in steps
	uPoisson         // 1 when t_ref = 0: Poisson counts instead of one Bernoulli draw
	uMaxCount        // the most spikes per step (Multiplicity)
	uDt              // the step (ms)
	uConstCount
)

// The ports, in Ports order.
const (
	urbPortSomaExc = iota
	urbPortSomaInh
	urbPortDendExc
	urbPortDendInh
	urbPortSomaCurr
	urbPortDendCurr
)

// urbSystem is the model's right-hand side with the inputs of one step.
type urbSystem struct {
	c    []float64
	istS float64 // I_e_s + I_stim.s
}

func (f *urbSystem) Derivs(_ float64, y, dy []float64) {
	c := f.c
	vs, vp := y[urbVs], y[urbVp]
	iL := float64(c[uGLs] * (vs - c[uELs]))
	iEx := float64(y[urbGEx] * (vs - c[uEExs]))
	iIn := float64(y[urbGIn] * (vs - c[uEIns]))
	iC := float64(c[uGsp] * (vs - vp))
	dy[urbVs] = ((((-iL - iEx) - iIn) - iC) + f.istS) / c[uCs]
	dy[urbGEx] = -y[urbGEx] / c[uTauExS]
	dy[urbGIn] = -y[urbGIn] / c[uTauInS]
	iL = float64(c[uGLp] * (vp - c[uELp]))
	iC = float64(c[uGps] * (vp - vs))
	// NEST 3.10 leaves I_e_p and dendritic_curr out of the dendrite
	// (docs/models.md).
	dy[urbVp] = (((-iL + y[urbIEx]) + y[urbIIn]) - iC) / c[uCp]
	dy[urbIEx] = -y[urbIEx] / c[uTauExP]
	dy[urbIIn] = -y[urbIIn] / c[uTauInP]
}

// urbPhi is the rate function phi(u) = phi_max/(1 + k·e^(beta(theta - u))),
// in 1/ms.
func urbPhi(c []float64, u float64) float64 {
	return c[uPhiMax] / (1 + float64(c[uK]*rng.Exp(float64(c[uBeta]*(c[uTheta]-u)))))
}

// urbH is NEST's h(u) = 15·beta/(1 + e^(-beta(theta - u))/k): 15 mV times
// the derivative of log phi.
func urbH(c []float64, u float64) float64 {
	return float64(15*c[uBeta]) / (1 + rng.Exp(-float64(c[uBeta]*(c[uTheta]-u)))/c[uK])
}

// urbDPI is the step's entry of NEST's Urbanczik history:
// (n - phi(V_w*)·h)·h(V_w*), with V_w* = (g_L_s E_L_s + g_sp V_m.p)/(g_L_s +
// g_sp) the dendritic prediction of the somatic potential.
func urbDPI(c []float64, n int, vp float64) float64 {
	vw := (float64(c[uGLs]*c[uELs]) + float64(c[uGsp]*vp)) / (c[uGLs] + c[uGsp])
	return float64((float64(n) - float64(urbPhi(c, vw)*c[uDt])) * urbH(c, vw))
}

// urbSpikes draws the spikes of neuron i in this step, not refractory, at
// somatic potential vs: one with probability 1 - e^(-phi h) when t_ref > 0,
// a Poisson(phi h) count when t_ref = 0 (at most uMaxCount, which Check
// makes a bound the draw cannot reach). The draws come from the neuron's
// stream for the step (PurposeNeuron, object = population, index =
// neuron).
func urbSpikes(c []float64, key rng.Key, object uint32, i int, step int64, vs float64) int {
	lambda := float64(urbPhi(c, vs) * c[uDt])
	if !(lambda > 0) {
		return 0
	}
	st := rng.NewStream(key, rng.PurposeNeuron, object, uint32(i), uint32(step))
	if c[uPoisson] == 0 {
		if st.Float64() <= 1-rng.Exp(-lambda) {
			return 1
		}
		return 0
	}
	return min(int(rng.PoissonInversion(st.Uint32(), lambda, rng.Exp(-lambda))), int(c[uMaxCount]))
}

// urbSteppers keeps one stepper per goroutine.
var urbSteppers = sync.Pool{New: func() any { return ode.New(urbDim, urbTol) }}

// updateUrbanczik advances neurons by one step in NEST's order: the ODE
// over the step, then the spikes due now (g_ex.s, g_in.s and I_ex.p jump by
// the weight, I_in.p by minus it), then, outside the refractory period, the
// spike draw at the new V_m.s (no reset; a spike starts t_ref), then dPI
// from the new V_m.p, then the current inputs for the next step.
func updateUrbanczik(u *Update) {
	c := u.Const
	st := urbSteppers.Get().(*ode.RKF45)
	defer urbSteppers.Put(st)
	f := urbSystem{c: c}
	var y [urbDim]float64
	lows := urbNamed
	hHi, hLo := u.State[lows+urbDim], u.State[lows+urbDim+1]
	ref := u.State[urbRef]
	refSteps := float32(c[uRefSteps])
	for i := u.Lo; i < u.Hi; i++ {
		for j := range urbDim {
			y[j] = wideGet(u.State[j][i], u.State[lows+j][i])
		}
		h := wideGet(hHi[i], hLo[i])
		f.istS = float64(u.State[urbStimS][i]) + c[uIes]
		h = st.Evolve(&f, y[:], c[uDt], h)
		y[urbGEx] += float64(u.In[urbPortSomaExc][i])
		y[urbGIn] += float64(u.In[urbPortSomaInh][i])
		y[urbIEx] += float64(u.In[urbPortDendExc][i])
		y[urbIIn] -= float64(u.In[urbPortDendInh][i])
		n := 0
		if ref[i] > 0 {
			ref[i]--
		} else if n = urbSpikes(c, u.Key, u.Object, i, u.Step, y[urbVs]); n > 0 {
			ref[i] = refSteps
			for range n {
				u.Spikes = append(u.Spikes, uint32(i))
			}
		}
		u.State[urbPI][i] = float32(urbDPI(c, n, y[urbVp]))
		u.State[urbStimS][i] = u.In[urbPortSomaCurr][i]
		for j := range urbDim {
			u.State[j][i], u.State[lows+j][i] = wideSet(y[j])
		}
		hHi[i], hLo[i] = wideSet(h)
	}
}

// urbMaxCount is the most spikes a neuron emits in a step with t_ref = 0
// (Multiplicity; with t_ref > 0, 1). Check refuses a phi_max·h whose
// Poisson counts could exceed it.
const urbMaxCount = 16

func urbMultiplicity(p Values) int {
	if p["t_ref"] > 0 {
		return 1
	}
	return urbMaxCount
}

func urbDerive(p Values, _ Lists, dt float64) []float64 {
	c := make([]float64, uConstCount)
	for i, n := range [...]string{uCs: "C_m_s", uGLs: "g_L_s", uELs: "E_L_s", uEExs: "E_ex_s", uEIns: "E_in_s",
		uTauExS: "tau_syn_ex_s", uTauInS: "tau_syn_in_s", uIes: "I_e_s", uCp: "C_m_p", uGLp: "g_L_p", uELp: "E_L_p",
		uTauExP: "tau_syn_ex_p", uTauInP: "tau_syn_in_p", uGsp: "g_sp", uGps: "g_ps",
		uPhiMax: "phi_max", uK: "rate_slope", uBeta: "beta", uTheta: "theta"} {
		c[i] = p[n]
	}
	c[uRefSteps] = float64(Steps(p["t_ref"], dt))
	if p["t_ref"] == 0 {
		c[uPoisson] = 1
	}
	c[uMaxCount] = float64(urbMultiplicity(p))
	c[uDt] = dt
	return c
}

func urbCheck(p Values, _ Lists, dt float64) error {
	if err := positive(p, "C_m_s", "C_m_p", "tau_syn_ex_s", "tau_syn_in_s", "tau_syn_ex_p", "tau_syn_in_p"); err != nil {
		return err
	}
	// NEST checks t_ref only; a negative phi_max or rate_slope makes phi
	// negative or unbounded.
	if err := nonNegative(p, "t_ref", "phi_max", "rate_slope", "g_L_s", "g_L_p", "g_sp", "g_ps"); err != nil {
		return err
	}
	if p["g_L_s"]+p["g_sp"] == 0 {
		return fmt.Errorf("g_L_s + g_sp must be > 0 (V_w* divides by it)")
	}
	// The largest Poisson count inversion can give at the highest rate is
	// the length of its table less one; it must fit the spike buffers.
	if l := p["phi_max"] * dt; p["t_ref"] == 0 && l > 0 &&
		(l >= rng.PoissonSmall || len(rng.PoissonThresholds(l, math.Exp(-l))) > urbMaxCount) {
		return fmt.Errorf("phi_max·dt = %g allows more than %d spikes per step with t_ref = 0; use a smaller phi_max or dt", l, urbMaxCount-1)
	}
	return nil
}

// PpCondExpMcUrbanczik is NEST's pp_cond_exp_mc_urbanczik.
var PpCondExpMcUrbanczik = &Neuron{
	Name: "pp_cond_exp_mc_urbanczik",
	Doc: `Two-compartment point-process neuron of Urbanczik and Senn (2014) (NEST's pp_cond_exp_mc_urbanczik). Soma:
C_m_s dV_m.s/dt = -g_L_s (V_m.s - E_L_s) - g_ex.s (V_m.s - E_ex_s) - g_in.s (V_m.s - E_in_s) - g_sp (V_m.s -
V_m.p) + I_e_s + I_stim.s, exponential conductances (tau_syn_ex_s, tau_syn_in_s). Dendrite ("p", NEST's
"dendritic"): C_m_p dV_m.p/dt = -g_L_p (V_m.p - E_L_p) + I_ex.p + I_in.p - g_ps (V_m.p - V_m.s), exponential
currents (tau_syn_ex_p, tau_syn_in_p); as in NEST 3.10, I_e_p and dendritic_curr inputs have no effect. Integrated by the adaptive RKF45 stepper (absolute
tolerance 1e-3, step size carried over; package ode) in float64. Spike inputs after each step: soma_exc and
soma_inh add the weight (nS) to g_ex.s, g_in.s; dendritic_exc adds it (pA) to I_ex.p, dendritic_inh subtracts
it from I_in.p; weights must be positive (NEST). Current inputs: soma_curr (dendritic_curr: none, as NEST). Spikes: a point
process of rate phi(V_m.s) = phi_max/(1 + rate_slope e^(beta (theta - V_m.s))), V_m.s never reset; with t_ref
> 0 one spike with probability 1 - e^(-phi h) per step and none for t_ref after it, with t_ref = 0 a Poisson
count. dPI (internal) is the step's Urbanczik history entry (n - phi(V_w*) h) h(V_w*), V_w* = (g_L_s E_L_s +
g_sp V_m.p)/(g_L_s + g_sp), read by urbanczik_synapse.`,
	Params: []Param{
		{Name: "t_ref", Unit: "ms", Default: 3, Doc: "refractory period: no spikes for t_ref after one (V_m.s is not clamped); 0: Poisson counts"},
		{Name: "phi_max", Default: 0.15, Doc: "largest rate of the rate function phi, in 1/ms (NEST gives no unit; 0.15 is 150 Hz)"},
		{Name: "rate_slope", Default: 0.5, Doc: "k of phi: phi(theta) = phi_max/(1 + k)"},
		{Name: "beta", Default: 1.0 / 3, Doc: "steepness of phi, in 1/mV (NEST gives no unit)"},
		{Name: "theta", Unit: "mV", Default: -55, Doc: "potential of phi's midpoint (with k = 1)"},
		{Name: "g_sp", Unit: "nS", Default: 600, Doc: "coupling conductance dendrite → soma (soma equation and V_w*)"},
		{Name: "g_ps", Unit: "nS", Default: 0, Doc: "coupling conductance soma → dendrite"},
		{Name: "C_m_s", Unit: "pF", Default: 300, Doc: "somatic capacitance (NEST: soma.C_m)"},
		{Name: "g_L_s", Unit: "nS", Default: 30, Doc: "somatic leak conductance"},
		{Name: "E_L_s", Unit: "mV", Default: -70, Doc: "somatic leak reversal potential"},
		{Name: "E_ex_s", Unit: "mV", Default: 0, Doc: "somatic excitatory reversal potential"},
		{Name: "E_in_s", Unit: "mV", Default: -75, Doc: "somatic inhibitory reversal potential"},
		{Name: "tau_syn_ex_s", Unit: "ms", Default: 3, Doc: "somatic excitatory conductance time constant"},
		{Name: "tau_syn_in_s", Unit: "ms", Default: 3, Doc: "somatic inhibitory conductance time constant"},
		{Name: "I_e_s", Unit: "pA", Default: 0, Doc: "constant somatic input current"},
		{Name: "C_m_p", Unit: "pF", Default: 300, Doc: "dendritic capacitance (NEST: dendritic.C_m)"},
		{Name: "g_L_p", Unit: "nS", Default: 30, Doc: "dendritic leak conductance"},
		{Name: "E_L_p", Unit: "mV", Default: -70, Doc: "dendritic leak reversal potential"},
		{Name: "E_ex_p", Unit: "mV", Default: 0, Doc: "unused (NEST has it; the dendrite is current-based)"},
		{Name: "E_in_p", Unit: "mV", Default: 0, Doc: "unused (NEST has it; the dendrite is current-based)"},
		{Name: "tau_syn_ex_p", Unit: "ms", Default: 3, Doc: "dendritic excitatory current time constant"},
		{Name: "tau_syn_in_p", Unit: "ms", Default: 3, Doc: "dendritic inhibitory current time constant"},
		{Name: "I_e_p", Unit: "pA", Default: 0, Doc: "unused: NEST 3.10 leaves it out of the dendrite's equation (docs/models.md)"},
	},
	State: []StateVar{
		{Name: "V_m.s", Unit: "mV", DefaultParam: "E_L_s", Doc: "somatic membrane potential"},
		{Name: "g_ex.s", Unit: "nS", Doc: "somatic excitatory conductance"},
		{Name: "g_in.s", Unit: "nS", Doc: "somatic inhibitory conductance"},
		{Name: "V_m.p", Unit: "mV", DefaultParam: "E_L_p", Doc: "dendritic membrane potential"},
		{Name: "I_ex.p", Unit: "pA", Doc: "dendritic excitatory current"},
		{Name: "I_in.p", Unit: "pA", Doc: "dendritic inhibitory current (<= 0)"},
		{Name: "refractory_steps", Internal: true, Doc: "steps left in which no spike is drawn"},
		{Name: "I_stim.s", Unit: "pA", Internal: true, Doc: "somatic current from current generators, acting from the next step"},
		{Name: "dPI", Internal: true, Doc: "the step's Urbanczik history entry (n_spikes - phi(V_w*) h) h(V_w*), in 1/mV (read by urbanczik_synapse)"},
	},
	Ports: []Port{
		{Name: "soma_exc", Receptor: "soma_exc", Kind: SpikePort, Sign: +1},
		{Name: "soma_inh", Receptor: "soma_inh", Kind: SpikePort, Sign: +1},
		{Name: "dendritic_exc", Receptor: "dendritic_exc", Kind: SpikePort, Sign: +1, WeightUnit: "pA"},
		{Name: "dendritic_inh", Receptor: "dendritic_inh", Kind: SpikePort, Sign: +1, WeightUnit: "pA"},
		{Name: "soma_curr", Receptor: "soma_curr", Kind: CurrentPort},
		// NEST 3.10 takes connections here but never applies the current.
		{Name: "dendritic_curr", Receptor: "dendritic_curr", Kind: CurrentPort},
	},
	WeightUnit:   weightIn("nS"),
	History:      func(Values, Lists, float64) int { return urbDim + 2 },
	Multiplicity: urbMultiplicity,
	Relay:        true,
	Check:        urbCheck,
	Derive:       urbDerive,
	Update:       updateUrbanczik,
}

func init() { RegisterNeuron(PpCondExpMcUrbanczik) }
