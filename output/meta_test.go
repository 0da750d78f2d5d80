package output

import (
	"encoding/json"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// The tables describe themselves: the keys a reader needs to compute a
// rate (t_start, dt, t_sim, each recorder's population, n_rec, neurons and
// window), the seed, and the units, in the key-value metadata and in the
// fields' Arrow metadata. A value the points disagree on is an object from
// point to value.
func TestTableMetadata(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir, hashA, []string{"t_sim"}, Options{Spikes: true, State: true})
	if err != nil {
		t.Fatal(err)
	}
	l1 := testLayout("V_m", "I_syn")
	l1.TSim, l1.Recorders[0].Neurons = 200, Neurons{0, 1, 2, 3, 4, 9}
	runBatch(t, d, []pointData{makePoint(0, []string{"E", "I"}, 8, []string{"V_m"}), makePoint(2, []string{"E", "I"}, 8, []string{"V_m"})}, []string{"V_m", "I_syn"})
	b, err := d.NewBatch([]int{1}, l1)
	if err != nil {
		t.Fatal(err)
	}
	b.AddSummary(SummaryRow{Point: 1, Values: []float64{200}, Population: "E"})
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := d.Finish(nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file string
		want map[string]string
	}{
		{spikesFile, map[string]string{
			"snn.hash": hashA, "snn.seed": "7", "dt": "0.5", "t_start": "10",
			"t_sim":                        `{"0":100,"1":200,"2":100}`,
			"recorder.spikes-E.population": `"E"`,
			"recorder.spikes-E.n_rec":      `{"0":3,"1":6,"2":3}`,
			"recorder.spikes-E.neurons":    `{"0":[[0,2]],"1":[[0,4],[9,9]],"2":[[0,2]]}`,
			"recorder.spikes-E.start":      "0",
			"recorder.spikes-E.stop":       "100",
			"recorder.spikes-I.population": `"I"`,
			"recorder.spikes-I.n_rec":      "3",
			"recorder.spikes-I.neurons":    "[[0,2]]",
			"recorder.spikes-I.start":      "0",
			"recorder.spikes-I.stop":       "100",
			"units":                        `{"time_ms":"ms"}`,
		}},
		{stateFile, map[string]string{
			"snn.hash": hashA, "snn.seed": "7", "dt": "0.5", "t_start": "10", "t_sim": `{"0":100,"1":200,"2":100}`,
			"recorder.multimeter-E.population":  `"E"`,
			"recorder.multimeter-E.n_rec":       "1",
			"recorder.multimeter-E.neurons":     "[[1,1]]",
			"recorder.multimeter-E.start":       "0",
			"recorder.multimeter-E.stop":        "100",
			"recorder.multimeter-E.interval":    "2",
			"recorder.multimeter-E.record_from": `["V_m","I_syn"]`,
			"recorder.multimeter-I.population":  `"I"`,
			"recorder.multimeter-I.n_rec":       "1",
			"recorder.multimeter-I.neurons":     "[[1,1]]",
			"recorder.multimeter-I.start":       "0",
			"recorder.multimeter-I.stop":        "100",
			"recorder.multimeter-I.interval":    "2",
			"recorder.multimeter-I.record_from": `["V_m","I_syn"]`,
			"units":                             `{"I_syn":"pA","V_m":"mV","time_ms":"ms"}`,
		}},
		{summaryFile, map[string]string{
			"snn.hash": hashA, "snn.swept": `["t_sim"]`, "snn.seed": "7", "dt": "0.5", "t_start": "10", "bin_ms": "1",
			"t_sim": `{"0":100,"1":200,"2":100}`,
			"units": `{"peak_hz":"Hz","rate_hz":"Hz","rate_settle_ms":"ms"}`,
		}},
	}
	for _, tc := range tests {
		got, err := ReadMetadata(filepath.Join(dir, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s metadata:", tc.file)
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("  %s = %q, want %q", k, got[k], v)
				}
			}
			for k, v := range got {
				if _, ok := tc.want[k]; !ok {
					t.Errorf("  unexpected %s = %q", k, v)
				}
			}
		}
		for k, v := range got {
			if k != metaHash && !json.Valid([]byte(v)) {
				t.Errorf("%s: %s = %q is not JSON", tc.file, k, v)
			}
		}
	}

	// The units are also in the fields' Arrow metadata.
	tr, err := openTable(filepath.Join(dir, stateFile))
	if err != nil {
		t.Fatal(err)
	}
	defer tr.close()
	units := map[string]string{}
	for _, f := range tr.schema.Fields() {
		if u, ok := f.Metadata.GetValue(unitKey); ok {
			units[f.Name] = u
		}
	}
	if want := map[string]string{"time_ms": "ms", "V_m": "mV", "I_syn": "pA"}; !reflect.DeepEqual(units, want) {
		t.Errorf("state field units %v, want %v", units, want)
	}
}

// A statistic that does not exist is NULL in summary.parquet (not NaN) and
// NaN again in SummaryRow; an infinite one stays a number.
func TestNullStatistics(t *testing.T) {
	dir := t.TempDir()
	d, _ := Open(dir, hashA, nil, Options{})
	b, _ := d.NewBatch([]int{0}, noRecorders)
	nan := math.NaN()
	in := SummaryRow{Point: 0, Population: "E", N: 5, RateHz: 0, CVISI: nan, Fano: nan, PeakHz: nan, PeakPower: math.Inf(1), Backend: "cpu"}
	b.AddSummary(in)
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := d.Finish(nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, summaryFile)
	nulls := map[string]int{}
	err := eachRecord(path, func(tr *tableReader, rec arrow.Record) error {
		for i, f := range tr.schema.Fields() {
			nulls[f.Name] += rec.Column(i).NullN()
			if c, ok := rec.Column(i).(*array.Float64); ok && c.IsValid(0) && math.IsNaN(c.Value(0)) {
				t.Errorf("column %s holds NaN", f.Name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"cv_isi": 1, "fano": 1, "peak_hz": 1}; !reflect.DeepEqual(nulls, withZeros(nulls, want)) {
		t.Errorf("nulls %v, want %v", nulls, want)
	}
	_, rows, err := ReadSummary(path)
	if err != nil {
		t.Fatal(err)
	}
	checkSummaryRows(t, rows, []SummaryRow{in})
}

// withZeros is want with a 0 for every other key of got.
func withZeros(got, want map[string]int) map[string]int {
	out := map[string]int{}
	for k := range got {
		out[k] = want[k]
	}
	return out
}
