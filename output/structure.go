package output

import (
	"fmt"
	"slices"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// structureFile is structural plasticity's table: one row per point, time,
// quantity and population (or projection, or element).
const structureFile = "structure.parquet"

// StructureRow is one number of a network's structure at one time.
// Quantities: "synapses" (of synapse type Name from Population to Target),
// "Ca_mean" (of Population), "z_mean", "z_connected" (summed) and
// "z_vacant" (summed floor(z) - z_connected where positive) of element
// Name of Population; at the end of the run also the final network's
// "autapses", "multapses", "indegree_mean", "indegree_sd", "indegree_max",
// "outdegree_mean", "outdegree_sd" and "outdegree_max" of each projection.
type StructureRow struct {
	Point      int     `json:"point"`
	TimeMs     float64 `json:"time_ms"`
	Quantity   string  `json:"quantity"`
	Population string  `json:"population"`
	Target     string  `json:"target,omitempty"`
	Name       string  `json:"name,omitempty"`
	Value      float64 `json:"value"`
}

// structureSchema is the columns of structure.parquet.
var structureSchema = arrow.NewSchema([]arrow.Field{
	{Name: colPoint, Type: arrow.PrimitiveTypes.Int32},
	withUnit(arrow.Field{Name: colTime, Type: arrow.PrimitiveTypes.Float64}, "ms"),
	{Name: "quantity", Type: names},
	{Name: colPopulation, Type: names},
	{Name: "target", Type: names},
	{Name: "name", Type: names},
	{Name: "value", Type: arrow.PrimitiveTypes.Float64},
}, nil)

// AddStructure records rows of a point's structure (kept with the batch in
// progress.json: they are few, a handful per update).
func (b *Batch) AddStructure(rows ...StructureRow) {
	for _, r := range rows {
		if !b.member[r.Point] {
			b.fail(fmt.Errorf("output: structure of point %d, not in the batch %v", r.Point, b.points))
			return
		}
	}
	b.structure = append(b.structure, rows...)
}

// mergeStructure writes structure.parquet from every batch's rows, by
// point then in the order recorded; nil when no batch has any.
func (d *Dir) mergeStructure() (*tableWriter, error) {
	var rows []StructureRow
	for _, b := range d.prog.Batches {
		rows = append(rows, b.Structure...)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	slices.SortStableFunc(rows, func(a, b StructureRow) int { return a.Point - b.Point })
	w, err := d.createFinal(structureFile, structureSchema, writerProps(d.codec, finalRowGroup, "quantity", colPopulation, "target", "name"),
		d.tableMeta(structureSchema, ""))
	if err != nil {
		return nil, err
	}
	rb := array.NewRecordBuilder(mem, structureSchema)
	defer rb.Release()
	f := rb.Fields()
	name := func(b array.Builder, s string) {
		if err := b.(*array.BinaryDictionaryBuilder).AppendString(s); err != nil {
			panic(err) // only an index overflow, beyond 2^31 distinct names
		}
	}
	for _, r := range rows {
		f[0].(*array.Int32Builder).Append(int32(r.Point))
		f[1].(*array.Float64Builder).Append(r.TimeMs)
		name(f[2], r.Quantity)
		name(f[3], r.Population)
		name(f[4], r.Target)
		name(f[5], r.Name)
		f[6].(*array.Float64Builder).Append(r.Value)
	}
	rec := rb.NewRecord()
	defer rec.Release()
	return w.finish(w.write(rec))
}

// ReadStructure reads a structure.parquet.
func ReadStructure(path string) ([]StructureRow, error) {
	var rows []StructureRow
	err := eachRecord(path, func(t *tableReader, rec arrow.Record) error {
		var idx [7]int
		for k, c := range []struct {
			name string
			typ  arrow.DataType
		}{{colPoint, arrow.PrimitiveTypes.Int32}, {colTime, arrow.PrimitiveTypes.Float64}, {"quantity", names}, {colPopulation, names},
			{"target", names}, {"name", names}, {"value", arrow.PrimitiveTypes.Float64}} {
			i, err := t.column(c.name, c.typ)
			if err != nil {
				return err
			}
			idx[k] = i
		}
		point := rec.Column(idx[0]).(*array.Int32)
		tm := rec.Column(idx[1]).(*array.Float64)
		q, pop, tgt, name := stringsOf(rec.Column(idx[2])), stringsOf(rec.Column(idx[3])), stringsOf(rec.Column(idx[4])), stringsOf(rec.Column(idx[5]))
		val := rec.Column(idx[6]).(*array.Float64)
		for i := range int(rec.NumRows()) {
			rows = append(rows, StructureRow{Point: int(point.Value(i)), TimeMs: tm.Value(i), Quantity: q(i), Population: pop(i),
				Target: tgt(i), Name: name(i), Value: val.Value(i)})
		}
		return nil
	})
	return rows, err
}
