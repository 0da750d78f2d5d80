package plasticity

// Rule is a plastic synapse rule in its event-driven form: the engines
// call Send for every synapse of a source that spikes, in one delivery
// path for every rule, and store what it returns as the synapse's weight.
type Rule interface {
	// Send updates one synapse for a spike of its source at tPre (ms) that
	// reaches it with delay d (ms), and returns the weight the spike
	// carries. w is the weight the synapse carried last (its initial
	// weight before the first spike), v the synapse's own variables (Vars
	// of them, updated in place), pre its source's side before this
	// spike, post its target's history.
	Send(w float64, v []float64, pre Pre, tPre, d float64, post *Post) float64
	// Vars is how many variables the rule keeps per synapse and batch
	// member besides the weight.
	Vars() int
	// Init sets a synapse's variables from its initial weight w, or says
	// why the rule refuses that weight.
	Init(v []float64, w float64) error
	// TauPlus is the decay time (ms) of the trace K_+ kept per source
	// (Pre), 0 for a rule that keeps its traces per synapse.
	TauPlus() float64
	// PostState names the target's state variable the rule reads: the
	// engines append its value to the target's History after every step.
	// "" for rules that read the target's spikes (Post.Archive).
	PostState() string
}

// Post is a target neuron's side of its plastic synapses, per batch
// member: its spikes with the trace K_- (spike-timing rules), and the
// history of the state variable a rule reads every step (urbanczik_synapse:
// dPI). The engines keep each only where a rule reads it.
type Post struct {
	Archive
	History History
}
