package models

import (
	"math"

	"github.com/snn-gpu/snn-gpu/rng"
)

// Derived constants of iaf_psc_exp, in Const order (kernels/iaf_psc_exp.cu
// mirrors it).
const (
	expP22        = iota // exp(-h/tau_m)
	expP21ex             // I_syn_ex → V (pscPropagators)
	expP21in             // I_syn_in → V
	expP20               // tau_m/C_m (1 - P22): constant current → V
	expP11ex             // exp(-h/tau_syn_ex)
	expP11in             // exp(-h/tau_syn_in)
	expVth               // V_th - E_L
	expVreset            // V_reset - E_L
	expIe                // I_e
	expRefSteps          // t_ref in steps
	expStochastic        // 1 when delta > 1e-10 (escape noise)
	expDelta             // delta
	expLogRhoH           // log(rho·h·1e-3): log of the firing probability per step at threshold
	expConstCount
)

// iaf_psc_exp state variables, in State order.
const (
	expVm  = iota // V_m − E_L
	expIex        // I_syn_ex
	expIin        // I_syn_in
	expRef        // refractory steps left
	expI          // current from current generators, acting from the next step
	expStateCount
)

// IafPscExp is NEST's iaf_psc_exp: a leaky integrate-and-fire neuron with
// exponentially decaying synaptic currents, integrated exactly.
var IafPscExp = &Neuron{
	Name: "iaf_psc_exp",
	Doc: `Leaky integrate-and-fire neuron with exponential synaptic currents (NEST's iaf_psc_exp).
dV/dt = -(V - E_L)/tau_m + (I_syn_ex + I_syn_in + I_stim + I_e)/C_m, dI_syn_X/dt = -I_syn_X/tau_syn_X.
A spike of weight w (pA) makes I_syn_ex (w > 0) or I_syn_in (w < 0) jump by w; exact integration
(NEST's propagators, singular case tau_m = tau_syn handled as NEST does). Per step: if not refractory
V ← P22·V + P21ex·I_syn_ex + P21in·I_syn_in + P20·(I_e + I_stim), else count down (V stays at
V_reset, the currents go on); then the currents decay and the spikes due now are added; then V >= V_th
fires (with delta > 0 instead: escape noise, fire with probability rho·exp((V - V_th)/delta)·h, even
while refractory, as NEST); a spike sets V ← V_reset for t_ref. Current input acts from the next step.`,
	Params: []Param{
		{Name: "E_L", Unit: "mV", Default: -70, Doc: "resting potential"},
		{Name: "C_m", Unit: "pF", Default: 250, Doc: "membrane capacitance"},
		{Name: "tau_m", Unit: "ms", Default: 10, Doc: "membrane time constant"},
		{Name: "tau_syn_ex", Unit: "ms", Default: 2, Doc: "time constant of the excitatory synaptic current"},
		{Name: "tau_syn_in", Unit: "ms", Default: 2, Doc: "time constant of the inhibitory synaptic current"},
		{Name: "t_ref", Unit: "ms", Default: 2, Doc: "refractory period"},
		{Name: "V_th", Unit: "mV", Default: -55, Doc: "spike threshold"},
		{Name: "V_reset", Unit: "mV", Default: -70, Doc: "reset potential"},
		{Name: "I_e", Unit: "pA", Default: 0, Doc: "constant input current"},
		{Name: "rho", Unit: "Hz", Default: 0.01, Doc: "escape-noise firing intensity at threshold (used when delta > 0)"},
		{Name: "delta", Unit: "mV", Default: 0, Doc: "escape-noise width of the threshold region (0: deterministic threshold)"},
	},
	State: []StateVar{
		{Name: "V_m", Unit: "mV", Default: -70, Relative: "E_L", Doc: "membrane potential"},
		{Name: "I_syn_ex", Unit: "pA", Default: 0, Doc: "excitatory synaptic current"},
		{Name: "I_syn_in", Unit: "pA", Default: 0, Doc: "inhibitory synaptic current"},
		{Name: "refractory_steps", Internal: true, Doc: "refractory steps left"},
		{Name: "I_stim", Unit: "pA", Internal: true, Doc: "current from current generators, acting from the next step"},
	},
	Ports: []Port{
		{Name: "ex", Kind: SpikePort, Sign: +1},
		{Name: "in", Kind: SpikePort, Sign: -1},
		{Name: "currents", Kind: CurrentPort},
	},
	WeightUnit: weightIn("pA"),
	Check: func(p Values, _ Lists, dt float64) error {
		if err := pscChecks(p); err != nil {
			return err
		}
		return nonNegative(p, "rho", "delta")
	},
	Derive: func(p Values, _ Lists, dt float64) []float64 {
		c := make([]float64, expConstCount)
		tau, cm, el := p["tau_m"], p["C_m"], p["E_L"]
		c[expP22] = math.Exp(-dt / tau)
		c[expP21ex], _ = pscPropagators(p["tau_syn_ex"], tau, cm, dt)
		c[expP21in], _ = pscPropagators(p["tau_syn_in"], tau, cm, dt)
		c[expP20] = tau / cm * (1 - c[expP22])
		c[expP11ex] = math.Exp(-dt / p["tau_syn_ex"])
		c[expP11in] = math.Exp(-dt / p["tau_syn_in"])
		c[expVth] = p["V_th"] - el
		c[expVreset] = p["V_reset"] - el
		c[expIe] = p["I_e"]
		c[expRefSteps] = float64(Steps(p["t_ref"], dt))
		if p["delta"] > 1e-10 {
			c[expStochastic] = 1
		}
		c[expDelta] = p["delta"]
		c[expLogRhoH] = math.Log(p["rho"] * dt * 1e-3)
		return c
	},
	Update: updateIafPscExp,
}

func init() { RegisterNeuron(IafPscExp) }

func updateIafPscExp(u *Update) {
	c := u.Const
	p22, p21ex, p21in, p20 := float32(c[expP22]), float32(c[expP21ex]), float32(c[expP21in]), float32(c[expP20])
	p11ex, p11in := float32(c[expP11ex]), float32(c[expP11in])
	vth, vreset, ie, refSteps := float32(c[expVth]), float32(c[expVreset]), float32(c[expIe]), float32(c[expRefSteps])
	stochastic := c[expStochastic] != 0
	v, iex, iin, ref, cur := u.State[expVm], u.State[expIex], u.State[expIin], u.State[expRef], u.State[expI]
	spkEx, spkIn, inCur := u.In[0], u.In[1], u.In[2]
	for i := u.Lo; i < u.Hi; i++ {
		vi := v[i]
		if ref[i] == 0 {
			vi = float32(float32(float32(p22*vi)+float32(p21ex*iex[i]))+float32(p21in*iin[i])) + float32(p20*float32(ie+cur[i]))
		} else {
			ref[i]--
		}
		iex[i] = float32(iex[i]*p11ex) + spkEx[i]
		iin[i] = float32(iin[i]*p11in) + spkIn[i]
		var fire bool
		if stochastic {
			fire = escape(u, i, vi, c[expVth], c[expDelta], c[expLogRhoH])
		} else {
			fire = vi >= vth
		}
		if fire {
			ref[i] = refSteps
			vi = vreset
			u.Spikes = append(u.Spikes, uint32(i))
		}
		v[i] = vi
		cur[i] = inCur[i]
	}
}

// escape is the escape-noise threshold of iaf_psc_exp: fire with
// probability rho·exp((V - V_th)/delta)·h in this step. NEST tests
// u < rho·exp((V-V_th)/delta)·h·1e-3 for a uniform u; we test the same
// inequality in logarithms, log u - log(rho·h·1e-3) < (V-V_th)/delta, with
// the portable log, so that the GPU decides the same (kernels/iaf_psc_exp.cu).
// u is the first Philox draw of (neuron, step) for the population.
func escape(u *Update, i int, v float32, vth, delta, logRhoH float64) bool {
	st := rng.NewStream(u.Key, rng.PurposeNeuron, u.Object, uint32(i), uint32(u.Step))
	return rng.Log(st.Float64())-logRhoH < (float64(v)-vth)/delta
}
