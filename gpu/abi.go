package gpu

// The argument structs of the kernels, field for field as in
// kernels/snn.cuh (every field 8 bytes, so no padding). gpu/emu's tests
// compare their layout with the C compiler's.

type popArgs struct {
	N, B, Slots, NConst int64
	State               Ptr
	Ring                Ptr
	Consts              Ptr
	Params              Ptr // per-neuron parameters: [P][B][n] float32
	Spikes              Ptr
	Counts              Ptr
	Rec                 Ptr
	RecCount            Ptr
	RecCap              int64
	Clock               Ptr
	Seed                int64
	Points              Ptr
	Object              int64
	SpikeCap            int64 // spikes per member and step: n × the model's multiplicity
	// Gap junctions: null pointers where the population has none.
	GapG, GapIn, GapOut, GapEnd Ptr
	GapWindow, GapOrder         int64
	GapMode                     Ptr
}

type emitArgs struct {
	Nodes, NNZ, NT, B, Slots, NConst int64
	Offsets                          Ptr
	Targets                          Ptr
	Weights                          Ptr
	Delays                           Ptr
	Delay                            int64
	Scale                            Ptr
	Ring                             Ptr
	RingNeg                          Ptr
	Consts                           Ptr
	Clock                            Ptr
	Seed                             int64
	Points                           Ptr
	Object                           int64
	Device                           int64
}

type projectionArgs struct {
	NS, NT   int64
	Offsets  Ptr
	Targets  Ptr
	Weights  Ptr
	Delays   Ptr
	Delay    int64
	Scale    Ptr
	Spikes   Ptr
	Counts   Ptr
	Ring     Ptr
	RingNeg  Ptr
	SpikeCap int64 // the source's spikes per member and step
	// OffsetsStride: member m's row offsets start at m·OffsetsStride (0:
	// one CSR for all members; per-member synapses of plastic projections).
	OffsetsStride int64
	// WeightsStride: member m's weights start at m·WeightsStride (0:
	// shared; spike-timing-dependent projections keep one set per member).
	WeightsStride int64
}

type propagateArgs struct {
	NProj, B, Slots int64
	Proj            Ptr
	Clock           Ptr
}

type finishArgs struct {
	NCounts int64
	Counts  Ptr
	B       int64
	Clock   Ptr
}

type sampleArgs struct {
	N, B, NVars, NRec, Cap int64
	State                  Ptr
	Vars                   Ptr
	Offsets                Ptr
	Neurons                Ptr
	Out                    Ptr
	Clock                  Ptr
	Interval, Base         int64
}

type finiteArgs struct {
	N, B, NVars int64
	State       Ptr
	First       Ptr // [B] uint64
}

// Layouts lists the mirrored structs by their C names, for layout tests.
var Layouts = map[string]any{
	"PopArgs": popArgs{}, "EmitArgs": emitArgs{}, "Projection": projectionArgs{},
	"PropagateArgs": propagateArgs{}, "FinishArgs": finishArgs{}, "SampleArgs": sampleArgs{},
	"FiniteArgs": finiteArgs{}, "GapProj": gapProj{}, "GapArgs": gapArgs{}, "CopyArgs": copyArgs{},
	"RateProj": rateProj{}, "RateArgs": rateArgs{},
	"History": history{}, "StdpProj": stdpProj{}, "StdpArgs": stdpArgs{}, "DpiHistory": dpiHistory{},
}

type gapProj struct {
	Offsets, Targets, Weights, Scale, Out Ptr
	NS                                    int64
}

type gapArgs struct {
	N, B, Window, Steps, NProj int64
	Proj                       Ptr
	In, Out, End, Prev         Ptr
	Mode, Unconverged          Ptr
	Tol                        float64
	Last                       int64
}

type copyArgs struct {
	N        int64
	Src, Dst Ptr
}

// kernels/stdp.cuh's structs (gpu/stdp.go fills them).

type history struct {
	N, B, Cap      int64
	Stamp, KMinus  Ptr
	Total          Ptr
	TauMinus, Dt   float64
	Spikes, Counts Ptr
	SpikeCap       int64
}

type stdpProj struct {
	NS, Rule, NParam int64
	Params           Ptr
	Offsets          Ptr
	Targets          Ptr
	Delays           Ptr
	Delay            int64
	Weights          Ptr
	NNZ              int64
	Spikes, Counts   Ptr
	SpikeCap         int64
	KPlus, TLast     Ptr
	Hist             Ptr
	Dt               float64
	Vars             Ptr
	NVars            int64
	DPI              Ptr
}

type dpiHistory struct {
	N, B, Cap     int64
	Values, State Ptr
	Dt            float64
}

type stdpArgs struct {
	NProj, NHist, B int64
	Proj, Hist      Ptr
	Clock           Ptr
	NDPI            int64
	DPI             Ptr
	Overflow        Ptr
}
