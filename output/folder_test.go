package output

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestOneWriterPerFolder: while a Dir holds a folder, another Open of it
// (here from the same process, which flock treats like another) is refused
// with the holder's PID and touches nothing, not even the holder's
// temporary files; after Close the folder is free.
func TestOneWriterPerFolder(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir, hashA, nil, Options{Spikes: true})
	if err != nil {
		t.Fatal(err)
	}
	b := newTestBatch(t, d, []pointData{makePoint(0, []string{"E"}, 10, nil)}, nil)
	defer b.Abort()
	tmp := filepath.Join(dir, summaryFile+".789"+tmpSuffix) // as a Finish under way has
	if err := os.WriteFile(tmp, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	before := files(t, dir)
	for _, hash := range []string{hashA, hashB} {
		_, err := Open(dir, hash, nil, Options{Spikes: true})
		want := fmt.Sprintf("%s is in use by process %d", dir, os.Getpid())
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("second Open (hash %s): %v, want %q", hash, err, want)
		}
	}
	if after := files(t, dir); !slices.Equal(before, after) {
		t.Errorf("the refused Open changed the folder: %q → %q", before, after)
	}
	b.Abort()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d, err = Open(dir, hashA, nil, Options{Spikes: true})
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	d.Close()
}

// TestCloseRemovesWhatOpenMade: a run that commits nothing leaves no folder
// behind if Open made it (with its parents), and a folder that was there as
// it was; a folder with a committed batch stays.
func TestCloseRemovesWhatOpenMade(t *testing.T) {
	root := t.TempDir()
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }

	dir := filepath.Join(root, "a", "b", "out")
	d, err := Open(dir, hashA, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !exists(filepath.Join(dir, progressFile)) {
		t.Error("the run's identity is not written at Open")
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if exists(filepath.Join(root, "a")) {
		t.Errorf("%s left after a run that committed nothing", filepath.Join(root, "a"))
	}
	if err := d.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	// A parent that fills up meanwhile stays.
	dir = filepath.Join(root, "p", "out")
	d, _ = Open(dir, hashA, nil, Options{})
	if err := os.WriteFile(filepath.Join(root, "p", "other"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if exists(dir) || !exists(filepath.Join(root, "p", "other")) {
		t.Errorf("Close removed the wrong things: out %v, p/other %v", exists(dir), exists(filepath.Join(root, "p", "other")))
	}

	existing := t.TempDir()
	if err := os.WriteFile(filepath.Join(existing, "notes.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	d, _ = Open(existing, hashA, nil, Options{Spikes: true})
	b := newTestBatch(t, d, []pointData{makePoint(0, []string{"E"}, 5, nil)}, nil)
	b.Abort()
	d.Close()
	if got := files(t, existing); !slices.Equal(got, []string{"notes.txt"}) || exists(filepath.Join(existing, partsDir)) {
		t.Errorf("a folder that existed before Open holds %q after a run that committed nothing", got)
	}

	dir = filepath.Join(root, "committed")
	d, _ = Open(dir, hashA, nil, Options{})
	runBatch(t, d, []pointData{makePoint(0, []string{"E"}, 5, nil)}, nil)
	d.Close()
	if !exists(filepath.Join(dir, progressFile)) {
		t.Error("Close removed a folder with a committed batch")
	}
	if exists(filepath.Join(dir, lockFile)) {
		t.Error("Close left the lock file")
	}
}

// TestTwoRecordersOnOnePopulation: the rows of two recorders that see the
// same spikes and samples are told apart by the recorder column, and come
// in the recorders' order.
func TestTwoRecordersOnOnePopulation(t *testing.T) {
	dir := t.TempDir()
	d, _ := Open(dir, hashA, nil, Options{Spikes: true, State: true})
	defer d.Close()
	l := Layout{Dt: 1, TSim: 10, Recorders: []Recorder{
		{Name: "late", Population: "E", Model: SpikeRecorder}, {Name: "early", Population: "E", Model: SpikeRecorder},
		{Name: "mm-a", Population: "E", Model: Multimeter, Vars: []Var{{Name: "V_m"}}},
		{Name: "mm-b", Population: "E", Model: Multimeter, Vars: []Var{{Name: "g"}}},
	}}
	b, err := d.NewBatch([]int{0}, l)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []int64{1, 2} {
		b.AddSpike(0, 1, 4, step) // "early" first: rows still come in config order
		b.AddSpike(0, 0, 4, step)
		b.AddSample(0, 3, 4, step, []string{"g"}, []float32{float32(step)})
		b.AddSample(0, 2, 4, step, []string{"V_m"}, []float32{-float32(step)})
	}
	b.AddSummary(SummaryRow{Point: 0, Population: "E"})
	spikes := commitAndFinish(t, d, b)
	want := []SpikeRow{{0, "E", "late", 4, 1, 1}, {0, "E", "late", 4, 2, 2}, {0, "E", "early", 4, 1, 1}, {0, "E", "early", 4, 2, 2}}
	if !reflect.DeepEqual(spikes, want) {
		t.Errorf("spikes %v,\nwant %v", spikes, want)
	}
	_, state, err := ReadState(filepath.Join(dir, stateFile))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range state {
		got = append(got, fmt.Sprintf("%s %g %v", r.Recorder, r.TimeMs, r.Valid))
	}
	if w := []string{"mm-a 1 [true false]", "mm-a 2 [true false]", "mm-b 1 [false true]", "mm-b 2 [false true]"}; !slices.Equal(got, w) {
		t.Errorf("state rows %q, want %q", got, w)
	}
}
