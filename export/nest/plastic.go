package nest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/snn-gpu/snn-gpu/plasticity"
	"github.com/snn-gpu/snn-gpu/spec"
)

// plastic returns the NEST synapse model of s and the rule's parameters to
// add to its syn_spec. A homogeneous model (NEST's *_hom) takes its
// parameters only as the model's: the script copies the model under a
// name of its own with them, once per connection statement, so that
// statements with different parameters keep them. The weight_recorder is
// refused: not exported (yet).
func (w *writer) plastic(path string, s spec.Synapse) (model, params string) {
	pm, ok := plasticity.Find(s.Model)
	if !ok {
		return s.Model, ""
	}
	if s.WeightRecorder != nil {
		w.refuse(path+".weight_recorder", "weight_recorder is not exported (yet): record with it here, or add it to the script")
	}
	var kv []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range s.Params {
			if !yield(k) {
				return
			}
		}
	}) {
		kv = append(kv, fmt.Sprintf("%s: %s", strconv.Quote(k), num(s.Params[k])))
	}
	if !pm.Homogeneous {
		if len(kv) == 0 {
			return s.Model, ""
		}
		return s.Model, ", " + strings.Join(kv, ", ")
	}
	model = fmt.Sprintf("%s_%d", s.Model, w.copies)
	w.copies++
	w.line(1, "nest.CopyModel(%s, %s, {%s})  # a *_hom model's parameters are the model's", strconv.Quote(s.Model), strconv.Quote(model), strings.Join(kv, ", "))
	return model, ""
}
