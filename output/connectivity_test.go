package output

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

var testInspection = Inspection{Hash: hashA, Seed: 12, Point: 3, Dt: 0.1}

func TestConnectivityRoundTrip(t *testing.T) {
	dir := t.TempDir()
	rows := []ConnectivityRow{
		{Projection: "E->E", Source: "E", Target: "E", Rule: "fixed_indegree", WeightUnit: "pA", Synapses: 12_500_000, Autapses: 1012, Multapses: 48_000,
			IndegreeMean: 1000, OutdegreeMean: 1250, OutdegreeSD: 35.4, BuildS: 0.12, BytesPerSynapse: 4.01},
		{Projection: "noise->E", Source: "noise", Target: "E", Rule: "all_to_all", WeightUnit: "pA", Synapses: 10000, IndegreeMean: 1, OutdegreeMean: 10000},
		// An empty projection has no degrees (NULL); a generator's weights are factors.
		{Projection: "dc->E", Source: "dc", Target: "E", Rule: "one_to_one", WeightUnit: "1",
			IndegreeMean: math.NaN(), IndegreeSD: math.NaN(), OutdegreeMean: math.NaN(), OutdegreeSD: math.NaN(), BytesPerSynapse: math.NaN()},
		{Projection: "x->E", Source: "x", Target: "E", Rule: "all_to_all"}, // weight unit unknown: NULL
	}
	path := filepath.Join(dir, "connectivity.parquet")
	if err := WriteConnectivity(path, rows, "zstd", testInspection); err != nil {
		t.Fatal(err)
	}
	checkDictionaryEncoded(t, path, "projection", "source", "target", "rule", "weight_unit")
	got, err := ReadConnectivity(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows) || !reflect.DeepEqual(got[:2], rows[:2]) || got[3] != rows[3] ||
		got[2].WeightUnit != "1" || !math.IsNaN(got[2].IndegreeMean) || !math.IsNaN(got[2].BytesPerSynapse) {
		t.Errorf("read back %+v,\nwant %+v", got, rows)
	}
	meta, err := ReadMetadata(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"snn.hash": hashA, "snn.seed": "12", "snn.point": "3", "dt": "0.1", "units": `{"build_s":"s","bytes_per_synapse":"B"}`}
	if !reflect.DeepEqual(meta, want) {
		t.Errorf("connectivity metadata %v, want %v", meta, want)
	}

	epath := filepath.Join(dir, "edges.parquet")
	w, err := CreateEdges(epath, "snappy", testInspection, rows[:2])
	if err != nil {
		t.Fatal(err)
	}
	var want2 []EdgeRow
	for i := 0; i < 70_000; i++ { // more than one buffered chunk
		delay := int64(1 + i%7) // 0.1 to 0.7 ms: the grid's decimals, not 0.30000000000000004
		r := EdgeRow{Projection: []string{"E->E", "noise->E"}[i%2], Source: int32(i / 3), Target: int32(i % 97), Weight: float32(i) / 7, DelayMs: float64(delay) / 10}
		want2 = append(want2, r)
		if err := w.Add(i%2, r.Source, r.Target, r.Weight, delay); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Add(2, 0, 0, 1, 1); err == nil {
		t.Error("an edge of a projection CreateEdges was not given")
	}
	if _, err := os.Stat(epath); !os.IsNotExist(err) {
		t.Fatalf("edges.parquet exists before Close: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	checkDictionaryEncoded(t, epath, "projection")
	gotE, err := ReadEdges(epath)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotE, want2) {
		t.Errorf("edges: read back %d rows, want %d (or they differ)", len(gotE), len(want2))
	}
	meta, err = ReadMetadata(epath)
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]string{"snn.hash": hashA, "snn.seed": "12", "snn.point": "3", "dt": "0.1", "units": `{"delay_ms":"ms","weight":"pA"}`,
		"projection.E->E.weight_unit": `"pA"`, "projection.noise->E.weight_unit": `"pA"`}
	if !reflect.DeepEqual(meta, want) {
		t.Errorf("edges metadata %v, want %v", meta, want)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*"+tmpSuffix)); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}
