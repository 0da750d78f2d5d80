package plasticity

import (
	"fmt"
	"sort"
)

// Param is one parameter of a synapse model, in NEST's name, unit and
// default.
type Param struct {
	Name    string
	Unit    string
	Default float64
	Doc     string
}

// Model is a plastic synapse model by NEST's name.
type Model struct {
	Name string
	Doc  string
	// Params are the rule's parameters (weight and delay are every
	// synapse's, not listed).
	Params []Param
	// Homogeneous models (NEST's *_hom) have one parameter set for all
	// their synapses; here a batch member may still have its own.
	Homogeneous bool
	// TargetParams are the target neuron model's parameters the rule reads
	// by name (urbanczik_synapse: the dendrite's C_m_p, g_L_p, ...).
	TargetParams []string
	// New returns the rule for complete parameters p and the target's
	// values of TargetParams, or why they are refused (NEST's checks),
	// naming the parameter. target nil checks p alone (configs, before
	// the target's values are known); the rule is then not for use.
	New func(p, target map[string]float64) (Rule, error)
}

var stdpParams = []Param{
	{"tau_plus", "ms", DefaultSTDP.Tau, "decay time of the presynaptic trace"},
	{"lambda", "", DefaultSTDP.Lambda, "step size (learning rate)"},
	{"alpha", "", DefaultSTDP.Alpha, "asymmetry: depression relative to potentiation"},
	{"mu_plus", "", DefaultSTDP.MuPlus, "weight dependence exponent of potentiation (0 additive, 1 multiplicative)"},
	{"mu_minus", "", DefaultSTDP.MuMinus, "weight dependence exponent of depression"},
	{"Wmax", "", DefaultSTDP.Wmax, "largest weight, in the weight's unit and sign"},
}

func newSTDP(p, _ map[string]float64) (Rule, error) {
	r := STDP{Tau: p["tau_plus"], Lambda: p["lambda"], Alpha: p["alpha"], MuPlus: p["mu_plus"], MuMinus: p["mu_minus"], Wmax: p["Wmax"]}
	switch {
	case !(r.Tau > 0):
		return nil, fmt.Errorf("tau_plus = %g ms, expected > 0", r.Tau)
	case r.Wmax == 0:
		return nil, fmt.Errorf("Wmax = 0: the rule works on w/Wmax")
	}
	return r, nil
}

var models = map[string]*Model{}

func register(m *Model) { models[m.Name] = m }

func init() {
	const stdpDoc = `Pair-based STDP with all-to-all pairing (Guetig et al. 2003 form, NEST's %s): on w/Wmax in [0, 1],
potentiation w/Wmax += lambda·(1 - w/Wmax)^mu_plus·K+, depression w/Wmax -= alpha·lambda·(w/Wmax)^mu_minus·K-.`
	register(&Model{Name: "stdp_synapse", Doc: fmt.Sprintf(stdpDoc, "stdp_synapse"), Params: stdpParams, New: newSTDP})
	register(&Model{Name: "stdp_synapse_hom", Doc: fmt.Sprintf(stdpDoc, "stdp_synapse_hom; parameters common to the model"),
		Params: stdpParams, Homogeneous: true, New: newSTDP})
	register(&Model{Name: "stdp_pl_synapse_hom",
		Doc: `Power-law STDP (Morrison et al. 2007, NEST's stdp_pl_synapse_hom): potentiation w += lambda·w^mu·K+
(unbounded), depression w -= lambda·alpha·w·K- (floored at 0). Parameters common to the model.`,
		Params: []Param{
			{"tau_plus", "ms", DefaultPowerLaw.Tau, "decay time of the presynaptic trace"},
			{"lambda", "", DefaultPowerLaw.Lambda, "step size (learning rate)"},
			{"alpha", "", DefaultPowerLaw.Alpha, "asymmetry: depression relative to potentiation"},
			{"mu", "", DefaultPowerLaw.Mu, "weight dependence exponent of potentiation"},
		},
		Homogeneous: true,
		New: func(p, _ map[string]float64) (Rule, error) {
			r := PowerLaw{Tau: p["tau_plus"], Lambda: p["lambda"], Alpha: p["alpha"], Mu: p["mu"]}
			if !(r.Tau > 0) {
				return nil, fmt.Errorf("tau_plus = %g ms, expected > 0", r.Tau)
			}
			return r, nil
		}})
	register(&Model{Name: "urbanczik_synapse",
		Doc: `Dendritic prediction learning (Urbanczik & Senn 2014, NEST's urbanczik_synapse) onto pp_cond_exp_mc_urbanczik:
W = W_0 + eta·∫(1 - e^(-(t-s)/tau_Delta)) PI(s) ds, PI = 15·C_m_p·(S - phi(V_w*))·h(V_w*)·PSP, clipped to [Wmin, Wmax]
for transmission only.`,
		Params: []Param{
			{"eta", "", DefaultUrbanczik.Eta, "learning rate"},
			{"tau_Delta", "ms", DefaultUrbanczik.TauDelta, "time constant of the low-pass filter of the weight change"},
			{"Wmin", "", DefaultUrbanczik.Wmin, "smallest weight transmitted, in the weight's unit (pA) and sign"},
			{"Wmax", "", DefaultUrbanczik.Wmax, "largest weight transmitted, in the weight's unit (pA) and sign"},
		},
		TargetParams: urbanczikTarget,
		New:          newUrbanczik})
}

// Find returns the plastic synapse model of that name.
func Find(name string) (*Model, bool) {
	m, ok := models[name]
	return m, ok
}

// Names lists the plastic synapse models, sorted.
func Names() []string {
	var s []string
	for n := range models {
		s = append(s, n)
	}
	sort.Strings(s)
	return s
}

// ReadsSpikes says whether the model's rule reads its targets' spikes
// (and so the neurons' tau_minus), rather than a state variable.
func (m *Model) ReadsSpikes() bool {
	r, err := m.Rule(nil, nil)
	return err == nil && r.PostState() == ""
}

// Rule returns the rule for the parameters given (names checked; the rest
// at their defaults) and the target's values (nil: unknown yet, see New).
func (m *Model) Rule(given, target map[string]float64) (Rule, error) {
	p := map[string]float64{}
	for _, q := range m.Params {
		p[q.Name] = q.Default
	}
	for k, v := range given {
		if _, ok := p[k]; !ok {
			return nil, fmt.Errorf("%s has no parameter %q", m.Name, k)
		}
		p[k] = v
	}
	if target != nil {
		for _, n := range m.TargetParams {
			if _, ok := target[n]; !ok {
				return nil, fmt.Errorf("%s reads the target's parameter %s, which the target has not", m.Name, n)
			}
		}
	}
	return m.New(p, target)
}
