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
	TimeMs     float64
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
}

// spikeColumns are the column indices of point, population, recorder,
// neuron, time_ms.
func spikeColumns(t *tableReader) ([5]int, error) {
	var idx [5]int
	for i, c := range []struct {
		name string
		typ  arrow.DataType
	}{
		{colPoint, arrow.PrimitiveTypes.Int32},
		{colPopulation, arrow.BinaryTypes.String},
		{colRecorder, arrow.BinaryTypes.String},
		{colNeuron, arrow.PrimitiveTypes.Int32},
		{colTime, arrow.PrimitiveTypes.Float64},
	} {
		var err error
		if idx[i], err = t.column(c.name, c.typ); err != nil {
			return idx, err
		}
	}
	return idx, nil
}

// ReadSpikes reads the rows of a spikes.parquet, in file order.
func ReadSpikes(path string) ([]SpikeRow, error) {
	var rows []SpikeRow
	err := eachRecord(path, func(t *tableReader, rec arrow.Record) error {
		c, err := spikeColumns(t)
		if err != nil {
			return err
		}
		point := rec.Column(c[0]).(*array.Int32)
		pop := rec.Column(c[1]).(*array.String)
		recorder := rec.Column(c[2]).(*array.String)
		neuron := rec.Column(c[3]).(*array.Int32)
		tm := rec.Column(c[4]).(*array.Float64)
		for i := 0; i < int(rec.NumRows()); i++ {
			rows = append(rows, SpikeRow{int(point.Value(i)), pop.Value(i), recorder.Value(i), neuron.Value(i), tm.Value(i)})
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
	c, err := spikeColumns(t)
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
		point := rec.Column(c[0]).(*array.Int32)
		pop := rec.Column(c[1]).(*array.String)
		recorder := rec.Column(c[2]).(*array.String)
		neuron := rec.Column(c[3]).(*array.Int32)
		tm := rec.Column(c[4]).(*array.Float64)
		for i := 0; i < int(rec.NumRows()); i++ {
			r := StateRow{int(point.Value(i)), pop.Value(i), recorder.Value(i), neuron.Value(i), tm.Value(i), make([]float32, len(vars)), make([]bool, len(vars))}
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
