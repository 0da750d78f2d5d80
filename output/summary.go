package output

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// SummaryRow is one row of summary.parquet: one population of one point.
// A statistic that does not exist (no spikes, too few intervals) is NaN
// here and NULL in the file. It holds what the run computed, nothing it
// measured and nothing about how the points were split into batches, so
// that a rerun, another --batch or a sweep run in shards writes the same
// bytes: which batch ran a point, and how long it took, is in
// progress.json and run.json (Batch.SetWallTime).
type SummaryRow struct {
	Point      int
	Values     []float64 // the swept values, aligned with the swept names
	Label      string    // optional name of the point
	Population string
	N          int
	RateHz     float64
	CVISI      float64
	Fano       float64
	PeakHz     float64
	PeakPower  float64 // spectral peak height over the shot-noise level of independent Poisson firing
	Synapses   int64   // recurrent synapses from the population (its CSR rows)
	Backend    string
	// Rate populations (rate models, from the samples of their
	// multimeters' "rate" after t_start; NaN otherwise): analysis.RateSummary.
	RateMean, RateSD, RateFinal, RateSettleMs float64
}

// summaryFixed are the columns after the swept ones (and the label). The
// statistics are nullable.
var summaryFixed = []arrow.Field{
	{Name: colPopulation, Type: names},
	{Name: colN, Type: arrow.PrimitiveTypes.Int32},
	withUnit(arrow.Field{Name: colRate, Type: arrow.PrimitiveTypes.Float64, Nullable: true}, "Hz"),
	{Name: colCV, Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: colFano, Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	withUnit(arrow.Field{Name: colPeak, Type: arrow.PrimitiveTypes.Float64, Nullable: true}, "Hz"),
	{Name: colPeakPower, Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: colSynapses, Type: arrow.PrimitiveTypes.Int64},
	{Name: colBackend, Type: names},
	{Name: colRateMean, Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: colRateSD, Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: colRateFinal, Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	withUnit(arrow.Field{Name: colRateSettle, Type: arrow.PrimitiveTypes.Float64, Nullable: true}, "ms"),
}

// rateColumns are the rate populations' columns, last in the summary; files
// written before them read as NaN.
var rateColumns = []string{colRateMean, colRateSD, colRateFinal, colRateSettle}

// reservedSummary are the names a swept parameter may not take.
func reservedSummary(name string) bool {
	if name == colPoint || name == colLabel {
		return true
	}
	for _, f := range summaryFixed {
		if f.Name == name {
			return true
		}
	}
	return false
}

// summarySchema is point, the swept columns, label (if withLabel), then the
// fixed columns.
func summarySchema(swept []string, withLabel bool) *arrow.Schema {
	fields := []arrow.Field{{Name: colPoint, Type: arrow.PrimitiveTypes.Int32}}
	for _, s := range swept {
		fields = append(fields, arrow.Field{Name: s, Type: arrow.PrimitiveTypes.Float64})
	}
	if withLabel {
		fields = append(fields, arrow.Field{Name: colLabel, Type: names})
	}
	fields = append(fields, summaryFixed...)
	return arrow.NewSchema(fields, nil)
}

// summaryBuilder buffers summary rows into Arrow columns.
type summaryBuilder struct {
	b      *array.RecordBuilder
	nSwept int
	label  bool
}

func newSummaryBuilder(swept []string, withLabel bool) *summaryBuilder {
	return &summaryBuilder{b: array.NewRecordBuilder(mem, summarySchema(swept, withLabel)), nSwept: len(swept), label: withLabel}
}

func (s *summaryBuilder) schema() *arrow.Schema { return s.b.Schema() }

func (s *summaryBuilder) append(r *SummaryRow) {
	f := s.b.Fields()
	f[0].(*array.Int32Builder).Append(int32(r.Point))
	for i := 0; i < s.nSwept; i++ {
		f[1+i].(*array.Float64Builder).Append(r.Values[i])
	}
	name := func(b array.Builder, s string) {
		if err := b.(*array.BinaryDictionaryBuilder).AppendString(s); err != nil {
			panic(err) // only an int32 index overflow, beyond 2^31 distinct names
		}
	}
	i := 1 + s.nSwept
	if s.label {
		name(f[i], r.Label)
		i++
	}
	name(f[i], r.Population)
	f[i+1].(*array.Int32Builder).Append(int32(r.N))
	for k, x := range []float64{r.RateHz, r.CVISI, r.Fano, r.PeakHz, r.PeakPower} {
		appendStat(f[i+2+k].(*array.Float64Builder), x)
	}
	f[i+7].(*array.Int64Builder).Append(r.Synapses)
	name(f[i+8], r.Backend)
	for k, x := range []float64{r.RateMean, r.RateSD, r.RateFinal, r.RateSettleMs} {
		appendStat(f[i+9+k].(*array.Float64Builder), x)
	}
}

func (s *summaryBuilder) rows() int { return s.b.Field(0).Len() }

// flush writes the buffered rows to w.
func (s *summaryBuilder) flush(w *tableWriter) error {
	if s.rows() == 0 {
		return nil
	}
	rec := s.b.NewRecord()
	defer rec.Release()
	return w.write(rec)
}

func (s *summaryBuilder) release() { s.b.Release() }

// summaryDecoder reads summary rows from records of one file.
type summaryDecoder struct {
	point                               int
	swept                               []int
	label                               int // -1: no label column
	pop, n, rate, cv, fano, peak, power int
	syn, backend                        int
	rates                               [4]int // rateColumns; -1 where absent
}

// newSummaryDecoder finds the columns of a summary file and its swept names
// (from the snn.swept metadata, else the float64 columns between point and
// label or population).
func newSummaryDecoder(t *tableReader) (*summaryDecoder, []string, error) {
	d := &summaryDecoder{label: -1}
	var err error
	col := func(name string, typ arrow.DataType) int {
		if err != nil {
			return 0
		}
		var i int
		i, err = t.column(name, typ)
		return i
	}
	d.point = col(colPoint, arrow.PrimitiveTypes.Int32)
	d.pop = col(colPopulation, names)
	d.n = col(colN, arrow.PrimitiveTypes.Int32)
	d.rate = col(colRate, arrow.PrimitiveTypes.Float64)
	d.cv = col(colCV, arrow.PrimitiveTypes.Float64)
	d.fano = col(colFano, arrow.PrimitiveTypes.Float64)
	d.peak = col(colPeak, arrow.PrimitiveTypes.Float64)
	d.power = col(colPeakPower, arrow.PrimitiveTypes.Float64)
	d.syn = col(colSynapses, arrow.PrimitiveTypes.Int64)
	d.backend = col(colBackend, names)
	for k, name := range rateColumns {
		d.rates[k] = -1
		if t.schema.HasField(name) {
			d.rates[k] = col(name, arrow.PrimitiveTypes.Float64)
		}
	}
	if err != nil {
		return nil, nil, err
	}
	if t.schema.HasField(colLabel) {
		if d.label, err = t.column(colLabel, names); err != nil {
			return nil, nil, err
		}
	}
	var swept []string
	if v, ok := t.meta(metaSwept); ok {
		if err := json.Unmarshal([]byte(v), &swept); err != nil {
			return nil, nil, fmt.Errorf("%s: metadata %s: %w", t.path, metaSwept, err)
		}
	} else {
		end := d.pop
		if d.label >= 0 {
			end = d.label
		}
		for i := d.point + 1; i < end; i++ {
			swept = append(swept, t.schema.Field(i).Name)
		}
	}
	for _, s := range swept {
		i, err := t.column(s, arrow.PrimitiveTypes.Float64)
		if err != nil {
			return nil, nil, err
		}
		d.swept = append(d.swept, i)
	}
	return d, swept, nil
}

// row decodes row i of rec.
func (d *summaryDecoder) row(rec arrow.Record, i int) SummaryRow {
	f64 := func(c int) float64 { return statAt(rec.Column(c).(*array.Float64), i) }
	str := func(c int) string { return stringsOf(rec.Column(c))(i) }
	r := SummaryRow{
		Point:      int(rec.Column(d.point).(*array.Int32).Value(i)),
		Population: str(d.pop),
		N:          int(rec.Column(d.n).(*array.Int32).Value(i)),
		RateHz:     f64(d.rate),
		CVISI:      f64(d.cv),
		Fano:       f64(d.fano),
		PeakHz:     f64(d.peak),
		PeakPower:  f64(d.power),
		Synapses:   rec.Column(d.syn).(*array.Int64).Value(i),
		Backend:    str(d.backend),
	}
	if d.label >= 0 {
		r.Label = str(d.label)
	}
	for k, dst := range []*float64{&r.RateMean, &r.RateSD, &r.RateFinal, &r.RateSettleMs} {
		*dst = math.NaN()
		if d.rates[k] >= 0 {
			*dst = f64(d.rates[k])
		}
	}
	r.Values = make([]float64, len(d.swept))
	for k, c := range d.swept {
		r.Values[k] = f64(c)
	}
	return r
}

// ReadSummary reads a summary.parquet back: its swept names and its rows.
func ReadSummary(path string) (swept []string, rows []SummaryRow, err error) {
	var d *summaryDecoder
	err = eachRecord(path, func(t *tableReader, rec arrow.Record) error {
		if d == nil {
			var err error
			if d, swept, err = newSummaryDecoder(t); err != nil {
				return err
			}
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			rows = append(rows, d.row(rec, i))
		}
		return nil
	})
	if err == nil && d == nil { // no rows: still report the swept names
		var t *tableReader
		if t, err = openTable(path); err == nil {
			_, swept, err = newSummaryDecoder(t)
			t.close()
		}
	}
	return swept, rows, err
}
