package spec

// Network is one simulation point.
type Network struct {
	Simulation  Simulation   `json:"simulation"`
	Populations []Population `json:"populations"`
	Devices     []Device     `json:"devices,omitempty"`
	Connections []Connection `json:"connections,omitempty"`
	Recorders   []Recorder   `json:"recorders,omitempty"`
	Analysis    Analysis     `json:"analysis"`
}

// Simulation holds the run settings of a point.
type Simulation struct {
	Dt   float64 `json:"dt"`    // resolution, ms
	TSim float64 `json:"t_sim"` // simulated time, ms
	Seed uint32  `json:"seed"`
}

// Population is a group of neurons of one model.
type Population struct {
	Name   string             `json:"name"`
	Model  string             `json:"model"`
	N      int                `json:"n"`
	Params map[string]float64 `json:"params"` // every parameter of the model, NEST's spelling
	// Init gives each state variable that is not at its default a value: a
	// constant (also what params = {V_m = …} sets) or a distribution drawn
	// per neuron. Values are absolute (V_m, not V_m − E_L).
	Init map[string]Value `json:"init,omitempty"`
}

// Device is a stimulating device (poisson_generator, dc_generator, …).
type Device struct {
	Name   string               `json:"name"`
	Model  string               `json:"model"`
	N      int                  `json:"n"` // number of device nodes (default 1)
	Params map[string]float64   `json:"params"`
	Lists  map[string][]float64 `json:"lists,omitempty"` // list parameters (spike_times, …)
}

// Connection is one projection: source → target with one rule and one
// synapse specification.
type Connection struct {
	Source string  `json:"source"` // a population or a device
	Target string  `json:"target"` // a population
	Rule   Rule    `json:"rule"`
	Syn    Synapse `json:"syn"`
}

// Rule is a NEST connection rule with its parameters.
type Rule struct {
	Name           string           `json:"rule"`
	Params         map[string]Value `json:"params,omitempty"` // indegree, outdegree, N, p, …
	AllowAutapses  bool             `json:"allow_autapses"`
	AllowMultapses bool             `json:"allow_multapses"`
	MakeSymmetric  bool             `json:"make_symmetric"`
}

// Synapse is a synapse specification.
type Synapse struct {
	Model    string `json:"model"`  // "static_synapse"
	Weight   Value  `json:"weight"` // mV for iaf_psc_delta, pA for current-based models
	Delay    Value  `json:"delay"`  // ms
	Receptor int    `json:"receptor"`
}

// Recorder is a spike_recorder or a multimeter attached to a population.
type Recorder struct {
	Model      string   `json:"model"`
	Source     string   `json:"source"`
	Neurons    []int    `json:"neurons"` // indices within the population, ascending
	RecordFrom []string `json:"record_from,omitempty"`
	Interval   float64  `json:"interval,omitempty"` // ms, multimeter only
	Start      float64  `json:"start"`              // ms
	Stop       float64  `json:"stop"`               // ms (may be +Inf)
}

// Analysis sets how the summary statistics are computed.
type Analysis struct {
	TStart float64 `json:"t_start"` // ms: spikes before are a transient, left out
	BinMs  float64 `json:"bin_ms"`  // bin of the population count (Fano factor, spectrum)
}

// Value is a number or a random distribution drawn per neuron or synapse.
type Value struct {
	// Dist is "" for the constant Const, else a NEST random parameter:
	// "uniform" (min, max), "normal" (mean, std), "lognormal" (mean, std of
	// the underlying normal), "exponential" (beta), "uniform_int" (max).
	Dist  string             `json:"dist,omitempty"`
	Const float64            `json:"const"`
	Args  map[string]float64 `json:"args,omitempty"`
}

// Constant returns a constant Value.
func Constant(x float64) Value { return Value{Const: x} }

// IsConst reports whether v is a constant.
func (v Value) IsConst() bool { return v.Dist == "" }
