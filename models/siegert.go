package models

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/siegert"
)

// Derived constants of siegert_neuron, in Const order
// (kernels/siegert_neuron.cu mirrors it).
const (
	sgP1     = iota // exp(-h/tau)
	sgP2            // 1 - exp(-h/tau)
	sgMean          // mean (1/s)
	sgTauM          // the transfer function's neuron: tau_m, tau_syn, t_ref, theta, V_reset
	sgTauSyn        //
	sgTRef          //
	sgTheta         //
	sgVReset        //
	sgConstCount
)

// SiegertNeuron is NEST's siegert_neuron: the mean-field rate of a
// population of LIF neurons (package siegert), driven through
// diffusion_connection.
var SiegertNeuron = &Neuron{
	Name: "siegert_neuron",
	Doc: `Mean-field rate of LIF neurons (NEST's siegert_neuron): tau·dr/dt = −r + mean + Phi(mu, sigma²) with
mu = Σ drift_factor·r_j and sigma² = Σ diffusion_factor·r_j over its diffusion_connection inputs (the
senders' rates at the start of the step), Phi the Siegert/Fourcaud–Brunel rate (1/s) of a LIF neuron with
tau_m, tau_syn, t_ref, theta, V_reset (potentials relative to rest; 0 when theta − mu > 6·sigma; package
siegert), by exponential Euler: r ← exp(−h/tau)·r + (1 − exp(−h/tau))·(mean + Phi).`,
	Params: []Param{
		{Name: "tau", Unit: "ms", Default: 1, Doc: "time constant of the rate dynamics"},
		{Name: "tau_m", Unit: "ms", Default: 5, Doc: "membrane time constant of the LIF neuron"},
		{Name: "tau_syn", Unit: "ms", Default: 0, Doc: "synaptic time constant (shifts threshold and reset)"},
		{Name: "t_ref", Unit: "ms", Default: 2, Doc: "refractory period"},
		{Name: "mean", Unit: "Hz", Default: 0, Doc: "constant rate added to Phi"},
		{Name: "theta", Unit: "mV", Default: 15, Doc: "threshold, relative to rest"},
		{Name: "V_reset", Unit: "mV", Default: 0, Doc: "reset potential, relative to rest"},
	},
	State: []StateVar{{Name: "rate", Unit: "Hz", Doc: "the rate r (1/s)"}},
	Ports: []Port{{Name: "drift", Kind: DiffusionPort}, {Name: "diffusion", Kind: DiffusionPort}},
	Rate:  &RateSend{Var: 0},
	// The drift and diffusion factors are the weights: mV·s and mV²·s.
	WeightUnit: weightIn(""),
	Check: func(p Values, _ Lists, _ float64) error {
		if err := positive(p, "tau", "tau_m"); err != nil {
			return err
		}
		if err := nonNegative(p, "tau_syn", "t_ref"); err != nil {
			return err
		}
		if !(p["V_reset"] < p["theta"]) {
			return fmt.Errorf("V_reset must be below theta (got %g >= %g)", p["V_reset"], p["theta"])
		}
		return nil
	},
	Derive: func(p Values, _ Lists, dt float64) []float64 {
		c := make([]float64, sgConstCount)
		c[sgP1] = math.Exp(-dt / p["tau"])
		c[sgP2] = -math.Expm1(-dt / p["tau"])
		c[sgMean] = p["mean"]
		c[sgTauM], c[sgTauSyn], c[sgTRef], c[sgTheta], c[sgVReset] = p["tau_m"], p["tau_syn"], p["t_ref"], p["theta"], p["V_reset"]
		return c
	},
	Update: siegertUpdate,
}

// siegertUpdate: In[0] is the drift (mu, mV), In[1] the diffusion (sigma²,
// mV²) of the step; the rate is computed in float64 and rounded once.
func siegertUpdate(u *Update) {
	c := u.Const
	n := siegert.Neuron{TauM: c[sgTauM], TauSyn: c[sgTauSyn], TRef: c[sgTRef], Theta: c[sgTheta], VReset: c[sgVReset]}
	r, drift, diffusion := u.State[0], u.In[0], u.In[1]
	for i := u.Lo; i < u.Hi; i++ {
		phi := n.Rate(float64(drift[i]), math.Sqrt(float64(diffusion[i])))
		r[i] = float32(c[sgP1]*float64(r[i]) + c[sgP2]*(c[sgMean]+phi))
	}
}

func init() { RegisterNeuron(SiegertNeuron) }
