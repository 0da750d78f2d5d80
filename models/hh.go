package models

import (
	"fmt"
	"math"
	"sync"

	"github.com/snn-gpu/snn-gpu/ode"
	"github.com/snn-gpu/snn-gpu/rng"
)

// The Hodgkin-Huxley models (hh_psc_alpha, hh_psc_alpha_gap) integrate
// their ODE with the shared adaptive stepper (package ode) in float64.
// The engines keep state in float32, so every ODE variable is held as a
// float32 pair: the named state variable has the value rounded to float32
// (what multimeters record and the finite check scans) and a history slot
// the rest (wideGet, wideSet: 48 significant bits, relative 4e-15). Two
// more history slots carry the step size of the adaptive stepper from one
// step to the next. Initial values come from the named variables: the
// stored value starts rounded to float32.

// hhTol is the stepper's absolute tolerance (NEST's, for all its HH models).
const hhTol = 1e-6

// The ODE vector of an HH model is its first dim named state variables:
// V_m, its gates, I_syn_ex, I_syn_in, dI_syn_ex, dI_syn_in; then come
// refractory_steps and I_stim. Indices from the end of the ODE vector:
const (
	hhFromIex  = 4 // dim - 4: I_syn_ex
	hhFromIin  = 3
	hhFromDIex = 2
	hhFromDIin = 1
)

// Derived constants of both HH models, in Const order (kernels/hh.cuh
// mirrors it). The conductances and reversal potentials follow in the
// model's parameter order.
const (
	hhCm       = iota // C_m
	hhIe              // I_e
	hhTauEx           // tau_syn_ex
	hhTauIn           // tau_syn_in
	hhPSCex           // e/tau_syn_ex: dI_syn_ex per pA of weight
	hhPSCin           // e/tau_syn_in
	hhRefSteps        // t_ref in steps
	hhDt              // the step (ms)
	hhGNa             // g_Na
	hhGK1             // g_K, or g_Kv1
	hhGK2             // g_Kv3 (hh_psc_alpha: 0)
	hhGL              // g_L
	hhENa             // E_Na
	hhEK              // E_K
	hhEL              // E_L
	hhConstCount
)

// linExp is a·x/(1 - e^(-x/s)), with its limit a·s at x = 0 (the rate
// functions' removable singularities, which NEST leaves unguarded).
func linExp(a, x, s float64) float64 {
	if x == 0 {
		return float64(a * s)
	}
	return float64(a*x) / (1 - rng.Exp(-x/s))
}

// hhInput is what an HH neuron's right-hand side needs beside its state:
// the constants, the constant input current of the step and the gap
// coupling of the step.
type hhInput struct {
	c     []float64
	istim float64    // I_stim + I_e
	g     float64    // total gap conductance
	coef  [4]float64 // Σ g_ij·p_j
	h     float64    // the step, for the gap polynomials' τ = t/h
}

// synapses sets the four alpha-synapse derivatives at the end of dy.
func (in *hhInput) synapses(y, dy []float64) {
	d := len(y)
	tex, tin := in.c[hhTauEx], in.c[hhTauIn]
	dy[d-hhFromDIex] = -y[d-hhFromDIex] / tex
	dy[d-hhFromIex] = y[d-hhFromDIex] - y[d-hhFromIex]/tex
	dy[d-hhFromDIin] = -y[d-hhFromDIin] / tin
	dy[d-hhFromIin] = y[d-hhFromDIin] - y[d-hhFromIin]/tin
}

// vdot is dV/dt for the ionic current ionic (pA) at time t.
func (in *hhInput) vdot(t float64, y []float64, ionic float64) float64 {
	d := len(y)
	i := (in.istim - ionic) + y[d-hhFromIex] + y[d-hhFromIin]
	if in.g != 0 {
		i += gapCurrent(in.g, &in.coef, t/in.h, y[0])
	}
	return i / in.c[hhCm]
}

// gate is a gate's derivative alpha·(1-x) - beta·x.
func gate(alpha, beta, x float64) float64 { return float64(alpha*(1-x)) - float64(beta*x) }

// hhClassic is hh_psc_alpha's right-hand side (Hodgkin and Huxley 1952,
// V in mV): y = V, m, h, n, I_ex, I_in, dI_ex, dI_in.
type hhClassic struct{ hhInput }

func hhClassicRates(v float64) (am, bm, ah, bh, an, bn float64) {
	am = linExp(0.1, v+40, 10)
	bm = 4 * rng.Exp(-(v+65)/18)
	ah = 0.07 * rng.Exp(-(v+65)/20)
	bh = 1 / (1 + rng.Exp(-(v+35)/10))
	an = linExp(0.01, v+55, 10)
	bn = 0.125 * rng.Exp(-(v+65)/80)
	return
}

func (f *hhClassic) Derivs(t float64, y, dy []float64) {
	c := f.c
	v, m, h, n := y[0], y[1], y[2], y[3]
	am, bm, ah, bh, an, bn := hhClassicRates(v)
	n2 := float64(n * n)
	ina := float64(float64(float64(float64(c[hhGNa]*m)*m)*m)*h) * (v - c[hhENa])
	ik := float64(float64(c[hhGK1]*n2)*n2) * (v - c[hhEK])
	il := float64(c[hhGL] * (v - c[hhEL]))
	dy[0] = f.vdot(t, y, (ina+ik)+il)
	dy[1] = gate(am, bm, m)
	dy[2] = gate(ah, bh, h)
	dy[3] = gate(an, bn, n)
	f.synapses(y, dy)
}

// hhMancilla is hh_psc_alpha_gap's right-hand side (Mancilla et al. 2007,
// V in mV): y = V, m, h, n, p, I_ex, I_in, dI_ex, dI_in.
type hhMancilla struct{ hhInput }

func hhMancillaRates(v float64) (am, bm, ah, bh, an, bn, ap, bp float64) {
	am = linExp(40, v-75.5, 13.5)
	bm = 1.2262 * rng.Exp(-v/42.248)
	ah = 0.0035 * rng.Exp(-v/24.186)
	bh = linExp(0.017, v+51.25, 5.2)
	an = linExp(0.014, v+44, 2.3)
	bn = 0.0043 * rng.Exp(-(v+44)/34)
	ap = linExp(1, v-95, 11.8)
	bp = 0.025 * rng.Exp(-v/22.222)
	return
}

func (f *hhMancilla) Derivs(t float64, y, dy []float64) {
	c := f.c
	v, m, h, n, p := y[0], y[1], y[2], y[3], y[4]
	am, bm, ah, bh, an, bn, ap, bp := hhMancillaRates(v)
	n2 := float64(n * n)
	ina := float64(float64(float64(float64(c[hhGNa]*m)*m)*m)*h) * (v - c[hhENa])
	ik := (float64(float64(c[hhGK1]*n2)*n2) + float64(float64(c[hhGK2]*p)*p)) * (v - c[hhEK])
	il := float64(c[hhGL] * (v - c[hhEL]))
	dy[0] = f.vdot(t, y, (ina+ik)+il)
	dy[1] = gate(am, bm, m)
	dy[2] = gate(ah, bh, h)
	dy[3] = gate(an, bn, n)
	dy[4] = gate(ap, bp, p)
	f.synapses(y, dy)
}

// wideGet and wideSet read and write a float64 kept as a float32 pair.
func wideGet(hi, lo float32) float64 { return float64(hi) + float64(lo) }

func wideSet(x float64) (hi, lo float32) {
	h := float32(x)
	return h, float32(x - float64(h))
}

// hhSystem is one of the two right-hand sides, with access to its input.
type hhSystem interface {
	ode.System
	input() *hhInput
}

func (f *hhClassic) input() *hhInput  { return &f.hhInput }
func (f *hhMancilla) input() *hhInput { return &f.hhInput }

// hhSteppers keeps one stepper per ODE dimension and goroutine.
var hhSteppers = map[int]*sync.Pool{}

func init() {
	for _, d := range []int{8, 9} {
		hhSteppers[d] = &sync.Pool{New: func() any { return ode.New(d, hhTol) }}
	}
}

// updateHH advances neurons of an HH model by one step as NEST does: the
// ODE over the step (adaptive RKF45, the step size carried over), then the
// spikes due now into dI_syn_ex/dI_syn_in, then spike detection: a
// refractory neuron counts down, another fires when V_m >= 0 mV and V_m
// has fallen during the step (a maximum was passed). V_m is never reset.
// With gap coupling it also writes the step's polynomial (GapPolynomial
// from h·dV/dt at both ends, the end one after the spikes were added).
func updateHH(u *Update, f hhSystem, dim int) {
	in := f.input()
	c := u.Const
	in.c, in.h = c, c[hhDt]
	dt, pscEx, pscIn, refSteps := c[hhDt], c[hhPSCex], c[hhPSCin], float32(c[hhRefSteps])
	named := dim + 2 // the ODE vector, refractory_steps, I_stim
	ref, cur := u.State[dim], u.State[dim+1]
	hHi, hLo := u.State[named+dim], u.State[named+dim+1]
	spkEx, spkIn, inCur := u.In[0], u.In[1], u.In[2]
	st := hhSteppers[dim].Get().(*ode.RKF45)
	defer hhSteppers[dim].Put(st)
	var y, dy [9]float64
	g := u.Gap
	for i := u.Lo; i < u.Hi; i++ {
		for j := range dim {
			y[j] = wideGet(u.State[j][i], u.State[named+j][i])
		}
		h := wideGet(hHi[i], hLo[i])
		in.istim = float64(cur[i]) + c[hhIe]
		v0, d0 := y[0], 0.0
		base := 0
		if g != nil {
			base = (i*g.Window + g.K) * 4
			in.g = g.G[i]
			copy(in.coef[:], g.In[base:base+4])
			f.Derivs(0, y[:dim], dy[:dim])
			d0 = float64(dt * dy[0])
		}
		h = st.Evolve(f, y[:dim], dt, h)
		y[dim-hhFromDIex] += float64(pscEx * float64(spkEx[i]))
		y[dim-hhFromDIin] += float64(pscIn * float64(spkIn[i]))
		if g != nil {
			f.Derivs(dt, y[:dim], dy[:dim])
			p := GapPolynomial(g.Order, v0, y[0], d0, float64(dt*dy[0]))
			copy(g.Out[base:base+4], p[:])
			g.End[i*g.Window+g.K] = y[0]
		}
		if ref[i] > 0 {
			ref[i]--
		} else if y[0] >= 0 && v0 > y[0] {
			ref[i] = refSteps
			u.Spikes = append(u.Spikes, uint32(i))
		}
		cur[i] = inCur[i]
		for j := range dim {
			u.State[j][i], u.State[named+j][i] = wideSet(y[j])
		}
		hHi[i], hLo[i] = wideSet(h)
	}
}

// hhChecks are NEST's checks of both HH models.
func hhChecks(p Values, conductances ...string) error {
	if err := positive(p, "C_m", "tau_syn_ex", "tau_syn_in"); err != nil {
		return err
	}
	if err := nonNegative(p, "t_ref"); err != nil {
		return err
	}
	for _, n := range conductances {
		if !(p[n] >= 0) {
			return fmt.Errorf("all conductances must be non-negative (%s = %g)", n, p[n])
		}
	}
	return nil
}

// hhDerive computes the constants both models share; k1 and k2 name the
// potassium conductances (k2 "" for none).
func hhDerive(p Values, dt float64, k1, k2 string) []float64 {
	c := make([]float64, hhConstCount)
	c[hhCm], c[hhIe] = p["C_m"], p["I_e"]
	c[hhTauEx], c[hhTauIn] = p["tau_syn_ex"], p["tau_syn_in"]
	c[hhPSCex], c[hhPSCin] = math.E/p["tau_syn_ex"], math.E/p["tau_syn_in"]
	c[hhRefSteps] = float64(Steps(p["t_ref"], dt))
	c[hhDt] = dt
	c[hhGNa], c[hhGK1], c[hhGL] = p["g_Na"], p[k1], p["g_L"]
	if k2 != "" {
		c[hhGK2] = p[k2]
	}
	c[hhENa], c[hhEK], c[hhEL] = p["E_Na"], p["E_K"], p["E_L"]
	return c
}

// hhCommon are the parameters, state variables and ports both models share.
var (
	hhSynParams = []Param{
		{Name: "tau_syn_ex", Unit: "ms", Default: 0.2, Doc: "rise time of the excitatory synaptic current (time of its peak)"},
		{Name: "tau_syn_in", Unit: "ms", Default: 2, Doc: "rise time of the inhibitory synaptic current (time of its peak)"},
		{Name: "t_ref", Unit: "ms", Default: 2, Doc: "time after a spike in which no spike is detected (V_m is not clamped)"},
		{Name: "I_e", Unit: "pA", Default: 0, Doc: "constant input current"},
	}
	hhSynState = []StateVar{
		{Name: "I_syn_ex", Unit: "pA", Doc: "excitatory synaptic current"},
		{Name: "I_syn_in", Unit: "pA", Doc: "inhibitory synaptic current"},
		{Name: "dI_syn_ex", Internal: true, Doc: "derivative state of the excitatory current (pA/ms)"},
		{Name: "dI_syn_in", Internal: true, Doc: "derivative state of the inhibitory current (pA/ms)"},
		{Name: "refractory_steps", Internal: true, Doc: "steps left in which no spike is detected"},
		{Name: "I_stim", Unit: "pA", Internal: true, Doc: "current from current generators, acting from the next step"},
	}
	hhPorts = []Port{
		{Name: "ex", Kind: SpikePort, Sign: +1},
		{Name: "in", Kind: SpikePort, Sign: -1},
		{Name: "currents", Kind: CurrentPort},
	}
)

// hhHistory is the history slots of an HH model with an ODE of dim
// variables: the low halves of the ODE variables and the step size's pair.
func hhHistory(dim int) func(Values, Lists, float64) int {
	return func(Values, Lists, float64) int { return dim + 2 }
}

// steady is a gate's steady state alpha/(alpha+beta).
func steady(alpha, beta float64) float64 { return alpha / (alpha + beta) }

// hhClassicV0 and hhMancillaV0 are NEST's initial potentials; the gates
// start at their steady states there.
const (
	hhClassicV0  = -65.0
	hhMancillaV0 = -69.60401191631222
)

func hhClassicState() []StateVar {
	am, bm, ah, bh, an, bn := hhClassicRates(hhClassicV0)
	return append([]StateVar{
		{Name: "V_m", Unit: "mV", Default: hhClassicV0, Doc: "membrane potential"},
		{Name: "Act_m", Default: steady(am, bm), Doc: "activation of the sodium current"},
		{Name: "Inact_h", Default: steady(ah, bh), Doc: "inactivation of the sodium current"},
		{Name: "Act_n", Default: steady(an, bn), Doc: "activation of the potassium current"},
	}, hhSynState...)
}

func hhMancillaState() []StateVar {
	am, bm, ah, bh, an, bn, ap, bp := hhMancillaRates(hhMancillaV0)
	return append([]StateVar{
		{Name: "V_m", Unit: "mV", Default: hhMancillaV0, Doc: "membrane potential"},
		{Name: "Act_m", Default: steady(am, bm), Doc: "activation of the sodium current"},
		{Name: "Inact_h", Default: steady(ah, bh), Doc: "inactivation of the sodium current"},
		{Name: "Act_n", Default: steady(an, bn), Doc: "activation of the Kv1 potassium current"},
		{Name: "Inact_p", Default: steady(ap, bp), Doc: "activation of the Kv3 potassium current (NEST's name)"},
	}, hhSynState...)
}

// HhPscAlpha is NEST's hh_psc_alpha.
var HhPscAlpha = &Neuron{
	Name: "hh_psc_alpha",
	Doc: `Hodgkin-Huxley neuron with alpha-shaped synaptic currents (NEST's hh_psc_alpha; Hodgkin and Huxley 1952).
C_m dV/dt = -(g_Na m³h (V-E_Na) + g_K n⁴ (V-E_K) + g_L (V-E_L)) + I_e + I_stim + I_syn_ex + I_syn_in, gates
dx/dt = alpha_x(V)(1-x) - beta_x(V)x. Integrated by the adaptive RKF45 stepper (absolute tolerance 1e-6, step
size carried over; package ode) in float64. A spike is detected when V_m >= 0 mV has passed a maximum and
t_ref has run out; V_m is not reset. Gates start at their steady states at V_m = -65 mV (setting V_m does not
move them). Weights in pA (peak of the alpha current).`,
	Params: append([]Param{
		{Name: "C_m", Unit: "pF", Default: 100, Doc: "membrane capacitance"},
		{Name: "g_Na", Unit: "nS", Default: 12000, Doc: "sodium peak conductance"},
		{Name: "g_K", Unit: "nS", Default: 3600, Doc: "potassium peak conductance"},
		{Name: "g_L", Unit: "nS", Default: 30, Doc: "leak conductance"},
		{Name: "E_Na", Unit: "mV", Default: 50, Doc: "sodium reversal potential"},
		{Name: "E_K", Unit: "mV", Default: -77, Doc: "potassium reversal potential"},
		{Name: "E_L", Unit: "mV", Default: -54.402, Doc: "leak reversal potential"},
	}, hhSynParams...),
	State:      hhClassicState(),
	Ports:      hhPorts,
	WeightUnit: weightIn("pA"),
	History:    hhHistory(8),
	Check: func(p Values, _ Lists, _ float64) error {
		return hhChecks(p, "g_Na", "g_K", "g_L")
	},
	Derive: func(p Values, _ Lists, dt float64) []float64 { return hhDerive(p, dt, "g_K", "") },
	Update: func(u *Update) { updateHH(u, &hhClassic{}, 8) },
}

// HhPscAlphaGap is NEST's hh_psc_alpha_gap.
var HhPscAlphaGap = &Neuron{
	Name: "hh_psc_alpha_gap",
	Doc: `Hodgkin-Huxley interneuron with alpha-shaped synaptic currents and gap junctions (NEST's hh_psc_alpha_gap;
Mancilla et al. 2007). C_m dV/dt = -(g_Na m³h (V-E_Na) + (g_Kv1 n⁴ + g_Kv3 p²)(V-E_K) + g_L (V-E_L)) + I_e +
I_stim + I_syn_ex + I_syn_in + I_gap, I_gap = Σ_j g_ij (V_j - V) over its gap_junction connections (waveform
relaxation, docs/models.md). Integrated by the adaptive RKF45 stepper (absolute tolerance 1e-6, step size
carried over; package ode) in float64. A spike is detected when V_m >= 0 mV has passed a maximum and t_ref
has run out; V_m is not reset. Gates start at their steady states at V_m = -69.604 mV (setting V_m does not
move them). Weights in pA (peak of the alpha current).`,
	Params: append([]Param{
		{Name: "C_m", Unit: "pF", Default: 40, Doc: "membrane capacitance"},
		{Name: "g_Na", Unit: "nS", Default: 4500, Doc: "sodium peak conductance"},
		{Name: "g_Kv1", Unit: "nS", Default: 9, Doc: "Kv1 potassium peak conductance"},
		{Name: "g_Kv3", Unit: "nS", Default: 9000, Doc: "Kv3 potassium peak conductance"},
		{Name: "g_L", Unit: "nS", Default: 10, Doc: "leak conductance"},
		{Name: "E_Na", Unit: "mV", Default: 74, Doc: "sodium reversal potential"},
		{Name: "E_K", Unit: "mV", Default: -90, Doc: "potassium reversal potential"},
		{Name: "E_L", Unit: "mV", Default: -70, Doc: "leak reversal potential"},
	}, hhSynParams...),
	State:      hhMancillaState(),
	Ports:      hhPorts,
	Gap:        true,
	WeightUnit: weightIn("pA"),
	History:    hhHistory(9),
	Check: func(p Values, _ Lists, _ float64) error {
		return hhChecks(p, "g_Na", "g_Kv1", "g_Kv3", "g_L")
	},
	Derive: func(p Values, _ Lists, dt float64) []float64 { return hhDerive(p, dt, "g_Kv1", "g_Kv3") },
	Update: func(u *Update) { updateHH(u, &hhMancilla{}, 9) },
}

func init() {
	RegisterNeuron(HhPscAlpha)
	RegisterNeuron(HhPscAlphaGap)
}
