package models

import (
	"encoding/binary"
	"math"
	"math/bits"
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

// alphaParams are the derived constants of iaf_psc_alpha as the update
// uses them, in float32, in the order iafPscAlphaAVX reads them (the
// factors, then the rest; it broadcasts each to eight lanes itself: done
// here for every call, that cost a tenth of the structural example's run).
type alphaParams struct {
	p30, p31ex, p32ex, p31in, p32in, em1 float32
	p21ex, p11ex, pscEx                  float32
	p21in, p11in, pscIn                  float32
	ie, vmin, vth, vreset, refSteps      float32
	one, zero                            float32 // for the assembly's blends
}

func newAlphaParams(c []float64) alphaParams {
	return alphaParams{
		em1: float32(c[alphaExpm1]), p30: float32(c[alphaP30]),
		p31ex: float32(c[alphaP31ex]), p32ex: float32(c[alphaP32ex]), p31in: float32(c[alphaP31in]), p32in: float32(c[alphaP32in]),
		p11ex: float32(c[alphaP11ex]), p21ex: float32(c[alphaP21ex]), p11in: float32(c[alphaP11in]), p21in: float32(c[alphaP21in]),
		pscEx: float32(c[alphaPSCex]), pscIn: float32(c[alphaPSCin]),
		vth: float32(c[alphaVth]), vreset: float32(c[alphaVreset]), vmin: float32(c[alphaVmin]),
		ie: float32(c[alphaIe]), refSteps: float32(c[alphaRefSteps]), one: 1,
	}
}

// alphaBlock is how many neurons iafPscAlphaAVX takes at a time: its two
// loops' ten rows (40 KiB) mostly stay in L1 and L2 between them, and the
// spike mask (one byte per eight neurons) stays small on the stack. A
// multiple of 64: the mask is read eight bytes at a time.
const alphaBlock = 1024

// updateIafPscAlpha runs iafPscAlphaAVX block by block (eight neurons at a
// time, the scalar roundings in the scalar order; it marks the few that
// fire, which are appended here), and the last len%8 neurons, or all
// without AVX, through the Go loop (alphaParams.update).
func updateIafPscAlpha(u *Update) {
	p := newAlphaParams(u.Const)
	lo, spikes := u.Lo, u.Spikes
	if alphaAVX && u.Hi-lo >= 8 {
		var mask [alphaBlock / 8]uint8 // on the stack, as p: iafPscAlphaAVX keeps no pointer
		for u.Hi-lo >= 8 {
			n := min(alphaBlock, (u.Hi-lo)&^7)
			s := u.State
			iafPscAlphaAVX(&p, mask[:n/8], s[alphaVm][lo:lo+n], s[alphaIex][lo:][:n], s[alphaIin][lo:][:n], s[alphaDIex][lo:][:n], s[alphaDIin][lo:][:n],
				s[alphaRef][lo:][:n], s[alphaI][lo:][:n], u.In[0][lo:][:n], u.In[1][lo:][:n], u.In[2][lo:][:n])
			// Eight mask bytes at a time: bit j of the word is neuron
			// lo+g+j. Spikes are rare, and most words are zero.
			for g := 0; g < n; g += 64 {
				w := binary.LittleEndian.Uint64(mask[g/8:])
				if n-g < 64 {
					w &= 1<<(n-g) - 1 // bytes past this block's are stale
				}
				for ; w != 0; w &= w - 1 {
					spikes = append(spikes, uint32(lo+g+bits.TrailingZeros64(w)))
				}
			}
			lo += n
		}
	}
	if lo < u.Hi { // the tail, or all without AVX
		spikes = p.update(u, lo, spikes)
	}
	u.Spikes = spikes
}

// update runs neurons lo to u.Hi one at a time and returns spikes with
// those that fired appended: not refractory, V ← P30·(I_stim + I_e) + the
// currents' terms + expm1·V + V, at least V_min; refractory, the count goes
// down; then V >= V_th fires; then the currents advance from their old
// values.
func (p *alphaParams) update(u *Update, lo int, spikes []uint32) []uint32 {
	// Every slice cut to one length, so that the loop runs without bounds
	// checks.
	v := u.State[alphaVm][lo:u.Hi]
	n := len(v)
	iex, iin := u.State[alphaIex][lo:][:n], u.State[alphaIin][lo:][:n]
	diex, diin := u.State[alphaDIex][lo:][:n], u.State[alphaDIin][lo:][:n]
	ref, cur := u.State[alphaRef][lo:][:n], u.State[alphaI][lo:][:n]
	spkEx, spkIn, inCur := u.In[0][lo:][:n], u.In[1][lo:][:n], u.In[2][lo:][:n]
	for i := range v {
		vi := v[i]
		if ref[i] == 0 {
			x := float32(p.p30 * float32(cur[i]+p.ie))
			x = x + float32(p.p31ex*diex[i])
			x = x + float32(p.p32ex*iex[i])
			x = x + float32(p.p31in*diin[i])
			x = x + float32(p.p32in*iin[i])
			x = x + float32(p.em1*vi)
			vi = x + vi
			if vi < p.vmin {
				vi = p.vmin
			}
		} else {
			ref[i]--
		}
		if vi >= p.vth {
			ref[i] = p.refSteps
			vi = p.vreset
			spikes = append(spikes, uint32(lo+i))
		}
		v[i] = vi
		cur[i] = inCur[i]
		dex, din := diex[i], diin[i]
		iex[i] = float32(p.p21ex*dex) + float32(p.p11ex*iex[i])
		diex[i] = float32(dex*p.p11ex) + float32(p.pscEx*spkEx[i])
		iin[i] = float32(p.p21in*din) + float32(p.p11in*iin[i])
		diin[i] = float32(din*p.p11in) + float32(p.pscIn*spkIn[i])
	}
	return spikes
}
