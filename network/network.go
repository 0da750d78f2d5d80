package network

import (
	"fmt"

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
	Const  [][]float64     // per member: Model.Derive(Params[m], dt)
	// Init holds the initial internal state: Init[v][m*N+i] for state
	// variable v of neuron i of member m (relative where the variable is).
	Init [][]float32
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
	Vars     []int    // multimeter: state variable indices
	VarNames []string
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
			return nil, err
		}
		net.Pops = append(net.Pops, p)
		names[p.Name] = Endpoint{Index: i}
	}
	for i := range s0.Devices {
		d, err := buildDevice(points, i, dt)
		if err != nil {
			return nil, err
		}
		net.Devices = append(net.Devices, d)
		names[d.Name] = Endpoint{Device: true, Index: i}
	}
	for i := range s0.Connections {
		prs, err := buildConnection(points, i, net, names, threads)
		if err != nil {
			return nil, fmt.Errorf("connection[%d] (%s): %w", i, s0.Connections[i].Source+"->"+s0.Connections[i].Target, err)
		}
		for _, pr := range prs {
			pr.Index = len(net.Projections)
			net.Projections = append(net.Projections, pr)
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
	for i, r := range s0.Recorders {
		rec, err := buildRecorder(r, net, names)
		if err != nil {
			return nil, fmt.Errorf("recorder[%d]: %w", i, err)
		}
		net.Recorders = append(net.Recorders, rec)
	}
	return net, nil
}

func buildPopulation(points []spec.Network, i int, net *Network) (*Population, error) {
	sp := &points[0].Populations[i]
	m, ok := models.LookupNeuron(sp.Model)
	if !ok {
		return nil, fmt.Errorf("population %s: unknown neuron model %q", sp.Name, sp.Model)
	}
	p := &Population{Name: sp.Name, Index: i, Model: m, N: sp.N}
	if sp.Spatial != nil {
		l, err := buildLayer(sp.Spatial, sp.N, net.Seed, i)
		if err != nil {
			return nil, fmt.Errorf("population %s: spatial: %w", sp.Name, err)
		}
		p.Layer = l
	}
	B := len(points)
	p.Init = make([][]float32, len(m.State))
	for v := range p.Init {
		p.Init[v] = make([]float32, B*sp.N)
	}
	for b := range points {
		pb := &points[b].Populations[i]
		params := models.Defaults(m.Params)
		for k, v := range pb.Params {
			params[k] = v
		}
		if err := m.Check(params, net.Dt); err != nil {
			return nil, fmt.Errorf("population %s: %w", sp.Name, err)
		}
		p.Params = append(p.Params, params)
		p.Const = append(p.Const, m.Derive(params, net.Dt))
		key := rng.NewKey(net.Seed, uint32(net.Points[b]))
		for v, sv := range m.State {
			val, given := pb.Init[sv.Name]
			if !given {
				val = spec.Constant(sv.Default)
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
			e, err := param.Compile(val.Expr, nil)
			if err != nil {
				return nil, fmt.Errorf("population %s: init.%s: %w", sp.Name, sv.Name, err)
			}
			if e.Spatial() && p.Layer == nil {
				return nil, fmt.Errorf("population %s: init.%s depends on positions, but the population has none", sp.Name, sv.Name)
			}
			for j := range dst {
				st := rng.NewStream(key, rng.PurposeInit, uint32(i), uint32(j), uint32(v))
				env := param.Env{Stream: &st}
				if p.Layer != nil {
					env.Source, env.Target = p.Layer.Pos[j], p.Layer.Pos[j]
				}
				x, err := e.Eval(&env)
				if err != nil {
					return nil, fmt.Errorf("population %s: init.%s: %w", sp.Name, sv.Name, err)
				}
				dst[j] = float32(x - offset)
			}
		}
	}
	return p, nil
}

func buildDevice(points []spec.Network, i int, dt float64) (*Device, error) {
	sd := &points[0].Devices[i]
	m, ok := models.LookupDevice(sd.Model)
	if !ok {
		return nil, fmt.Errorf("device %s: unknown device model %q", sd.Name, sd.Model)
	}
	d := &Device{Name: sd.Name, Index: i, Model: m, N: max(sd.N, 1), Lists: models.Lists(sd.Lists)}
	for b := range points {
		params := models.Defaults(m.Params)
		for k, v := range points[b].Devices[i].Params {
			params[k] = v
		}
		if err := m.Check(params, d.Lists, dt); err != nil {
			return nil, fmt.Errorf("device %s: %w", sd.Name, err)
		}
		d.Params = append(d.Params, params)
		d.Const = append(d.Const, m.Derive(params, d.Lists, dt))
	}
	return d, nil
}

func buildRecorder(r spec.Recorder, net *Network, names map[string]Endpoint) (Recorder, error) {
	src, ok := names[r.Source]
	if !ok || src.Device {
		return Recorder{}, fmt.Errorf("source %q is not a population", r.Source)
	}
	pop := net.Pops[src.Index]
	rec := Recorder{Model: r.Model, Pop: src.Index}
	for _, i := range r.Neurons {
		if i < 0 || i >= pop.N {
			return Recorder{}, fmt.Errorf("neuron %d is outside population %s (n = %d)", i, pop.Name, pop.N)
		}
		rec.Neurons = append(rec.Neurons, uint32(i))
	}
	rec.Min = models.Steps(r.Start, net.Dt)
	rec.Max = models.Steps(r.Stop, net.Dt)
	if r.Model == "multimeter" {
		rec.Interval = models.Steps(r.Interval, net.Dt)
		if rec.Interval < 1 {
			return Recorder{}, fmt.Errorf("interval %g ms is below the resolution %g ms", r.Interval, net.Dt)
		}
		for _, name := range r.RecordFrom {
			v := pop.Model.FindState(name)
			if v < 0 {
				return Recorder{}, fmt.Errorf("%s has no state variable %q", pop.Model.Name, name)
			}
			rec.Vars = append(rec.Vars, v)
			rec.VarNames = append(rec.VarNames, pop.Model.State[v].Name)
		}
	}
	return rec, nil
}
