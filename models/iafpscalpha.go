package models

import (
	"math"

	"github.com/snn-gpu/snn-gpu/internal/vec"
)

// Derived constants of iaf_psc_alpha, in Const order (kernels/iaf_psc_alpha.cu
// mirrors it).
const (
	alphaExpm1    = iota // expm1(-h/tau_m): V ← V + expm1·V is V·exp(-h/tau_m), as NEST writes it
	alphaP30             // -tau_m/C_m·expm1(-h/tau_m): constant current → V
	alphaP31ex           // dI_ex → V (pscPropagators)
	alphaP32ex           // I_ex → V
	alphaP31in           // dI_in → V
	alphaP32in           // I_in → V
	alphaP11ex           // exp(-h/tau_syn_ex) (= P22ex)
	alphaP21ex           // h·exp(-h/tau_syn_ex): dI_ex → I_ex
	alphaP11in           // exp(-h/tau_syn_in)
	alphaP21in           // h·exp(-h/tau_syn_in)
	alphaPSCex           // e/tau_syn_ex: dI_ex per pA of weight, so that the current peaks at the weight
	alphaPSCin           // e/tau_syn_in
	alphaVth             // V_th - E_L
	alphaVreset          // V_reset - E_L
	alphaVmin            // V_min - E_L
	alphaIe              // I_e
	alphaRefSteps        // t_ref in steps
	alphaConstCount
)

// iaf_psc_alpha state variables, in State order.
const (
	alphaVm   = iota // V_m − E_L
	alphaIex         // I_syn_ex
	alphaIin         // I_syn_in
	alphaDIex        // dI_syn_ex (pA/ms)
	alphaDIin        // dI_syn_in (pA/ms)
	alphaRef         // refractory steps left
	alphaI           // current from current generators, acting from the next step
	alphaStateCount
)

// IafPscAlpha is NEST's iaf_psc_alpha: a leaky integrate-and-fire neuron
// with alpha-shaped synaptic currents, integrated exactly.
var IafPscAlpha = &Neuron{
	Name: "iaf_psc_alpha",
	Doc: `Leaky integrate-and-fire neuron with alpha-shaped synaptic currents (NEST's iaf_psc_alpha).
dV/dt = -(V - E_L)/tau_m + (I_syn_ex + I_syn_in + I_stim + I_e)/C_m; a spike of weight w (pA) at t0 adds
w·(t-t0)/tau_syn·exp(1 - (t-t0)/tau_syn) to I_syn_ex (w > 0) or I_syn_in (w < 0): the current peaks at w
pA, tau_syn after the spike. Exact integration (NEST's propagators, singular case tau_m = tau_syn handled
as NEST does). Per step: if not refractory V ← P30·(I_stim + I_e) + P31·dI + P32·I (both receptors) +
exp(-h/tau_m)·V, then V ← max(V, V_min), else count down (V stays at V_reset, the currents go on);
then the currents advance (I ← h·e^(-h/tau)·dI + e^(-h/tau)·I, dI ← e^(-h/tau)·dI) and the spikes due
now add e/tau_syn·w to dI; then V >= V_th fires: V ← V_reset for t_ref. Current input acts from the
next step.`,
	Params: []Param{
		{Name: "E_L", Unit: "mV", Default: -70, Doc: "resting potential"},
		{Name: "C_m", Unit: "pF", Default: 250, Doc: "membrane capacitance"},
		{Name: "tau_m", Unit: "ms", Default: 10, Doc: "membrane time constant"},
		{Name: "t_ref", Unit: "ms", Default: 2, Doc: "refractory period"},
		{Name: "V_th", Unit: "mV", Default: -55, Doc: "spike threshold"},
		{Name: "V_reset", Unit: "mV", Default: -70, Doc: "reset potential"},
		{Name: "tau_syn_ex", Unit: "ms", Default: 2, Doc: "rise time of the excitatory synaptic current (time of its peak)"},
		{Name: "tau_syn_in", Unit: "ms", Default: 2, Doc: "rise time of the inhibitory synaptic current (time of its peak)"},
		{Name: "I_e", Unit: "pA", Default: 0, Doc: "constant input current"},
		{Name: "V_min", Unit: "mV", Default: math.Inf(-1), Doc: "lower bound of V_m"},
	},
	State: []StateVar{
		{Name: "V_m", Unit: "mV", Default: -70, Relative: "E_L", Doc: "membrane potential"},
		{Name: "I_syn_ex", Unit: "pA", Default: 0, Doc: "excitatory synaptic current"},
		{Name: "I_syn_in", Unit: "pA", Default: 0, Doc: "inhibitory synaptic current"},
		{Name: "dI_syn_ex", Default: 0, Internal: true, Doc: "derivative state of the excitatory current (pA/ms)"},
		{Name: "dI_syn_in", Default: 0, Internal: true, Doc: "derivative state of the inhibitory current (pA/ms)"},
		{Name: "refractory_steps", Internal: true, Doc: "refractory steps left"},
		{Name: "I_stim", Unit: "pA", Internal: true, Doc: "current from current generators, acting from the next step"},
	},
	Ports: []Port{
		{Name: "ex", Kind: SpikePort, Sign: +1},
		{Name: "in", Kind: SpikePort, Sign: -1},
		{Name: "currents", Kind: CurrentPort},
	},
	WeightUnit: weightIn("pA"),
	Check:      func(p Values, _ Lists, dt float64) error { return pscChecks(p) },
	Derive: func(p Values, _ Lists, dt float64) []float64 {
		c := make([]float64, alphaConstCount)
		tau, cm, el := p["tau_m"], p["C_m"], p["E_L"]
		tex, tin := p["tau_syn_ex"], p["tau_syn_in"]
		c[alphaExpm1] = math.Expm1(-dt / tau)
		c[alphaP30] = -tau / cm * math.Expm1(-dt/tau)
		c[alphaP32ex], c[alphaP31ex] = pscPropagators(tex, tau, cm, dt)
		c[alphaP32in], c[alphaP31in] = pscPropagators(tin, tau, cm, dt)
		c[alphaP11ex] = math.Exp(-dt / tex)
		c[alphaP21ex] = dt * c[alphaP11ex]
		c[alphaP11in] = math.Exp(-dt / tin)
		c[alphaP21in] = dt * c[alphaP11in]
		c[alphaPSCex] = math.E / tex
		c[alphaPSCin] = math.E / tin
		c[alphaVth] = p["V_th"] - el
		c[alphaVreset] = p["V_reset"] - el
		c[alphaVmin] = p["V_min"] - el
		c[alphaIe] = p["I_e"]
		c[alphaRefSteps] = float64(Steps(p["t_ref"], dt))
		return c
	},
	Update: updateIafPscAlpha,
}

func init() { RegisterNeuron(IafPscAlpha) }

// alphaBlock is how many neurons updateIafPscAlpha takes at a time: the
// block's ten rows (20 KiB) stay in a 32-KiB L1 between its passes, and
// each primitive call has 64 vectors to amortise its cost over (faster
// than 256 in our noisy runs; 1024, whose rows overflow L1, no faster).
const alphaBlock = 512

// updateIafPscAlpha runs the membrane and the currents as whole-row
// arithmetic (internal/vec: eight neurons at a time, the scalar roundings
// in the scalar order), block by block: the new membrane potential of every
// neuron, kept where the neuron is not refractory (a select, not a branch:
// which neurons are refractory is unpredictable), the refractory counts
// down, then a scan for the few over threshold, which fire, then the
// currents (after the membrane, which reads this step's old values).
func updateIafPscAlpha(u *Update) {
	c := u.Const
	em1, p30 := float32(c[alphaExpm1]), float32(c[alphaP30])
	p31ex, p32ex, p31in, p32in := float32(c[alphaP31ex]), float32(c[alphaP32ex]), float32(c[alphaP31in]), float32(c[alphaP32in])
	p11ex, p21ex, p11in, p21in := float32(c[alphaP11ex]), float32(c[alphaP21ex]), float32(c[alphaP11in]), float32(c[alphaP21in])
	pscEx, pscIn := float32(c[alphaPSCex]), float32(c[alphaPSCin])
	vth, vreset, vmin := float32(c[alphaVth]), float32(c[alphaVreset]), float32(c[alphaVmin])
	ie, refSteps := float32(c[alphaIe]), float32(c[alphaRefSteps])
	spikes := u.Spikes
	for lo := u.Lo; lo < u.Hi; lo += alphaBlock {
		// Every row cut to the block (the primitives run over their first
		// row's length).
		v := u.State[alphaVm][lo:min(lo+alphaBlock, u.Hi)]
		n := len(v)
		iex, iin := u.State[alphaIex][lo:][:n], u.State[alphaIin][lo:][:n]
		diex, diin := u.State[alphaDIex][lo:][:n], u.State[alphaDIin][lo:][:n]
		ref, cur := u.State[alphaRef][lo:][:n], u.State[alphaI][lo:][:n]
		// The new potential goes into cur: its one reader, it is replaced
		// by this step's input current afterwards.
		x := cur
		vec.MulOfSum(x, p30, cur, ie)
		vec.AddMul(x, p31ex, diex)
		vec.AddMul(x, p32ex, iex)
		vec.AddMul(x, p31in, diin)
		vec.AddMul(x, p32in, iin)
		vec.AddMul(x, em1, v)
		vec.Add(x, x, v)
		vec.ClampBelow(x, vmin)
		vec.CopyWhereZero(v, x, ref)
		vec.CountDown(ref)
		for i := vec.FirstAtLeast(v, vth); i < n; i += 1 + vec.FirstAtLeast(v[i+1:], vth) {
			ref[i] = refSteps
			v[i] = vreset
			spikes = append(spikes, uint32(lo+i))
		}
		copy(cur, u.In[2][lo:][:n])
		vec.Mul2Sum(iex, p21ex, diex, p11ex, iex)
		vec.Mul2Sum(diex, p11ex, diex, pscEx, u.In[0][lo:][:n])
		vec.Mul2Sum(iin, p21in, diin, p11in, iin)
		vec.Mul2Sum(diin, p11in, diin, pscIn, u.In[1][lo:][:n])
	}
	u.Spikes = spikes
}
