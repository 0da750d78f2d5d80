package engine

import (
	"fmt"
	"strings"

	"github.com/snn-gpu/snn-gpu/network"
)

// CheckSteps is how many steps pass between the checks for non-finite state
// on every backend: the CPU scans its state after every CheckSteps steps,
// the GPU reduces it on the device at the end of every window of as many
// steps (gpu.Backend.FlushSteps, 100 by default). A scan costs about one
// step's reading of the state, so the check adds about 1 % of the update.
const CheckSteps = 100

// NonFinite is a state variable found NaN or infinite. The state is checked
// every window of steps, so the variable was finite at the start of the
// window (From, in ms) and is not at its end (To); of the neurons found,
// the one with the lowest index is named (and of its variables the first),
// the same on every backend.
type NonFinite struct {
	Population string
	Neuron     int // index within the population
	Variable   string
	Value      float32
	From, To   float64 // ms
}

func (e *NonFinite) Error() string {
	return fmt.Sprintf("population %s, neuron %d: %s became %v between t = %g ms and t = %g ms "+
		"(the state is single precision, float32: look for weights, inputs or parameters that overflow it)",
		e.Population, e.Neuron, e.Variable, e.Value, e.From, e.To)
}

// MemberError is the failure of one batch member.
type MemberError struct {
	Member int
	Err    error
}

// Failed is what Backend.Run returns when some members of the batch failed
// (their state became non-finite) and the others ran to the end: the
// failed members' spikes and samples stopped reaching the sink when the
// failure was found, the others' are complete.
type Failed []MemberError

func (f Failed) Error() string {
	msgs := make([]string, len(f))
	for i, e := range f {
		msgs[i] = fmt.Sprintf("batch member %d: %v", e.Member, e.Err)
	}
	return strings.Join(msgs, "; ")
}

// Watch is what a backend runs its sink through: it keeps the failures of
// the members found with non-finite state and stops passing their spikes
// and samples on.
type Watch struct {
	net    *network.Network
	sink   Sink
	errs   []error // by member
	failed int
}

// NewWatch returns a watch over the members of net that feeds sink.
func NewWatch(net *network.Network, sink Sink) *Watch {
	return &Watch{net: net, sink: sink, errs: make([]error, net.Batch())}
}

// Spikes implements Sink.
func (w *Watch) Spikes(m, pop int, step int64, neurons []uint32) {
	if w.errs[m] == nil {
		w.sink.Spikes(m, pop, step, neurons)
	}
}

// Sample implements Sink.
func (w *Watch) Sample(m, rec int, step int64, values []float32) {
	if w.errs[m] == nil {
		w.sink.Sample(m, rec, step, values)
	}
}

// Failed reports whether member m has failed.
func (w *Watch) Failed(m int) bool { return w.errs[m] != nil }

// AllFailed reports whether every member has failed (the run can stop).
func (w *Watch) AllFailed() bool { return w.failed == len(w.errs) }

// NonFinite records that state variable v (of the model's named ones) of
// neuron i of population pop of member m holds value, not finite, after
// steps [from, to). A member's first report counts, later ones are ignored.
func (w *Watch) NonFinite(m, pop, v, i int, value float32, from, to int64) {
	if w.errs[m] != nil {
		return
	}
	p := w.net.Pops[pop]
	w.errs[m] = &NonFinite{Population: p.Name, Neuron: i, Variable: p.Model.State[v].Name, Value: value,
		From: float64(from) * w.net.Dt, To: float64(to) * w.net.Dt}
	w.failed++
}

// Err returns the failures, ordered by member, or nil.
func (w *Watch) Err() error {
	if w.failed == 0 {
		return nil
	}
	out := make(Failed, 0, w.failed)
	for m, err := range w.errs {
		if err != nil {
			out = append(out, MemberError{Member: m, Err: err})
		}
	}
	return out
}
