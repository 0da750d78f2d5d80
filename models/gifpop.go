package models

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/rng"
)

// GifPopPscExp is NEST's gif_pop_psc_exp: N gif neurons (threshold
// adaptation only, no stc) as one node that emits the population's spike
// count per step, by the refractory-density method with finite-size noise
// of Schwalger, Deger and Gerstner (2017), Figs. 11 and 12.
//
// State: the named variables below, then the ring of K = len_kernel
// cohorts (the neurons that fired k steps ago) in History slots, five
// floats per cohort: n (spikes), m (expected survivors), v (their
// variance), u (their potential), lambda (their last escape rate); the
// kernel values theta(age) and theta~(age) are per-member constants. State
// is float32 like every model's; a step computes in float64 from it, so the
// rounding between steps is float32's (relative 6e-8 of values that decay
// or are redrawn every step), far below the finite-size noise the model is
// about: NEST's reference numbers hold (gifpop_test.go).
var GifPopPscExp = &Neuron{
	Name: "gif_pop_psc_exp",
	Doc: `Population of N generalized integrate-and-fire neurons (NEST's gif_pop_psc_exp; Schwalger, Deger, Gerstner 2017):
one node emits the number of spikes its N neurons fire in a step (one spike of that multiplicity: a weight w adds
n·w to each target; the spike recorder gets n rows). Neurons: tau_m dV/dt = -(V - E_L) + R (I_syn + I_e + I_stim),
R = tau_m/C_m, reset to V_reset and held for t_ref, escape rate lambda_0·exp((V - E_sfa)/Delta_V) (lambda_0 in
1/s), threshold E_sfa = V_T_star + sum_j q_sfa[j]·exp(-t/tau_sfa[j]) summed over the neuron's past spikes (at
most 4 components). The population keeps K = len_kernel cohorts of the neurons that fired k steps ago (len_kernel
< 1: the longest lag at which the adaptation kernel exceeds Delta_V/10, at most 20 s, at least 5 tau_m, and more
than t_ref); neurons that fired longer ago are 'free'. Per step: the input (the summed spike weights of the step as
a constant current over it, exact with the exponential synapses; w > 0 into I_syn_ex, w < 0 into I_syn_in) moves
the free potential V_m and every cohort's potential; expected escapes per cohort and of the free neurons, with
the quasi-renewal threshold and a variance-weighted correction, give the expected count 'mean'; the count
n_events ~ Binomial(N, mean/N) (BinoRand true) or Poisson(mean) clipped to N becomes the newest cohort. E_sfa is
the free threshold. Random numbers: the node's Philox stream per step; the binomial is counted by geometric
skips, the Poisson by exponential arrivals (portable logarithm). Current input acts from the next step.`,
	Params: []Param{
		{Name: "N", Kind: Integer, Default: 100, Doc: "number of neurons in the population"},
		{Name: "tau_m", Unit: "ms", Default: 20, Doc: "membrane time constant"},
		{Name: "C_m", Unit: "pF", Default: 250, Doc: "membrane capacitance"},
		{Name: "t_ref", Unit: "ms", Default: 4, Doc: "absolute refractory period"},
		{Name: "lambda_0", Unit: "Hz", Default: 10, Doc: "escape rate at threshold, in 1/s as NEST takes it"},
		{Name: "Delta_V", Unit: "mV", Default: 2, Doc: "escape-noise width"},
		{Name: "len_kernel", Kind: Integer, Default: -1, Doc: "cohorts kept, in steps (< 1: chosen from the adaptation kernel, as NEST does)"},
		{Name: "I_e", Unit: "pA", Default: 0, Doc: "constant input current"},
		{Name: "V_reset", Unit: "mV", Default: 0, Doc: "reset potential"},
		{Name: "V_T_star", Unit: "mV", Default: 15, Doc: "base threshold"},
		{Name: "E_L", Unit: "mV", Default: 0, Doc: "resting potential"},
		{Name: "tau_syn_ex", Unit: "ms", Default: 3, Doc: "time constant of the excitatory synaptic current"},
		{Name: "tau_syn_in", Unit: "ms", Default: 6, Doc: "time constant of the inhibitory synaptic current"},
		{Name: "tau_sfa", Unit: "ms", Kind: List, Doc: fmt.Sprintf("time constants of the threshold adaptation (default [300]; 1 to %d)", GifMaxComponents)},
		{Name: "q_sfa", Unit: "mV", Kind: List, Doc: "jumps of the threshold adaptation (default [0.5])"},
		{Name: "BinoRand", Kind: Bool, Default: 1, Doc: "draw spike counts from a binomial (true) or a Poisson distribution clipped to N (false)"},
	},
	State: []StateVar{
		{Name: "V_m", Unit: "mV", Doc: "free membrane potential (of the neurons that have not fired for len_kernel steps; starts at 0 mV, as in NEST)"},
		{Name: "n_events", Doc: "spikes in the last step"},
		{Name: "E_sfa", Unit: "mV", Doc: "free threshold: V_T_star plus the adaptation of the spikes older than len_kernel"},
		{Name: "mean", Doc: "expected spikes in the last step (the rate is mean/(N·h))"},
		{Name: "I_syn_ex", Unit: "pA", Doc: "excitatory synaptic current"},
		{Name: "I_syn_in", Unit: "pA", Doc: "inhibitory synaptic current"},
		{Name: "I_stim", Unit: "pA", Internal: true, Doc: "current from current generators, acting from the next step"},
		{Name: "x", Internal: true, Doc: "expected number of free neurons"},
		{Name: "z", Internal: true, Doc: "variance of the number of free neurons"},
		{Name: "lambda_free", Unit: "Hz", Internal: true, Doc: "escape rate of the free neurons in the last step"},
		{Name: "k0", Internal: true, Doc: "ring position of the oldest cohort"},
		{Name: "initialized", Internal: true, Doc: "1 once the cohorts are set up (NEST: every neuron fired one step before the start)"},
		{Name: "g_sfa_1", Internal: true, Doc: "filtered activity (1/ms) that left the cohort ring, per adaptation component"},
		{Name: "g_sfa_2", Internal: true},
		{Name: "g_sfa_3", Internal: true},
		{Name: "g_sfa_4", Internal: true},
	},
	Ports: []Port{
		{Name: "ex", Kind: SpikePort, Sign: +1},
		{Name: "in", Kind: SpikePort, Sign: -1},
		{Name: "currents", Kind: CurrentPort},
	},
	WeightUnit:   weightIn("pA"),
	Check:        checkGifPop,
	Derive:       deriveGifPop,
	Update:       updateGifPop,
	Multiplicity: func(p Values) int { return int(p["N"]) },
	History: func(p Values, l Lists, dt float64) int {
		return gpFields * GifPopKernelLen(p, l, dt)
	},
}

func init() { RegisterNeuron(GifPopPscExp) }

// Named state variables, in State order (kernels/gif_pop_psc_exp.cu).
const (
	gpVm = iota
	gpNEvents
	gpESfa
	gpMean
	gpSynEx
	gpSynIn
	gpIStim
	gpX
	gpZ
	gpLambdaFree
	gpK0
	gpInit
	gpG          // GifMaxComponents slots
	gpStateCount = gpG + GifMaxComponents
)

// The fields of a cohort, in its History slots (gpFields per cohort).
const (
	gpHN = iota
	gpHM
	gpHV
	gpHU
	gpHLambda
	gpFields
)

// Derived constants, in Const order (kernels/gif_pop_psc_exp.cu).
const (
	gpN       = 0                        // N
	gpK       = 1                        // len_kernel (resolved)
	gpKRef    = 2                        // t_ref in steps
	gpNSfa    = 3                        // adaptation components in use
	gpQ30     = 4                        // exp(-h/tau_sfa[j]): GifMaxComponents slots
	gpGIn     = gpQ30 + GifMaxComponents // (1 - exp(-h/tau_sfa[j]))/(N·h): what a spike adds to g_j
	gpQ30K    = gpGIn + GifMaxComponents // q_sfa[j]·tau_sfa[j]·exp(-K·h/tau_sfa[j])
	gpEL      = gpQ30K + GifMaxComponents
	gpVTStar  = gpEL + 1
	gpVReset  = gpEL + 2
	gpIe      = gpEL + 3
	gpP22     = gpEL + 4  // exp(-h/tau_m)
	gpP20     = gpEL + 5  // tau_m/C_m·(1 - exp(-h/tau_m))
	gpLambda0 = gpEL + 6  // lambda_0 (1/s)
	gpDeltaV  = gpEL + 7  // Delta_V
	gpHalfH   = gpEL + 8  // 0.0005·h: the trapezoid of two rates in 1/s over h ms
	gpTexH    = gpEL + 9  // tau_syn_ex/h: a step's summed weights → a constant current
	gpTinH    = gpEL + 10 // tau_syn_in/h
	gpKAex    = gpEL + 11 // that current's effect on V over the step
	gpKYex    = gpEL + 12 // the synaptic current's effect on V over the step
	gpKAin    = gpEL + 13
	gpKYin    = gpEL + 14
	gpP11ex   = gpEL + 15 // exp(-h/tau_syn_ex)
	gpP11in   = gpEL + 16 // exp(-h/tau_syn_in)
	gpBino    = gpEL + 17 // BinoRand
	gpTheta   = gpEL + 18 // theta[k] for k < K (the kernel at lag K - k), then theta~[k]
)

// gifPopSfa returns the adaptation lists, NEST's defaults when absent.
func gifPopSfa(l Lists) (tau, q []float64) {
	tau, ok := l["tau_sfa"]
	if !ok {
		tau = []float64{300}
	}
	q, ok = l["q_sfa"]
	if !ok {
		q = []float64{0.5}
	}
	return tau, q
}

// gifPopKernel is the adaptation kernel at a lag of k steps (mV; NEST
// leaves out the 1/tau_sfa of the paper's kernel, as q_sfa is in mV).
func gifPopKernel(tau, q []float64, k int, dt float64) float64 {
	s := 0.0
	for j := range tau {
		s += q[j] * math.Exp(-float64(k)*dt/tau[j])
	}
	return s
}

// GifPopKernelLen is gif_pop_psc_exp's number of cohorts K: len_kernel,
// or when it is below 1 NEST's choice (Schwalger et al. Eq. 86): from 20 s
// down to 5 tau_m, the longest lag at which the kernel is at least
// Delta_V/10, and more than t_ref.
func GifPopKernelLen(p Values, l Lists, dt float64) int {
	if k := int(p["len_kernel"]); k >= 1 {
		return k
	}
	tau, q := gifPopSfa(l)
	k := int(20000 / dt)
	kmin := int(5 * p["tau_m"] / dt)
	for gifPopKernel(tau, q, k, dt)/p["Delta_V"] < 0.1 && k > kmin {
		k--
	}
	if float64(k)*dt <= p["t_ref"] {
		k = int(p["t_ref"]/dt) + 1
	}
	return k
}

func checkGifPop(p Values, l Lists, dt float64) error {
	if err := positive(p, "N", "C_m", "tau_m", "tau_syn_ex", "tau_syn_in", "Delta_V"); err != nil {
		return err
	}
	if err := nonNegative(p, "lambda_0", "t_ref"); err != nil {
		return err
	}
	if p["N"] > 1<<24 {
		return fmt.Errorf("N must be at most %d (spike counts are exact float32 values; got %g)", 1<<24, p["N"])
	}
	for _, s := range []string{"tau_syn_ex", "tau_syn_in"} {
		if p[s] == p["tau_m"] {
			return fmt.Errorf("%s must differ from tau_m (both %g ms): the exact integration divides by their difference", s, p[s])
		}
	}
	tau, q := gifPopSfa(l)
	switch {
	case len(tau) != len(q):
		return fmt.Errorf("tau_sfa and q_sfa must have the same length (got %d and %d)", len(tau), len(q))
	case len(tau) == 0:
		return fmt.Errorf("tau_sfa and q_sfa must not be empty (NEST's default: [300] ms and [0.5] mV)")
	case len(tau) > GifMaxComponents:
		return fmt.Errorf("tau_sfa has %d components; at most %d are supported", len(tau), GifMaxComponents)
	}
	for j, t := range tau {
		if !(t > 0) {
			return fmt.Errorf("tau_sfa[%d] must be > 0 (got %g)", j, t)
		}
	}
	if k := int(p["len_kernel"]); k >= 1 && float64(k) <= float64(Steps(p["t_ref"], dt)) {
		return fmt.Errorf("len_kernel must exceed t_ref/dt = %d steps (got %d), or be < 1 to choose it", Steps(p["t_ref"], dt), k)
	}
	return nil
}

func deriveGifPop(p Values, l Lists, dt float64) []float64 {
	K := GifPopKernelLen(p, l, dt)
	tau, q := gifPopSfa(l)
	n := p["N"]
	c := make([]float64, gpTheta+2*K)
	c[gpN] = n
	c[gpK] = float64(K)
	c[gpKRef] = float64(Steps(p["t_ref"], dt))
	c[gpNSfa] = float64(len(tau))
	for j, t := range tau {
		c[gpQ30+j] = math.Exp(-dt / t)
		c[gpGIn+j] = (1 - math.Exp(-dt/t)) / (n * dt)
		c[gpQ30K+j] = q[j] * t * math.Exp(-dt*float64(K)/t)
	}
	tm, cm := p["tau_m"], p["C_m"]
	p22 := math.Exp(-dt / tm)
	c[gpEL] = p["E_L"]
	c[gpVTStar] = p["V_T_star"]
	c[gpVReset] = p["V_reset"]
	c[gpIe] = p["I_e"]
	c[gpP22] = p22
	c[gpP20] = tm / cm * (1 - p22)
	c[gpLambda0] = p["lambda_0"]
	c[gpDeltaV] = p["Delta_V"]
	c[gpHalfH] = 0.0005 * dt
	// A step's input A (pA, constant over the step) and the synaptic
	// current I at its start move V by kA·A + kY·I (NEST's h_ex, h_in,
	// with its terms gathered), and I ends at A + (I - A)·P11.
	syn := func(ts float64) (kA, kY float64) {
		p11 := math.Exp(-dt / ts)
		kA = (tm + tm*(p22*tm-ts*p11)/(ts-tm)) / cm
		kY = tm * ts * (p11 - p22) / ((ts - tm) * cm)
		return kA, kY
	}
	c[gpTexH] = p["tau_syn_ex"] / dt
	c[gpTinH] = p["tau_syn_in"] / dt
	c[gpKAex], c[gpKYex] = syn(p["tau_syn_ex"])
	c[gpKAin], c[gpKYin] = syn(p["tau_syn_in"])
	c[gpP11ex] = math.Exp(-dt / p["tau_syn_ex"])
	c[gpP11in] = math.Exp(-dt / p["tau_syn_in"])
	c[gpBino] = p["BinoRand"]
	for k := 0; k < K; k++ {
		th := gifPopKernel(tau, q, K-k, dt)
		c[gpTheta+k] = th
		c[gpTheta+K+k] = p["Delta_V"] * (1 - math.Exp(-th/p["Delta_V"])) / n
	}
	return c
}

// gifPopBinomial draws Binomial(n, p) by counting the successes among n
// trials, skipping from one to the next by geometric draws
// floor(log U/log(1-p)) + 1 (U in (0, 1]): exact, O(n·min(p, 1-p)) draws,
// and with the portable logarithm the same on the GPU.
func gifPopBinomial(st *rng.Stream, n int, p float64) int {
	if p >= 1 {
		return n
	}
	if !(p > 0) {
		return 0
	}
	flip := p > 0.5
	if flip {
		p = 1 - p
	}
	k := 0
	if lq := rng.Log(1 - p); lq < 0 {
		pos := 0.0
		for k < n {
			pos = pos + (math.Floor(rng.Log(1-st.Float64())/lq) + 1)
			if !(pos <= float64(n)) {
				break
			}
			k++
		}
	}
	if flip {
		return n - k
	}
	return k
}

// gifPopPoisson draws Poisson(mean) clipped to n, as NEST does, by counting
// exponential arrivals (portable logarithm) up to mean; mean > n gives n.
func gifPopPoisson(st *rng.Stream, n int, mean float64) int {
	if mean > float64(n) {
		return n
	}
	k := 0
	t := 0.0
	for k < n {
		t = t - rng.Log(1-st.Float64())
		if !(t <= mean) {
			break
		}
		k++
	}
	return k
}

// updateGifPop is NEST's update (the line numbers of Figs. 11 and 12 of
// Schwalger et al.), in float64 from the float32 state; every product is
// rounded explicitly so that the kernel, built without fused multiply-add,
// computes the same bits. Exponentials are rng.Exp (portable).
func updateGifPop(u *Update) {
	c := u.Const
	s := u.State
	hist := s[gpStateCount:]
	n := int(c[gpN])
	nf := c[gpN]
	K, kref, nsfa := int(c[gpK]), int(c[gpKRef]), int(c[gpNSfa])
	theta, thetaTld := c[gpTheta:gpTheta+K], c[gpTheta+K:gpTheta+2*K]
	el, p22, lambda0, dv, halfH := c[gpEL], c[gpP22], c[gpLambda0], c[gpDeltaV], c[gpHalfH]
	spkEx, spkIn, inCur := u.In[0], u.In[1], u.In[2]
	for i := u.Lo; i < u.Hi; i++ {
		if s[gpInit][i] == 0 {
			// Every neuron fired one step before the start (InitPopulations).
			hist[gpFields*(K-1)+gpHN][i] = float32(nf)
			hist[gpFields*(K-1)+gpHM][i] = float32(nf)
			s[gpInit][i] = 1
		}
		// Input: the step's summed weights as a constant current (line 6, 10, 11).
		aEx := float64(float64(spkEx[i]) * c[gpTexH])
		aIn := float64(float64(spkIn[i]) * c[gpTinH])
		iEx, iIn := float64(s[gpSynEx][i]), float64(s[gpSynIn][i])
		hTot := float64((c[gpIe]+float64(s[gpIStim][i]))*c[gpP20]) + el
		hTot = hTot + (float64(c[gpKAex]*aEx) + float64(c[gpKYex]*iEx))
		hTot = hTot + (float64(c[gpKAin]*aIn) + float64(c[gpKYin]*iIn))
		s[gpSynEx][i] = float32(aEx + float64((iEx-aEx)*c[gpP11ex]))
		s[gpSynIn][i] = float32(aIn + float64((iIn-aIn)*c[gpP11in]))
		s[gpIStim][i] = inCur[i]

		// Free potential and threshold (lines 3-6).
		v := float64(float64(float64(s[gpVm][i])-el)*p22) + hTot
		k0 := int(s[gpK0][i])
		nOld := float64(hist[gpFields*k0+gpHN][i])
		thHat := c[gpVTStar]
		for j := 0; j < nsfa; j++ {
			g := float64(float64(s[gpG+j][i])*c[gpQ30+j]) + float64(c[gpGIn+j]*nOld)
			s[gpG+j][i] = float32(g)
			thHat = thHat + float64(c[gpQ30K+j]*g)
		}
		// Free escape probability (lines 8-10), trapezoid of two rates.
		lt := float64(rng.Exp((v-thHat)/dv) * lambda0)
		pFree := 1 - rng.Exp(-float64(halfH*(float64(s[gpLambdaFree][i])+lt)))
		s[gpLambdaFree][i] = saturate32(lt)
		// Line 11; NEST takes the count of ring slot 0, not of k0.
		thHat = thHat - float64(float64(hist[gpHN][i])*thetaTld[0])

		sumM := 0.0 // line 12
		for k := 0; k < K; k++ {
			sumM = sumM + float64(hist[gpFields*k+gpHM][i])
		}
		// The cohorts past refractoriness, oldest first (lines 13-27).
		var w, y, z float64
		th := thHat
		for km := 0; km < K-kref; km++ {
			k := k0 + km
			if k >= K {
				k -= K
			}
			h := hist[gpFields*k : gpFields*k+gpFields]
			thK := theta[km] + th
			th = th + float64(float64(h[gpHN][i])*thetaTld[km])
			uk := float64(float64(float64(h[gpHU][i])-el)*p22) + hTot
			h[gpHU][i] = float32(uk)
			lk := float64(rng.Exp((uk-thK)/dv) * lambda0)
			pk := float64(halfH * (lk + float64(h[gpHLambda][i])))
			if pk > 0.01 {
				pk = 1 - rng.Exp(-pk)
			}
			h[gpHLambda][i] = float32(lk)
			vk, mk := float64(h[gpHV][i]), float64(h[gpHM][i])
			y = y + float64(pk*vk)
			z = z + vk
			w = w + float64(pk*mk)
			o := 1 - pk
			h[gpHV][i] = float32(float64(float64(o*o)*vk) + float64(pk*mk))
			h[gpHM][i] = float32(float64(o * mk))
		}
		x, zf := float64(s[gpX][i]), float64(s[gpZ][i])
		pLambda := 0.0 // line 28
		if z+zf > 0 {
			pLambda = (y + float64(pFree*zf)) / (z + zf)
		}
		mean := (w + float64(pFree*x)) + float64(pLambda*((nf-sumM)-x)) // line 29
		st := rng.NewStream(u.Key, rng.PurposeNeuron, u.Object, uint32(i), uint32(u.Step))
		var spikes int
		if c[gpBino] != 0 {
			spikes = gifPopBinomial(&st, n, mean/nf)
		} else {
			spikes = gifPopPoisson(&st, n, mean)
		}
		// Lines 31-36: the oldest cohort joins the free neurons; the new
		// spikes take its slot.
		h := hist[gpFields*k0 : gpFields*k0+gpFields]
		o := 1 - pFree
		s[gpZ][i] = float32((float64(float64(o*o)*zf) + float64(x*pFree)) + float64(h[gpHV][i]))
		s[gpX][i] = float32(float64(x*o) + float64(h[gpHM][i]))
		h[gpHN][i] = float32(spikes)
		h[gpHM][i] = float32(spikes)
		h[gpHV][i] = 0
		h[gpHU][i] = float32(c[gpVReset])
		h[gpHLambda][i] = 0
		if k0++; k0 == K {
			k0 = 0
		}
		s[gpK0][i] = float32(k0)
		s[gpVm][i] = float32(v)
		s[gpNEvents][i] = float32(spikes)
		s[gpESfa][i] = float32(thHat)
		s[gpMean][i] = float32(mean)
		for range spikes {
			u.Spikes = append(u.Spikes, uint32(i))
		}
	}
}

// saturate32 rounds a rate to float32, holding one beyond its range at the
// largest float32 rather than +Inf: the escape probability it enters is 1
// either way, and an infinity in the state reads as an overflow (the
// engines' check for non-finite state).
func saturate32(x float64) float32 {
	if x > math.MaxFloat32 {
		return math.MaxFloat32
	}
	return float32(x)
}
