package output

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
)

// The readers below read the CSV view back (summary.csv, spikes.csv), for
// folders that hold only it: a PyNEST script that snn-gpu export nest wrote
// produces them where Python has no Parquet engine. An empty field is NULL
// (NaN for a statistic).

// csvTable is a CSV file's header and rows.
type csvTable struct {
	path   string
	header []string
	rows   [][]string
}

func readCSVTable(path string) (*csvTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	all, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: no header line", path)
	}
	return &csvTable{path: path, header: all[0], rows: all[1:]}, nil
}

// column returns the index of the column called name.
func (t *csvTable) column(name string) (int, error) {
	if i := slices.Index(t.header, name); i >= 0 {
		return i, nil
	}
	return 0, fmt.Errorf("%s: no column %q", t.path, name)
}

// cells parses the fields of one row; the first error names its line and
// column.
type cells struct {
	t   *csvTable
	row int
	err error
}

func (c *cells) float(col int) float64 {
	s := c.t.rows[c.row][col]
	if s == "" || c.err != nil {
		return math.NaN()
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		c.err = fmt.Errorf("%s line %d, column %s: %q is not a number", c.t.path, c.row+2, c.t.header[col], s)
	}
	return x
}

func (c *cells) int(col int) int64 {
	s := c.t.rows[c.row][col]
	if c.err != nil {
		return 0
	}
	x, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		c.err = fmt.Errorf("%s line %d, column %s: %q is not a whole number", c.t.path, c.row+2, c.t.header[col], s)
	}
	return x
}

// ReadSummaryCSV reads a summary.csv: its swept names (the columns between
// point and label or population) and its rows.
func ReadSummaryCSV(path string) (swept []string, rows []SummaryRow, err error) {
	t, err := readCSVTable(path)
	if err != nil {
		return nil, nil, err
	}
	idx := map[string]int{}
	for _, name := range []string{colPoint, colPopulation, colN, colRate, colCV, colFano, colPeak, colPeakPower, colSynapses, colBackend} {
		if idx[name], err = t.column(name); err != nil {
			return nil, nil, err
		}
	}
	label, end := slices.Index(t.header, colLabel), idx[colPopulation]
	if label >= 0 {
		end = label
	}
	swept = slices.Clone(t.header[idx[colPoint]+1 : end])
	for i, rec := range t.rows {
		c := &cells{t: t, row: i}
		r := SummaryRow{
			Point: int(c.int(idx[colPoint])), Population: rec[idx[colPopulation]], N: int(c.int(idx[colN])),
			RateHz: c.float(idx[colRate]), CVISI: c.float(idx[colCV]), Fano: c.float(idx[colFano]),
			PeakHz: c.float(idx[colPeak]), PeakPower: c.float(idx[colPeakPower]), Synapses: c.int(idx[colSynapses]),
			Backend: rec[idx[colBackend]],
		}
		if label >= 0 {
			r.Label = rec[label]
		}
		for k, dst := range []*float64{&r.RateMean, &r.RateSD, &r.RateFinal, &r.RateSettleMs} {
			*dst = math.NaN()
			if j := slices.Index(t.header, rateColumns[k]); j >= 0 {
				*dst = c.float(j)
			}
		}
		for k := range swept {
			r.Values = append(r.Values, c.float(idx[colPoint]+1+k))
		}
		if c.err != nil {
			return nil, nil, c.err
		}
		rows = append(rows, r)
	}
	return swept, rows, nil
}

// ReadSpikesCSV reads the rows of a spikes.csv, in file order.
func ReadSpikesCSV(path string) ([]SpikeRow, error) {
	t, err := readCSVTable(path)
	if err != nil {
		return nil, err
	}
	var idx [6]int
	for i, name := range []string{colPoint, colPopulation, colRecorder, colNeuron, colTime, colStep} {
		if idx[i], err = t.column(name); err != nil {
			return nil, err
		}
	}
	rows := make([]SpikeRow, len(t.rows))
	for i, rec := range t.rows {
		c := &cells{t: t, row: i}
		rows[i] = SpikeRow{Point: int(c.int(idx[0])), Population: rec[idx[1]], Recorder: rec[idx[2]],
			Neuron: int32(c.int(idx[3])), TimeMs: c.float(idx[4]), Step: c.int(idx[5])}
		if c.err != nil {
			return nil, c.err
		}
	}
	return rows, nil
}
