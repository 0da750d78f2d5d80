package plasticity

import "github.com/snn-gpu/snn-gpu/rng"

// Pair is a pair-based STDP rule: how a weight moves for a trace value.
type Pair interface {
	// Facilitate applies potentiation by presynaptic trace k.
	Facilitate(w, k float64) float64
	// Depress applies depression by postsynaptic trace k.
	Depress(w, k float64) float64
	// TauPlus is the decay time of the presynaptic trace (ms).
	TauPlus() float64
}

// STDP is stdp_synapse (and stdp_synapse_hom, the same rule with
// parameters common to the synapse model): Guetig et al. (2003) on the
// normalised weight w/Wmax, bounded to [0, 1]. Wmax carries the sign.
type STDP struct {
	Tau, Lambda, Alpha, MuPlus, MuMinus, Wmax float64
}

// DefaultSTDP holds NEST's defaults of stdp_synapse.
var DefaultSTDP = STDP{Tau: 20, Lambda: 0.01, Alpha: 1, MuPlus: 1, MuMinus: 1, Wmax: 100}

func (r STDP) TauPlus() float64 { return r.Tau }

func (r STDP) Send(w float64, _ []float64, pre Pre, tPre, d float64, post *Post) float64 {
	return transmit(r, w, pre, tPre, d, &post.Archive)
}

func (STDP) Vars() int                     { return 0 }
func (STDP) Init([]float64, float64) error { return nil }
func (STDP) PostState() string             { return "" }

func (r STDP) Facilitate(w, k float64) float64 {
	n := w/r.Wmax + float64(float64(r.Lambda*rng.Pow(1-w/r.Wmax, r.MuPlus))*k)
	if n < 1 {
		return float64(n * r.Wmax)
	}
	return r.Wmax
}

func (r STDP) Depress(w, k float64) float64 {
	n := w/r.Wmax - float64(float64(float64(r.Alpha*r.Lambda)*rng.Pow(w/r.Wmax, r.MuMinus))*k)
	if n > 0 {
		return float64(n * r.Wmax)
	}
	return 0
}

// PowerLaw is stdp_pl_synapse_hom (Morrison et al. 2007): potentiation
// lambda·w^mu·K_+ without bound, depression lambda·alpha·w·K_- floored at 0.
type PowerLaw struct {
	Tau, Lambda, Alpha, Mu float64
}

// DefaultPowerLaw holds NEST's defaults of stdp_pl_synapse_hom.
var DefaultPowerLaw = PowerLaw{Tau: 20, Lambda: 0.1, Alpha: 1, Mu: 0.4}

func (r PowerLaw) TauPlus() float64 { return r.Tau }

func (r PowerLaw) Send(w float64, _ []float64, pre Pre, tPre, d float64, post *Post) float64 {
	return transmit(r, w, pre, tPre, d, &post.Archive)
}

func (PowerLaw) Vars() int                     { return 0 }
func (PowerLaw) Init([]float64, float64) error { return nil }
func (PowerLaw) PostState() string             { return "" }

func (r PowerLaw) Facilitate(w, k float64) float64 {
	return w + float64(float64(r.Lambda*rng.Pow(w, r.Mu))*k)
}

func (r PowerLaw) Depress(w, k float64) float64 {
	return max(w-float64(float64(float64(r.Lambda*r.Alpha)*w)*k), 0)
}

// Pre is the presynaptic side of a source neuron's plastic synapses: its
// trace K_+ just after its last spike (rules whose TauPlus is 0 keep none),
// and that spike's time (0 before the first, as NEST starts them).
type Pre struct {
	KPlus, TLast float64
}

// Transmit returns the weight of a synapse with delay d (ms) that
// transmits a spike of its source at tPre: first potentiation by every
// postsynaptic spike that reached the synapse since the last presynaptic
// one (t_last - d < t_post <= t_pre - d), then depression by K_- just
// before t_pre - d. The trace is read, not advanced: call Pre.Spike once
// for the source after all its synapses.
func Transmit(r Pair, w float64, pre Pre, tPre, d float64, post *Archive) float64 {
	return transmit(r, w, pre, tPre, d, post)
}

// transmit is Transmit for a rule of a known type: Send calls it without
// boxing the rule into an interface (an allocation per synapse).
func transmit[P Pair](r P, w float64, pre Pre, tPre, d float64, post *Archive) float64 {
	for _, tp := range post.Between(pre.TLast-d, tPre-d) {
		w = r.Facilitate(w, float64(pre.KPlus*rng.Exp((pre.TLast-(tp+d))/r.TauPlus())))
	}
	return r.Depress(w, post.K(tPre-d))
}

// Spike advances the presynaptic trace by a spike at t.
func (p *Pre) Spike(t, tauPlus float64) {
	if tauPlus > 0 {
		p.KPlus = float64(p.KPlus*rng.Exp((p.TLast-t)/tauPlus)) + 1
	}
	p.TLast = t
}
