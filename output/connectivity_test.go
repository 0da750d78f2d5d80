package output

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestConnectivityRoundTrip(t *testing.T) {
	dir := t.TempDir()
	rows := []ConnectivityRow{
		{Projection: "E->E", Source: "E", Target: "E", Rule: "fixed_indegree", Synapses: 12_500_000, Autapses: 1012, Multapses: 48_000,
			IndegreeMean: 1000, OutdegreeMean: 1250, OutdegreeSD: 35.4, BuildS: 0.12, BytesPerSynapse: 4.01},
		{Projection: "noise->E", Source: "noise", Target: "E", Rule: "all_to_all", Synapses: 10000, IndegreeMean: 1, OutdegreeMean: 10000},
	}
	path := filepath.Join(dir, "connectivity.parquet")
	if err := WriteConnectivity(path, rows, "zstd"); err != nil {
		t.Fatal(err)
	}
	checkFooter(t, path)
	got, err := ReadConnectivity(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rows) {
		t.Errorf("read back %+v, want %+v", got, rows)
	}

	epath := filepath.Join(dir, "edges.parquet")
	w, err := CreateEdges(epath, "snappy")
	if err != nil {
		t.Fatal(err)
	}
	var want []EdgeRow
	for i := 0; i < 70_000; i++ { // more than one buffered chunk
		r := EdgeRow{Projection: []string{"E->E", "E->I"}[i%2], Source: int32(i / 3), Target: int32(i % 97), Weight: float32(i) / 7, DelayMs: 1.5}
		want = append(want, r)
		if err := w.Add(r.Projection, r.Source, r.Target, r.Weight, r.DelayMs); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(epath); !os.IsNotExist(err) {
		t.Fatalf("edges.parquet exists before Close: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	checkFooter(t, epath)
	gotE, err := ReadEdges(epath)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotE, want) {
		t.Errorf("edges: read back %d rows, want %d (or they differ)", len(gotE), len(want))
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*"+tmpSuffix)); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}
