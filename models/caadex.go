package models

import (
	"fmt"
	"math"
	"sync"

	"github.com/snn-gpu/snn-gpu/ode"
	"github.com/snn-gpu/snn-gpu/rng"
)

// ca_adex (Pastorelli et al. 2025; the NESTML model of the paper's code) is
// an adaptive-exponential soma coupled to an apical compartment with a
// calcium current, a calcium-activated potassium current and seven
// conductance-based receptor ports. Its 23-variable ODE, the synaptic
// kernels included, is integrated by the shared adaptive stepper (package
// ode) in float64, kept as float32 pairs as the HH models keep theirs
// (wideGet, wideSet); the stepper's absolute tolerance is NESTML's
// gsl_error_tol, with the calcium concentration's error weighed by
// caScaleCa (docs/models.md, ca_adex: why).

// The ODE vector: the named state variables 0..caDim-1.
const (
	caVs    = iota // V_m_s
	caW            // w
	caVd           // V_m_d
	caCa           // c_Ca
	caMCa          // m_Ca
	caHCa          // h_Ca
	caMK           // m_K
	caGEs          // g_exc_s (alpha kernel: g and dg)
	caDGEs         //
	caGIs          // g_inh_s
	caDGIs         //
	caGEd          // g_exc_d
	caDGEd         //
	caGId          // g_inh_d
	caDGId         //
	caAmpaR        // spikes_ampa_d: rise and decay exponentials, g = decay - rise
	caAmpaD        //
	caBetaR        // spikes_beta_d
	caBetaD        //
	caANR          // spikes_ampa_nmda_d, AMPA part
	caAND          //
	caNMR          // spikes_ampa_nmda_d, NMDA part
	caNMD          //
	caDim
)

// The named state variables after the ODE vector.
const (
	caRef   = caDim + iota // refractory_steps
	caStimS                // I_stim_s acting in this step
	caStimD                // I_stim_d
	caECa                  // e_Ca (outputs of the step, for multimeters)
	caICa                  // I_Ca
	caIK                   // I_K
	caGAmpa                // g_AMPA
	caGBeta                // g_BETA
	caGAN                  // g_AMPA_NMDA
	caGNMDA                // g_NMDA
	caNamed
)

// Derived constants, in Const order (kernels/ca_adex.cu mirrors it).
const (
	cCs        = iota // C_m_s
	cCd               // C_m_d
	cGLs              // g_L_s
	cGLd              // g_L_d
	cELs              // e_L_s
	cELd              // e_L_d
	cGC               // g_C_d
	cGw               // g_w
	cGCa              // gbar_Ca
	cGK               // gbar_K_Ca
	cEK               // e_K
	cA                // a
	cB                // b
	cDeltaT           // delta_T
	cTauW             // tau_w
	cVT               // e_Na_Adex
	cVth              // V_th
	cVmax             // V_max
	cVreset           // V_reset
	cRefSteps         // t_ref in steps
	cEExcS            // E_exc_s
	cEInhS            // E_inh_s
	cEExcD            // E_exc_d
	cEInhD            // E_inh_d
	cTauExcS          // tau_syn_exc_s
	cTauInhS          // tau_syn_inh_s
	cTauExcD          // tau_syn_exc_d
	cTauInhD          // tau_syn_inh_d
	cPSCExcS          // e/tau_syn_exc_s: the jump of dg per nS of weight
	cPSCInhS          //
	cPSCExcD          //
	cPSCInhD          //
	cPhi              // phi
	cCaTh             // Ca_th
	cCa0              // Ca_0
	cTauCa            // tau_decay_Ca
	cMSlope           // m_slope
	cMHalf            // m_half
	cTauM             // tau_m
	cHSlope           // h_slope
	cHHalf            // h_half
	cTauH             // tau_h
	cExpK             // exp_K_Ca
	cTauMK            // tau_m_K_Ca
	cNernst           // k_Ca R_Ca T_Ca / (2 F_Ca): e_Ca per unit of ln(c_o/c)
	cCaO              // c_Ca_o
	cIes              // I_e_s
	cIed              // I_e_d
	cTauRAmpa         // tau_r_ampa
	cTauDAmpa         // tau_d_ampa
	cEAmpa            // e_AMPA
	cNormAmpa         // g_norm_ampa
	cTauRBeta         // tau_r_beta
	cTauDBeta         // tau_d_beta
	cEBeta            // e_L_beta
	cNormBeta         // g_norm_beta
	cTauRNmda         // tau_r_nmda
	cTauDNmda         // tau_d_nmda
	cEAN              // e_L_AMPA_NMDA
	cNmdaRatio        // nmda_ratio
	cNormNmda         // g_norm_nmda
	cTol              // gsl_error_tol
	cClip             // clip_Ca_influx (1 or 0)
	cDt               // the step (ms)
	cConstCount
)

// caScaleCa weighs the error of c_Ca (mM) in the stepper's control: at
// NESTML's absolute tolerance of 1e-3 a concentration of 1e-4 mM would be
// uncontrolled, and a step can jump it below 0, where e_Ca's logarithm is
// NaN. Weighed by 1e4 its error is held below 1e-7 mM.
const caScaleCa = 1e4

// caScale is the stepper's per-variable error weights.
var caScale = func() []float64 {
	s := make([]float64, caDim)
	for i := range s {
		s[i] = 1
	}
	s[caCa] = caScaleCa
	return s
}()

// caSystem is ca_adex's right-hand side with the inputs of one step.
type caSystem struct {
	c            []float64
	istS, istD   float64 // I_e + I_stim of each compartment
	frozen       bool    // refractory: V_m_s does not move
	eCa, iCa, iK float64 // the last evaluation's e_Ca, I_Ca, I_K
}

// caGate is a Ca gate's steady state 1/(1 + e^(slope (v - half))).
func caGate(slope, half, v float64) float64 {
	return 1 / (1 + rng.Exp(float64(slope*(v-half))))
}

// caMInfK is the K_Ca gate's steady state 1/(1 + (Ca_th/ca)^exp_K_Ca).
func caMInfK(c []float64, ca float64) float64 {
	return 1 / (1 + rng.Exp(float64(c[cExpK]*rng.Log(c[cCaTh]/ca))))
}

func (f *caSystem) Derivs(_ float64, y, dy []float64) {
	c := f.c
	vs, w, vd, ca := y[caVs], y[caW], y[caVd], y[caCa]
	vsb, vdb := min(vs, c[cVmax]), min(vd, c[cVmax])
	gEs, gIs := y[caGEs], y[caGIs]
	iSynS := float64(gEs*(vsb-c[cEExcS])) + float64(gIs*(vsb-c[cEInhS]))
	iSpike := float64(float64(c[cGLs]*c[cDeltaT]) * rng.Exp((vsb-c[cVT])/c[cDeltaT]))
	iCs := float64(c[cGC] * (vs - vd))
	if f.frozen {
		dy[caVs] = 0
	} else {
		i := ((((-float64(c[cGLs]*(vsb-c[cELs])) + iSpike) - iSynS) - float64(c[cGw]*w)) + f.istS) - iCs
		dy[caVs] = i / c[cCs]
	}
	dy[caW] = (float64(c[cA]*(vsb-c[cELs])) - w) / c[cTauW]

	iSynD := float64(y[caGEd]*(vdb-c[cEExcD])) + float64(y[caGId]*(vdb-c[cEInhD]))
	iAmpa := float64((y[caAmpaD] - y[caAmpaR]) * (c[cEAmpa] - vd))
	iBeta := float64((y[caBetaD] - y[caBetaR]) * (c[cEBeta] - vd))
	mg := 1 + float64(0.3*rng.Exp(-0.1*vd))
	iAN := float64((y[caAND]-y[caANR])*(c[cEAN]-vd)) +
		float64(float64(c[cNmdaRatio]*(y[caNMD]-y[caNMR]))*(c[cEAN]-vd))/mg
	m, h := y[caMCa], y[caHCa]
	f.eCa = float64(c[cNernst] * rng.Log(c[cCaO]/ca))
	f.iCa = float64(float64(float64(c[cGCa]*m)*h) * (f.eCa - vd))
	f.iK = float64(float64(c[cGK]*y[caMK]) * (c[cEK] - vd))
	iCd := float64(c[cGC] * (vd - vs))
	i := (((((((-float64(c[cGLd]*(vdb-c[cELd])) - iSynD) + iAmpa) + iBeta) + iAN) + f.iCa) + f.iK) + f.istD) - iCd
	dy[caVd] = i / c[cCd]
	dy[caMCa] = (caGate(c[cMSlope], c[cMHalf], vd) - m) / c[cTauM]
	dy[caHCa] = (caGate(c[cHSlope], c[cHHalf], vd) - h) / c[cTauH]
	influx := f.iCa
	if c[cClip] != 0 && influx < 0 {
		influx = 0
	}
	dy[caCa] = float64(c[cPhi]*influx) + (c[cCa0]-ca)/c[cTauCa]
	dy[caMK] = (caMInfK(c, ca) - y[caMK]) / c[cTauMK]

	alpha := func(g, tau int) {
		dy[g+1] = -y[g+1] / c[tau]
		dy[g] = y[g+1] - y[g]/c[tau]
	}
	alpha(caGEs, cTauExcS)
	alpha(caGIs, cTauInhS)
	alpha(caGEd, cTauExcD)
	alpha(caGId, cTauInhD)
	for _, k := range [][3]int{{caAmpaR, cTauRAmpa, cTauDAmpa}, {caBetaR, cTauRBeta, cTauDBeta},
		{caANR, cTauRAmpa, cTauDAmpa}, {caNMR, cTauRNmda, cTauDNmda}} {
		dy[k[0]] = -y[k[0]] / c[k[1]]
		dy[k[0]+1] = -y[k[0]+1] / c[k[2]]
	}
}

// caSteppers keeps one stepper per goroutine.
var caSteppers = sync.Pool{New: func() any { s := ode.New(caDim, 1e-3); s.Scale = caScale; return s }}

// updateCaAdex advances ca_adex neurons by one step in NESTML's order: the
// ODE over the step (V_m_s frozen while refractory), then the spikes due
// now into the kernels' states, then the threshold: V_m_s >= V_th outside
// the refractory period resets V_m_s, adds b to w and emits a spike.
func updateCaAdex(u *Update) {
	c := u.Const
	st := caSteppers.Get().(*ode.RKF45)
	defer caSteppers.Put(st)
	st.AbsTol = c[cTol]
	f := caSystem{c: c}
	var y, dy [caDim]float64
	lows := caNamed // history: the ODE's low halves, then the step size's pair
	hHi, hLo := u.State[lows+caDim], u.State[lows+caDim+1]
	ref := u.State[caRef]
	for i := u.Lo; i < u.Hi; i++ {
		for j := range caDim {
			y[j] = wideGet(u.State[j][i], u.State[lows+j][i])
		}
		h := wideGet(hHi[i], hLo[i])
		f.istS = float64(u.State[caStimS][i]) + c[cIes]
		f.istD = float64(u.State[caStimD][i]) + c[cIed]
		f.frozen = ref[i] > 0
		h = st.Evolve(&f, y[:], c[cDt], h)
		caSpikes(c, y[:], func(p int) float64 { return float64(u.In[p][i]) })
		if ref[i] > 0 {
			ref[i]--
		}
		if ref[i] <= 0 && y[caVs] >= c[cVth] {
			y[caVs] = c[cVreset]
			y[caW] += c[cB]
			ref[i] = float32(c[cRefSteps])
			u.Spikes = append(u.Spikes, uint32(i))
		}
		u.State[caStimS][i], u.State[caStimD][i] = u.In[caPortStimS][i], u.In[caPortStimD][i]
		f.Derivs(c[cDt], y[:], dy[:]) // the step's e_Ca, I_Ca, I_K at its end state
		caOutputs(&f, y[:], func(v int, x float64) { u.State[v][i] = float32(x) })
		for j := range caDim {
			u.State[j][i], u.State[lows+j][i] = wideSet(y[j])
		}
		hHi[i], hLo[i] = wideSet(h)
	}
}

// caSpikes adds the spike weights due now (in, by port) to the kernels'
// states.
func caSpikes(c, y []float64, in func(port int) float64) {
	y[caDGEs] += float64(c[cPSCExcS] * in(caPortExcS))
	y[caDGIs] += float64(c[cPSCInhS] * in(caPortInhS))
	y[caDGEd] += float64(c[cPSCExcD] * in(caPortExcD))
	y[caDGId] += float64(c[cPSCInhD] * in(caPortInhD))
	a := float64(c[cNormAmpa] * in(caPortAmpa))
	y[caAmpaR] += a
	y[caAmpaD] += a
	b := float64(c[cNormBeta] * in(caPortBeta))
	y[caBetaR] += b
	y[caBetaD] += b
	an := in(caPortAN)
	a = float64(c[cNormAmpa] * an)
	y[caANR] += a
	y[caAND] += a
	n := float64(c[cNormNmda] * an)
	y[caNMR] += n
	y[caNMD] += n
}

// caOutputs writes the recordable values that are not ODE variables.
func caOutputs(f *caSystem, y []float64, set func(v int, x float64)) {
	set(caECa, f.eCa)
	set(caICa, f.iCa)
	set(caIK, f.iK)
	set(caGAmpa, y[caAmpaD]-y[caAmpaR])
	set(caGBeta, y[caBetaD]-y[caBetaR])
	set(caGAN, y[caAND]-y[caANR])
	set(caGNMDA, float64(f.c[cNmdaRatio]*(y[caNMD]-y[caNMR])))
}

// The ports, in Ports order.
const (
	caPortExcS = iota
	caPortInhS
	caPortExcD
	caPortInhD
	caPortAmpa
	caPortBeta
	caPortAN
	caPortStimS
	caPortStimD
)

// doubleExpNorm is the factor that makes e^(-t/tauD) - e^(-t/tauR) peak at 1.
func doubleExpNorm(tauR, tauD float64) float64 {
	tp := tauR * tauD / (tauD - tauR) * math.Log(tauD/tauR)
	return 1 / (math.Exp(-tp/tauD) - math.Exp(-tp/tauR))
}

// betaNorm is NESTML's g_norm_beta, as coded (not a peak normalisation:
// the kernel peaks at 0.141 × the weight with the defaults).
func betaNorm(tauR, tauD float64) float64 {
	tr := tauR * tauD / (tauR + tauD)
	tp := tauD * tr / (tr - tauD) * math.Log(tr/tauD)
	return math.Exp(-tp/tauD) - math.Exp(-tp/tr)
}

// caNernstFactor is k_Ca R_Ca T_Ca / (2 F_Ca) in mV.
func caNernstFactor(p Values) float64 {
	return p["k_Ca"] * p["R_Ca"] * p["T_Ca"] / (2 * p["F_Ca"])
}

func caDerive(p Values, _ Lists, dt float64) []float64 {
	c := make([]float64, cConstCount)
	set := func(i int, name string) { c[i] = p[name] }
	for i, n := range map[int]string{cCs: "C_m_s", cCd: "C_m_d", cGLs: "g_L_s", cGLd: "g_L_d", cELs: "e_L_s",
		cELd: "e_L_d", cGC: "g_C_d", cGw: "g_w", cGCa: "gbar_Ca", cGK: "gbar_K_Ca", cEK: "e_K", cA: "a", cB: "b",
		cDeltaT: "delta_T", cTauW: "tau_w", cVT: "e_Na_Adex", cVth: "V_th", cVmax: "V_max", cVreset: "V_reset",
		cEExcS: "E_exc_s", cEInhS: "E_inh_s", cEExcD: "E_exc_d", cEInhD: "E_inh_d", cTauExcS: "tau_syn_exc_s",
		cTauInhS: "tau_syn_inh_s", cTauExcD: "tau_syn_exc_d", cTauInhD: "tau_syn_inh_d", cPhi: "phi",
		cCaTh: "Ca_th", cCa0: "Ca_0", cTauCa: "tau_decay_Ca", cMSlope: "m_slope", cMHalf: "m_half",
		cTauM: "tau_m", cHSlope: "h_slope", cHHalf: "h_half", cTauH: "tau_h", cExpK: "exp_K_Ca",
		cTauMK: "tau_m_K_Ca", cCaO: "c_Ca_o", cIes: "I_e_s", cIed: "I_e_d", cTauRAmpa: "tau_r_ampa",
		cTauDAmpa: "tau_d_ampa", cEAmpa: "e_AMPA", cTauRBeta: "tau_r_beta", cTauDBeta: "tau_d_beta",
		cEBeta: "e_L_beta", cTauRNmda: "tau_r_nmda", cTauDNmda: "tau_d_nmda", cEAN: "e_L_AMPA_NMDA",
		cNmdaRatio: "nmda_ratio", cTol: "gsl_error_tol", cClip: "clip_Ca_influx"} {
		set(i, n)
	}
	c[cRefSteps] = float64(Steps(p["t_ref"], dt))
	for _, k := range [][2]int{{cPSCExcS, cTauExcS}, {cPSCInhS, cTauInhS}, {cPSCExcD, cTauExcD}, {cPSCInhD, cTauInhD}} {
		c[k[0]] = math.E / c[k[1]]
	}
	c[cNernst] = caNernstFactor(p)
	c[cNormAmpa] = doubleExpNorm(p["tau_r_ampa"], p["tau_d_ampa"])
	c[cNormNmda] = doubleExpNorm(p["tau_r_nmda"], p["tau_d_nmda"])
	c[cNormBeta] = betaNorm(p["tau_r_beta"], p["tau_d_beta"])
	c[cDt] = dt
	return c
}

func caCheck(p Values, _ Lists, _ float64) error {
	if err := positive(p, "C_m_s", "C_m_d", "delta_T", "tau_w", "tau_syn_exc_s", "tau_syn_inh_s", "tau_syn_exc_d",
		"tau_syn_inh_d", "Ca_th", "Ca_0", "tau_decay_Ca", "tau_m", "tau_h", "tau_m_K_Ca", "c_Ca_o", "F_Ca",
		"tau_r_ampa", "tau_d_ampa", "tau_r_beta", "tau_d_beta", "tau_r_nmda", "tau_d_nmda", "gsl_error_tol"); err != nil {
		return err
	}
	if err := nonNegative(p, "t_ref", "g_L_s", "g_L_d", "g_C_d", "gbar_Ca", "gbar_K_Ca"); err != nil {
		return err
	}
	for _, k := range [][2]string{{"tau_r_ampa", "tau_d_ampa"}, {"tau_r_nmda", "tau_d_nmda"}} {
		if p[k[0]] >= p[k[1]] {
			return fmt.Errorf("%s must be < %s (got %g and %g)", k[0], k[1], p[k[0]], p[k[1]])
		}
	}
	if p["V_reset"] >= p["V_th"] {
		return fmt.Errorf("V_reset must be < V_th (got %g and %g)", p["V_reset"], p["V_th"])
	}
	return nil
}

// caInitialGate is a gate's initial value: its steady state at e_L_d.
func caInitialGate(slope, half string) func(Values) float64 {
	return func(p Values) float64 { return 1 / (1 + math.Exp(p[slope]*(p["e_L_d"]-p[half]))) }
}

// CaAdex is the NESTML model ca_adex.
var CaAdex = &Neuron{
	Name: "ca_adex",
	Doc: `Two-compartment adaptive-exponential neuron with apical calcium dynamics (NESTML's ca_adex; Pastorelli et al.
2025). Soma: C_m_s dV_m_s/dt = -g_L_s (V_s - e_L_s) + g_L_s delta_T e^((V_s - e_Na_Adex)/delta_T) - I_syn_s -
g_w w + I_e_s + I_stim_s - g_C_d (V_m_s - V_m_d), tau_w dw/dt = a (V_s - e_L_s) - w (V_s = min(V_m_s, V_max));
a spike when V_m_s >= V_th outside t_ref: V_m_s = V_reset, w += b. Distal: C_m_d dV_m_d/dt = -g_L_d (V_d -
e_L_d) - I_syn_d + I_AMPA + I_BETA + I_AMPA_NMDA + I_Ca + I_K + I_e_d + I_stim_d - g_C_d (V_m_d - V_m_s),
I_Ca = gbar_Ca m_Ca h_Ca (e_Ca - V_m_d), I_K = gbar_K_Ca m_K (e_K - V_m_d), Nernst e_Ca from c_Ca,
dc_Ca/dt = phi I_Ca + (Ca_0 - c_Ca)/tau_decay_Ca. Seven conductance receptors (weights in nS, receptor by
name: exc_spikes_soma, inh_spikes_soma, exc_spikes_distal, inh_spikes_distal, spikes_ampa_d, spikes_beta_d,
spikes_ampa_nmda_d) and two current inputs (I_stim_s, I_stim_d). Integrated by the adaptive RKF45 stepper
(absolute tolerance gsl_error_tol, c_Ca's error weighed 1e4/mM; package ode) in float64. Brain states:
preset = "wake" (the defaults) or "nrem".`,
	Params: []Param{
		{Name: "C_m_s", Unit: "pF", Default: 246.7882968598874, Doc: "somatic membrane capacitance"},
		{Name: "C_m_d", Unit: "pF", Default: 23.67372778891213, Doc: "distal membrane capacitance"},
		{Name: "t_ref", Unit: "ms", Default: 0, Doc: "refractory period (V_m_s frozen)"},
		{Name: "d_BAP", Unit: "ms", Default: 0.1195980511869619, Doc: "delay of the back-propagating AP (for the self-connection; unused by the equations)"},
		{Name: "w_BAP", Unit: "nS", Default: 27.995561755479308, Doc: "weight of the back-propagating AP onto spikes_ampa_d (for the self-connection; unused by the equations)"},
		{Name: "V_reset", Unit: "mV", Default: -61.73952230767877, Doc: "somatic reset potential"},
		{Name: "g_L_s", Unit: "nS", Default: 5, Doc: "somatic leak conductance"},
		{Name: "g_L_d", Unit: "nS", Default: 3.377855016658499, Doc: "distal leak conductance"},
		{Name: "g_C_d", Unit: "nS", Default: 19.777320239615996, Doc: "soma-distal coupling conductance"},
		{Name: "g_w", Unit: "nS", Default: 1.1156385639067352, Doc: "adaptation coupling conductance (w is in mV)"},
		{Name: "gbar_Ca", Unit: "nS", Default: 21.045506331690845, Doc: "Ca current maximal conductance"},
		{Name: "gbar_K_Ca", Unit: "nS", Default: 13.199867205029523, Doc: "Ca-dependent K current maximal conductance"},
		{Name: "e_L_s", Unit: "mV", Default: -69.24596493128396, Doc: "somatic leak reversal potential"},
		{Name: "e_L_d", Unit: "mV", Default: -55.000000000000014, Doc: "distal leak reversal potential"},
		{Name: "e_K", Unit: "mV", Default: -90, Doc: "K reversal potential"},
		{Name: "a", Default: 0, Doc: "subthreshold adaptation (dimensionless: w is in mV)"},
		{Name: "b", Unit: "mV", Default: 40, Doc: "spike-triggered adaptation (a current of b·g_w)"},
		{Name: "delta_T", Unit: "mV", Default: 2, Doc: "slope factor"},
		{Name: "tau_w", Unit: "ms", Default: 500, Doc: "adaptation time constant"},
		{Name: "e_Na_Adex", Unit: "mV", Default: -50, Doc: "exponential threshold (V_T)"},
		{Name: "V_th", Unit: "mV", Default: -40, Doc: "spike detection threshold"},
		{Name: "V_max", Unit: "mV", Default: 50, Doc: "bound of the potentials in the leak, exponential and alpha-synapse terms"},
		{Name: "E_exc_s", Unit: "mV", Default: 0, Doc: "somatic excitatory reversal potential"},
		{Name: "tau_syn_exc_s", Unit: "ms", Default: 0.2, Doc: "somatic excitatory alpha synapse time constant"},
		{Name: "E_inh_s", Unit: "mV", Default: -85, Doc: "somatic inhibitory reversal potential"},
		{Name: "tau_syn_inh_s", Unit: "ms", Default: 2, Doc: "somatic inhibitory alpha synapse time constant"},
		{Name: "E_exc_d", Unit: "mV", Default: 0, Doc: "distal excitatory reversal potential"},
		{Name: "tau_syn_exc_d", Unit: "ms", Default: 0.2, Doc: "distal excitatory alpha synapse time constant"},
		{Name: "E_inh_d", Unit: "mV", Default: -85, Doc: "distal inhibitory reversal potential"},
		{Name: "tau_syn_inh_d", Unit: "ms", Default: 2, Doc: "distal inhibitory alpha synapse time constant"},
		{Name: "phi", Default: 3.92830985228413e-08, Doc: "Ca influx per pA of I_Ca, in mM/(pA ms) (NESTML: 1/pA)"},
		{Name: "Ca_th", Default: 0.00043, Doc: "Ca concentration of half K_Ca activation (mM; no unit here: NEST has none for concentrations)"},
		{Name: "Ca_0", Default: 0.0001, Doc: "baseline intracellular Ca concentration (mM)"},
		{Name: "tau_decay_Ca", Unit: "ms", Default: 103.57233790866408, Doc: "Ca concentration decay time constant"},
		{Name: "m_slope", Default: 0.5, Doc: "slope of m_Ca's steady state, per mV (NESTML: real; sign as published: decreasing with V)"},
		{Name: "m_half", Unit: "mV", Default: -9, Doc: "half voltage of m_Ca's steady state"},
		{Name: "tau_m", Unit: "ms", Default: 15, Doc: "m_Ca time constant"},
		{Name: "h_slope", Default: -0.5, Doc: "slope of h_Ca's steady state, per mV (NESTML: real; sign as published: increasing with V)"},
		{Name: "h_half", Unit: "mV", Default: -21, Doc: "half voltage of h_Ca's steady state"},
		{Name: "tau_h", Unit: "ms", Default: 80, Doc: "h_Ca time constant"},
		{Name: "exp_K_Ca", Default: 4.8, Doc: "exponent of the K_Ca activation"},
		{Name: "tau_m_K_Ca", Unit: "ms", Default: 1, Doc: "K_Ca activation time constant"},
		{Name: "k_Ca", Unit: "mV", Default: 1000, Doc: "unit factor of the Nernst potential"},
		{Name: "R_Ca", Default: 8.31441, Doc: "gas constant (J/(mol K))"},
		{Name: "T_Ca", Default: 309.15, Doc: "temperature (K)"},
		{Name: "F_Ca", Default: 96489, Doc: "Faraday constant (C/mol)"},
		{Name: "c_Ca_o", Default: 2, Doc: "extracellular Ca concentration (mM)"},
		{Name: "I_e_s", Unit: "pA", Default: 0, Doc: "constant somatic input current"},
		{Name: "I_e_d", Unit: "pA", Default: 0, Doc: "constant distal input current"},
		{Name: "tau_r_ampa", Unit: "ms", Default: 0.2, Doc: "AMPA rise time"},
		{Name: "tau_d_ampa", Unit: "ms", Default: 3, Doc: "AMPA decay time"},
		{Name: "e_AMPA", Unit: "mV", Default: 0, Doc: "AMPA reversal potential"},
		{Name: "tau_d_beta", Unit: "ms", Default: 5, Doc: "beta synapse decay time"},
		{Name: "tau_r_beta", Unit: "ms", Default: 2, Doc: "beta synapse rise time"},
		{Name: "e_L_beta", Unit: "mV", Default: 90, Doc: "beta synapse reversal potential"},
		{Name: "tau_r_nmda", Unit: "ms", Default: 0.2, Doc: "NMDA rise time"},
		{Name: "tau_d_nmda", Unit: "ms", Default: 43, Doc: "NMDA decay time"},
		{Name: "e_L_AMPA_NMDA", Unit: "mV", Default: 0, Doc: "AMPA+NMDA reversal potential"},
		{Name: "nmda_ratio", Default: 2, Doc: "NMDA to AMPA conductance ratio of spikes_ampa_nmda_d"},
		{Name: "gsl_error_tol", Default: 1e-3, Doc: "absolute error tolerance of the adaptive RKF45 stepper (NESTML's default)"},
		{Name: "clip_Ca_influx", Kind: Bool, Default: 0, Doc: "not NESTML's: count only inward I_Ca as Ca influx, as the paper's original implementation does (docs/models.md: needed where V_m_d runs away)"},
	},
	State: []StateVar{
		{Name: "V_m_s", Unit: "mV", DefaultParam: "e_L_s", Doc: "somatic membrane potential"},
		{Name: "w", Unit: "mV", Doc: "spike adaptation"},
		{Name: "V_m_d", Unit: "mV", DefaultParam: "e_L_d", Doc: "distal membrane potential"},
		{Name: "c_Ca", DefaultParam: "Ca_0", Doc: "Ca concentration (mM)"},
		{Name: "m_Ca", Initial: caInitialGate("m_slope", "m_half"), Doc: "Ca current gate m (starts at its steady state at e_L_d)"},
		{Name: "h_Ca", Initial: caInitialGate("h_slope", "h_half"), Doc: "Ca current gate h (starts at its steady state at e_L_d)"},
		{Name: "m_K", Initial: func(p Values) float64 { return 1 / (1 + math.Pow(p["Ca_th"]/p["Ca_0"], p["exp_K_Ca"])) },
			Doc: "Ca-dependent K current activation (starts at its steady state at Ca_0)"},
		{Name: "g_exc_s", Unit: "nS", Doc: "somatic excitatory conductance"},
		{Name: "dg_exc_s", Internal: true, Doc: "its derivative state (nS/ms)"},
		{Name: "g_inh_s", Unit: "nS", Doc: "somatic inhibitory conductance"},
		{Name: "dg_inh_s", Internal: true, Doc: "its derivative state (nS/ms)"},
		{Name: "g_exc_d", Unit: "nS", Doc: "distal excitatory conductance"},
		{Name: "dg_exc_d", Internal: true, Doc: "its derivative state (nS/ms)"},
		{Name: "g_inh_d", Unit: "nS", Doc: "distal inhibitory conductance"},
		{Name: "dg_inh_d", Internal: true, Doc: "its derivative state (nS/ms)"},
		{Name: "ampa_rise", Unit: "nS", Internal: true, Doc: "spikes_ampa_d: rising exponential (g_AMPA = ampa_decay - ampa_rise)"},
		{Name: "ampa_decay", Unit: "nS", Internal: true, Doc: "spikes_ampa_d: decaying exponential"},
		{Name: "beta_rise", Unit: "nS", Internal: true, Doc: "spikes_beta_d: rising exponential"},
		{Name: "beta_decay", Unit: "nS", Internal: true, Doc: "spikes_beta_d: decaying exponential"},
		{Name: "ampa_nmda_rise", Unit: "nS", Internal: true, Doc: "spikes_ampa_nmda_d, AMPA part: rising exponential"},
		{Name: "ampa_nmda_decay", Unit: "nS", Internal: true, Doc: "spikes_ampa_nmda_d, AMPA part: decaying exponential"},
		{Name: "nmda_rise", Unit: "nS", Internal: true, Doc: "spikes_ampa_nmda_d, NMDA part: rising exponential"},
		{Name: "nmda_decay", Unit: "nS", Internal: true, Doc: "spikes_ampa_nmda_d, NMDA part: decaying exponential"},
		{Name: "refractory_steps", Internal: true, Doc: "steps left in which V_m_s is frozen"},
		{Name: "I_stim_s", Unit: "pA", Internal: true, Doc: "somatic current from current generators, acting from the next step"},
		{Name: "I_stim_d", Unit: "pA", Internal: true, Doc: "distal current from current generators, acting from the next step"},
		{Name: "e_Ca", Unit: "mV", Internal: true, Doc: "Ca reversal potential (Nernst) at the end of the step"},
		{Name: "I_Ca", Unit: "pA", Internal: true, Doc: "Ca current (positive inward) at the end of the step"},
		{Name: "I_K", Unit: "pA", Internal: true, Doc: "Ca-dependent K current at the end of the step"},
		{Name: "g_AMPA", Unit: "nS", Internal: true, Doc: "spikes_ampa_d conductance"},
		{Name: "g_BETA", Unit: "nS", Internal: true, Doc: "spikes_beta_d conductance"},
		{Name: "g_AMPA_NMDA", Unit: "nS", Internal: true, Doc: "spikes_ampa_nmda_d AMPA conductance"},
		{Name: "g_NMDA", Unit: "nS", Internal: true, Doc: "spikes_ampa_nmda_d NMDA conductance (times nmda_ratio, before the Mg block)"},
	},
	Ports: []Port{
		{Name: "exc_spikes_soma", Receptor: "exc_spikes_soma", Kind: SpikePort},
		{Name: "inh_spikes_soma", Receptor: "inh_spikes_soma", Kind: SpikePort},
		{Name: "exc_spikes_distal", Receptor: "exc_spikes_distal", Kind: SpikePort},
		{Name: "inh_spikes_distal", Receptor: "inh_spikes_distal", Kind: SpikePort},
		{Name: "spikes_ampa_d", Receptor: "spikes_ampa_d", Kind: SpikePort},
		{Name: "spikes_beta_d", Receptor: "spikes_beta_d", Kind: SpikePort},
		{Name: "spikes_ampa_nmda_d", Receptor: "spikes_ampa_nmda_d", Kind: SpikePort},
		{Name: "I_stim_s", Receptor: "I_stim_s", Kind: CurrentPort},
		{Name: "I_stim_d", Receptor: "I_stim_d", Kind: CurrentPort},
	},
	WeightUnit: weightIn("nS"),
	History:    func(Values, Lists, float64) int { return caDim + 2 },
	Check:      caCheck,
	Derive:     caDerive,
	Update:     updateCaAdex,
	Presets: []Preset{
		{Name: "wake", Doc: "apical amplification: the defaults", Params: Values{}},
		{Name: "nrem", Doc: "apical isolation (WTA-states' NREM changes): g_C_d × 0, b = 200 mV, e_L_s and e_L_d 5 mV lower",
			Params: Values{"g_C_d": 0, "b": 200, "e_L_s": -69.24596493128396 - 5, "e_L_d": -55.000000000000014 - 5}},
		{Name: "rem", Refused: "no parameter set for REM (apical drive) was published with the model or found in its code; give the parameters explicitly"},
	},
}

func init() { RegisterNeuron(CaAdex) }
