package output

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// ConnectivityRow is one row of connectivity.parquet: one projection.
type ConnectivityRow struct {
	Projection, Source, Target, Rule string
	Synapses, Autapses, Multapses    int64
	IndegreeMean, IndegreeSD         float64
	OutdegreeMean, OutdegreeSD       float64
	BuildS, BytesPerSynapse          float64
}

var connectivitySchema = arrow.NewSchema([]arrow.Field{
	{Name: "projection", Type: arrow.BinaryTypes.String},
	{Name: "source", Type: arrow.BinaryTypes.String},
	{Name: "target", Type: arrow.BinaryTypes.String},
	{Name: "rule", Type: arrow.BinaryTypes.String},
	{Name: "synapses", Type: arrow.PrimitiveTypes.Int64},
	{Name: "autapses", Type: arrow.PrimitiveTypes.Int64},
	{Name: "multapses", Type: arrow.PrimitiveTypes.Int64},
	{Name: "indegree_mean", Type: arrow.PrimitiveTypes.Float64},
	{Name: "indegree_sd", Type: arrow.PrimitiveTypes.Float64},
	{Name: "outdegree_mean", Type: arrow.PrimitiveTypes.Float64},
	{Name: "outdegree_sd", Type: arrow.PrimitiveTypes.Float64},
	{Name: "build_s", Type: arrow.PrimitiveTypes.Float64},
	{Name: "bytes_per_synapse", Type: arrow.PrimitiveTypes.Float64},
}, nil)

// WriteConnectivity writes rows to path (through a temporary name).
func WriteConnectivity(path string, rows []ConnectivityRow, compression string) error {
	c, err := codec(compression)
	if err != nil {
		return err
	}
	t, err := createTable(path, connectivitySchema, writerProps(c, finalRowGroup))
	if err != nil {
		return err
	}
	b := array.NewRecordBuilder(mem, connectivitySchema)
	defer b.Release()
	f := b.Fields()
	for _, r := range rows {
		for i, s := range []string{r.Projection, r.Source, r.Target, r.Rule} {
			f[i].(*array.StringBuilder).Append(s)
		}
		for i, n := range []int64{r.Synapses, r.Autapses, r.Multapses} {
			f[4+i].(*array.Int64Builder).Append(n)
		}
		for i, x := range []float64{r.IndegreeMean, r.IndegreeSD, r.OutdegreeMean, r.OutdegreeSD, r.BuildS, r.BytesPerSynapse} {
			f[7+i].(*array.Float64Builder).Append(x)
		}
	}
	rec := b.NewRecord()
	defer rec.Release()
	if err := t.write(rec); err != nil {
		t.abort()
		return err
	}
	return t.rename()
}

// ReadConnectivity reads connectivity.parquet back.
func ReadConnectivity(path string) ([]ConnectivityRow, error) {
	var rows []ConnectivityRow
	err := eachRecord(path, func(t *tableReader, rec arrow.Record) error {
		cols := make([]arrow.Array, len(connectivitySchema.Fields()))
		for i, fd := range connectivitySchema.Fields() {
			c, err := t.column(fd.Name, fd.Type)
			if err != nil {
				return err
			}
			cols[i] = rec.Column(c)
		}
		str := func(c, i int) string { return cols[c].(*array.String).Value(i) }
		i64 := func(c, i int) int64 { return cols[c].(*array.Int64).Value(i) }
		f64 := func(c, i int) float64 { return cols[c].(*array.Float64).Value(i) }
		for i := 0; i < int(rec.NumRows()); i++ {
			rows = append(rows, ConnectivityRow{
				Projection: str(0, i), Source: str(1, i), Target: str(2, i), Rule: str(3, i),
				Synapses: i64(4, i), Autapses: i64(5, i), Multapses: i64(6, i),
				IndegreeMean: f64(7, i), IndegreeSD: f64(8, i), OutdegreeMean: f64(9, i), OutdegreeSD: f64(10, i),
				BuildS: f64(11, i), BytesPerSynapse: f64(12, i),
			})
		}
		return nil
	})
	return rows, err
}

var edgeSchema = arrow.NewSchema([]arrow.Field{
	{Name: "projection", Type: arrow.BinaryTypes.String},
	{Name: "source", Type: arrow.PrimitiveTypes.Int32},
	{Name: "target", Type: arrow.PrimitiveTypes.Int32},
	{Name: "weight", Type: arrow.PrimitiveTypes.Float32},
	{Name: "delay_ms", Type: arrow.PrimitiveTypes.Float64},
}, nil)

// EdgeWriter streams edges.parquet: one row per synapse, sources and
// targets as indices within their populations.
type EdgeWriter struct {
	t *tableWriter
	b *array.RecordBuilder
	n int
}

// CreateEdges starts path (written under a temporary name until Close).
func CreateEdges(path, compression string) (*EdgeWriter, error) {
	c, err := codec(compression)
	if err != nil {
		return nil, err
	}
	t, err := createTable(path, edgeSchema, writerProps(c, finalRowGroup, "projection"))
	if err != nil {
		return nil, err
	}
	return &EdgeWriter{t: t, b: array.NewRecordBuilder(mem, edgeSchema)}, nil
}

// Add appends one synapse.
func (w *EdgeWriter) Add(projection string, source, target int32, weight float32, delayMs float64) error {
	f := w.b.Fields()
	f[0].(*array.StringBuilder).Append(projection)
	f[1].(*array.Int32Builder).Append(source)
	f[2].(*array.Int32Builder).Append(target)
	f[3].(*array.Float32Builder).Append(weight)
	f[4].(*array.Float64Builder).Append(delayMs)
	if w.n++; w.n == 1<<16 {
		return w.flush()
	}
	return nil
}

func (w *EdgeWriter) flush() error {
	w.n = 0
	rec := w.b.NewRecord()
	defer rec.Release()
	return w.t.write(rec)
}

// Close writes what is buffered and puts the file in place.
func (w *EdgeWriter) Close() error {
	defer w.b.Release()
	if err := w.flush(); err != nil {
		w.t.abort()
		return err
	}
	return w.t.rename()
}

// Abort removes the temporary file.
func (w *EdgeWriter) Abort() {
	w.b.Release()
	w.t.abort()
}

// EdgeRow is one row of edges.parquet.
type EdgeRow struct {
	Projection     string
	Source, Target int32
	Weight         float32
	DelayMs        float64
}

// ReadEdges reads edges.parquet back.
func ReadEdges(path string) ([]EdgeRow, error) {
	var rows []EdgeRow
	err := eachRecord(path, func(t *tableReader, rec arrow.Record) error {
		var c [5]int
		for i, fd := range edgeSchema.Fields() {
			var err error
			if c[i], err = t.column(fd.Name, fd.Type); err != nil {
				return err
			}
		}
		p := rec.Column(c[0]).(*array.String)
		s, tg := rec.Column(c[1]).(*array.Int32), rec.Column(c[2]).(*array.Int32)
		w, d := rec.Column(c[3]).(*array.Float32), rec.Column(c[4]).(*array.Float64)
		for i := 0; i < int(rec.NumRows()); i++ {
			rows = append(rows, EdgeRow{p.Value(i), s.Value(i), tg.Value(i), w.Value(i), d.Value(i)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}
