package output

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/compress"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
)

// Column names shared by the tables.
const (
	colPoint      = "point"
	colLabel      = "label"
	colPopulation = "population"
	colRecorder   = "recorder"
	colN          = "n"
	colRate       = "rate_hz"
	colCV         = "cv_isi"
	colFano       = "fano"
	colPeak       = "peak_hz"
	colPeakPower  = "peak_power"
	colSynapses   = "synapses"
	colBackend    = "backend"
	colRateMean   = "rate_mean"
	colRateSD     = "rate_sd"
	colRateFinal  = "rate_final"
	colRateSettle = "rate_settle_ms"
	colNeuron     = "neuron"
	colTime       = "time_ms"
	colStep       = "step"
)

// names is the Arrow type of the columns of names (populations,
// recorders, projections, …): dictionary-encoded strings, so that readers
// get categories (pandas, polars) and Parquet stores each name once per
// column chunk.
var names = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

// Row counts: rows buffered before they go to the Parquet writer, and rows
// per row group of the part files and of the final files.
const (
	chunkRows        = 1 << 13
	partRowGroupRows = 1 << 17
	finalRowGroup    = 1 << 20
	readBatchRows    = 1 << 15
)

var mem = memory.DefaultAllocator

// codec maps an Options.Compression name to a Parquet codec ("" is zstd).
func codec(name string) (compress.Compression, error) {
	switch name {
	case "", "zstd":
		return compress.Codecs.Zstd, nil
	case "snappy":
		return compress.Codecs.Snappy, nil
	case "gzip":
		return compress.Codecs.Gzip, nil
	case "none", "uncompressed":
		return compress.Codecs.Uncompressed, nil
	}
	return 0, fmt.Errorf(`unknown compression %q (want "zstd", "snappy", "gzip" or "none")`, name)
}

// writerProps returns the Parquet properties: no dictionaries except for
// the string columns named, whose few distinct values they suit, and a
// schema root marked REQUIRED. The Parquet spec gives the root no
// repetition; Arrow Go marks it REPEATED by default, which readers that
// take the root's repetition into account (hyparquet, older parquet-go)
// misread as one more level of every column. REQUIRED, as DuckDB writes
// it, is read as "no repetition" by every reader (the library writes
// every group with a repetition, so none is not an option).
func writerProps(c compress.Compression, rowGroup int64, dictCols ...string) *parquet.WriterProperties {
	opts := []parquet.WriterProperty{
		parquet.WithRootRepetition(parquet.Repetitions.Required),
		parquet.WithCompression(c),
		parquet.WithDictionaryDefault(false),
		parquet.WithMaxRowGroupLength(rowGroup),
	}
	// No statistics for the name columns: Arrow Go v15 writes a negative
	// null_count for dictionary columns of required fields (fixed upstream
	// in arrow-go#489), and min/max of names serve no filter.
	for _, col := range dictCols {
		opts = append(opts, parquet.WithDictionaryFor(col, true), parquet.WithStatsFor(col, false))
	}
	return parquet.NewWriterProperties(opts...)
}

// tableWriter writes one Parquet file under a temporary name, and its CSV
// view if alsoCSV asked for one; rename puts them in place.
type tableWriter struct {
	path, tmp string
	schema    *arrow.Schema
	w         *pqarrow.FileWriter
	csv       *csvWriter // nil without the CSV view
	rows      int64
	closed    bool
}

// createTable starts path's temporary file with schema, the Arrow schema
// stored for an exact round trip, and the key-value metadata kv (pairs).
func createTable(path string, schema *arrow.Schema, props *parquet.WriterProperties, kv ...string) (*tableWriter, error) {
	f, err := createTemp(path)
	if err != nil {
		return nil, err
	}
	w, err := pqarrow.NewFileWriter(schema, syncFile{f}, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	t := &tableWriter{path: path, tmp: f.Name(), schema: schema, w: w}
	for i := 0; i+1 < len(kv); i += 2 {
		if err := w.AppendKeyValueMetadata(kv[i], kv[i+1]); err != nil {
			t.abort()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return t, nil
}

// alsoCSV starts the table's CSV view, named after it (csvName), which
// write then fills with the same rows.
func (t *tableWriter) alsoCSV() error {
	c, err := createCSV(filepath.Join(filepath.Dir(t.path), csvName(filepath.Base(t.path))), t.schema)
	if err != nil {
		return err
	}
	t.csv = c
	return nil
}

// files are the final names of the table's files: the Parquet file, then
// its CSV view if it has one.
func (t *tableWriter) files() []string {
	out := []string{filepath.Base(t.path)}
	if t.csv != nil {
		out = append(out, filepath.Base(t.csv.path))
	}
	return out
}

// write appends rec (whose schema must equal the table's, metadata aside)
// to the current row group, and to the CSV view.
func (t *tableWriter) write(rec arrow.Record) error {
	if rec.NumRows() == 0 {
		return nil
	}
	if !rec.Schema().Equal(t.schema) {
		rec = array.NewRecord(t.schema, rec.Columns(), rec.NumRows()) // drop read-back field metadata
		defer rec.Release()
	}
	t.rows += rec.NumRows()
	if err := t.w.WriteBuffered(rec); err != nil {
		return fmt.Errorf("%s: %w", t.path, err)
	}
	if t.csv != nil {
		return t.csv.write(rec)
	}
	return nil
}

// close writes the footer and closes (and syncs) the temporary files.
func (t *tableWriter) close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	if err := t.w.Close(); err != nil {
		return fmt.Errorf("%s: %w", t.path, err)
	}
	if t.csv != nil {
		return t.csv.close()
	}
	return nil
}

// rename closes the files if needed and moves them to their final names.
func (t *tableWriter) rename() error {
	if err := t.close(); err != nil {
		return err
	}
	if err := os.Rename(t.tmp, t.path); err != nil {
		return err
	}
	if t.csv != nil {
		return t.csv.rename()
	}
	return nil
}

// finish ends a table that err (nil: none) may have cut short: it closes
// t, or, where err is set or the close fails, removes its files, so that a
// table is written whole or not at all.
func (t *tableWriter) finish(err error) (*tableWriter, error) {
	if err == nil {
		err = t.close()
	}
	if err != nil {
		t.abort()
		return nil, err
	}
	return t, nil
}

// abort closes and removes the temporary files.
func (t *tableWriter) abort() {
	if !t.closed {
		t.closed = true
		t.w.Close()
	}
	os.Remove(t.tmp)
	if t.csv != nil {
		t.csv.abort()
	}
}

// tableReader streams the records of one Parquet file.
type tableReader struct {
	path   string
	pf     *file.Reader
	rr     pqarrow.RecordReader
	schema *arrow.Schema
}

func openTable(path string) (*tableReader, error) {
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: readBatchRows}, mem)
	if err != nil {
		pf.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		pf.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &tableReader{path: path, pf: pf, rr: rr, schema: rr.Schema()}, nil
}

// meta returns the file's key-value metadata value for key, if any.
func (t *tableReader) meta(key string) (string, bool) {
	v := t.pf.MetaData().KeyValueMetadata().FindValue(key)
	if v == nil {
		return "", false
	}
	return *v, true
}

// next returns the next record (valid until the following call) or nil at
// the end.
func (t *tableReader) next() (arrow.Record, error) {
	if t.rr.Next() {
		return t.rr.Record(), nil
	}
	if err := t.rr.Err(); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", t.path, err)
	}
	return nil, nil
}

func (t *tableReader) close() {
	t.rr.Release()
	t.pf.Close()
}

// column returns the index of the column called name, or an error naming
// the file. A column of names may be plain strings or dictionary-encoded
// (names, or another index type).
func (t *tableReader) column(name string, typ arrow.DataType) (int, error) {
	idx := t.schema.FieldIndices(name)
	if len(idx) != 1 {
		return 0, fmt.Errorf("%s: no column %q", t.path, name)
	}
	got := t.schema.Field(idx[0]).Type
	if typ == names && isStrings(got) {
		return idx[0], nil
	}
	if !arrow.TypeEqual(got, typ) {
		return 0, fmt.Errorf("%s: column %q is %s, want %s", t.path, name, got, typ)
	}
	return idx[0], nil
}

// isStrings reports whether typ holds strings: utf8 or a dictionary of them.
func isStrings(typ arrow.DataType) bool {
	if d, ok := typ.(*arrow.DictionaryType); ok {
		typ = d.ValueType
	}
	return typ.ID() == arrow.STRING
}

// stringsOf returns the values of a column that isStrings accepted.
func stringsOf(a arrow.Array) func(i int) string {
	if d, ok := a.(*array.Dictionary); ok {
		dict := d.Dictionary().(*array.String)
		return func(i int) string { return dict.Value(d.GetValueIndex(i)) }
	}
	return a.(*array.String).Value
}

// appendStat appends x, or a null where x is NaN: a statistic that does
// not exist (the CV of too few spikes) reads as NULL, not as a number.
func appendStat(b *array.Float64Builder, x float64) {
	if math.IsNaN(x) {
		b.AppendNull()
	} else {
		b.Append(x)
	}
}

// statAt is appendStat's inverse: NaN for a null.
func statAt(a *array.Float64, i int) float64 {
	if a.IsNull(i) {
		return math.NaN()
	}
	return a.Value(i)
}

// eachRecord calls fn with every record of the file at path.
func eachRecord(path string, fn func(t *tableReader, rec arrow.Record) error) error {
	t, err := openTable(path)
	if err != nil {
		return err
	}
	defer t.close()
	for {
		rec, err := t.next()
		if err != nil || rec == nil {
			return err
		}
		if err := fn(t, rec); err != nil {
			return err
		}
	}
}
