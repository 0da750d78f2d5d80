package runner

import (
	"slices"

	"github.com/snn-gpu/snn-gpu/analysis"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/output"
	"github.com/snn-gpu/snn-gpu/spec"
	"github.com/snn-gpu/snn-gpu/structural"
)

// layout describes a batch's points to the output: its grid, seed and
// recorders (their names are the spec's: net.Recorders are the spec's, in
// order), each with its recorded neurons, its window clipped to the run and,
// for multimeters, the variables and their units; and the nodes in NEST's
// creation order (for the NEST view's ids).
func layout(net *network.Network, sp *spec.Network) output.Layout {
	l := output.Layout{Dt: net.Dt, TSim: sp.Simulation.TSim, TStart: sp.Analysis.TStart, BinMs: sp.Analysis.BinMs, Seed: net.Seed}
	for i, r := range net.Recorders {
		pop := net.Pops[r.Pop]
		or := output.Recorder{
			Name: sp.Recorders[i].Name, Population: pop.Name, Model: r.Model, Neurons: r.Neurons,
			Start: max(r.Min, 0), Stop: min(r.Max, net.Steps), Interval: r.Interval,
		}
		for _, name := range r.VarNames {
			v := output.Var{Name: name} // Ca has no unit
			if si := pop.Model.FindState(name); si >= 0 {
				v.Unit = pop.Model.State[si].Unit
			}
			or.Vars = append(or.Vars, v)
		}
		l.Recorders = append(l.Recorders, or)
	}
	for _, p := range sp.Populations {
		l.Nodes = append(l.Nodes, output.Node{Kind: "population", Name: p.Name, N: p.N})
	}
	for _, d := range sp.Devices {
		l.Nodes = append(l.Nodes, output.Node{Kind: "device", Name: d.Name, N: d.N})
	}
	for _, r := range sp.Recorders {
		l.Nodes = append(l.Nodes, output.Node{Kind: "recorder", Name: r.Name, N: 1})
	}
	return l
}

// stats feeds every spike of every population to its analysis accumulator,
// and the sampled rates of rate populations to theirs.
type stats struct {
	pops [][]*analysis.Population // [member][population]
	wfr  map[int]engine.WFRStats  // by member: waveform-relaxation iterations, where the backend reports them
	// rates[m][pop] for rate populations (nil for others); rateVar[rec]
	// is where multimeter rec's samples hold "rate", -1 where they do not.
	rates   [][]*analysis.Rate
	rateVar []int
	net     *network.Network
}

func newStats(net *network.Network, tStart, binMs float64) *stats {
	s := &stats{pops: make([][]*analysis.Population, net.Batch()), rates: make([][]*analysis.Rate, net.Batch()), net: net}
	for _, r := range net.Recorders {
		v := slices.IndexFunc(r.VarNames, func(n string) bool { return n == "rate" })
		if r.Model != "multimeter" || net.Pops[r.Pop].Model.Rate == nil {
			v = -1
		}
		s.rateVar = append(s.rateVar, v)
	}
	for m := range s.rates {
		s.rates[m] = make([]*analysis.Rate, len(net.Pops))
		for i, p := range net.Pops {
			if p.Model.Rate != nil {
				s.rates[m][i] = analysis.NewRate(tStart)
			}
		}
	}
	for m := range s.pops {
		for _, p := range net.Pops {
			a := analysis.NewPopulation(p.N, net.Dt, net.Steps, tStart, binMs)
			if k := p.Model.StandsFor(p.Params[m]); k > 1 { // nodes that stand for many neurons
				a.StandsFor(p.N * k)
			}
			s.pops[m] = append(s.pops[m], a)
		}
	}
	return s
}

func (s *stats) Spikes(m, pop int, step int64, neurons []uint32) { s.pops[m][pop].Add(step, neurons) }

// Sample feeds a multimeter's sampled rates to its population's
// accumulator.
func (s *stats) Sample(m, rec int, step int64, values []float32) {
	v := s.rateVar[rec]
	if v < 0 {
		return
	}
	r := s.net.Recorders[rec]
	n := len(r.Neurons)
	s.rates[m][r.Pop].Add(float64(step+1)*s.net.Dt, values[v*n:(v+1)*n])
}

// WFR implements engine.WFRSink.
func (s *stats) WFR(m int, st engine.WFRStats) {
	if s.wfr == nil {
		s.wfr = map[int]engine.WFRStats{}
	}
	s.wfr[m] = st
}

// spikeRecorders writes the spikes of the neurons spike_recorders chose,
// each recorder's under its own name.
type spikeRecorders struct {
	net    *network.Network
	batch  *output.Batch
	byPop  [][]spikeRecorder // recorders of each population
	points []int
}

type spikeRecorder struct {
	index    int    // in net.Recorders and the batch's recorders
	chosen   []bool // by neuron
	min, max int64  // stamps: min < stamp <= max
}

func newSpikeRecorders(net *network.Network, b *output.Batch) *spikeRecorders {
	r := &spikeRecorders{net: net, batch: b, byPop: make([][]spikeRecorder, len(net.Pops)), points: net.Points}
	for i, rec := range net.Recorders {
		if rec.Model != "spike_recorder" {
			continue
		}
		sr := spikeRecorder{index: i, chosen: make([]bool, net.Pops[rec.Pop].N), min: rec.Min, max: rec.Max}
		for _, n := range rec.Neurons {
			sr.chosen[n] = true
		}
		r.byPop[rec.Pop] = append(r.byPop[rec.Pop], sr)
	}
	return r
}

func (r *spikeRecorders) Spikes(m, pop int, step int64, neurons []uint32) {
	stamp := step + 1
	for _, sr := range r.byPop[pop] {
		if stamp <= sr.min || stamp > sr.max {
			continue
		}
		for _, n := range neurons {
			if sr.chosen[n] {
				r.batch.AddSpike(r.points[m], sr.index, int32(n), stamp)
			}
		}
	}
}

func (r *spikeRecorders) Sample(int, int, int64, []float32) {}

// multimeters writes multimeter samples, one row per neuron and time.
type multimeters struct {
	net   *network.Network
	batch *output.Batch
	row   []float32
}

func (mm *multimeters) Spikes(int, int, int64, []uint32) {}

func (mm *multimeters) Sample(m, rec int, step int64, values []float32) {
	r := mm.net.Recorders[rec]
	n := len(r.Neurons)
	for i, neuron := range r.Neurons {
		mm.row = mm.row[:0]
		for v := range r.VarNames {
			mm.row = append(mm.row, values[v*n+i])
		}
		mm.batch.AddSample(mm.net.Points[m], rec, int32(neuron), step+1, r.VarNames, mm.row)
	}
}

// structure writes structural plasticity's snapshots as rows of
// structure.parquet.
type structure struct {
	net   *network.Network
	batch *output.Batch
}

// Structure implements engine.StructureSink.
func (s *structure) Structure(m int, sn structural.Snapshot) {
	point, t := s.net.Points[m], float64(sn.Step)*s.net.Dt
	var rows []output.StructureRow
	for _, c := range sn.Synapses {
		rows = append(rows, output.StructureRow{Point: point, TimeMs: t, Quantity: "synapses", Population: s.net.Pops[c.Projection.Source.Index].Name,
			Target: s.net.Pops[c.Projection.Target].Name, Name: c.Type, Value: float64(c.Synapses)})
	}
	if sn.Step == s.net.Steps {
		// The final network, as inspect describes a built one.
		for _, c := range sn.Synapses {
			pr := c.Projection
			st := s.net.Stats(pr, m)
			row := func(q string, x float64) output.StructureRow {
				return output.StructureRow{Point: point, TimeMs: t, Quantity: q, Population: s.net.Pops[pr.Source.Index].Name,
					Target: s.net.Pops[pr.Target].Name, Name: c.Type, Value: x}
			}
			rows = append(rows, row("autapses", float64(st.Autapses)), row("multapses", float64(st.Multapses)),
				row("indegree_mean", st.In.Mean), row("indegree_sd", st.In.SD), row("indegree_max", float64(st.In.Max)),
				row("outdegree_mean", st.Out.Mean), row("outdegree_sd", st.Out.SD), row("outdegree_max", float64(st.Out.Max)))
		}
	}
	for _, p := range sn.Pops {
		pop := s.net.Pops[p.Pop].Name
		rows = append(rows, output.StructureRow{Point: point, TimeMs: t, Quantity: "Ca_mean", Population: pop, Value: p.MeanCa})
		for _, e := range p.Elements {
			rows = append(rows,
				output.StructureRow{Point: point, TimeMs: t, Quantity: "z_mean", Population: pop, Name: e.Name, Value: e.MeanZ},
				output.StructureRow{Point: point, TimeMs: t, Quantity: "z_connected", Population: pop, Name: e.Name, Value: float64(e.Connected)},
				output.StructureRow{Point: point, TimeMs: t, Quantity: "z_vacant", Population: pop, Name: e.Name, Value: float64(e.Vacant)})
		}
	}
	s.batch.AddStructure(rows...)
}

func (*structure) Spikes(int, int, int64, []uint32)  {}
func (*structure) Sample(int, int, int64, []float32) {}

// plasticWeights writes what weight_recorders saw (weights.parquet) and
// the final weights of every plastic projection (final_weights.parquet).
type plasticWeights struct {
	net   *network.Network
	batch *output.Batch
	rows  []output.WeightRow
}

// Transmitted implements engine.WeightSink.
func (w *plasticWeights) Transmitted(m int, ts []engine.Transmission) {
	w.rows = w.rows[:0]
	for _, t := range ts {
		pr := t.Projection
		w.rows = append(w.rows, output.WeightRow{Point: w.net.Points[m], Name: pr.Plastic.Record.Name,
			Source: w.net.Pops[pr.Source.Index].Name, Sender: int32(t.Sender), Target: w.net.Pops[pr.Target].Name,
			Recv: int32(t.Target), TimeMs: float64(t.Stamp) * w.net.Dt, Weight: t.Weight})
	}
	w.batch.AddWeights(false, w.rows...)
}

// FinalWeights implements engine.WeightSink.
func (w *plasticWeights) FinalWeights(m int, pr *network.Projection) {
	c := pr.Of(m)
	src, tgt := w.net.Pops[pr.Source.Index].Name, w.net.Pops[pr.Target].Name
	for s := 0; s+1 < len(c.Offsets); s++ {
		w.rows = w.rows[:0]
		for j := c.Offsets[s]; j < c.Offsets[s+1]; j++ {
			w.rows = append(w.rows, output.WeightRow{Point: w.net.Points[m], Name: pr.Name, Source: src, Sender: int32(s),
				Target: tgt, Recv: int32(c.Targets[j]), Weight: c.Weights[j]})
		}
		w.batch.AddWeights(true, w.rows...)
	}
}

func (*plasticWeights) Spikes(int, int, int64, []uint32)  {}
func (*plasticWeights) Sample(int, int, int64, []float32) {}
