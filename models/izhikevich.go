package models

import "math"

// Derived constants of izhikevich, in Const order (kernels/izhikevich.cu
// mirrors it).
const (
	izhH          = iota // h, the resolution (ms)
	izhHalfH             // h/2: the published half steps
	izhVth               // V_th
	izhVmin              // V_min
	izhIe                // I_e
	izhConsistent        // consistent_integration (0 or 1)
	izhConstCount
)

// izhikevich state variables, in State order.
const (
	izhVm = iota // V_m (absolute: the model has no E_L)
	izhUm        // U_m
	izhI         // current from current generators, acting from the next step
	izhStateCount
)

// izhikevich's per-neuron parameters, in Update.PerNeuron order (their
// order in Params).
const (
	izhA = iota
	izhB
	izhC
	izhD
)

// Izhikevich is NEST's izhikevich: the simple model of spiking neurons of
// Izhikevich (2003), with NEST's two integration schemes.
var Izhikevich = &Neuron{
	Name: "izhikevich",
	Doc: `Izhikevich (2003) simple spiking neuron (NEST's izhikevich); units as the paper's (mV, ms, current with R = 1).
dV/dt = 0.04·V² + 5·V + 140 - U + I_e + I, dU/dt = a·(b·V - U); V >= V_th: V ← c, U ← U + d. No refractoriness.
a, b, c, d may differ between neurons (draws in configs). Per step h, in NEST's order:
consistent_integration = true (NEST's default): forward Euler from the old V, U:
  V ← V + h·(0.04·V² + 5·V + 140 - U + I_stim + I_e) + W, U ← U + h·a·(b·V_old - U_old);
  a spike of weight w makes V jump by w mV, whatever h.
consistent_integration = false (the 2003 paper's scheme, net.m; meant for h = 1 ms): two half steps
  V ← V + (h/2)·(0.04·V² + 5·V + 140 - U + I_stim + I_e + W), then U ← U + h·a·(b·V - U) with the new V;
  here the spike input W acts as a current over the step: a weight w moves V by about h·w.
Then V ← max(V, V_min); V >= V_th fires: V ← c, U ← U + d. W is the sum of the spike weights due in this
step (as NEST, spikes due now enter the current step); I_stim, the current from generators, acts from the
next step. The 2003 network used the published scheme at h = 1 ms: its weights are currents.`,
	Params: []Param{
		{Name: "a", Default: 0.02, PerNeuron: true, Doc: "time scale of the recovery variable (1/ms)"},
		{Name: "b", Default: 0.2, PerNeuron: true, Doc: "sensitivity of the recovery variable"},
		{Name: "c", Unit: "mV", Default: -65, PerNeuron: true, Doc: "after-spike reset value of V_m"},
		{Name: "d", Unit: "mV", Default: 8, PerNeuron: true, Doc: "after-spike increment of U_m"},
		{Name: "V_th", Unit: "mV", Default: 30, Doc: "spike threshold (the spike's peak)"},
		{Name: "I_e", Unit: "pA", Default: 0, Doc: "constant input current (R = 1: a current in mV/ms)"},
		{Name: "V_min", Unit: "mV", Default: math.Inf(-1), Doc: "lower bound of V_m (NEST: -DBL_MAX, the same in float32)"},
		{Name: "consistent_integration", Kind: Bool, Default: 1, Doc: "forward Euler with spikes as jumps (true), or the paper's half steps with spikes as currents (false)"},
	},
	State: []StateVar{
		{Name: "V_m", Unit: "mV", Default: -65, Doc: "membrane potential"},
		{Name: "U_m", Unit: "mV", Default: -13, Doc: "recovery variable (NEST's default -13 = 0.2·-65, not recomputed from b)"},
		{Name: "I_stim", Unit: "pA", Internal: true, Doc: "current from current generators, acting from the next step"},
	},
	Ports: []Port{{Name: "spikes", Kind: SpikePort}, {Name: "currents", Kind: CurrentPort}},
	// A jump of V_m, or with the paper's scheme a current (R = 1: mV/ms)
	// over the step of arrival.
	WeightUnit: func(p Values) string {
		if p["consistent_integration"] != 0 {
			return "mV"
		}
		return "mV/ms"
	},
	// NEST checks nothing (it logs a hint to use h = 1 ms with the
	// published scheme).
	Check: func(p Values, _ Lists, dt float64) error { return nil },
	Derive: func(p Values, _ Lists, dt float64) []float64 {
		c := make([]float64, izhConstCount)
		c[izhH] = dt
		c[izhHalfH] = dt / 2
		c[izhVth] = p["V_th"]
		c[izhVmin] = p["V_min"]
		c[izhIe] = p["I_e"]
		c[izhConsistent] = p["consistent_integration"]
		return c
	},
	Update: updateIzhikevich,
}

func init() { RegisterNeuron(Izhikevich) }

// izhF is the right-hand side 0.04·V² + 5·V + 140 - U + I + I_e in NEST's
// order of operations, in float32 (products rounded before they are
// added, as the kernel does).
func izhF(v, u, i, ie float32) float32 {
	return float32(float32(float32(0.04)*v)*v) + float32(5*v) + 140 - u + i + ie
}

func updateIzhikevich(u *Update) {
	c := u.Const
	h, hh := float32(c[izhH]), float32(c[izhHalfH])
	vth, vmin, ie := float32(c[izhVth]), float32(c[izhVmin]), float32(c[izhIe])
	consistent := c[izhConsistent] != 0
	v, w, cur := u.State[izhVm], u.State[izhUm], u.State[izhI]
	pa, pb, pc, pd := u.PerNeuron[izhA], u.PerNeuron[izhB], u.PerNeuron[izhC], u.PerNeuron[izhD]
	spk, inCur := u.In[0], u.In[1]
	for i := u.Lo; i < u.Hi; i++ {
		vi, ui := v[i], w[i]
		ha := float32(h * pa[i])
		if consistent {
			vn := vi + (float32(h*izhF(vi, ui, cur[i], ie)) + spk[i]) // NEST: v += h·f + W
			ui = ui + float32(ha*float32(float32(pb[i]*vi)-ui))
			vi = vn
		} else {
			syn := spk[i]
			vi = vi + float32(hh*(izhF(vi, ui, cur[i], ie)+syn))
			vi = vi + float32(hh*(izhF(vi, ui, cur[i], ie)+syn))
			ui = ui + float32(ha*float32(float32(pb[i]*vi)-ui))
		}
		if vi < vmin {
			vi = vmin
		}
		if vi >= vth {
			vi = pc[i]
			ui = ui + pd[i]
			u.Spikes = append(u.Spikes, uint32(i))
		}
		v[i], w[i] = vi, ui
		cur[i] = inCur[i]
	}
}
