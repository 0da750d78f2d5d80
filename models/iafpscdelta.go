package models

import (
	"fmt"
	"math"
)

// Derived constants of iaf_psc_delta, in Const order.
const (
	deltaP33      = iota // exp(-h/tau_m)
	deltaP30             // tau_m/C_m (1 - P33)
	deltaVth             // V_th - E_L
	deltaVreset          // V_reset - E_L
	deltaVmin            // V_min - E_L
	deltaIe              // I_e
	deltaRefSteps        // t_ref in steps
	deltaRefInput        // refractory_input (0 or 1)
	deltaHOverTau        // h/tau_m, to discount input held during refractoriness
	deltaConstCount
)

// iaf_psc_delta state variables, in State order.
const (
	deltaVm   = iota // V_m − E_L
	deltaRef         // refractory steps left
	deltaI           // current from current generators, acting from the next step
	deltaHeld        // input held during refractoriness (refractory_input)
	deltaStateCount
)

// IafPscDelta is NEST's iaf_psc_delta: a leaky integrate-and-fire neuron
// whose input spikes make the membrane potential jump by their weight (mV),
// integrated exactly.
var IafPscDelta = &Neuron{
	Name: "iaf_psc_delta",
	Doc: `Leaky integrate-and-fire neuron with delta-shaped synaptic input (NEST's iaf_psc_delta).
dV/dt = -(V - E_L)/tau_m + (I_stim + I_e)/C_m + sum of w·delta(t - t_spike - delay): a spike of weight w
makes V jump by w mV. Exact integration. Per step: if not refractory V ← P30·(I + I_e) + P33·V + (spike input),
then V ← max(V, V_min); if refractory the spike input is dropped (or held, with refractory_input) and the
counter counts down. Then V >= V_th fires: V ← V_reset for t_ref. Current input acts from the next step.`,
	Params: []Param{
		{Name: "E_L", Unit: "mV", Default: -70, Doc: "resting potential"},
		{Name: "C_m", Unit: "pF", Default: 250, Doc: "membrane capacitance"},
		{Name: "tau_m", Unit: "ms", Default: 10, Doc: "membrane time constant"},
		{Name: "t_ref", Unit: "ms", Default: 2, Doc: "refractory period"},
		{Name: "V_th", Unit: "mV", Default: -55, Doc: "spike threshold"},
		{Name: "V_reset", Unit: "mV", Default: -70, Doc: "reset potential"},
		{Name: "I_e", Unit: "pA", Default: 0, Doc: "constant input current"},
		{Name: "V_min", Unit: "mV", Default: math.Inf(-1), Doc: "lower bound of V_m"},
		{Name: "refractory_input", Kind: Bool, Default: 0, Doc: "hold input arriving during refractoriness, discounted, instead of dropping it"},
	},
	State: []StateVar{
		{Name: "V_m", Unit: "mV", Default: -70, Relative: "E_L", Doc: "membrane potential"},
		{Name: "refractory_steps", Internal: true, Doc: "refractory steps left"},
		{Name: "I_stim", Unit: "pA", Internal: true, Doc: "current from current generators, acting from the next step"},
		{Name: "held_input", Unit: "mV", Internal: true, Doc: "spike input held during refractoriness (refractory_input)"},
	},
	Ports:      []Port{{Name: "spikes", Kind: SpikePort}, {Name: "currents", Kind: CurrentPort}},
	WeightUnit: weightIn("mV"),
	Check: func(p Values, _ Lists, dt float64) error {
		if err := positive(p, "C_m", "tau_m"); err != nil {
			return err
		}
		if err := nonNegative(p, "t_ref"); err != nil {
			return err
		}
		if !(p["V_reset"] < p["V_th"]) {
			return fmt.Errorf("V_reset must be < V_th (got V_reset %g, V_th %g)", p["V_reset"], p["V_th"])
		}
		return nil
	},
	Derive: func(p Values, _ Lists, dt float64) []float64 {
		c := make([]float64, deltaConstCount)
		tau, el := p["tau_m"], p["E_L"]
		c[deltaP33] = math.Exp(-dt / tau)
		c[deltaP30] = tau / p["C_m"] * -math.Expm1(-dt/tau)
		c[deltaVth] = p["V_th"] - el
		c[deltaVreset] = p["V_reset"] - el
		c[deltaVmin] = p["V_min"] - el
		c[deltaIe] = p["I_e"]
		c[deltaRefSteps] = float64(Steps(p["t_ref"], dt))
		c[deltaRefInput] = p["refractory_input"]
		c[deltaHOverTau] = dt / tau
		return c
	},
	Update: updateIafPscDelta,
}

func init() { RegisterNeuron(IafPscDelta) }

func updateIafPscDelta(u *Update) {
	c := u.Const
	p33, p30 := float32(c[deltaP33]), float32(c[deltaP30])
	vth, vreset, vmin := float32(c[deltaVth]), float32(c[deltaVreset]), float32(c[deltaVmin])
	ie, refSteps := float32(c[deltaIe]), float32(c[deltaRefSteps])
	holdInput := c[deltaRefInput] != 0
	v, ref, cur, held := u.State[deltaVm], u.State[deltaRef], u.State[deltaI], u.State[deltaHeld]
	spk, inCur := u.In[0], u.In[1]
	for i := u.Lo; i < u.Hi; i++ {
		vi := v[i]
		if ref[i] == 0 {
			vi = float32(float32(p30*float32(cur[i]+ie))+float32(p33*vi)) + spk[i]
			if holdInput && held[i] != 0 {
				vi += held[i]
				held[i] = 0
			}
			if vi < vmin {
				vi = vmin
			}
		} else {
			if holdInput {
				// Discount the input to the end of the refractory period.
				held[i] += spk[i] * float32(math.Exp(-float64(ref[i])*c[deltaHOverTau]))
			}
			ref[i]--
		}
		if vi >= vth {
			ref[i] = refSteps
			vi = vreset
			u.Spikes = append(u.Spikes, uint32(i))
		}
		v[i] = vi
		cur[i] = inCur[i]
	}
}
