package network

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/param"
	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/spec"
)

// Network is a batch of points that share one structure.
type Network struct {
	Dt          float64
	Steps       int64
	Seed        uint32
	Points      []int // sweep point of each batch member (keys its random numbers)
	Pops        []*Population
	Devices     []*Device
	Projections []*Projection
	Recorders   []Recorder
	MaxDelay    int // longest delay in steps (>= 1)
	// WFR is the coupling of gap junctions; nil where there are none.
	WFR *WFR
	// Structural is the structural plasticity; nil where there is none.
	Structural *Structural
}

// Batch returns the number of batch members.
func (n *Network) Batch() int { return len(n.Points) }

// Key returns the random key of batch member m.
func (n *Network) Key(m int) rng.Key { return rng.NewKey(n.Seed, uint32(n.Points[m])) }

// Population is a population with per-member parameters.
type Population struct {
	Name   string
	Index  int
	Model  *models.Neuron
	N      int
	Layer  *Layer          // positions, nil for non-spatial populations
	Params []models.Values // per member
	Lists  []models.Lists  // per member: list parameters (gif's tau_stc, …); nil entries when none
	Const  [][]float64     // per member: Model.Derive(Params[m], Lists[m], dt)
	// Init holds the initial internal state: Init[v][m*N+i] for state
	// variable v of neuron i of member m (relative where the variable is).
	Init [][]float32
	// PerNeuron holds the values of the model's PerNeuron parameters:
	// PerNeuron[k][m*N+i] for the k-th of them (Model.PerNeuronParams) and
	// neuron i of member m, constants broadcast.
	PerNeuron [][]float32
	// History is the number of extra state slots per neuron
	// (models.Neuron.History), the most any member asks for: the engines
	// store them as zero-initialised state variables after Init's.
	History int
	// SpikeCap is the most spikes a neuron emits in a step, over the
	// members (models.Neuron.Multiplicity; 1 for most models).
	SpikeCap int
}

// Device is a stimulating device with per-member parameters.
type Device struct {
	Name   string
	Index  int
	Model  *models.Device
	N      int
	Params []models.Values // per member
	Lists  models.Lists
	Const  [][]float64 // per member
}

// Endpoint is the source of a projection: a population or a device.
type Endpoint struct {
	Device bool
	Index  int
}

// Projection is the synapses of one connection statement from one source to
// one target population, in CSR by source. A statement makes one projection,
// or more when it is symmetric between two populations or has a third
// factor (Role).
type Projection struct {
	Index      int
	Name       string // "E->I", "E->A (third_in)" for messages
	Connection int    // the connection statement it comes from
	Role       string // RolePrimary, RoleReverse, RoleThirdIn or RoleThirdOut
	Source     Endpoint
	Target     int // population
	Port       int // input port of the target model for positive weights
	PortNeg    int // and for negative ones (Port unless the model routes by sign)
	Rule       string
	// BuildSeconds is the wall time of drawing and assembling it (a share
	// of its statement's when that made several projections).
	BuildSeconds float64
	CSR
	// Weight is per member: the weight of every synapse when Weights is
	// nil, otherwise a factor on Weights (1 unless the batch scales it).
	Weight []float32
	Delay  int // delay in steps of every synapse when Delays is nil
	// Gap marks a gap_junction projection: its weights are conductances
	// (nS) that couple potentials through waveform relaxation, not spikes
	// through the rings, and it has no delay.
	Gap bool
	// Rate marks a rate connection: every step each source sends its rate
	// (models.RateSend), weighted into the target's RatePort slot Delay
	// steps on; Delay is 0 for rate_connection_instantaneous.
	Rate bool
	// PerMember holds each batch member's own synapses (nil: all members
	// share CSR). Structural plasticity rewires them during the run; read
	// a member's synapses through Of.
	PerMember []CSR
	// Plastic, when set, changes each member's weights (PerMember) with
	// spike timing (plastic.go).
	Plastic *Plastic
}

// CSR holds synapses by source: row s is [Offsets[s], Offsets[s+1]),
// sorted by target.
type CSR struct {
	Offsets []int64
	Targets []uint32
	Weights []float32 // nil: all synapses share the member's Weight
	Delays  []uint16  // nil: all synapses share Delay
}

// Synapses returns the number of synapses.
func (c *CSR) Synapses() int64 { return int64(len(c.Targets)) }

// Bytes returns the memory the CSR takes.
func (c *CSR) Bytes() int64 {
	return int64(len(c.Offsets))*8 + int64(len(c.Targets))*4 + int64(len(c.Weights))*4 + int64(len(c.Delays))*2
}

// Recorder is a spike_recorder or multimeter resolved to indices and steps.
type Recorder struct {
	Model    string // "spike_recorder" or "multimeter"
	Pop      int
	Neurons  []uint32 // ascending
	Vars     []int    // multimeter: the model's state variables the backend samples
	VarNames []string // multimeter: the recorded columns, as record_from lists them
	// Ca is the position in VarNames of the calcium trace, which
	// structural plasticity keeps outside the model's state (-1: not
	// recorded); the engine fills its column in. A multimeter of Ca alone
	// has the model's first variable in Vars, for the backend's sample
	// clock, and drops it.
	Ca       int
	Interval int64 // multimeter: steps between samples
	// Min and Max bound the recorded stamps in steps: Min < stamp <= Max.
	Min, Max int64
}

// Build builds the network of a batch of points (which must share one
// structure) using threads workers for the construction.
func Build(points []spec.Network, pointIndex []int, threads int) (*Network, error) {
	if len(points) == 0 || len(points) != len(pointIndex) {
		return nil, fmt.Errorf("network: %d points with %d indices", len(points), len(pointIndex))
	}
	s0 := &points[0]
	dt := s0.Simulation.Dt
	net := &Network{
		Dt:       dt,
		Steps:    models.Steps(s0.Simulation.TSim, dt),
		Seed:     s0.Simulation.Seed,
		Points:   pointIndex,
		MaxDelay: 1,
	}
	names := map[string]Endpoint{}
	for i := range s0.Populations {
		p, err := buildPopulation(points, i, net)
		if err != nil {
			return nil, at(fmt.Sprintf("population[%d]", i), err)
		}
		net.Pops = append(net.Pops, p)
		names[p.Name] = Endpoint{Index: i}
	}
	for i := range s0.Devices {
		d, err := buildDevice(points, i, dt)
		if err != nil {
			return nil, at(fmt.Sprintf("device[%d]", i), err)
		}
		net.Devices = append(net.Devices, d)
		names[d.Name] = Endpoint{Device: true, Index: i}
	}
	for i := range s0.Connections {
		prs, err := buildConnection(points, i, net, names, threads)
		if err != nil {
			return nil, at(fmt.Sprintf("connection[%d]", i), err) // Connections are the file's [[connection]], in order
		}
		for _, pr := range prs {
			pr.Index = len(net.Projections)
			net.Projections = append(net.Projections, pr)
		}
		if err := makePlastic(points, i, prs, net); err != nil {
			return nil, at(fmt.Sprintf("connection[%d].syn", i), err)
		}
	}
	// Names identify projections in outputs: where two statements connect
	// the same populations, the statement number tells them apart.
	count := map[string]int{}
	for _, pr := range net.Projections {
		count[pr.Name]++
	}
	for _, pr := range net.Projections {
		if count[pr.Name] > 1 {
			pr.Name = fmt.Sprintf("%s #%d", pr.Name, pr.Connection)
		}
	}
	if err := buildStructural(points, net, names); err != nil {
		return nil, err
	}
	if err := planWFR(net, s0.Simulation); err != nil {
		return nil, err
	}
	for i, r := range s0.Recorders {
		rec, err := buildRecorder(r, net, names)
		if err != nil {
			return nil, at(fmt.Sprintf("recorder[%d]", i), err)
		}
		net.Recorders = append(net.Recorders, rec)
	}
	return net, nil
}

func buildPopulation(points []spec.Network, i int, net *Network) (*Population, error) {
	sp := &points[0].Populations[i]
	m, ok := models.LookupNeuron(sp.Model)
	if !ok {
		return nil, fieldf("model", "unknown neuron model %q", sp.Model)
	}
	p := &Population{Name: sp.Name, Index: i, Model: m, N: sp.N, SpikeCap: 1}
	if sp.Spatial != nil {
		l, err := buildLayer(sp.Spatial, sp.N, net.Seed, i)
		if err != nil {
			return nil, at("spatial", err)
		}
		p.Layer = l
	}
	B := len(points)
	p.Init = make([][]float32, len(m.State))
	for v := range p.Init {
		p.Init[v] = make([]float32, B*sp.N)
	}
	perNeuron := m.PerNeuronParams()
	p.PerNeuron = make([][]float32, len(perNeuron))
	for k := range p.PerNeuron {
		p.PerNeuron[k] = make([]float32, B*sp.N)
	}
	for b := range points {
		pb := &points[b].Populations[i]
		params := models.Defaults(m.Params)
		for k, v := range pb.Params {
			params[k] = v
		}
		lists := models.Lists(pb.Lists)
		if err := m.Check(params, lists, net.Dt); err != nil {
			return nil, at("params", err)
		}
		p.Params = append(p.Params, params)
		p.Lists = append(p.Lists, lists)
		p.Const = append(p.Const, m.Derive(params, lists, net.Dt))
		p.SpikeCap = max(p.SpikeCap, m.SpikeCapacity(params))
		if m.History != nil {
			p.History = max(p.History, m.History(params, lists, net.Dt))
		}
		key := rng.NewKey(net.Seed, uint32(net.Points[b]))
		names, draws, err := p.draws(pb, key)
		if err != nil {
			return nil, err
		}
		if err := p.perNeuron(pb, b, params, lists, key, names, draws, net.Dt); err != nil {
			return nil, err
		}
		for v, sv := range m.State {
			val, given := pb.Init[sv.Name]
			if !given {
				val = spec.Constant(sv.Default)
				if sv.DefaultParam != "" {
					val = spec.Constant(params[sv.DefaultParam])
				}
				if sv.Initial != nil {
					val = spec.Constant(sv.Initial(params))
				}
			}
			offset := 0.0
			if sv.Relative != "" {
				offset = params[sv.Relative]
			}
			dst := p.Init[v][b*sp.N : (b+1)*sp.N]
			if val.IsConst() {
				x := float32(val.Const - offset)
				for j := range dst {
					dst[j] = x
				}
				continue
			}
			err := p.eachNeuron(val.Expr, names, draws, func(j int) rng.Stream {
				return rng.NewStream(key, rng.PurposeInit, uint32(i), uint32(j), uint32(v))
			}, func(j int, x float64) error {
				dst[j] = float32(x - offset)
				return nil
			})
			if err != nil {
				return nil, at("init."+sv.Name, err)
			}
		}
	}
	return p, nil
}

// draws evaluates the draws of one member's population: their names in
// the order that keys their streams (by name, without regard to case) and
// their values, neuron j's at values[j*len(names):].
func (p *Population) draws(pb *spec.Population, key rng.Key) ([]string, []float64, error) {
	names := make([]string, 0, len(pb.Draws))
	for name := range pb.Draws {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	values := make([]float64, len(names)*p.N)
	for k, name := range names {
		val := pb.Draws[name]
		if val.IsConst() {
			for j := 0; j < p.N; j++ {
				values[j*len(names)+k] = val.Const
			}
			continue
		}
		err := p.eachNeuron(val.Expr, nil, nil, func(j int) rng.Stream {
			return rng.NewStream(key, rng.PurposeParamDraws, uint32(p.Index), uint32(j), uint32(k))
		}, func(j int, x float64) error {
			values[j*len(names)+k] = x
			return nil
		})
		if err != nil {
			return nil, nil, at("draws."+name, err)
		}
	}
	return names, values, nil
}

// perNeuron fills member b's values of the model's PerNeuron parameters:
// the constant of params, broadcast, or the per-neuron value given, over
// the draws. Where a value differs between neurons, the model's checks run
// for each neuron.
func (p *Population) perNeuron(pb *spec.Population, b int, params models.Values, lists models.Lists, key rng.Key, names []string, draws []float64, dt float64) error {
	m := p.Model
	idx := m.PerNeuronParams()
	given := map[string]spec.Value{} // by the model's spelling
	for name, v := range pb.PerNeuron {
		mp, ok := models.FindParam(m.Params, name)
		switch {
		case !ok:
			return fieldf("params."+name, "%s has no parameter %s", m.Name, name)
		case !mp.PerNeuron:
			return fieldf("params."+name, "parameter %s of %s takes one value per population, not one per neuron", mp.Name, m.Name)
		}
		given[mp.Name] = v
	}
	var varying []int // places in idx of the parameters given per neuron
	vals := make([][]float64, len(idx))
	one := maps.Clone(params) // a neuron's parameters, for the model's checks
	checkOnce := false
	for k, pi := range idx {
		name := m.Params[pi].Name
		dst := p.PerNeuron[k][b*p.N : (b+1)*p.N]
		val, ok := given[name]
		if !ok || val.IsConst() {
			x := params[name]
			if ok { // a constant given as a per-neuron value: checked once, below
				if math.IsNaN(val.Const) || math.IsInf(val.Const, 0) {
					return fieldf("params."+name, "expected a finite number, got %g", val.Const)
				}
				x, one[name], checkOnce = val.Const, val.Const, true
			}
			for j := range dst {
				dst[j] = float32(x)
			}
			continue
		}
		vals[k] = make([]float64, p.N)
		varying = append(varying, k)
		err := p.eachNeuron(val.Expr, names, draws, func(j int) rng.Stream {
			return rng.NewStream(key, rng.PurposeNeuronParam, uint32(p.Index), uint32(j), uint32(pi))
		}, func(j int, x float64) error {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("neuron %d: %s = %g", j, name, x)
			}
			vals[k][j] = x
			dst[j] = float32(x)
			return nil
		})
		if err != nil {
			return at("params."+name, err)
		}
	}
	if len(varying) == 0 {
		if checkOnce {
			if err := m.Check(one, lists, dt); err != nil {
				return at("params", err)
			}
		}
		return nil
	}
	for j := 0; j < p.N; j++ {
		for _, k := range varying {
			one[m.Params[idx[k]].Name] = vals[k][j]
		}
		if err := m.Check(one, lists, dt); err != nil {
			return at("params", fmt.Errorf("neuron %d: %w", j, err))
		}
	}
	return nil
}

// eachNeuron evaluates the parameter src for every neuron j, with the
// stream stream(j), the draws of neuron j as its variables and, on spatial
// populations, the neuron's position, and hands each value to put.
func (p *Population) eachNeuron(src string, names []string, draws []float64, stream func(j int) rng.Stream, put func(j int, x float64) error) error {
	e, err := param.Compile(src, nil, names...)
	if err != nil {
		return err
	}
	if e.Spatial() && p.Layer == nil {
		return fmt.Errorf("%s depends on positions, but the population has none", src)
	}
	d := len(names)
	for j := 0; j < p.N; j++ {
		st := stream(j)
		env := param.Env{Stream: &st, Vars: draws[j*d : (j+1)*d]}
		if p.Layer != nil {
			env.Source, env.Target = p.Layer.Pos[j], p.Layer.Pos[j]
		}
		x, err := e.Eval(&env)
		if err != nil {
			return err
		}
		if err := put(j, x); err != nil {
			return err
		}
	}
	return nil
}

func buildDevice(points []spec.Network, i int, dt float64) (*Device, error) {
	sd := &points[0].Devices[i]
	m, ok := models.LookupDevice(sd.Model)
	if !ok {
		return nil, fieldf("model", "unknown device model %q", sd.Model)
	}
	d := &Device{Name: sd.Name, Index: i, Model: m, N: max(sd.N, 1), Lists: models.Lists(sd.Lists)}
	for b := range points {
		params := models.Defaults(m.Params)
		for k, v := range points[b].Devices[i].Params {
			params[k] = v
		}
		if err := m.Check(params, d.Lists, dt); err != nil {
			return nil, at("params", err)
		}
		d.Params = append(d.Params, params)
		d.Const = append(d.Const, m.Derive(params, d.Lists, dt))
	}
	return d, nil
}

func buildRecorder(r spec.Recorder, net *Network, names map[string]Endpoint) (Recorder, error) {
	src, ok := names[r.Source]
	if !ok || src.Device {
		return Recorder{}, fieldf("source", "%q is not a population", r.Source)
	}
	pop := net.Pops[src.Index]
	rec := Recorder{Model: r.Model, Pop: src.Index, Ca: -1}
	if r.First > pop.N {
		return Recorder{}, fmt.Errorf("%d neurons recorded, but population %s has %d", r.First, pop.Name, pop.N)
	}
	for i := range r.First {
		rec.Neurons = append(rec.Neurons, uint32(i))
	}
	for _, i := range r.Neurons {
		if i < 0 || i >= pop.N {
			return Recorder{}, fieldf("neurons", "neuron %d is outside population %s (n = %d)", i, pop.Name, pop.N)
		}
		rec.Neurons = append(rec.Neurons, uint32(i))
	}
	rec.Min = models.Steps(r.Start, net.Dt)
	rec.Max = models.Steps(r.Stop, net.Dt)
	if r.Model == "multimeter" {
		rec.Interval = models.Steps(r.Interval, net.Dt)
		if rec.Interval < 1 {
			return Recorder{}, fieldf("interval", "expected at least one step (dt = %g ms), got %g ms", net.Dt, r.Interval)
		}
		for _, name := range r.RecordFrom {
			v := pop.Model.FindState(name)
			if v < 0 && name == CalciumVar && net.Structural.KeepsCalcium(src.Index) {
				rec.Ca = len(rec.VarNames)
				rec.VarNames = append(rec.VarNames, name)
				continue
			}
			if v < 0 {
				return Recorder{}, fieldf("record_from", "%s has no state variable %q", pop.Model.Name, name)
			}
			rec.Vars = append(rec.Vars, v)
			rec.VarNames = append(rec.VarNames, pop.Model.State[v].Name)
		}
		if len(rec.Vars) == 0 && rec.Ca >= 0 && len(pop.Model.State) > 0 {
			rec.Vars = []int{0} // sampled so that the Ca column rides on the samples, then dropped
		}
	}
	return rec, nil
}
