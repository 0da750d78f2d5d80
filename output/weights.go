package output

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// The plastic synapses' tables: weights.parquet has a row per transmission
// a weight_recorder saw (NEST's weight_recorder: sender, target, time and
// the weight the spike carried), final_weights.parquet a row per plastic
// synapse and point at the end of the run. Both by point (each batch
// member's own weights), the weights float32 as the engines keep them.
const (
	weightsFile      = "weights.parquet"
	finalWeightsFile = "final_weights.parquet"
	colWeight        = "weight"
)

// The slot recorder numbers of the two tables' part files (a slot's
// recorder is otherwise an index into the layout's recorders).
const (
	weightsSlot      = -1
	finalWeightsSlot = -2
)

// WeightRow is one synapse's weight: at a transmission (Name is the
// weight_recorder, TimeMs the spike's stamp) or at the end of the run
// (Name is the projection, TimeMs unused). Sender and Target are indices
// within the Source and Target populations.
type WeightRow struct {
	Point          int
	Name           string
	Source, Target string
	Sender, Recv   int32
	TimeMs         float64
	Weight         float32
}

// weightsSchema returns the columns of weights.parquet (timed) or of
// final_weights.parquet.
func weightsSchema(timed bool) *arrow.Schema {
	name := colRecorder
	if !timed {
		name = "projection"
	}
	fields := []arrow.Field{
		{Name: colPoint, Type: arrow.PrimitiveTypes.Int32},
		{Name: name, Type: names},
		{Name: "source_population", Type: names},
		{Name: "sender", Type: arrow.PrimitiveTypes.Int32},
		{Name: "target_population", Type: names},
		{Name: "target", Type: arrow.PrimitiveTypes.Int32},
	}
	if timed {
		fields = append(fields, withUnit(arrow.Field{Name: colTime, Type: arrow.PrimitiveTypes.Float64}, "ms"))
	}
	return arrow.NewSchema(append(fields, arrow.Field{Name: colWeight, Type: arrow.PrimitiveTypes.Float32}), nil)
}

var weightsDict = []string{colRecorder, "projection", "source_population", "target_population"}

// AddWeights records rows of one point: transmissions a weight_recorder
// saw (final false) or the final weights of a plastic projection (final
// true). Each point's rows go to their own part file, in the order given.
func (b *Batch) AddWeights(final bool, rows ...WeightRow) {
	k := slotKey{recorder: weightsSlot}
	if final {
		k.recorder = finalWeightsSlot
	}
	for _, r := range rows {
		k.point = r.Point
		s := b.weights[k]
		if s == nil {
			if s = b.newWeightSlot(k); s == nil {
				return
			}
		}
		f := s.b.Fields()
		f[0].(*array.Int32Builder).Append(int32(r.Point))
		for _, c := range [...]struct {
			i int
			s string
		}{{1, r.Name}, {2, r.Source}, {4, r.Target}} {
			if err := f[c.i].(*array.BinaryDictionaryBuilder).AppendString(c.s); err != nil {
				b.fail(err) // only an index overflow, beyond 2^31 distinct names
				return
			}
		}
		f[3].(*array.Int32Builder).Append(r.Sender)
		f[5].(*array.Int32Builder).Append(r.Recv)
		if !final {
			f[6].(*array.Float64Builder).Append(r.TimeMs)
		}
		f[len(f)-1].(*array.Float32Builder).Append(r.Weight)
		if s.b.Field(0).Len() == chunkRows {
			b.flushWeights(s)
		}
	}
}

func (b *Batch) newWeightSlot(k slotKey) *slot {
	switch {
	case b.closed:
		b.fail(errors.New("output: AddWeights after Commit or Abort"))
		return nil
	case !b.member[k.point]:
		b.fail(fmt.Errorf("output: weights of point %d, not in the batch %v", k.point, b.points))
		return nil
	}
	kind, schema := "weights", weightsSchema(k.recorder == weightsSlot)
	if k.recorder == finalWeightsSlot {
		kind = "final_weights"
	}
	w, err := createTable(filepath.Join(b.d.dir, partsDir, b.partName(kind, len(b.order))), schema, writerProps(partCodec, partRowGroupRows))
	if err != nil {
		b.fail(err)
		return nil
	}
	s := &slot{slotKey: k, w: w, b: array.NewRecordBuilder(mem, schema)}
	if b.weights == nil {
		b.weights = map[slotKey]*slot{}
	}
	b.weights[k] = s
	b.order = append(b.order, s)
	return s
}

func (b *Batch) flushWeights(s *slot) {
	rec := s.b.NewRecord()
	defer rec.Release()
	if err := s.w.write(rec); err != nil {
		b.fail(err)
	}
}

// weightParts flushes the weight slots and lists their part files by
// point: weights, then final weights.
func (b *Batch) weightParts() (weights, final []partFile) {
	var list []*slot
	for _, s := range b.weights {
		b.flushWeights(s)
		list = append(list, s)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].point < list[j].point })
	for _, s := range list {
		p := partFile{Point: s.point, File: filepath.Base(s.w.path), Rows: s.w.rows}
		if s.recorder == weightsSlot {
			weights = append(weights, p)
		} else {
			final = append(final, p)
		}
	}
	return weights, final
}

// mergeWeights writes weights.parquet or final_weights.parquet from every
// batch's parts, by point; nil when no batch has any.
func (d *Dir) mergeWeights(final bool) (*tableWriter, error) {
	var parts []partFile
	for _, b := range d.prog.Batches {
		if final {
			parts = append(parts, b.FinalWeights...)
		} else {
			parts = append(parts, b.Weights...)
		}
	}
	if len(parts) == 0 {
		return nil, nil
	}
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].Point < parts[j].Point })
	name, schema := weightsFile, weightsSchema(!final)
	if final {
		name = finalWeightsFile
	}
	w, err := d.createFinal(name, schema, writerProps(d.codec, finalRowGroup, weightsDict...), d.tableMeta(schema, ""))
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		// write drops the parts' read-back field metadata.
		err := eachRecord(filepath.Join(d.dir, partsDir, p.File), func(_ *tableReader, rec arrow.Record) error { return w.write(rec) })
		if err != nil {
			return w.finish(err)
		}
	}
	return w.finish(nil)
}

// ReadWeights reads a weights.parquet or a final_weights.parquet (whose
// rows have TimeMs 0).
func ReadWeights(path string) ([]WeightRow, error) {
	var rows []WeightRow
	err := eachRecord(path, func(t *tableReader, rec arrow.Record) error {
		timed := rec.Schema().HasField(colTime)
		schema := weightsSchema(timed)
		idx := make([]int, schema.NumFields())
		for k, f := range schema.Fields() {
			i, err := t.column(f.Name, f.Type)
			if err != nil {
				return err
			}
			idx[k] = i
		}
		point := rec.Column(idx[0]).(*array.Int32)
		name, src, tgt := stringsOf(rec.Column(idx[1])), stringsOf(rec.Column(idx[2])), stringsOf(rec.Column(idx[4]))
		sender, recv := rec.Column(idx[3]).(*array.Int32), rec.Column(idx[5]).(*array.Int32)
		weight := rec.Column(idx[len(idx)-1]).(*array.Float32)
		for i := range int(rec.NumRows()) {
			r := WeightRow{Point: int(point.Value(i)), Name: name(i), Source: src(i), Sender: sender.Value(i), Target: tgt(i),
				Recv: recv.Value(i), Weight: weight.Value(i)}
			if timed {
				r.TimeMs = rec.Column(idx[6]).(*array.Float64).Value(i)
			}
			rows = append(rows, r)
		}
		return nil
	})
	return rows, err
}
