package output

import (
	"math"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// SpikeRow is one row of spikes.parquet.
type SpikeRow struct {
	Point      int
	Population string
	Recorder   string
	Neuron     int32
	TimeMs     float64 // Step·dt, to the decimals of dt
	Step       int64
}

// StateRow is one row of state.parquet; Values are aligned with the state
// variables, NaN where the row has none (a null).
type StateRow struct {
	Point      int
	Population string
	Recorder   string
	Neuron     int32
	TimeMs     float64
	Values     []float32
	Valid      []bool // false where the column is null
	Step       int64
}

// recordColumns are the columns of spikes and state: point, population,
// recorder, neuron, time_ms, step.
type recordColumns [6]int

func findRecordColumns(t *tableReader) (recordColumns, error) {
	var idx recordColumns
	for i, c := range []struct {
		name string
		typ  arrow.DataType
	}{
		{colPoint, arrow.PrimitiveTypes.Int32},
		{colPopulation, names},
		{colRecorder, names},
		{colNeuron, arrow.PrimitiveTypes.Int32},
		{colTime, arrow.PrimitiveTypes.Float64},
		{colStep, arrow.PrimitiveTypes.Int64},
	} {
		var err error
		if idx[i], err = t.column(c.name, c.typ); err != nil {
			return idx, err
		}
	}
	return idx, nil
}

// row reads the fixed columns of row i of rec.
func (c recordColumns) row(rec arrow.Record, i int) SpikeRow {
	return SpikeRow{
		Point:      int(rec.Column(c[0]).(*array.Int32).Value(i)),
		Population: stringsOf(rec.Column(c[1]))(i),
		Recorder:   stringsOf(rec.Column(c[2]))(i),
		Neuron:     rec.Column(c[3]).(*array.Int32).Value(i),
		TimeMs:     rec.Column(c[4]).(*array.Float64).Value(i),
		Step:       rec.Column(c[5]).(*array.Int64).Value(i),
	}
}

// ReadSpikes reads the rows of a spikes.parquet, in file order.
func ReadSpikes(path string) ([]SpikeRow, error) {
	var rows []SpikeRow
	err := eachRecord(path, func(t *tableReader, rec arrow.Record) error {
		c, err := findRecordColumns(t)
		if err != nil {
			return err
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			rows = append(rows, c.row(rec, i))
		}
		return nil
	})
	return rows, err
}

// ReadState reads a state.parquet: its state variables (the float32
// columns after time_ms) and its rows, in file order.
func ReadState(path string) (vars []string, rows []StateRow, err error) {
	t, err := openTable(path)
	if err != nil {
		return nil, nil, err
	}
	defer t.close()
	c, err := findRecordColumns(t)
	if err != nil {
		return nil, nil, err
	}
	var varIdx []int
	for i := c[4] + 1; i < t.schema.NumFields(); i++ {
		f := t.schema.Field(i)
		if !arrow.TypeEqual(f.Type, arrow.PrimitiveTypes.Float32) {
			continue
		}
		vars = append(vars, f.Name)
		varIdx = append(varIdx, i)
	}
	for {
		rec, err := t.next()
		if err != nil {
			return nil, nil, err
		}
		if rec == nil {
			return vars, rows, nil
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			s := c.row(rec, i)
			r := StateRow{s.Point, s.Population, s.Recorder, s.Neuron, s.TimeMs, make([]float32, len(vars)), make([]bool, len(vars)), s.Step}
			for k, j := range varIdx {
				col := rec.Column(j).(*array.Float32)
				if col.IsValid(i) {
					r.Values[k], r.Valid[k] = col.Value(i), true
				} else {
					r.Values[k] = float32(math.NaN())
				}
			}
			rows = append(rows, r)
		}
	}
}

// ReadMetadata returns a table's key-value metadata, without the Arrow
// schema stored there (ARROW:schema). docs/outputs.md lists the keys; their
// values are JSON texts, but snn.hash's.
func ReadMetadata(path string) (map[string]string, error) {
	t, err := openTable(path)
	if err != nil {
		return nil, err
	}
	defer t.close()
	kv := t.pf.MetaData().KeyValueMetadata()
	out := make(map[string]string, len(kv))
	for i, k := range kv.Keys() {
		if k != "ARROW:schema" {
			out[k] = kv.Values()[i]
		}
	}
	return out, nil
}
