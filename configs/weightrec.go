package configs

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/spec"
)

// readWeightRecorder reads a [[recorder]] of model weight_recorder: it has
// no source; the plastic synapses that name it (syn.weight_recorder) feed
// it, and it keeps the senders and targets listed.
func (d *doc) readWeightRecorder(r *recT, m map[string]any) {
	r.senders = field{join(r.path, "senders"), m["senders"]}
	r.targets = field{join(r.path, "targets"), m["targets"]}
	for _, f := range []field{r.senders, r.targets} {
		if _, ok := f.raw.([]any); f.raw != nil && !ok {
			d.p.add(f.path, "expected a list of neuron indices, got %s", describe(f.raw))
		}
	}
	r.start = field{join(r.path, "start"), m["start"]}
	r.stop = field{join(r.path, "stop"), m["stop"]}
	d.recs = append(d.recs, r)
}

// weightRecorder resolves the weight_recorder a plastic synapse names
// (nil: none).
func (r *resolver) weightRecorder(f field) *spec.WeightRecorder {
	if f.raw == nil {
		return nil
	}
	name, ok := f.raw.(string)
	if !ok {
		r.p.add(f.path, "expected the name of a weight_recorder, got %s", describe(f.raw))
		return nil
	}
	var known []string
	for _, rec := range r.d.recs {
		if rec.model != models.WeightRecorder.Name {
			continue
		}
		if rec.name != name {
			known = append(known, rec.name)
			continue
		}
		start, stop := r.window(rec)
		out := &spec.WeightRecorder{Name: name, Start: spec.Float(start), Stop: spec.Float(stop)}
		out.Senders = r.indices(rec.senders)
		out.Targets = r.indices(rec.targets)
		return out
	}
	r.p.add(f.path, "no weight_recorder named %q%s (weight_recorders: %s)", name, suggest(name, known), quoteList(known))
	return nil
}

// indices resolves a list of neuron indices (nil: none given); the
// network checks them against the populations.
func (r *resolver) indices(f field) []int {
	list, ok := f.raw.([]any)
	if !ok {
		return nil
	}
	out := []int{}
	for i, e := range list {
		k, err := r.s.whole(e, 0, math.MaxInt32)
		if err != nil {
			r.p.report(fmt.Sprintf("%s[%d]", f.path, i), err)
			continue
		}
		out = append(out, int(k))
	}
	return out
}
