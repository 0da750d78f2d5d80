package sweep

import (
	"reflect"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/spec"
)

func load(t *testing.T, path string, sets ...string) *configs.File {
	t.Helper()
	f, err := configs.Load(path, configs.Options{Sets: sets})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func labels(batches [][]configs.Point) [][]string {
	var out [][]string
	for _, b := range batches {
		var l []string
		for _, p := range b {
			l = append(l, p.Label)
		}
		out = append(out, l)
	}
	return out
}

func TestBrunelStatesIsOneBatch(t *testing.T) {
	f := load(t, "brunel_states")
	k := Key(&f.Points[0].Net)
	for _, p := range f.Points[1:] {
		if Key(&p.Net) != k {
			t.Errorf("point %s has another key", p.Label)
		}
	}
	cases := []struct {
		max  int
		want [][]string
	}{
		{0, [][]string{{"A", "B", "C", "D"}}},
		{-1, [][]string{{"A", "B", "C", "D"}}},
		{4, [][]string{{"A", "B", "C", "D"}}},
		{3, [][]string{{"A", "B", "C"}, {"D"}}},
		{2, [][]string{{"A", "B"}, {"C", "D"}}},
		{1, [][]string{{"A"}, {"B"}, {"C"}, {"D"}}},
	}
	for _, c := range cases {
		if got := labels(Batches(f.Points, c.max)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Batches(max %d) = %v, want %v", c.max, got, c.want)
		}
	}
}

// The gap-weight sweep of the inhibitory HH network is one batch (the
// waveform-relaxation settings are compared by value, not by address), and
// another tolerance is another structure.
func TestGapSweepIsOneBatch(t *testing.T) {
	f := load(t, "gap_junctions_inhibitory_network")
	if got := len(Batches(f.Points, 0)); got != 1 || len(f.Points) != 7 {
		t.Errorf("%d points in %d batches, want 7 in 1", len(f.Points), got)
	}
	net := f.Points[0].Net
	w := *net.Simulation.WFR
	w.Tol = 1e-3
	net.Simulation.WFR = &w
	if Key(&net) == Key(&f.Points[0].Net) {
		t.Error("wfr_tol 1e-3 and 1e-4 have one key")
	}
}

// TestKey compares the key of testdata/structure.toml with the key after
// one change.
func TestKey(t *testing.T) {
	base := Key(&load(t, "testdata/structure.toml").Points[0].Net)
	cases := []struct {
		set  string
		same bool
	}{
		{"g=4", true},        // a constant weight
		{"eta=1", true},      // a device parameter and a neuron parameter
		{"seed=2", false},    // the seed keys the connectivity
		{"n_E=21", false},    // a population size
		{"d=2", false},       // a delay
		{"t_sim=200", false}, // the run length
		{"dt=0.05", false},   // the resolution
	}
	for _, c := range cases {
		k := Key(&load(t, "testdata/structure.toml", c.set).Points[0].Net)
		if (k == base) != c.same {
			t.Errorf("--set %s: same key = %v, want %v", c.set, k == base, c.same)
		}
	}
	// A weight drawn from a distribution: its arguments are structure.
	w := load(t, "testdata/weight_dist.toml")
	if Key(&w.Points[0].Net) == Key(&w.Points[1].Net) {
		t.Error("weight distributions with different arguments share a key")
	}
}

func TestBatchesGroupsInOrder(t *testing.T) {
	f := load(t, "testdata/seed_by_g.toml")
	// Grid order: g varies slowest, so seeds alternate; grouping keeps the
	// first-appearance order of seeds and the sweep order within a seed.
	var got [][]int
	for _, b := range Batches(f.Points, 3) {
		var idx []int
		for _, p := range b {
			idx = append(idx, p.Index)
		}
		got = append(got, idx)
	}
	want := [][]int{{0, 2, 4}, {6, 8}, {1, 3, 5}, {7, 9}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("batches = %v, want %v", got, want)
	}
	if n := len(Batches(nil, 0)); n != 0 {
		t.Errorf("Batches(nil) has %d batches", n)
	}
}

// Per-neuron parameters and draws are values of each member: a sweep of the
// var they use is one batch.
func TestPerNeuronValuesShareABatch(t *testing.T) {
	f := load(t, "../configs/testdata/draws_sweep.toml")
	if len(f.Points) != 2 || reflect.DeepEqual(f.Points[0].Net.Populations[0].PerNeuron, f.Points[1].Net.Populations[0].PerNeuron) {
		t.Fatalf("points %+v", f.Points)
	}
	if b := Batches(f.Points, 0); len(b) != 1 || len(b[0]) != 2 {
		t.Errorf("%d batches, want 1 of 2 points", len(b))
	}
}

// The structural-plasticity example's sweep over the growth rates is one
// batch: element parameters are per member, element and synapse-type names
// structure.
func TestStructuralSweepIsOneBatch(t *testing.T) {
	f, err := configs.Load("structural_plasticity", configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.Points); n != 3 {
		t.Fatalf("%d points, want 3", n)
	}
	if b := Batches(f.Points, 0); len(b) != 1 {
		t.Errorf("%d batches, want 1", len(b))
	}
	other := f.Points[0].Net
	other.Structural = &spec.Structural{UpdateInterval: 5000, Synapses: f.Points[0].Net.Structural.Synapses}
	if Key(&other) == Key(&f.Points[0].Net) {
		t.Errorf("another update interval has the same structure key")
	}
}

// The Urbanczik example's eta sweep is one batch: its synapses' rule
// parameters are per member and their weight_recorder is compared by
// value, not by address; another recorder window is another structure.
func TestPlasticSweepIsOneBatch(t *testing.T) {
	f := load(t, "urbanczik")
	if got := len(Batches(f.Points, 0)); got != 1 || len(f.Points) != 3 {
		t.Fatalf("%d points in %d batches, want 3 in 1", len(f.Points), got)
	}
	net := f.Points[0].Net
	net.Connections = append([]spec.Connection(nil), net.Connections...)
	for i, c := range net.Connections {
		if w := c.Syn.WeightRecorder; w != nil {
			other := *w
			other.Start = 100
			net.Connections[i].Syn.WeightRecorder = &other
		}
	}
	if Key(&net) == Key(&f.Points[0].Net) {
		t.Error("weight_recorders with other windows have one key")
	}
}
