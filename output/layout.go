package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
)

// The recorder models, and the table each writes.
const (
	SpikeRecorder = "spike_recorder" // spikes.parquet
	Multimeter    = "multimeter"     // state.parquet
)

// Layout is what the points of a batch share, and what the tables'
// metadata say about them: the time grid, the seed and the recorders.
type Layout struct {
	Dt     float64 `json:"dt"`      // ms: time_ms = step·dt, to dt's decimals
	TSim   float64 `json:"t_sim"`   // ms
	TStart float64 `json:"t_start"` // ms: the statistics leave out the spikes up to t_start
	BinMs  float64 `json:"bin_ms"`  // ms: the bin of the population count (Fano factor, spectrum)
	Seed   uint32  `json:"seed"`
	// Recorders in config order (the order of their rows within a
	// population), with distinct names.
	Recorders []Recorder `json:"recorders,omitempty"`
	// Nodes are the config's populations, devices and recorders in the
	// order a NEST script creates them: populations, then devices, then
	// recorders, each in config order. The NEST view numbers their nodes
	// from 1 in that order.
	Nodes []Node `json:"nodes,omitempty"`
}

// Node is a population, a device or a recorder and its number of nodes.
type Node struct {
	Kind string `json:"kind"` // "population", "device" or "recorder"
	Name string `json:"name"`
	N    int    `json:"n"`
}

// Recorder is one recorder of a batch. Its name is the value of the
// recorder column, which tells apart the rows of two recorders of one
// population.
type Recorder struct {
	Name       string `json:"name"`
	Population string `json:"population"`
	Model      string `json:"model"` // SpikeRecorder or Multimeter
	// Neurons are the recorded neurons (indices within the population),
	// ascending.
	Neurons Neurons `json:"neurons"`
	// Start and Stop bound the recorded steps s: Start < s <= Stop.
	Start int64 `json:"start"`
	Stop  int64 `json:"stop"`
	// Interval is a multimeter's steps between samples, and Vars the
	// variables it records.
	Interval int64 `json:"interval,omitempty"`
	Vars     []Var `json:"vars,omitempty"`
}

// Var is a recorded state variable and its unit ("" when it has none).
type Var struct {
	Name string `json:"name"`
	Unit string `json:"unit,omitempty"`
}

// Neurons is an ascending list of neuron indices. It encodes to JSON as
// ranges, [[first, last], …] with both ends included, so that 50,000
// recorded neurons take a few bytes in progress.json and in the tables'
// metadata.
type Neurons []uint32

// MarshalJSON writes the ranges.
func (n Neurons) MarshalJSON() ([]byte, error) {
	ranges := [][2]uint32{}
	for i := 0; i < len(n); {
		j := i
		for j+1 < len(n) && n[j+1] == n[j]+1 {
			j++
		}
		ranges = append(ranges, [2]uint32{n[i], n[j]})
		i = j + 1
	}
	return json.Marshal(ranges)
}

// UnmarshalJSON reads the ranges back.
func (n *Neurons) UnmarshalJSON(b []byte) error {
	var ranges [][2]uint32
	if err := json.Unmarshal(b, &ranges); err != nil {
		return err
	}
	*n = nil
	for _, r := range ranges {
		if r[1] < r[0] || len(*n) > 0 && r[0] <= (*n)[len(*n)-1] {
			return fmt.Errorf("output: neuron ranges %v are not ascending", ranges)
		}
		for i := r[0]; ; i++ {
			*n = append(*n, i)
			if i == r[1] {
				break
			}
		}
	}
	return nil
}

// stateReserved are the state table's fixed columns.
var stateReserved = []string{colPoint, colPopulation, colRecorder, colNeuron, colTime, colStep}

// check refuses a layout the tables cannot describe.
func (l *Layout) check() error {
	for _, x := range []float64{l.Dt, l.TSim, l.TStart, l.BinMs} {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			return fmt.Errorf("output: layout dt %g, t_sim %g, t_start %g, bin_ms %g: want finite values >= 0", l.Dt, l.TSim, l.TStart, l.BinMs)
		}
	}
	if l.Dt == 0 {
		return errors.New("output: layout with dt = 0")
	}
	names := map[string]bool{}
	for _, r := range l.Recorders {
		switch {
		case r.Name == "" || r.Population == "" || names[r.Name]:
			return fmt.Errorf("output: bad recorder %q of %q (empty name or population, or a name twice)", r.Name, r.Population)
		case r.Model != SpikeRecorder && r.Model != Multimeter:
			return fmt.Errorf("output: recorder %s has model %q, want %s or %s", r.Name, r.Model, SpikeRecorder, Multimeter)
		case !ascending(r.Neurons):
			return fmt.Errorf("output: recorder %s: neurons not ascending", r.Name)
		}
		names[r.Name] = true
	}
	nodes := map[Node]bool{}
	for _, n := range l.Nodes {
		switch {
		case n.Kind != "population" && n.Kind != "device" && n.Kind != "recorder":
			return fmt.Errorf("output: node %s of kind %q", n.Name, n.Kind)
		case n.Name == "" || n.N < 0 || nodes[Node{Kind: n.Kind, Name: n.Name}]:
			return fmt.Errorf("output: bad %s node %q (empty or repeated name, or %d nodes)", n.Kind, n.Name, n.N)
		}
		nodes[Node{Kind: n.Kind, Name: n.Name}] = true
	}
	for _, r := range l.Recorders {
		seen := map[string]bool{}
		for _, v := range r.Vars {
			if v.Name == "" || slices.Contains(stateReserved, v.Name) || seen[v.Name] || r.Model != Multimeter {
				return fmt.Errorf("output: recorder %s: bad state variable %q (of a spike recorder, empty, repeated or one of %q)", r.Name, v.Name, stateReserved)
			}
			seen[v.Name] = true
		}
	}
	return nil
}

// stateVars is the union of the multimeters' variables, in recorder order:
// the state table's columns. A variable whose recorders give it different
// units has none.
func (l *Layout) stateVars() []Var {
	var out []Var
	for _, r := range l.Recorders {
		out = unionVars(out, r.Vars)
	}
	return out
}

// unionVars appends to vars those of more it lacks; a unit that disagrees
// with the one vars has becomes "".
func unionVars(vars, more []Var) []Var {
	for _, v := range more {
		i := slices.IndexFunc(vars, func(u Var) bool { return u.Name == v.Name })
		switch {
		case i < 0:
			vars = append(vars, v)
		case vars[i].Unit != v.Unit:
			vars[i].Unit = ""
		}
	}
	return vars
}

func ascending(n []uint32) bool {
	for i := 1; i < len(n); i++ {
		if n[i] <= n[i-1] {
			return false
		}
	}
	return true
}

// has reports whether the layout has a recorder of model.
func (l *Layout) has(model string) bool {
	return slices.ContainsFunc(l.Recorders, func(r Recorder) bool { return r.Model == model })
}
