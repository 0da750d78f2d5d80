package models

import (
	"fmt"
	"math"
	"sort"

	"github.com/snn-gpu/snn-gpu/rng"
)

// NEST's rate models (Hahne et al. 2017): every nonlinearity in three forms,
// input noise (*_ipn), output noise (*_opn) and the rate transformer. One
// update (rateUpdate) and one nonlinearity (Phi) serve all of them; the
// kernel kernels/rate.cu with kernels/rate.cuh mirrors both.

// Form is the kind of rate node.
type Form int

const (
	FormIPN         Form = iota // input noise: the noise enters the dynamics
	FormOPN                     // output noise: the sent rate is noisy
	FormTransformer             // no dynamics: X ← φ(input)
)

// Nonlinearity is the input function φ of a rate model.
type Nonlinearity int

const (
	NonlinLin Nonlinearity = iota
	NonlinTanh
	NonlinThresholdLin
	NonlinSigmoid
	NonlinSigmoidGG1998
	NonlinGauss
)

// Derived constants of the rate models, in Const order (kernels/rate.cuh
// mirrors it).
const (
	rateForm     = iota // Form
	rateNonlin          // Nonlinearity
	rateP1              // ipn: exp(-λh/τ) (1 for λ = 0); opn: exp(-h/τ)
	rateP2              // ipn: (1 - exp(-λh/τ))/λ (h/τ for λ = 0); opn: 1 - exp(-h/τ)
	rateNoise           // ipn: sqrt((1 - exp(-2λh/τ))/(2λ)) (sqrt(h/τ) for λ = 0); opn: sqrt(τ/h)
	rateMu              // mu
	rateSigma           // sigma
	rateRectify         // rectify_output (0 or 1)
	rateRectRate        // rectify_rate
	rateLinSum          // linear_summation (0 or 1)
	rateMult            // mult_coupling (0 or 1)
	rateGEx             // lin_rate: g_ex, g_in, theta_ex, theta_in (others: 0, 0, 0, 0 and unused)
	rateGIn
	rateThetaEx
	rateThetaIn
	rateG // φ's parameters: g, theta, alpha, beta, mu (gauss), 1/(2 sigma²) (gauss)
	rateTheta
	rateAlpha
	rateBeta
	rateNlMu
	rateNlInv2S2
	rateConstCount
)

// Rate state variables, in State order.
const (
	rateX         = iota // rate
	rateNoiseVar         // noise (ipn, opn)
	rateNoisyRate        // noisy_rate (opn)
)

// Phi is the nonlinearity of kind k with the model's constants c, in float64
// and rounded once; exponentials through rng.Exp and tanh through Tanh, so
// that kernels/rate.cuh gets the same bits.
func Phi(k Nonlinearity, c []float64, h float32) float32 {
	x := float64(h)
	g := c[rateG]
	switch k {
	case NonlinLin:
		return float32(g * x)
	case NonlinTanh:
		return float32(Tanh(g * (x - c[rateTheta])))
	case NonlinThresholdLin:
		return float32(math.Min(math.Max(g*(x-c[rateTheta]), 0), c[rateAlpha]))
	case NonlinSigmoid:
		return float32(g / (1 + rng.Exp(-c[rateBeta]*(x-c[rateTheta]))))
	case NonlinSigmoidGG1998:
		y := g * x
		y4 := y * y * y * y
		return float32(y4 / (0.1*0.1*0.1*0.1 + y4))
	case NonlinGauss:
		d := x - c[rateNlMu]
		return float32(g * rng.Exp(-d*d*c[rateNlInv2S2]))
	}
	panic("models: unknown nonlinearity")
}

// Tanh is tanh from IEEE-exact operations and rng.Exp (rate_tanh in
// kernels/rate.cuh): its odd series below |y| = 1e-3 (relative error
// below 1e-20), (1 − e)/(1 + e) with e = exp(−2|y|) above (cancellation
// costs at most 1e-13 relative).
func Tanh(y float64) float64 {
	a := math.Abs(y)
	if a < 1e-3 {
		y2 := y * y
		return y * (1 - y2*(1.0/3-y2*(2.0/15-y2*(17.0/315))))
	}
	e := rng.Exp(-2 * a)
	t := (1 - e) / (1 + e)
	if y < 0 {
		return -t
	}
	return t
}

// rateUpdate is the update of every rate model (docs/models.md, Rate
// models): NEST's stochastic exponential Euler for ipn, the exponential
// update with piecewise-constant output noise for opn, X ← φ(input) for
// the transformer. In[0] and In[1] are the excitatory and inhibitory
// summed inputs (w >= 0 and w < 0).
func rateUpdate(u *Update) {
	c := u.Const
	form, k := Form(c[rateForm]), Nonlinearity(c[rateNonlin])
	x := u.State[rateX]
	if u.Emit { // opn: this step's noise and the noisy rate it sends
		noise, noisy := u.State[rateNoiseVar], u.State[rateNoisyRate]
		sigma, f := float32(c[rateSigma]), float32(c[rateNoise])
		for i := u.Lo; i < u.Hi; i++ {
			noise[i] = sigma * rateDraw(u, i)
			noisy[i] = x[i] + f*noise[i]
		}
		return
	}
	ex, in := u.In[0], u.In[1]
	linSum, mult := c[rateLinSum] != 0, c[rateMult] != 0
	if form == FormTransformer {
		for i := u.Lo; i < u.Hi; i++ {
			h := ex[i] + in[i]
			if linSum {
				h = Phi(k, c, h)
			}
			x[i] = h
		}
		return
	}
	p1, p2, mu := float32(c[rateP1]), float32(c[rateP2]), float32(c[rateMu])
	gEx, gIn, thEx, thIn := float32(c[rateGEx]), float32(c[rateGIn]), float32(c[rateThetaEx]), float32(c[rateThetaIn])
	lin := k == NonlinLin
	// input is the bracket's coupling term: H·φ(sums), H = 1 but for
	// lin_rate's multiplicative coupling, at the rate y (opn: the noisy one).
	input := func(i int, y float32) float32 {
		e, n := ex[i], in[i]
		if !mult {
			if linSum {
				return Phi(k, c, e+n)
			}
			return e + n
		}
		if linSum {
			e, n = Phi(k, c, e), Phi(k, c, n)
		}
		if lin {
			e = gEx * (thEx - y) * e
			n = gIn * (thIn + y) * n
		}
		return e + n
	}
	if form == FormOPN {
		noisy := u.State[rateNoisyRate]
		for i := u.Lo; i < u.Hi; i++ {
			x[i] = p1*x[i] + p2*mu + p2*input(i, noisy[i])
		}
		return
	}
	noise := u.State[rateNoiseVar]
	sigma, f := float32(c[rateSigma]), float32(c[rateNoise])
	rectify, floor := c[rateRectify] != 0, float32(c[rateRectRate])
	for i := u.Lo; i < u.Hi; i++ {
		noise[i] = sigma * rateDraw(u, i)
		old := x[i]
		y := p1*old + p2*mu + f*noise[i]
		y = y + p2*input(i, old)
		if rectify && y < floor {
			y = floor
		}
		x[i] = y
	}
}

// rateDraw is neuron i's standard normal number of the step, from the
// portable normal (the GPU gets the same bits).
func rateDraw(u *Update, i int) float32 {
	st := rng.NewStream(u.Key, rng.PurposeNeuron, u.Object, uint32(i), uint32(u.Step))
	return float32(st.PortableNormal())
}

// rateFamily is a nonlinearity with its NEST name and parameters.
type rateFamily struct {
	name   string
	kind   Nonlinearity
	params []Param
	doc    string
	ipn    string // model names of the three forms ("" where NEST has none)
	opn    string
	trans  string
}

var rateFamilies = []rateFamily{
	{name: "lin_rate", kind: NonlinLin, doc: "φ(h) = g·h; multiplicative coupling H_ex = g_ex·(theta_ex − X), H_in = g_in·(theta_in + X)",
		params: []Param{
			{Name: "g", Default: 1, Doc: "gain"},
			{Name: "g_ex", Default: 1, Doc: "mult_coupling: gain of the excitatory factor"},
			{Name: "g_in", Default: 1, Doc: "mult_coupling: gain of the inhibitory factor"},
			{Name: "theta_ex", Default: 0, Doc: "mult_coupling: reversal rate of the excitatory factor"},
			{Name: "theta_in", Default: 0, Doc: "mult_coupling: reversal rate of the inhibitory factor"},
		}, ipn: "lin_rate_ipn", opn: "lin_rate_opn", trans: "rate_transformer_lin"},
	{name: "tanh_rate", kind: NonlinTanh, doc: "φ(h) = tanh(g·(h − theta))",
		params: []Param{{Name: "g", Default: 1, Doc: "gain"}, {Name: "theta", Default: 0, Doc: "threshold"}},
		ipn:    "tanh_rate_ipn", opn: "tanh_rate_opn", trans: "rate_transformer_tanh"},
	{name: "threshold_lin_rate", kind: NonlinThresholdLin, doc: "φ(h) = min(max(g·(h − theta), 0), alpha)",
		params: []Param{{Name: "g", Default: 1, Doc: "gain"}, {Name: "theta", Default: 0, Doc: "threshold"},
			{Name: "alpha", Default: math.Inf(1), Doc: "saturation"}},
		ipn: "threshold_lin_rate_ipn", opn: "threshold_lin_rate_opn", trans: "rate_transformer_threshold_lin"},
	{name: "sigmoid_rate", kind: NonlinSigmoid, doc: "φ(h) = g / (1 + exp(−beta·(h − theta)))",
		params: []Param{{Name: "g", Default: 1, Doc: "gain"}, {Name: "beta", Default: 1, Doc: "slope"},
			{Name: "theta", Default: 0, Doc: "threshold"}},
		ipn: "sigmoid_rate_ipn", trans: "rate_transformer_sigmoid"},
	{name: "sigmoid_rate_gg_1998", kind: NonlinSigmoidGG1998, doc: "φ(h) = (g·h)⁴ / (0.1⁴ + (g·h)⁴) (Gancarz & Grossberg 1998)",
		params: []Param{{Name: "g", Default: 1, Doc: "gain"}},
		ipn:    "sigmoid_rate_gg_1998_ipn", trans: "rate_transformer_sigmoid_gg_1998"},
	{name: "gauss_rate", kind: NonlinGauss, doc: "φ(h) = g·exp(−(h − mu)² / (2·sigma²)); on gauss_rate_ipn mu and sigma are also the mean input and the noise (NEST's shared names)",
		params: []Param{{Name: "g", Default: 1, Doc: "gain"}},
		ipn:    "gauss_rate_ipn", trans: "rate_transformer_gauss"},
}

// rateIPNParams and rateOPNParams are the neuron parameters of the two noisy
// forms, NEST's defaults (noisy by default: sigma = 1).
var (
	rateIPNParams = []Param{
		{Name: "tau", Unit: "ms", Default: 10, Doc: "time constant"},
		{Name: "lambda", Default: 1, Doc: "passive decay rate"},
		{Name: "sigma", Default: 1, Doc: "noise amplitude (standard deviation of the stationary rate: sigma/sqrt(2·lambda))"},
		{Name: "mu", Default: 0, Doc: "mean input"},
		{Name: "rectify_rate", Default: 0, Doc: "lower bound of the rate with rectify_output"},
		{Name: "linear_summation", Kind: Bool, Default: 1, Doc: "φ on the summed input (true) or on each incoming rate (false)"},
		{Name: "rectify_output", Kind: Bool, Default: 0, Doc: "keep the rate >= rectify_rate"},
		{Name: "mult_coupling", Kind: Bool, Default: 0, Doc: "multiplicative coupling: excitatory and inhibitory input apart, scaled by H_ex(X), H_in(X)"},
	}
	rateOPNParams = []Param{
		{Name: "tau", Unit: "ms", Default: 10, Doc: "time constant"},
		{Name: "sigma", Default: 1, Doc: "output noise amplitude"},
		{Name: "mu", Default: 0, Doc: "mean input"},
		{Name: "linear_summation", Kind: Bool, Default: 1, Doc: "φ on the summed input (true) or on each incoming rate (false)"},
		{Name: "mult_coupling", Kind: Bool, Default: 0, Doc: "multiplicative coupling: excitatory and inhibitory input apart, scaled by H_ex(X), H_in(X)"},
	}
	rateTransParams = []Param{
		{Name: "linear_summation", Kind: Bool, Default: 1, Doc: "φ on the summed input (true) or on each incoming rate (false)"},
	}
)

var rateStates = map[Form][]StateVar{
	FormIPN: {{Name: "rate", Doc: "the rate X"}, {Name: "noise", Internal: true, Doc: "sigma·ξ of the last step"}},
	FormOPN: {{Name: "rate", Doc: "the deterministic rate X"}, {Name: "noise", Internal: true, Doc: "sigma·ξ of the last step"},
		{Name: "noisy_rate", Internal: true, Doc: "X + sqrt(tau/h)·sigma·ξ, the rate sent"}},
	FormTransformer: {{Name: "rate", Doc: "φ(input) of the step before"}},
}

// newRateModel makes the model of one family in one form.
func newRateModel(f rateFamily, form Form, name string) *Neuron {
	var ps []Param
	var what string
	switch form {
	case FormIPN:
		ps, what = rateIPNParams, `input noise: tau·dX = [−lambda·X + mu + φ(input)]·dt + sqrt(tau)·sigma·dW, by NEST's stochastic
exponential Euler (exact for the Ornstein–Uhlenbeck part); rectify_output keeps X >= rectify_rate.
Stationary, uncoupled: mean mu/lambda, variance sigma²/(2·lambda).`
	case FormOPN:
		ps, what = rateOPNParams, `output noise: tau·dX/dt = −X + mu + φ(input), exponential Euler; the rate sent (and used
for H_ex/H_in) is noisy_rate = X + sqrt(tau/h)·sigma·ξ, white noise constant over a step.`
	default:
		ps, what = rateTransParams, `rate transformer: X(t+h) = φ(Σ w·X_j(t)) (linear_summation) or Σ w·φ(X_j(t)); no
dynamics, no noise; input through it arrives one step later than directly.`
	}
	params := append([]Param{}, ps...)
	for _, p := range f.params {
		if _, dup := FindParam(params, p.Name); !dup {
			params = append(params, p)
		}
	}
	if f.kind == NonlinGauss && form == FormTransformer {
		params = append(params, Param{Name: "mu", Default: 0, Doc: "centre of φ"}, Param{Name: "sigma", Default: 1, Doc: "width of φ"})
	}
	m := &Neuron{
		Name:   name,
		Doc:    fmt.Sprintf("NEST's %s: %s. %s", name, f.doc, what),
		Params: params,
		State:  rateStates[form],
		Ports:  []Port{{Name: "rate_ex", Kind: RatePort, Sign: +1}, {Name: "rate_in", Kind: RatePort, Sign: -1}},
		Rate:   &RateSend{Var: rateX},
		// Rates are in NEST's arbitrary units: a weight is a factor.
		WeightUnit: weightIn(""),
		Check: func(p Values, _ Lists, _ float64) error {
			if form != FormTransformer {
				if err := positive(p, "tau"); err != nil {
					return err
				}
				if err := nonNegative(p, "sigma"); err != nil {
					return fmt.Errorf("%v (NEST: noise parameter must not be negative)", err)
				}
			}
			if form == FormIPN {
				if err := nonNegative(p, "lambda", "rectify_rate"); err != nil {
					return err
				}
			}
			return nil
		},
		Derive: func(p Values, _ Lists, dt float64) []float64 {
			return deriveRate(f.kind, form, p, dt)
		},
		Update: rateUpdate,
	}
	if form == FormOPN {
		m.Rate = &RateSend{Var: rateNoisyRate, Emit: true}
	}
	m.Rate.Term = func(c []float64) func(float32) float32 {
		if c[rateLinSum] != 0 {
			return nil
		}
		k := Nonlinearity(c[rateNonlin])
		return func(x float32) float32 { return Phi(k, c, x) }
	}
	return m
}

// deriveRate computes the constants of a rate model.
func deriveRate(k Nonlinearity, form Form, p Values, dt float64) []float64 {
	c := make([]float64, rateConstCount)
	c[rateForm], c[rateNonlin] = float64(form), float64(k)
	c[rateLinSum] = p["linear_summation"]
	c[rateMult] = p["mult_coupling"]
	c[rateMu], c[rateSigma] = p["mu"], p["sigma"]
	c[rateRectify], c[rateRectRate] = p["rectify_output"], p["rectify_rate"]
	switch form {
	case FormIPN:
		if l := p["lambda"]; l > 0 {
			c[rateP1] = math.Exp(-l * dt / p["tau"])
			c[rateP2] = -math.Expm1(-l*dt/p["tau"]) / l
			c[rateNoise] = math.Sqrt(-math.Expm1(-2*l*dt/p["tau"]) / (2 * l))
		} else { // Euler–Maruyama
			c[rateP1], c[rateP2], c[rateNoise] = 1, dt/p["tau"], math.Sqrt(dt/p["tau"])
		}
	case FormOPN:
		c[rateP1] = math.Exp(-dt / p["tau"])
		c[rateP2] = -math.Expm1(-dt / p["tau"])
		c[rateNoise] = math.Sqrt(p["tau"] / dt)
	}
	if k == NonlinLin {
		c[rateGEx], c[rateGIn], c[rateThetaEx], c[rateThetaIn] = p["g_ex"], p["g_in"], p["theta_ex"], p["theta_in"]
	}
	c[rateG], c[rateTheta], c[rateAlpha], c[rateBeta] = p["g"], p["theta"], p["alpha"], p["beta"]
	if k == NonlinGauss {
		c[rateNlMu], c[rateNlInv2S2] = p["mu"], 1/(2*p["sigma"]*p["sigma"])
	}
	return c
}

// RateModels lists the names of the rate neuron models, in registration
// order.
var RateModels []string

func init() {
	for _, f := range rateFamilies {
		for _, fm := range []struct {
			form Form
			name string
		}{{FormIPN, f.ipn}, {FormOPN, f.opn}, {FormTransformer, f.trans}} {
			if fm.name == "" {
				continue
			}
			RegisterNeuron(newRateModel(f, fm.form, fm.name))
			RateModels = append(RateModels, fm.name)
		}
	}
	RegisterDevice(StepRateGenerator)
}

// StepRateGenerator is NEST's step_rate_generator: a piecewise constant rate
// sent through rate_connection_delayed.
var StepRateGenerator = &Device{
	Name: "step_rate_generator",
	Doc: `Piecewise constant rate (NEST's step_rate_generator): amplitude_values[i] from amplitude_times[i] on,
0 before the first time, sent every step through rate_connection_delayed: through a delay d the value set at
time T is the input of the target's update from T + d on. Times must be > 0, strictly increasing and on the
grid (allow_offgrid_times rounds them up to the end of their step). Active at steps s with start < s·dt <= stop.`,
	Params: append([]Param{
		{Name: "amplitude_times", Unit: "ms", Kind: List, Doc: "times at which the rate changes"},
		{Name: "amplitude_values", Kind: List, Doc: "the rate from each time on"},
		{Name: "allow_offgrid_times", Kind: Bool, Default: 0, Doc: "round times that are not on the grid up to the end of their step"},
	}, windowParams...),
	Output: RateOutput,
	Check:  StepCurrentGenerator.Check,
	Derive: StepCurrentGenerator.Derive,
	Source: func(c []float64, s int64) float32 {
		if !(window{c[scgMin], c[scgMax]}).active(s) {
			return 0
		}
		n := int(c[scgCount])
		stamps := c[scgStamps : scgStamps+n]
		i := sort.SearchFloat64s(stamps, float64(s+1)) // first stamp > s
		if i == 0 {
			return 0
		}
		return float32(c[scgStamps+n+i-1])
	},
}
