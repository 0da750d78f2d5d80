package output

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// The CSV view (Options.CSV) is every final table as CSV too, for machines
// without a Parquet engine: summary.csv, spikes.csv and state.csv, each
// next to its Parquet file and written from the same records, so that the
// two hold the same rows in the same order. A header line of the column
// names, then one line per row, fields separated by commas and lines ended
// by LF; numbers as numberText writes them, NULL as an empty field, names
// quoted only where RFC 4180 needs it (a comma, a double quote or a line
// break in them).

// csvName is the CSV view's name of a table.
func csvName(table string) string {
	return strings.TrimSuffix(table, ".parquet") + ".csv"
}

// csvWriter writes a table's records as CSV under a temporary name; rename
// puts the file in place.
type csvWriter struct {
	path, tmp string
	f         *os.File // nil once closed
	w         *bufio.Writer
	line      []byte
}

// createCSV starts path's temporary file with the header of schema.
func createCSV(path string, schema *arrow.Schema) (*csvWriter, error) {
	f, err := createTemp(path)
	if err != nil {
		return nil, err
	}
	c := &csvWriter{path: path, tmp: f.Name(), f: f, w: bufio.NewWriterSize(f, 1<<16)}
	for i, fl := range schema.Fields() {
		if i > 0 {
			c.line = append(c.line, ',')
		}
		c.line = appendCSVField(c.line, fl.Name)
	}
	c.line = append(c.line, '\n')
	if _, err := c.w.Write(c.line); err != nil {
		c.abort()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// write appends the rows of rec, whose columns are of the tables' types.
func (c *csvWriter) write(rec arrow.Record) error {
	cols := make([]func(dst []byte, i int) []byte, rec.NumCols())
	for k, col := range rec.Columns() {
		f, err := csvColumn(col)
		if err != nil {
			return fmt.Errorf("%s: column %s: %w", c.path, rec.ColumnName(k), err)
		}
		cols[k] = f
	}
	for i := 0; i < int(rec.NumRows()); i++ {
		c.line = c.line[:0]
		for k, f := range cols {
			if k > 0 {
				c.line = append(c.line, ',')
			}
			if rec.Column(k).IsValid(i) {
				c.line = f(c.line, i)
			}
		}
		c.line = append(c.line, '\n')
		if _, err := c.w.Write(c.line); err != nil {
			return fmt.Errorf("%s: %w", c.path, err)
		}
	}
	return nil
}

// csvColumn returns the writer of a column's values (not its nulls).
func csvColumn(col arrow.Array) (func(dst []byte, i int) []byte, error) {
	switch a := col.(type) {
	case *array.Int32:
		return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, int64(a.Value(i)), 10) }, nil
	case *array.Int64:
		return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, a.Value(i), 10) }, nil
	case *array.Float64:
		return func(dst []byte, i int) []byte { return appendNumber(dst, a.Value(i), 64) }, nil
	case *array.Float32:
		return func(dst []byte, i int) []byte { return appendNumber(dst, float64(a.Value(i)), 32) }, nil
	}
	if isStrings(col.DataType()) {
		s := stringsOf(col)
		return func(dst []byte, i int) []byte { return appendCSVField(dst, s(i)) }, nil
	}
	return nil, fmt.Errorf("no CSV text for type %s", col.DataType())
}

// close flushes, syncs and closes the temporary file.
func (c *csvWriter) close() error {
	if c.f == nil {
		return nil
	}
	err := c.w.Flush()
	if err == nil {
		err = c.f.Sync()
	}
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	c.f = nil
	if err != nil {
		return fmt.Errorf("%s: %w", c.path, err)
	}
	return nil
}

// rename closes the file if needed and moves it to its final name.
func (c *csvWriter) rename() error {
	if err := c.close(); err != nil {
		return err
	}
	return os.Rename(c.tmp, c.path)
}

// abort closes and removes the temporary file.
func (c *csvWriter) abort() {
	if c.f != nil {
		c.f.Close()
		c.f = nil
	}
	os.Remove(c.tmp)
}

// appendCSVField appends s as a CSV field: as it is, or in double quotes
// (its own doubled) where it holds a comma, a double quote or a line break.
func appendCSVField(dst []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}

// appendNumber appends x (a float64, or a float32 if bits is 32) as JSON
// and JavaScript write numbers: the shortest decimal that reads back as x,
// without an exponent from 1e-6 up to 1e21 (so that a time on the grid is
// its decimal, 13.7), with one beyond (1e-7, 1.5e+21); Infinity,
// -Infinity and NaN as JavaScript and Python read them.
func appendNumber(dst []byte, x float64, bits int) []byte {
	switch {
	case math.IsNaN(x):
		return append(dst, "NaN"...)
	case math.IsInf(x, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(x, -1):
		return append(dst, "-Infinity"...)
	}
	if abs := math.Abs(x); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		dst = strconv.AppendFloat(dst, x, 'e', -1, bits)
		// strconv writes at least two exponent digits: e-07 is e-7.
		if n := len(dst); dst[n-4] == 'e' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
		return dst
	}
	return strconv.AppendFloat(dst, x, 'f', -1, bits)
}
