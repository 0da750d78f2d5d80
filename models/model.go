package models

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/snn-gpu/snn-gpu/rng"
)

// Kind is the type of a parameter's value.
type Kind int

const (
	Real    Kind = iota // a float64 in the parameter's unit
	Integer             // a whole number
	Bool                // true or false, stored as 1 or 0
	List                // a list of reals (spike_times); kept in Lists, not Values
	Strings             // a list of names (record_from)
)

func (k Kind) String() string {
	return [...]string{"real", "integer", "bool", "list of numbers", "list of names"}[k]
}

// Param describes one model parameter.
type Param struct {
	Name    string
	Unit    string // NEST's unit (see package units); "" for dimensionless
	Default float64
	Kind    Kind
	Doc     string
	// PerNeuron marks a real parameter that may take a value per neuron
	// (configs: an expression over the population's draws). The engines
	// hand Update one value per neuron of every such parameter
	// (Update.PerNeuron), constants broadcast; the model's Derive still
	// sees the population's value (the default, or the constant given).
	// A parameter that state variables are stored relative to cannot be
	// PerNeuron.
	PerNeuron bool
}

// StateVar describes one state variable, stored as float32 per neuron.
type StateVar struct {
	Name    string
	Unit    string
	Default float64
	// Relative names the parameter the variable is stored relative to:
	// NEST keeps V_m − E_L, and so do we. Values given in configs and
	// recorded by multimeters are absolute.
	Relative string
	// DefaultParam, when set, names the parameter whose value is the
	// initial value (gif_cond_exp's V_m starts at E_L); Default is then
	// unused.
	DefaultParam string
	// Initial, when set, computes the initial value from the parameters
	// (ca_adex's gates start at their steady states at e_L_d); Default and
	// DefaultParam are then unused.
	Initial func(p Values) float64
	// Internal variables are bookkeeping (refractory counters, the current
	// acting in the next step); they can be recorded but not set.
	Internal bool
	Doc      string
}

// PortKind says what a delay-buffer port carries.
type PortKind int

const (
	SpikePort   PortKind = iota // spike weights (times multiplicity) due in this step
	CurrentPort                 // currents (pA) from current generators, due in this step
	// RatePort is the summed rate input of a rate model due in this step:
	// Σ_j w_ij·X_j(t − d_ij) over its rate connections (instantaneous: d = 0),
	// each term passed through the model's RateSend.Term where it has one.
	RatePort
	// DiffusionPort is a siegert_neuron's input through diffusion_connection:
	// its first such port sums drift_factor·r_j (mu), its second
	// diffusion_factor·r_j (sigma²), the senders' rates of this step.
	DiffusionPort
)

// Port is one input buffer of a neuron model.
type Port struct {
	Name string
	Kind PortKind
	// Sign routes by the sign of the weight, as NEST's psc models do:
	// +1 takes only positive weights (excitatory), -1 only negative ones
	// (inhibitory), 0 any.
	Sign int
	// Receptor names the port for connections that pick it by name
	// (syn.receptor = "spikes_ampa_d"; NESTML's input port names). A
	// model whose ports of a kind all have receptor names must be given
	// one; "" ports take the connections that name none.
	Receptor string
	// WeightUnit, when set, is the unit of spike weights into this port
	// where it differs from the model's (pp_cond_exp_mc_urbanczik: nS on
	// the soma, pA on the dendrite).
	WeightUnit string
}

// Values maps parameter (or state) names to values in NEST's units.
type Values map[string]float64

// Lists maps list parameter names to their values.
type Lists map[string][]float64

// Update is one call of a neuron model's update: advance neurons [Lo, Hi)
// of one batch member over step Step.
type Update struct {
	Step   int64
	Lo, Hi int
	State  [][]float32 // one slice per state variable, indexed by neuron
	In     [][]float32 // one slice per port: the input due in this step
	Const  []float64   // the model's derived constants for this member
	// PerNeuron holds one slice per PerNeuron parameter of the model, in
	// declaration order, indexed by neuron: the values of this member.
	PerNeuron [][]float32
	Key       rng.Key  // this point's key, for stochastic models
	Object    uint32   // population number, for rng streams
	Spikes    []uint32 // the update appends the neurons that spiked, in order
	// Gap is the step's electrical coupling for a model with Gap; nil
	// where the population has no gap_junction connections (no coupling).
	Gap *GapStep
	// Emit asks a rate model whose RateSend.Emit is set for the value it
	// sends in this step only (State[RateSend.Var]), before any update
	// of the step: nothing else changes and In is not read.
	Emit bool
}

// Neuron is a point-neuron model.
type Neuron struct {
	Name   string
	Doc    string
	Params []Param
	State  []StateVar
	Ports  []Port
	// Check applies NEST's consistency checks (and checks against the
	// step). l holds the population's list parameters (nil when none is
	// given; absent lists are empty, NEST's default). RegisterNeuron
	// appends the single-precision checks of the parameters and of
	// Derive's constants (single.go).
	Check func(p Values, l Lists, dt float64) error
	// Derive computes the constants Update uses, in float64, on the host.
	Derive func(p Values, l Lists, dt float64) []float64
	// Update advances a range of neurons by one step.
	Update func(u *Update)
	// WeightUnit returns the unit of a spike's weight onto the model with
	// parameters p (docs/models.md, What a weight means): mV for a jump of
	// the potential, pA for a current, nS for a conductance. inspect's
	// tables give it to the weights.
	WeightUnit func(p Values) string
	// Multiplicity, when set, returns the most spikes one node can emit in
	// a step (nil: 1). A node that stands for many neurons
	// (gif_pop_psc_exp) appends its index once per spike to Update.Spikes,
	// as NEST sends one event of that multiplicity: delivery adds the
	// weight once per repeat and the spike recorder gets a row per repeat.
	// The engines size their per-step spike buffers from it, and summaries
	// count rates per neuron stood for (nodes × Multiplicity).
	Multiplicity func(p Values) int
	// Relay marks a model whose node is one neuron though it may spike
	// several times in a step (parrot_neuron's repeats of spikes it
	// received, pp_cond_exp_mc_urbanczik's Poisson counts): Multiplicity
	// only bounds the repeats.
	Relay bool
	// History, when set, returns the number of extra float32 state slots
	// per node beyond State (nil: none): variable-length state such as
	// gif_pop_psc_exp's ring of cohorts. They follow the named variables
	// in Update.State (and in the device's state block, as variables
	// len(State), len(State)+1, …), start at zero, cannot be set or
	// recorded, and a population has as many as the largest of its batch
	// members asks for.
	History func(p Values, l Lists, dt float64) int
	// Gap marks a model that takes gap_junction connections: its update
	// reads and writes Update.Gap when it is not nil (models/gap.go).
	Gap bool
	// Rate marks a rate model: it sends a value every step through rate
	// connections instead of spikes (nil for spiking models).
	Rate *RateSend
	// Presets are named parameter sets a population can start from
	// (configs: preset = "nrem"); parameters given explicitly win.
	Presets []Preset
}

// RateSend says what a rate model sends (docs/models.md, Rate models). At
// step s the engine first calls Update with Emit for models with Emit,
// then adds w·Term(State[Var]) of every rate connection into the target's
// RatePort slot of step s + delay (instantaneous connections: s itself),
// then runs the ordinary updates, which read their RatePort inputs.
type RateSend struct {
	Var  int  // the state variable sent: its value at the start of the step
	Emit bool // Var is set by an Update with Emit (output noise) before the sends
	// Term, when set, returns the function a target applies to each
	// incoming rate before weighting it (NEST's linear_summation = false),
	// or nil to take the rates as they are; c is the target's constants.
	Term func(c []float64) func(x float32) float32
}

// Preset is a named set of parameter values (ca_adex's brain states).
type Preset struct {
	Name   string
	Doc    string
	Params Values
	// Refused, when set, is why the preset cannot be used (a state whose
	// parameters were never published); configs refuse it with this text.
	Refused string
}

// FindPreset returns the model's preset of that name (without regard to
// case).
func (m *Neuron) FindPreset(name string) (Preset, bool) {
	for _, p := range m.Presets {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return Preset{}, false
}

// weightIn is the WeightUnit of a model whose spike weights have one unit.
func weightIn(unit string) func(Values) string { return func(Values) string { return unit } }

// SpikeCapacity returns the most spikes a node emits in a step with
// parameters p: Multiplicity(p), or 1 when the model has none.
func (m *Neuron) SpikeCapacity(p Values) int {
	if m.Multiplicity == nil {
		return 1
	}
	return max(m.Multiplicity(p), 1)
}

// DeviceOutput says where a device's events go.
type DeviceOutput int

const (
	SpikeOutput   DeviceOutput = iota // spikes with a multiplicity, into spike ports
	CurrentOutput                     // currents, into current ports
	RateOutput                        // a rate sent every step, into rate ports (Source's value)
)

// Device is a stimulating device: it drives neurons through ordinary
// connections (weight and delay), as in NEST.
type Device struct {
	Name   string
	Doc    string
	Params []Param
	Output DeviceOutput
	// Check is as Neuron.Check (RegisterDevice appends the same
	// single-precision checks).
	Check  func(p Values, l Lists, dt float64) error
	Derive func(p Values, l Lists, dt float64) []float64
	// Source returns the factor each outgoing weight of a node is multiplied
	// by at step (0: nothing is sent). Used when Synapse is nil.
	Source func(c []float64, step int64) float32
	// Active reports whether a per-synapse device sends at step at all.
	Active func(c []float64, step int64) bool
	// Synapse fills out[j] with the factor for outgoing synapse first+j of
	// projection object at step: an independent draw per synapse, as NEST's
	// poisson_generator sends each target its own train.
	Synapse func(c []float64, step int64, key rng.Key, object uint32, first int, out []float32)
	// Node returns the factor node of the device (number device) sends
	// through all its synapses at step, for devices whose nodes differ
	// (spike_generator's frozen patterns); key is the network's (rng.Network).
	Node func(c []float64, step int64, key rng.Key, device uint32, node int) float32
}

// Recorder describes a recording device (listed by `snn-gpu models`;
// the engines implement them).
type Recorder struct {
	Name   string
	Doc    string
	Params []Param
}

var (
	neurons   = map[string]*Neuron{}
	devices   = map[string]*Device{}
	recorders = map[string]*Recorder{}
)

func register[T any](m map[string]*T, name string, v *T) {
	if _, dup := neurons[name]; dup {
		panic("models: duplicate model " + name)
	}
	if _, dup := devices[name]; dup {
		panic("models: duplicate model " + name)
	}
	if _, dup := recorders[name]; dup {
		panic("models: duplicate model " + name)
	}
	m[name] = v
}

// RegisterNeuron adds a neuron model to the registry, its Check extended
// by the single-precision checks, and tau_minus to an archiving model's
// parameters (archiving.go).
func RegisterNeuron(m *Neuron) {
	archiving(m)
	m.Check = singlePrecision(m.Name, m.Params, m.Check, m.Derive)
	register(neurons, m.Name, m)
}

// RegisterDevice adds a stimulating device to the registry, its Check
// extended by the single-precision checks.
func RegisterDevice(d *Device) {
	d.Check = singlePrecision(d.Name, d.Params, d.Check, d.Derive)
	register(devices, d.Name, d)
}

// RegisterRecorder adds a recording device to the registry.
func RegisterRecorder(r *Recorder) { register(recorders, r.Name, r) }

// LookupNeuron returns the neuron model of that name.
func LookupNeuron(name string) (*Neuron, bool) { m, ok := neurons[name]; return m, ok }

// LookupDevice returns the stimulating device of that name.
func LookupDevice(name string) (*Device, bool) { d, ok := devices[name]; return d, ok }

// LookupRecorder returns the recording device of that name.
func LookupRecorder(name string) (*Recorder, bool) { r, ok := recorders[name]; return r, ok }

func sorted[T any](m map[string]*T) []*T {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]*T, len(names))
	for i, n := range names {
		out[i] = m[n]
	}
	return out
}

// Neurons lists the neuron models by name.
func Neurons() []*Neuron { return sorted(neurons) }

// Devices lists the stimulating devices by name.
func Devices() []*Device { return sorted(devices) }

// Recorders lists the recording devices by name.
func Recorders() []*Recorder { return sorted(recorders) }

// Names lists every model name, for error messages.
func Names() []string {
	var n []string
	for k := range neurons {
		n = append(n, k)
	}
	for k := range devices {
		n = append(n, k)
	}
	for k := range recorders {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// FindParam returns the parameter with this name, matched without regard to
// case (configs read through viper arrive in lower case).
func FindParam(ps []Param, name string) (Param, bool) {
	for _, p := range ps {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return Param{}, false
}

// PerNeuronParams returns the indices in Params of the PerNeuron
// parameters, in declaration order (the order of Update.PerNeuron).
func (m *Neuron) PerNeuronParams() []int {
	var out []int
	for i, p := range m.Params {
		if p.PerNeuron {
			out = append(out, i)
		}
	}
	return out
}

// FindState returns the index of the state variable with this name, matched
// without regard to case, or -1.
func (m *Neuron) FindState(name string) int {
	for i, s := range m.State {
		if strings.EqualFold(s.Name, name) {
			return i
		}
	}
	return -1
}

// PortsFor returns the ports that positive and negative weights of a kind
// of input go to (the same port unless the model routes by sign), or -1:
// among the ports of that receptor name (matched without regard to case;
// "" for the ports without one).
func (m *Neuron) PortsFor(k PortKind, receptor string) (pos, neg int) {
	pos, neg = -1, -1
	for i, p := range m.Ports {
		if p.Kind != k || !strings.EqualFold(p.Receptor, receptor) {
			continue
		}
		if p.Sign >= 0 && pos < 0 {
			pos = i
		}
		if p.Sign <= 0 && neg < 0 {
			neg = i
		}
	}
	return pos, neg
}

// Receptors lists the receptor names of the model's ports of a kind.
func (m *Neuron) Receptors(k PortKind) []string {
	var out []string
	for _, p := range m.Ports {
		if p.Kind == k && p.Receptor != "" {
			out = append(out, p.Receptor)
		}
	}
	return out
}

// Defaults returns the default value of every real, integer and bool parameter.
func Defaults(ps []Param) Values {
	v := Values{}
	for _, p := range ps {
		if p.Kind != List && p.Kind != Strings {
			v[p.Name] = p.Default
		}
	}
	return v
}

// Steps converts a time in ms to a whole number of steps the way NEST's
// Time does: rounded to the nearest step. Counts beyond int64 saturate
// (+Inf, or a tiny dt, gives math.MaxInt64) rather than wrap around, and
// NaN gives 0.
func Steps(ms, dt float64) int64 {
	x := math.Round(ms / dt)
	switch {
	case x >= 0x1p63:
		return math.MaxInt64
	case x < -0x1p63:
		return math.MinInt64
	case math.IsNaN(x):
		return 0
	}
	return int64(x)
}

// positive and the other checkers below return NEST-style messages.
func positive(p Values, names ...string) error {
	for _, n := range names {
		if !(p[n] > 0) {
			return fmt.Errorf("%s must be > 0 (got %g)", n, p[n])
		}
	}
	return nil
}

func nonNegative(p Values, names ...string) error {
	for _, n := range names {
		if !(p[n] >= 0) {
			return fmt.Errorf("%s must be >= 0 (got %g)", n, p[n])
		}
	}
	return nil
}

// StandsFor returns the number of neurons a node with parameters p stands
// for: its Multiplicity, unless its repeats are relayed spikes (Relay).
func (m *Neuron) StandsFor(p Values) int {
	if m.Relay {
		return 1
	}
	return m.SpikeCapacity(p)
}
