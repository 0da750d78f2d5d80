package spec

// Network is one simulation point.
type Network struct {
	Simulation  Simulation   `json:"simulation"`
	Populations []Population `json:"populations"`
	Devices     []Device     `json:"devices,omitempty"`
	Connections []Connection `json:"connections,omitempty"`
	Recorders   []Recorder   `json:"recorders,omitempty"`
	Analysis    Analysis     `json:"analysis"`
	// Structural is nil unless synapses are created and deleted during
	// the run.
	Structural *Structural `json:"structural_plasticity,omitempty"`
}

// Simulation holds the run settings of a point.
type Simulation struct {
	Dt   float64 `json:"dt"`    // resolution, ms
	TSim float64 `json:"t_sim"` // simulated time, ms
	Seed uint32  `json:"seed"`
	// WFR holds the waveform-relaxation settings of gap junctions (NEST's
	// kernel parameters); nil where the point has no gap_junction
	// connection and sets none of them.
	WFR *WFR `json:"wfr,omitempty"`
}

// WFR is NEST's waveform relaxation for gap junctions (docs/models.md).
type WFR struct {
	Use                bool    `json:"use_wfr"`
	CommInterval       float64 `json:"wfr_comm_interval"` // ms
	Tol                float64 `json:"wfr_tol"`           // mV
	MaxIterations      int     `json:"wfr_max_iterations"`
	InterpolationOrder int     `json:"wfr_interpolation_order"` // 0, 1 or 3
}

// DefaultWFR is NEST's defaults.
func DefaultWFR() WFR {
	return WFR{Use: true, CommInterval: 1, Tol: 1e-4, MaxIterations: 15, InterpolationOrder: 3}
}

// GapJunction is the synapse model of electrical synapses.
const GapJunction = "gap_junction"

// The rate connections (docs/models.md, Rate models): a rate model's value
// weighted into its targets every step, at once or after the delay.
const (
	RateInstantaneous = "rate_connection_instantaneous"
	RateDelayed       = "rate_connection_delayed"
)

// DiffusionConnection couples siegert_neurons (mean field): Weight holds
// its drift_factor, Synapse.Diffusion its diffusion_factor; no delay.
const DiffusionConnection = "diffusion_connection"

// IsRate reports whether a synapse model is a rate connection.
func IsRate(model string) bool {
	return model == RateInstantaneous || model == RateDelayed || model == DiffusionConnection
}

// Population is a group of neurons of one model.
type Population struct {
	Name   string             `json:"name"`
	Model  string             `json:"model"`
	N      int                `json:"n"`
	Params map[string]float64 `json:"params"` // every parameter of the model, NEST's spelling
	// Lists holds the list parameters given (gif_psc_exp's tau_stc, q_stc,
	// …); a list not given is empty. Values may differ between the points
	// of a batch, like Params.
	Lists map[string][]float64 `json:"lists,omitempty"`
	// Init gives each state variable that is not at its default a value: a
	// constant (also what params = {V_m = …} sets) or a parameter drawn per
	// neuron. Values are absolute (V_m, not V_m − E_L).
	Init map[string]Value `json:"init,omitempty"`
	// Draws are named random numbers drawn once per neuron (configs'
	// draws = { r = "random.uniform()" }): parameters of package param,
	// keyed like initial values by the seed and the point. PerNeuron and
	// Init values use them by name (without regard to case).
	Draws map[string]Value `json:"draws,omitempty"`
	// PerNeuron gives the parameters that differ between neurons (those
	// the model marks models.Param.PerNeuron): parameters of package param
	// that may use the draws ("-65 + 15*r**2"). Params keeps the model's
	// default for them.
	PerNeuron map[string]Value `json:"per_neuron,omitempty"`
	// Spatial places the neurons in space (nil: no positions).
	Spatial *Spatial `json:"spatial,omitempty"`
	// Calcium is the neurons' calcium trace; nil: NEST's defaults, tracked
	// only where structural plasticity needs it.
	Calcium *Calcium `json:"calcium,omitempty"`
	// Elements are the synaptic elements of every neuron, in name order.
	Elements []Element `json:"synaptic_elements,omitempty"`
}

// Spatial is NEST's nest.spatial.grid or nest.spatial.free.
type Spatial struct {
	// Shape makes a grid layer: neurons along x, y (and z), n = their
	// product. Neurons are numbered column by column: index = (x·ny + y)·nz + z,
	// with y counted from the top row down, as NEST numbers grid layers.
	Shape []int `json:"shape,omitempty"`
	// Positions gives a free layer's positions, one per neuron.
	Positions [][]float64 `json:"positions,omitempty"`
	// Pos draws a free layer's positions: one parameter per dimension,
	// evaluated for every neuron (NEST's pos parameter with num_dimensions).
	Pos []Value `json:"pos,omitempty"`
	// Extent and Center bound the layer. Grid layers default to extent 1 in
	// every dimension; free layers to the bounding box of their positions.
	// Center defaults to the origin (grid) or the middle of the box (free).
	Extent []float64 `json:"extent,omitempty"`
	Center []float64 `json:"center,omitempty"`
	// EdgeWrap makes the boundaries periodic (requires an extent).
	EdgeWrap bool `json:"edge_wrap"`
}

// Device is a stimulating device (poisson_generator, dc_generator, …).
type Device struct {
	Name   string               `json:"name"`
	Model  string               `json:"model"`
	N      int                  `json:"n"` // number of device nodes (default 1)
	Params map[string]float64   `json:"params"`
	Lists  map[string][]float64 `json:"lists,omitempty"` // list parameters (spike_times, …)
}

// Connection is one connection statement: source → target with one rule
// and one synapse specification (NEST's Connect), or a tripartite one
// (NEST's TripartiteConnect) when Third is set.
type Connection struct {
	Source string  `json:"source"` // a population or a device
	Target string  `json:"target"` // a population
	Rule   Rule    `json:"rule"`
	Syn    Synapse `json:"syn"`
	// Mask restricts spatial connections to pool neurons inside it.
	Mask *Mask `json:"mask,omitempty"`
	// Third adds, for primary connections, third-factor connections
	// source → third and third → target (third_factor_bernoulli_with_pool).
	Third *ThirdFactor `json:"third,omitempty"`
}

// Rule is a NEST connection rule with its parameters.
type Rule struct {
	Name string `json:"rule"`
	// Params are the rule's numbers: indegree, outdegree, N, p,
	// pairwise_avg_num_conns. Degrees and probabilities may be parameters
	// (random, or spatial: p = "spatial_distributions.gaussian(spatial.distance, std=0.2)").
	Params         map[string]Value `json:"params,omitempty"`
	AllowAutapses  bool             `json:"allow_autapses"`
	AllowMultapses bool             `json:"allow_multapses"`
	MakeSymmetric  bool             `json:"make_symmetric"`
	// UseOnSource makes pairwise_bernoulli's driver the target layer and
	// its pool the source layer (NEST's use_on_source).
	UseOnSource bool `json:"use_on_source,omitempty"`
	// AllowOversizedMask permits masks larger than a periodic layer.
	AllowOversizedMask bool `json:"allow_oversized_mask,omitempty"`
}

// Mask is a NEST spatial mask, applied to the displacement from the driver
// neuron to a pool neuron, shifted by Anchor.
type Mask struct {
	// Shape is rectangular, circular, doughnut or elliptical (2-D), or
	// box, spherical or ellipsoidal (3-D).
	Shape        string    `json:"shape"`
	LowerLeft    []float64 `json:"lower_left,omitempty"`  // rectangular, box
	UpperRight   []float64 `json:"upper_right,omitempty"` // rectangular, box
	Radius       float64   `json:"radius,omitempty"`      // circular, spherical
	InnerRadius  float64   `json:"inner_radius,omitempty"`
	OuterRadius  float64   `json:"outer_radius,omitempty"` // doughnut
	MajorAxis    float64   `json:"major_axis,omitempty"`
	MinorAxis    float64   `json:"minor_axis,omitempty"`
	PolarAxis    float64   `json:"polar_axis,omitempty"`    // elliptical, ellipsoidal
	AzimuthAngle float64   `json:"azimuth_angle,omitempty"` // degrees, from x towards y
	PolarAngle   float64   `json:"polar_angle,omitempty"`   // degrees, from z (3-D)
	Anchor       []float64 `json:"anchor,omitempty"`        // mask centre relative to the driver
}

// ThirdFactor is NEST's third_factor_bernoulli_with_pool: for each primary
// connection source → target, with probability P, one neuron a of the third
// population is drawn from the target's pool and source → a (SynIn) and
// a → target (SynOut) are created.
type ThirdFactor struct {
	Population string  `json:"population"`
	P          float64 `json:"p"`
	PoolType   string  `json:"pool_type"` // "random" or "block"
	PoolSize   int     `json:"pool_size"`
	SynIn      Synapse `json:"third_in"`
	SynOut     Synapse `json:"third_out"`
}

// Synapse is a synapse specification.
type Synapse struct {
	Model    string `json:"model"`  // "static_synapse" or "gap_junction"
	Weight   Value  `json:"weight"` // mV for iaf_psc_delta, pA for current-based models, nS for gap_junction
	Delay    Value  `json:"delay"`  // ms
	Receptor int    `json:"receptor"`
	// ReceptorName picks the target's port by name (models.Port.Receptor)
	// for models with named receptors; "" for the others.
	ReceptorName string `json:"receptor_name,omitempty"`
	// Diffusion is diffusion_connection's diffusion_factor (nil otherwise).
	Diffusion *Value `json:"diffusion,omitempty"`
	// Params are a plastic synapse model's parameters (package plasticity:
	// NEST's names); tau_minus is the target population's (NEST's).
	Params map[string]float64 `json:"params,omitempty"`
	// WeightRecorder is the weight_recorder a plastic synapse names (nil:
	// none).
	WeightRecorder *WeightRecorder `json:"weight_recorder,omitempty"`
}

// WeightRecorder is NEST's weight_recorder: the weights spikes carry
// through the plastic synapses that name it, from Senders to Targets
// (indices within the connection's source and target populations; nil:
// all), with times in (Start, Stop] ms.
type WeightRecorder struct {
	Name    string `json:"name"`
	Senders []int  `json:"senders,omitempty"`
	Targets []int  `json:"targets,omitempty"`
	Start   Float  `json:"start"` // ms
	Stop    Float  `json:"stop"`  // ms (may be +Inf)
}

// Recorder is a spike_recorder or a multimeter attached to a population.
type Recorder struct {
	Name   string `json:"name"` // unique among the recorders: the recorder column of the outputs
	Model  string `json:"model"`
	Source string `json:"source"`
	// The recorded neurons: the first First of the population, or those
	// listed in Neurons (indices within the population, ascending).
	First      int      `json:"first,omitempty"`
	Neurons    []int    `json:"neurons,omitempty"`
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

// Value is a number, or a NEST parameter evaluated per neuron, synapse or
// pair: an expression of package param ("random.uniform(0, 20)",
// "0.1*spatial_distributions.exponential(spatial.distance, 0.3)") whose
// identifiers other than param's own names are already replaced by numbers.
type Value struct {
	Const float64 `json:"const,omitempty"`
	Expr  string  `json:"expr,omitempty"`
}

// Constant returns a constant Value.
func Constant(x float64) Value { return Value{Const: x} }

// Param returns a parameter Value.
func Param(expr string) Value { return Value{Expr: expr} }

// IsConst reports whether v is a constant.
func (v Value) IsConst() bool { return v.Expr == "" }

// Structural is NEST's structural plasticity (kernel parameters
// structural_plasticity_update_interval and structural_plasticity_synapses):
// synapses of the listed types are created and deleted every
// UpdateInterval from the populations' synaptic elements.
type Structural struct {
	UpdateInterval float64 `json:"update_interval"` // ms
	// RecordInterval adds snapshots of the structure between updates
	// (ms; 0: at every update only).
	RecordInterval float64     `json:"record_interval,omitempty"`
	Synapses       []SPSynapse `json:"synapses"`
}

// SPSynapse is one structural-plasticity synapse type: synapses from a
// neuron's Pre element to a neuron's Post element, with the synapse
// model's weight and delay.
type SPSynapse struct {
	Name           string  `json:"name"`
	Model          string  `json:"synapse_model"` // static_synapse
	Pre            string  `json:"pre_synaptic_element"`
	Post           string  `json:"post_synaptic_element"`
	Weight         float64 `json:"weight"` // pA, mV, … as a static synapse's
	Delay          float64 `json:"delay"`  // ms
	AllowAutapses  bool    `json:"allow_autapses"`
	AllowMultapses bool    `json:"allow_multapses"`
}

// Calcium is the calcium trace of a population's neurons (NEST's archiving
// node: Ca, tau_Ca, beta_Ca).
type Calcium struct {
	TauCa  float64 `json:"tau_Ca"`  // ms
	BetaCa float64 `json:"beta_Ca"` // per spike
	Ca     float64 `json:"Ca"`      // initial value
}

// DefaultCalcium is NEST's defaults.
func DefaultCalcium() Calcium { return Calcium{TauCa: 10000, BetaCa: 0.001} }

// Element is one synaptic element of every neuron of a population (NEST's
// synaptic_elements entry) with its growth curve.
type Element struct {
	Name       string  `json:"name"`
	Z          float64 `json:"z"` // initial number
	GrowthRate float64 `json:"growth_rate"`
	TauVacant  float64 `json:"tau_vacant"`
	Continuous bool    `json:"continuous"`
	Curve      string  `json:"growth_curve"` // linear, gaussian or sigmoid
	Eps        float64 `json:"eps"`
	Eta        float64 `json:"eta,omitempty"` // gaussian
	Psi        float64 `json:"psi,omitempty"` // sigmoid
}

// DefaultElement is NEST's defaults for an element called name.
func DefaultElement(name string) Element {
	return Element{Name: name, GrowthRate: 1, TauVacant: 0.1, Continuous: true, Curve: "linear", Eps: 0.7, Eta: 0.1, Psi: 0.1}
}
