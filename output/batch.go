package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/parquet/compress"
)

// partCodec compresses the part files: they are read once, by Finish.
var partCodec = compress.Codecs.Snappy

// Batch collects the outputs of one batch of points into part files. Its
// methods are for one goroutine. The Add methods record the first misuse
// (a point not in the batch, an unknown variable, …) and Commit reports it.
type Batch struct {
	d         *Dir
	id        int
	points    []int
	member    map[int]bool
	layout    Layout
	stateVars []string // the names of layout.stateVars(): the state columns
	closed    bool
	err       error
	wall      time.Duration // SetWallTime's
	wfr       []WFRCount    // SetWFR's
	structure []StructureRow

	spikes  map[slotKey]*slot
	states  map[slotKey]*slot
	weights map[slotKey]*slot // weights.go
	order   []*slot           // creation order
	lastSpk *slot
	lastSt  *slot
	summary []SummaryRow

	// AddSample's cache of the last vars: column c takes vars[src[c]], or a
	// null where src[c] < 0.
	lastVars []string
	src      []int
}

// slotKey is a point and a recorder (an index into the batch's recorders).
type slotKey struct {
	point, recorder int
}

// slot buffers the spikes or the samples of one recorder of one point and
// writes them to its part file.
type slot struct {
	slotKey
	state    bool
	w        *tableWriter
	b        *array.RecordBuilder
	neuron   []int32
	step     []int64
	vals     [][]float32 // state: per state variable
	valid    [][]bool
	lastStep int64
}

// NewBatch starts the part files of a batch of points that share l (their
// grid, seed, recorders and recorded variables). The points must be new:
// neither done nor in another open batch.
//
// Call Commit when the batch is complete or Abort to drop it; a deferred
// Abort after a successful Commit does nothing.
func (d *Dir) NewBatch(points []int, l Layout) (*Batch, error) {
	if len(points) == 0 {
		return nil, errors.New("output: a batch without points")
	}
	if err := l.check(); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.prog.Finished {
		return nil, fmt.Errorf("output: the run in %s is finished: choose another --out, or remove the folder to run again", d.dir)
	}
	member := make(map[int]bool, len(points))
	for _, p := range points {
		switch {
		case p < 0 || p > math.MaxInt32:
			return nil, fmt.Errorf("output: point %d out of range", p)
		case member[p]:
			return nil, fmt.Errorf("output: point %d twice in a batch", p)
		case d.done[p]:
			return nil, fmt.Errorf("output: point %d is already done", p)
		case d.busy[p]:
			return nil, fmt.Errorf("output: point %d is in another open batch", p)
		}
		member[p] = true
	}
	if err := os.MkdirAll(filepath.Join(d.dir, partsDir), 0o755); err != nil {
		return nil, err
	}
	for _, p := range points {
		d.busy[p] = true
	}
	d.open++
	b := &Batch{
		d: d, id: d.nextID, points: slices.Clone(points), member: member, layout: l,
		spikes: map[slotKey]*slot{}, states: map[slotKey]*slot{},
	}
	for _, v := range l.stateVars() {
		b.stateVars = append(b.stateVars, v.Name)
	}
	d.nextID++
	return b, nil
}

// fail records the first error.
func (b *Batch) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

func (b *Batch) partName(kind string, seq int) string {
	return fmt.Sprintf("b%06d-%s-%04d.parquet", b.id, kind, seq)
}

// newSlot opens the part file of one recorder of one point.
func (b *Batch) newSlot(k slotKey, state bool) *slot {
	if b.closed {
		b.fail(errors.New("output: Add after Commit or Abort"))
		return nil
	}
	if !b.member[k.point] {
		b.fail(fmt.Errorf("output: point %d is not in the batch %v", k.point, b.points))
		return nil
	}
	if k.recorder < 0 || k.recorder >= len(b.layout.Recorders) {
		b.fail(fmt.Errorf("output: recorder %d of a batch with %d", k.recorder, len(b.layout.Recorders)))
		return nil
	}
	fields := []arrow.Field{
		{Name: colNeuron, Type: arrow.PrimitiveTypes.Int32},
		{Name: colStep, Type: arrow.PrimitiveTypes.Int64},
	}
	kind, model := "spikes", SpikeRecorder
	if state {
		kind, model = "state", Multimeter
	}
	if r := b.layout.Recorders[k.recorder]; r.Model != model {
		b.fail(fmt.Errorf("output: %s rows from recorder %s, a %s", kind, r.Name, r.Model))
		return nil
	}
	if state {
		for _, v := range b.stateVars {
			fields = append(fields, arrow.Field{Name: v, Type: arrow.PrimitiveTypes.Float32, Nullable: true})
		}
	}
	schema := arrow.NewSchema(fields, nil)
	path := filepath.Join(b.d.dir, partsDir, b.partName(kind, len(b.order)))
	w, err := createTable(path, schema, writerProps(partCodec, partRowGroupRows))
	if err != nil {
		b.fail(err)
		return nil
	}
	s := &slot{
		slotKey: k, state: state, w: w, b: array.NewRecordBuilder(mem, schema),
		neuron: make([]int32, 0, chunkRows), step: make([]int64, 0, chunkRows),
		lastStep: math.MinInt64,
	}
	if state {
		s.vals = make([][]float32, len(b.stateVars))
		s.valid = make([][]bool, len(b.stateVars))
		for i := range s.vals {
			s.vals[i] = make([]float32, 0, chunkRows)
			s.valid[i] = make([]bool, 0, chunkRows)
		}
	}
	b.order = append(b.order, s)
	return s
}

// flush writes the buffered rows of s to its part file.
func (s *slot) flush() error {
	if len(s.neuron) == 0 {
		return nil
	}
	f := s.b.Fields()
	f[0].(*array.Int32Builder).AppendValues(s.neuron, nil)
	f[1].(*array.Int64Builder).AppendValues(s.step, nil)
	for i := range s.vals {
		f[2+i].(*array.Float32Builder).AppendValues(s.vals[i], s.valid[i])
		s.vals[i], s.valid[i] = s.vals[i][:0], s.valid[i][:0]
	}
	s.neuron, s.step = s.neuron[:0], s.step[:0]
	rec := s.b.NewRecord()
	defer rec.Release()
	return s.w.write(rec)
}

// AddSpike records a spike that recorder (an index into the layout's
// recorders, a spike_recorder) saw of neuron (index within its population)
// of point at step (its time is step·dt). A point's spikes of one recorder
// come in time order. Without Options.Spikes it does nothing.
func (b *Batch) AddSpike(point, recorder int, neuron int32, step int64) {
	if !b.d.opt.Spikes {
		return
	}
	s := b.lastSpk
	if s == nil || s.point != point || s.recorder != recorder {
		if b.closed {
			b.fail(errors.New("output: AddSpike after Commit or Abort"))
			return
		}
		k := slotKey{point, recorder}
		if s = b.spikes[k]; s == nil {
			if s = b.newSlot(k, false); s == nil {
				return
			}
			b.spikes[k] = s
		}
		b.lastSpk = s
	}
	if step < s.lastStep {
		b.fail(fmt.Errorf("output: point %d, recorder %s: spike at step %d after one at step %d", point, b.layout.Recorders[recorder].Name, step, s.lastStep))
		return
	}
	s.lastStep = step
	s.neuron = append(s.neuron, neuron)
	s.step = append(s.step, step)
	if len(s.neuron) == chunkRows {
		if err := s.flush(); err != nil {
			b.fail(err)
		}
	}
}

// AddSample records the values of the variables vars (a subset of the
// layout's multimeters' variables, values aligned with vars) that recorder (a
// multimeter) took of neuron of point at step; the other state columns of
// the row are null. A point's samples of one recorder come in time order.
// Without Options.State it does nothing.
func (b *Batch) AddSample(point, recorder int, neuron int32, step int64, vars []string, values []float32) {
	if !b.d.opt.State {
		return
	}
	if len(values) != len(vars) {
		b.fail(fmt.Errorf("output: AddSample with %d variables and %d values", len(vars), len(values)))
		return
	}
	if !slices.Equal(vars, b.lastVars) && !b.mapVars(vars) {
		return
	}
	s := b.lastSt
	if s == nil || s.point != point || s.recorder != recorder {
		if b.closed {
			b.fail(errors.New("output: AddSample after Commit or Abort"))
			return
		}
		k := slotKey{point, recorder}
		if s = b.states[k]; s == nil {
			if s = b.newSlot(k, true); s == nil {
				return
			}
			b.states[k] = s
		}
		b.lastSt = s
	}
	if step < s.lastStep {
		b.fail(fmt.Errorf("output: point %d, recorder %s: sample at step %d after one at step %d", point, b.layout.Recorders[recorder].Name, step, s.lastStep))
		return
	}
	s.lastStep = step
	s.neuron = append(s.neuron, neuron)
	s.step = append(s.step, step)
	for c, i := range b.src {
		if i >= 0 {
			s.vals[c] = append(s.vals[c], values[i])
			s.valid[c] = append(s.valid[c], true)
		} else {
			s.vals[c] = append(s.vals[c], 0)
			s.valid[c] = append(s.valid[c], false)
		}
	}
	if len(s.neuron) == chunkRows {
		if err := s.flush(); err != nil {
			b.fail(err)
		}
	}
}

// mapVars sets the column sources for vars.
func (b *Batch) mapVars(vars []string) bool {
	src := make([]int, len(b.stateVars))
	for c := range src {
		src[c] = -1
	}
	for i, v := range vars {
		c := slices.Index(b.stateVars, v)
		if c < 0 || src[c] >= 0 {
			b.fail(fmt.Errorf("output: AddSample variable %q is not a state variable of the batch %q, or repeated", v, b.stateVars))
			return false
		}
		src[c] = i
	}
	b.lastVars, b.src = slices.Clone(vars), src
	return true
}

// AddSummary records a summary row. The rows of a point keep the order of
// the calls (its population order).
func (b *Batch) AddSummary(r SummaryRow) {
	switch {
	case b.closed:
		b.fail(errors.New("output: Add after Commit or Abort"))
	case !b.member[r.Point]:
		b.fail(fmt.Errorf("output: summary of point %d, not in the batch %v", r.Point, b.points))
	case len(r.Values) != len(b.d.swept):
		b.fail(fmt.Errorf("output: summary of point %d has %d swept values, want %d (%q)", r.Point, len(r.Values), len(b.d.swept), b.d.swept))
	default:
		r.Values = slices.Clone(r.Values)
		b.summary = append(b.summary, r)
	}
}

// SetWallTime records how long the batch took to simulate. It goes to
// progress.json with the batch (Dir.Batches reports it), not into a table:
// measured times differ from run to run, the tables do not.
func (b *Batch) SetWallTime(wall time.Duration) { b.wall = wall }

// SetWFR records a point's waveform-relaxation iterations: in
// progress.json with the batch, from where run.json's batches report them.
func (b *Batch) SetWFR(c WFRCount) { b.wfr = append(b.wfr, c) }

// Commit closes the batch's part files (written under temporary names and
// renamed once complete) and then records its points as done in
// progress.json (written under a temporary name and renamed). A crash
// before the record leaves files that the next Open removes. If an Add
// misused the batch, Commit aborts it and returns that error.
func (b *Batch) Commit() error {
	if b.closed {
		return errors.New("output: Commit of a batch already committed or aborted")
	}
	if b.err != nil {
		err := b.err
		b.Abort()
		return err
	}
	entry, err := b.close()
	if err != nil {
		b.Abort()
		return err
	}
	if err := b.d.commit(entry); err != nil {
		b.Abort()
		return err
	}
	b.closed = true
	b.lastSpk, b.lastSt = nil, nil
	for _, s := range b.order {
		if s.b != nil {
			s.b.Release()
		}
	}
	return nil
}

// close writes the summary part, closes and renames every part file and
// returns the batch's entry.
func (b *Batch) close() (batchEntry, error) {
	e := batchEntry{ID: b.id, Points: slices.Clone(b.points), Layout: b.layout, WallS: b.wall.Seconds(), WFR: b.wfr, Structure: b.structure}
	sort.Ints(e.Points)
	e.Weights, e.FinalWeights = b.weightParts()
	if b.err != nil {
		return e, b.err
	}
	for _, s := range b.order {
		if err := s.flush(); err != nil {
			return e, err
		}
		if err := s.w.close(); err != nil {
			return e, err
		}
	}
	if len(b.summary) > 0 {
		sort.SliceStable(b.summary, func(i, j int) bool { return b.summary[i].Point < b.summary[j].Point })
		for _, r := range b.summary {
			e.Labels = e.Labels || r.Label != ""
		}
		sw, _ := json.Marshal(b.d.swept)
		path := filepath.Join(b.d.dir, partsDir, b.partName("summary", 0))
		sb := newSummaryBuilder(b.d.swept, true)
		defer sb.release()
		w, err := createTable(path, sb.schema(), writerProps(partCodec, finalRowGroup), metaSwept, string(sw))
		if err != nil {
			return e, err
		}
		b.order = append(b.order, &slot{w: w}) // so that Abort removes it
		for i := range b.summary {
			sb.append(&b.summary[i])
			if sb.rows() == chunkRows {
				if err := sb.flush(w); err != nil {
					return e, err
				}
			}
		}
		if err := sb.flush(w); err != nil {
			return e, err
		}
		if err := w.close(); err != nil {
			return e, err
		}
		e.Summary = filepath.Base(path)
	}
	for _, s := range b.order {
		if err := s.w.rename(); err != nil {
			return e, err
		}
	}

	// Part files by point, then population in AddSummary order (the
	// populations without a summary row last), then recorder.
	type popKey struct {
		point      int
		population string
	}
	rank := map[popKey]int{}
	for i, r := range b.summary {
		k := popKey{r.Point, r.Population}
		if _, ok := rank[k]; !ok {
			rank[k] = i
		}
	}
	byPoint := func(slots map[slotKey]*slot) []partFile {
		var list []*slot
		for _, s := range b.order {
			if s.w != nil && slots[s.slotKey] == s {
				list = append(list, s)
			}
		}
		r := func(s *slot) int {
			if i, ok := rank[popKey{s.point, b.layout.Recorders[s.recorder].Population}]; ok {
				return i
			}
			return len(b.summary)
		}
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].point != list[j].point {
				return list[i].point < list[j].point
			}
			if ri, rj := r(list[i]), r(list[j]); ri != rj {
				return ri < rj
			}
			return list[i].recorder < list[j].recorder
		})
		var out []partFile
		for _, s := range list {
			rec := b.layout.Recorders[s.recorder]
			out = append(out, partFile{Point: s.point, Population: rec.Population, Recorder: rec.Name, File: filepath.Base(s.w.path), Rows: s.w.rows})
		}
		return out
	}
	e.Spikes = byPoint(b.spikes)
	e.State = byPoint(b.states)
	return e, nil
}

// Abort drops the batch: its part files, temporary or renamed, are removed
// and its points are free again. It does nothing after Commit.
func (b *Batch) Abort() {
	if b.closed {
		return
	}
	b.closed = true
	b.lastSpk, b.lastSt = nil, nil
	for _, s := range b.order {
		s.discard()
	}
	b.d.release(b.points)
}

// Drop takes point out of the batch before Commit (its simulation failed):
// its rows so far are discarded and it is free again, so that it is not
// done and a later run retries it. The batch must keep at least one point.
func (b *Batch) Drop(point int) error {
	switch {
	case b.closed:
		return errors.New("output: Drop after Commit or Abort")
	case !b.member[point]:
		return fmt.Errorf("output: Drop of point %d, not in the batch %v", point, b.points)
	case len(b.points) == 1:
		return fmt.Errorf("output: Drop of point %d, the batch's last: Abort it instead", point)
	}
	delete(b.member, point)
	b.points = slices.DeleteFunc(b.points, func(p int) bool { return p == point })
	b.summary = slices.DeleteFunc(b.summary, func(r SummaryRow) bool { return r.Point == point })
	b.structure = slices.DeleteFunc(b.structure, func(r StructureRow) bool { return r.Point == point })
	b.order = slices.DeleteFunc(b.order, func(s *slot) bool {
		if s.point != point {
			return false
		}
		s.discard()
		delete(b.spikes, s.slotKey)
		delete(b.states, s.slotKey)
		delete(b.weights, s.slotKey)
		return true
	})
	b.lastSpk, b.lastSt = nil, nil
	b.d.free([]int{point})
	return nil
}

// discard removes a slot's part file, temporary or renamed.
func (s *slot) discard() {
	s.w.abort()
	os.Remove(s.w.path)
	if s.b != nil {
		s.b.Release()
	}
}
