package output

import (
	"fmt"
	"strconv"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// Inspection identifies what inspect's tables describe: the network of one
// point of a config. Its metadata keys are the run tables' (snn.hash,
// snn.seed, dt) and snn.point.
type Inspection struct {
	Hash  string  // the config's hash (a run of the whole sweep has the same)
	Seed  uint32  // the point's seed
	Point int     // the point whose network was built
	Dt    float64 // ms: delays are whole steps
}

// meta is the key-value metadata of an inspect table with schema.
func (in Inspection) meta(schema *arrow.Schema, more ...string) []string {
	kv := []string{metaHash, in.Hash, metaSeed, strconv.FormatUint(uint64(in.Seed), 10), metaPoint, strconv.Itoa(in.Point),
		metaDt, strconv.FormatFloat(in.Dt, 'g', -1, 64)}
	kv = append(kv, more...)
	return append(kv, metaUnits, unitsOf(schema))
}

// ConnectivityRow is one row of connectivity.parquet: one projection.
// Degrees of a projection without rows are NaN (NULL in the file).
type ConnectivityRow struct {
	Projection, Source, Target, Rule string
	// WeightUnit is the unit of the weights: the target's spike input
	// (mV, pA, nS, …), "1" for the factors of current generators, "" if
	// unknown (NULL in the file).
	WeightUnit                    string
	Synapses, Autapses, Multapses int64
	IndegreeMean, IndegreeSD      float64
	OutdegreeMean, OutdegreeSD    float64
	BuildS, BytesPerSynapse       float64
}

var connectivitySchema = arrow.NewSchema([]arrow.Field{
	{Name: "projection", Type: names},
	{Name: "source", Type: names},
	{Name: "target", Type: names},
	{Name: "rule", Type: names},
	{Name: "weight_unit", Type: names, Nullable: true},
	{Name: "synapses", Type: arrow.PrimitiveTypes.Int64},
	{Name: "autapses", Type: arrow.PrimitiveTypes.Int64},
	{Name: "multapses", Type: arrow.PrimitiveTypes.Int64},
	{Name: "indegree_mean", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "indegree_sd", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "outdegree_mean", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "outdegree_sd", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	withUnit(arrow.Field{Name: "build_s", Type: arrow.PrimitiveTypes.Float64}, "s"),
	withUnit(arrow.Field{Name: "bytes_per_synapse", Type: arrow.PrimitiveTypes.Float64, Nullable: true}, "B"),
}, nil)

// WriteConnectivity writes rows to path (through a temporary name).
func WriteConnectivity(path string, rows []ConnectivityRow, compression string, in Inspection) error {
	c, err := codec(compression)
	if err != nil {
		return err
	}
	t, err := createTable(path, connectivitySchema, writerProps(c, finalRowGroup, "projection", "source", "target", "rule", "weight_unit"),
		in.meta(connectivitySchema)...)
	if err != nil {
		return err
	}
	b := array.NewRecordBuilder(mem, connectivitySchema)
	defer b.Release()
	f := b.Fields()
	for _, r := range rows {
		for i, s := range []string{r.Projection, r.Source, r.Target, r.Rule, r.WeightUnit} {
			db := f[i].(*array.BinaryDictionaryBuilder)
			if i == 4 && s == "" {
				db.AppendNull()
			} else if err := db.AppendString(s); err != nil {
				t.abort()
				return err
			}
		}
		for i, n := range []int64{r.Synapses, r.Autapses, r.Multapses} {
			f[5+i].(*array.Int64Builder).Append(n)
		}
		for i, x := range []float64{r.IndegreeMean, r.IndegreeSD, r.OutdegreeMean, r.OutdegreeSD, r.BuildS, r.BytesPerSynapse} {
			appendStat(f[8+i].(*array.Float64Builder), x)
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
		str := func(c, i int) string {
			if cols[c].IsNull(i) {
				return ""
			}
			return stringsOf(cols[c])(i)
		}
		i64 := func(c, i int) int64 { return cols[c].(*array.Int64).Value(i) }
		f64 := func(c, i int) float64 { return statAt(cols[c].(*array.Float64), i) }
		for i := 0; i < int(rec.NumRows()); i++ {
			rows = append(rows, ConnectivityRow{
				Projection: str(0, i), Source: str(1, i), Target: str(2, i), Rule: str(3, i), WeightUnit: str(4, i),
				Synapses: i64(5, i), Autapses: i64(6, i), Multapses: i64(7, i),
				IndegreeMean: f64(8, i), IndegreeSD: f64(9, i), OutdegreeMean: f64(10, i), OutdegreeSD: f64(11, i),
				BuildS: f64(12, i), BytesPerSynapse: f64(13, i),
			})
		}
		return nil
	})
	return rows, err
}

// edgeSchema is edges.parquet's; weight gets its unit when the
// projections agree on one.
func edgeSchema(weightUnit string) *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "projection", Type: names},
		{Name: "source", Type: arrow.PrimitiveTypes.Int32},
		{Name: "target", Type: arrow.PrimitiveTypes.Int32},
		withUnit(arrow.Field{Name: "weight", Type: arrow.PrimitiveTypes.Float32}, weightUnit),
		withUnit(arrow.Field{Name: "delay_ms", Type: arrow.PrimitiveTypes.Float64}, "ms"),
	}, nil)
}

// EdgeWriter streams edges.parquet: one row per synapse, sources and
// targets as indices within their populations.
type EdgeWriter struct {
	t       *tableWriter
	grid    grid
	names   dictionary
	proj    *array.Int32Builder
	src     *array.Int32Builder
	tgt     *array.Int32Builder
	weight  *array.Float32Builder
	delay   *array.Float64Builder
	n, nPrj int
}

// CreateEdges starts path (written under a temporary name until Close) for
// the synapses of projections (as in connectivity.parquet: their names
// and weight units). Each projection's weight unit is in the metadata
// (projection.NAME.weight_unit), and in the weight field's when they
// agree.
func CreateEdges(path, compression string, in Inspection, projections []ConnectivityRow) (*EdgeWriter, error) {
	c, err := codec(compression)
	if err != nil {
		return nil, err
	}
	if !(in.Dt > 0) {
		return nil, fmt.Errorf("output: %s: dt %g", path, in.Dt)
	}
	var words, kv []string
	units := map[string]bool{}
	for _, p := range projections {
		words = append(words, p.Projection)
		units[p.WeightUnit] = true
		if p.WeightUnit != "" {
			kv = append(kv, metaProjection+p.Projection+".weight_unit", strconv.Quote(p.WeightUnit))
		}
	}
	unit := ""
	if len(units) == 1 {
		unit = projections[0].WeightUnit
	}
	schema := edgeSchema(unit)
	t, err := createTable(path, schema, writerProps(c, finalRowGroup, "projection"), in.meta(schema, kv...)...)
	if err != nil {
		return nil, err
	}
	return &EdgeWriter{
		t: t, grid: newGrid(in.Dt), names: newDictionary(words), nPrj: len(projections),
		proj: array.NewInt32Builder(mem), src: array.NewInt32Builder(mem), tgt: array.NewInt32Builder(mem),
		weight: array.NewFloat32Builder(mem), delay: array.NewFloat64Builder(mem),
	}, nil
}

// Add appends one synapse of projection (an index into CreateEdges'
// projections) with a delay of delay steps.
func (w *EdgeWriter) Add(projection int, source, target int32, weight float32, delay int64) error {
	if projection < 0 || projection >= w.nPrj {
		return fmt.Errorf("output: edge of projection %d of %d", projection, w.nPrj)
	}
	w.proj.Append(int32(projection))
	w.src.Append(source)
	w.tgt.Append(target)
	w.weight.Append(weight)
	w.delay.Append(w.grid.time(delay))
	if w.n++; w.n == 1<<16 {
		return w.flush()
	}
	return nil
}

func (w *EdgeWriter) flush() error {
	w.n = 0
	idx := w.proj.NewArray()
	defer idx.Release()
	cols := []arrow.Array{array.NewDictionaryArray(names, idx, w.names.values), w.src.NewArray(), w.tgt.NewArray(), w.weight.NewArray(), w.delay.NewArray()}
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	rec := array.NewRecord(w.t.schema, cols, int64(idx.Len()))
	defer rec.Release()
	return w.t.write(rec)
}

func (w *EdgeWriter) release() {
	for _, b := range []array.Builder{w.proj, w.src, w.tgt, w.weight, w.delay} {
		b.Release()
	}
	w.names.release()
}

// Close writes what is buffered and puts the file in place.
func (w *EdgeWriter) Close() error {
	defer w.release()
	if err := w.flush(); err != nil {
		w.t.abort()
		return err
	}
	return w.t.rename()
}

// Abort removes the temporary file.
func (w *EdgeWriter) Abort() {
	w.release()
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
		for i, fd := range edgeSchema("").Fields() {
			var err error
			if c[i], err = t.column(fd.Name, fd.Type); err != nil {
				return err
			}
		}
		p := stringsOf(rec.Column(c[0]))
		s, tg := rec.Column(c[1]).(*array.Int32), rec.Column(c[2]).(*array.Int32)
		w, d := rec.Column(c[3]).(*array.Float32), rec.Column(c[4]).(*array.Float64)
		for i := 0; i < int(rec.NumRows()); i++ {
			rows = append(rows, EdgeRow{p(i), s.Value(i), tg.Value(i), w.Value(i), d.Value(i)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}
