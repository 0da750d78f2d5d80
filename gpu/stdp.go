package gpu

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/plasticity"
)

// Spike-timing-dependent projections on the device (kernels/stdp.cuh):
// each member's weights in one array [B][nnz] that propagate reads at
// member m·nnz (Projection.weights_stride), the common offsets, targets
// and delays, the rule's parameters per member, K_+ and t_last per source
// and member, and a ring of the last spikes per target neuron and member.

// Rule numbers of kernels/stdp.cuh.
const (
	ruleSTDP      = 0
	rulePowerLaw  = 1
	ruleUrbanczik = 2
)

// ruleParams returns the device's number and parameters of a rule, in
// the order kernels/stdp.cuh reads them; ok is false for a rule without a
// device function.
func ruleParams(r plasticity.Rule) (id int64, p []float64, ok bool) {
	switch r := r.(type) {
	case plasticity.STDP:
		return ruleSTDP, []float64{r.Tau, r.Lambda, r.Alpha, r.MuPlus, r.MuMinus, r.Wmax}, true
	case plasticity.PowerLaw:
		return rulePowerLaw, []float64{r.Tau, r.Lambda, r.Alpha, r.Mu}, true
	case plasticity.Urbanczik: // p[0] is every rule's tau_plus: none
		return ruleUrbanczik, []float64{0, r.Eta, r.TauDelta, r.Wmin, r.Wmax, r.Cm, r.GL, r.TauEx, r.TauIn}, true
	}
	return 0, nil, false
}

// checkPlastic refuses plastic projections whose rule has no device
// function.
func checkPlastic(dev Device, net *network.Network) error {
	for _, pr := range net.Projections {
		if pr.Plastic == nil {
			continue
		}
		if !dev.Has("stdp_transmit") {
			return fmt.Errorf("connection[%d]: %s has no plastic synapse kernels; use --backend cpu", pr.Connection, dev.Name())
		}
		if pr.Plastic.Record != nil {
			return fmt.Errorf("connection[%d]: weight_recorder %s: the GPU backend does not record weights at transmission yet (final_weights.parquet it writes); use --backend cpu", pr.Connection, pr.Plastic.Record.Name)
		}
		for _, r := range pr.Plastic.Rules {
			if _, _, ok := ruleParams(r); !ok {
				return fmt.Errorf("connection[%d]: the plastic rule %T has no GPU kernel yet; use --backend cpu", pr.Connection, r)
			}
		}
	}
	return nil
}

// DefaultHistoryMs is the span of the target's spikes at its highest
// rate (one per t_ref, or per step) that a history holds beyond the
// longest delay: a source may stay silent that long while its target
// fires as fast as it can. Longer silences at lower rates fit too; a
// synapse that needs a spike the ring no longer holds stops the run.
const DefaultHistoryMs = 100.0

// historyCap is the ring size of population p's history: Backend's
// PlasticHistory, or DefaultHistoryMs plus the longest delay of the
// plastic projections onto it, over the shortest interval between two
// spikes (t_ref where the model has it, at least a step), plus one.
func historyCap(b *Backend, net *network.Network, p int) int64 {
	if b.PlasticHistory > 0 {
		return int64(b.PlasticHistory)
	}
	d := 0
	for _, pr := range net.Projections {
		if pr.Plastic != nil && pr.Target == p {
			d = max(d, pr.Delay)
			for _, x := range pr.Delays {
				d = max(d, int(x))
			}
		}
	}
	gap := net.Dt
	if pop := net.Pops[p]; len(pop.Params) > 0 {
		if _, ok := pop.Params[0]["t_ref"]; ok {
			gap = math.Inf(1)
			for _, v := range pop.Params {
				gap = min(gap, v["t_ref"])
			}
			gap = max(gap, net.Dt)
		}
	}
	return int64(math.Ceil((DefaultHistoryMs+float64(d)*net.Dt)/gap)) + 1
}

// DefaultDPIHistoryMs is how long a source of urbanczik_synapses may stay
// silent (or wait for its first spike) by default: each spike reads its
// targets' dPI of every step since its last one (since the start for the
// first), one delay late, so the ring of a target population holds that
// span plus the longest delay, or the whole run where that is shorter. A
// synapse that needs an older entry stops the run with an error.
const DefaultDPIHistoryMs = 1000.0

// dpiCap is the ring size (steps) of population p's dPI history: the
// Backend's DPIHistoryMs (or DefaultDPIHistoryMs) plus the longest delay
// of the plastic projections onto p, at most the run's steps (enough for
// any spike).
func dpiCap(b *Backend, net *network.Network, p int) int64 {
	ms := b.DPIHistoryMs
	if ms <= 0 {
		ms = DefaultDPIHistoryMs
	}
	d := 0
	for _, pr := range net.Projections {
		if pr.Plastic != nil && pr.Target == p {
			d = max(d, pr.Delay)
			for _, x := range pr.Delays {
				d = max(d, int(x))
			}
		}
	}
	return min(int64(math.Ceil(ms/net.Dt))+int64(d)+1, max(net.Steps, 1))
}

// stdpSim is the device state of the plastic projections.
type stdpSim struct {
	projs  []*network.Projection
	args   []stdpProj
	hist   []history
	histOf map[int]int // population → its history
	dpi    []dpiHistory
	dpiOf  map[int]int // population → its dPI history
	// histIdx and dpiIdx are each projection's histories in hist and
	// dpi, -1 for none, until setupSTDP points args at them.
	histIdx, dpiIdx []int
	argsPtr         Ptr
	overflow        []uint64
	argsHost        stdpArgs
}

// addSTDP lays out projection pr (a its propagate entry, with the
// common CSR) and returns the entry with the members' weights.
func (s *sim) addSTDP(pr *network.Projection, a projectionArgs) (projectionArgs, error) {
	if s.stdp == nil {
		s.stdp = &stdpSim{histOf: map[int]int{}, dpiOf: map[int]int{}}
	}
	st := s.stdp
	nnz := int64(len(pr.Targets))
	weights := make([]float32, 0, s.B*nnz)
	var params []float64
	var rule, np int64
	for m := range s.B {
		weights = append(weights, pr.PerMember[m].Weights...)
		id, p, _ := ruleParams(pr.Plastic.Rules[m])
		rule, np = id, int64(len(p))
		params = append(params, p...)
	}
	var err error
	if a.Weights, err = upload(s, weights); err != nil {
		return a, err
	}
	a.WeightsStride = nnz
	h, ok := st.histOf[pr.Target]
	if !pr.Plastic.ReadsSpikes {
		h, ok = -1, true // no rule reads the targets' spikes
	}
	if !ok {
		tp := s.pops[pr.Target]
		c := historyCap(s.b, s.net, pr.Target)
		// The device keeps one tau_minus per target population.
		tau := tp.p.Params[0][models.TauMinus.Name]
		for m := range s.B {
			if v := tp.p.Params[m][models.TauMinus.Name]; v != tau {
				return a, fmt.Errorf("gpu: population %s: tau_minus differs between batch members (%g, %g ms); the GPU keeps one per population: run these points in separate batches (--batch 1) or on the CPU", tp.p.Name, tau, v)
			}
		}
		hh := history{N: tp.args.N, B: s.B, Cap: c, TauMinus: tau, Dt: s.net.Dt,
			Spikes: tp.args.Spikes, Counts: tp.args.Counts, SpikeCap: tp.args.SpikeCap}
		if hh.Stamp, err = s.alloc(s.B * hh.N * c * 4); err != nil {
			return a, err
		}
		if hh.KMinus, err = s.alloc(s.B * hh.N * c * 8); err != nil {
			return a, err
		}
		if hh.Total, err = s.alloc(s.B * hh.N * 4); err != nil {
			return a, err
		}
		h = len(st.hist)
		st.histOf[pr.Target] = h
		st.hist = append(st.hist, hh)
	}
	sp := stdpProj{NS: a.NS, Rule: rule, NParam: np, Offsets: a.Offsets, Targets: a.Targets, Delays: a.Delays,
		Delay: a.Delay, Weights: a.Weights, NNZ: nnz, Spikes: a.Spikes, Counts: a.Counts, SpikeCap: a.SpikeCap,
		Dt: s.net.Dt}
	dq := -1
	if sp.Params, err = upload(s, params); err != nil {
		return a, err
	}
	if k := pr.Plastic.Rules[0].Vars(); k > 0 {
		var vars []float64
		for m := range s.B {
			vars = append(vars, pr.Plastic.Vars[m]...)
		}
		sp.NVars = int64(k)
		if sp.Vars, err = upload(s, vars); err != nil {
			return a, err
		}
	}
	if v := pr.Plastic.State; v >= 0 {
		q, ok := st.dpiOf[pr.Target]
		if !ok {
			tp := s.pops[pr.Target]
			c := dpiCap(s.b, s.net, pr.Target)
			dh := dpiHistory{N: tp.args.N, B: s.B, Cap: c, Dt: s.net.Dt, State: tp.args.State + Ptr(int64(v)*s.B*tp.args.N*4)}
			if dh.Values, err = s.alloc(s.B * dh.N * c * 8); err != nil {
				return a, err
			}
			q = len(st.dpi)
			st.dpiOf[pr.Target] = q
			st.dpi = append(st.dpi, dh)
		}
		dq = q
	}
	st.histIdx = append(st.histIdx, h)
	st.dpiIdx = append(st.dpiIdx, dq)
	if sp.KPlus, err = s.alloc(s.B * a.NS * 8); err != nil {
		return a, err
	}
	if sp.TLast, err = s.alloc(s.B * a.NS * 8); err != nil {
		return a, err
	}
	st.projs = append(st.projs, pr)
	st.args = append(st.args, sp)
	return a, nil
}

// setupSTDP puts the argument structs on the device.
func (s *sim) setupSTDP() error {
	st := s.stdp
	if st == nil {
		return nil
	}
	histPtr, err := upload(s, st.hist)
	if err != nil {
		return err
	}
	dpiPtr, err := upload(s, st.dpi)
	if err != nil {
		return err
	}
	for i := range st.args {
		if h := st.histIdx[i]; h >= 0 {
			st.args[i].Hist = histPtr + Ptr(int64(h)*int64(unsafe.Sizeof(history{})))
		}
		if q := st.dpiIdx[i]; q >= 0 {
			st.args[i].DPI = dpiPtr + Ptr(int64(q)*int64(unsafe.Sizeof(dpiHistory{})))
		}
	}
	projPtr, err := upload(s, st.args)
	if err != nil {
		return err
	}
	st.overflow = make([]uint64, s.B)
	for i := range st.overflow {
		st.overflow[i] = math.MaxUint64
	}
	a := stdpArgs{NProj: int64(len(st.args)), NHist: int64(len(st.hist)), B: s.B, Proj: projPtr, Hist: histPtr, Clock: s.clock,
		NDPI: int64(len(st.dpi)), DPI: dpiPtr}
	if a.Overflow, err = upload(s, st.overflow); err != nil {
		return err
	}
	st.argsHost = a
	st.argsPtr, err = upload(s, []stdpArgs{a})
	return err
}

// checkOverflow reports the first synapse, if any, that needed a spike
// older than its target's history holds.
func (s *sim) checkOverflow() error {
	st := s.stdp
	if st == nil {
		return nil
	}
	if err := s.dev.DtoH(unsafe.Pointer(&st.overflow[0]), st.argsHost.Overflow, s.B*8); err != nil {
		return err
	}
	for m, key := range st.overflow {
		if key == math.MaxUint64 {
			continue
		}
		step, p := int64(key)/st.argsHost.NProj, int64(key)%st.argsHost.NProj
		pr := st.projs[p]
		if pr.Plastic.State >= 0 {
			h := st.dpi[st.dpiOf[pr.Target]]
			return fmt.Errorf("%s: connection[%d] (member %d) at step %d: a source's spike needed dPI of %s from before the last %d steps (%g ms) that the GPU keeps: a source silent that long (or that long before its first spike); raise Backend.DPIHistoryMs (default %g ms) or use --backend cpu",
				s.b.name, pr.Connection, m, step, s.net.Pops[pr.Target].Name, h.Cap, float64(h.Cap)*s.net.Dt, DefaultDPIHistoryMs)
		}
		h := st.hist[st.histOf[pr.Target]]
		return fmt.Errorf("%s: connection[%d] (member %d) at step %d: a plastic synapse needed a spike of %s older than the last %d per neuron that the GPU keeps; raise the history (Backend.PlasticHistory) or use --backend cpu",
			s.b.name, pr.Connection, m, step, s.net.Pops[pr.Target].Name, h.Cap)
	}
	return nil
}

// downloadWeights copies the members' weights back into the projections'
// PerMember CSRs and the rules' variables into Plastic.Vars, where the
// CPU backend keeps them, and hands the weights to a sink that takes
// final weights.
func (s *sim) downloadWeights(sink engine.Sink) error {
	if s.stdp == nil {
		return nil
	}
	for i, pr := range s.stdp.projs {
		a := s.stdp.args[i]
		for m := range s.B {
			w := pr.PerMember[m].Weights
			if len(w) == 0 {
				continue
			}
			if err := s.dev.DtoH(unsafe.Pointer(&w[0]), a.Weights+Ptr(m*a.NNZ*4), a.NNZ*4); err != nil {
				return err
			}
			if v := pr.Plastic.Vars[m]; a.NVars > 0 {
				if err := s.dev.DtoH(unsafe.Pointer(&v[0]), a.Vars+Ptr(m*a.NNZ*a.NVars*8), a.NNZ*a.NVars*8); err != nil {
					return err
				}
			}
		}
	}
	if ws, ok := sink.(engine.WeightSink); ok {
		for _, pr := range s.stdp.projs {
			for m := range s.B {
				ws.FinalWeights(int(m), pr)
			}
		}
	}
	return nil
}

// estimateSTDP is what addSTDP and setupSTDP allocate: in place of the
// common weights, each member's weights, rule parameters and variables and
// presynaptic traces, and the histories of the targets (spikes, dPI).
func (b *Backend) estimateSTDP(net *network.Network) (shared, member int64) {
	hist, dpi := map[int]bool{}, map[int]bool{}
	for _, pr := range net.Projections {
		if pr.Plastic == nil {
			continue
		}
		if shared == 0 {
			shared += int64(unsafe.Sizeof(stdpArgs{}))
			member += 8 // the overflow word
		}
		_, p, _ := ruleParams(pr.Plastic.Rules[0])
		ns := int64(net.Pops[pr.Source.Index].N)
		shared += int64(unsafe.Sizeof(stdpProj{})) - int64(len(pr.Weights))*4
		member += int64(len(pr.Targets))*4 + int64(len(p))*8 + ns*16
		member += int64(pr.Plastic.Rules[0].Vars()) * int64(len(pr.Targets)) * 8
		n := int64(net.Pops[pr.Target].N)
		if pr.Plastic.ReadsSpikes && !hist[pr.Target] {
			hist[pr.Target] = true
			c := historyCap(b, net, pr.Target)
			shared += int64(unsafe.Sizeof(history{}))
			member += n*c*12 + n*4
		}
		if pr.Plastic.State >= 0 && !dpi[pr.Target] {
			dpi[pr.Target] = true
			shared += int64(unsafe.Sizeof(dpiHistory{}))
			member += n * dpiCap(b, net, pr.Target) * 8
		}
	}
	return shared, member
}
