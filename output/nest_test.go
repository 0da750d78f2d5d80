package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nestLayout is testLayout with the nodes of a NEST script: E (10), I (5),
// a generator, then the four recorders: ids E 1–10, I 11–15, noise 16,
// spikes-E 17, spikes-I 18, multimeter-E 19, multimeter-I 20.
func nestLayout() Layout {
	l := testLayout("V_m")
	l.Dt = 0.1
	l.Nodes = []Node{{"population", "E", 10}, {"population", "I", 5}, {"device", "noise", 1}}
	for _, r := range l.Recorders {
		l.Nodes = append(l.Nodes, Node{"recorder", r.Name, 1})
	}
	return l
}

// The NEST view: per point and spike recorder a file in NEST's ascii
// layout with global 1-based sender ids and the grid's decimal times (also
// for a recorder that saw nothing), a map of the ids, checksums that guard
// them, and the option part of the run's identity.
func TestNESTView(t *testing.T) {
	dir := t.TempDir()
	opt := Options{Spikes: true, State: true, NEST: true}
	d, err := Open(dir, hashA, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.NewBatch([]int{0, 1}, nestLayout())
	if err != nil {
		t.Fatal(err)
	}
	b.AddSpike(0, 0, 2, 137) // E 2 at 13.7 ms: sender 3
	b.AddSpike(0, 1, 0, 137) // I 0: sender 11
	b.AddSpike(0, 0, 9, 140)
	b.AddSpike(1, 0, 0, 3) // point 1: spikes-I sees nothing
	b.AddSample(0, 2, 1, 5, []string{"V_m"}, []float32{-70})
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := d.Finish(nil); err != nil {
		t.Fatal(err)
	}
	d.Close()
	want := map[string]string{
		"nest/p0/nodes.csv": "kind,name,first_id,last_id\npopulation,E,1,10\npopulation,I,11,15\ndevice,noise,16,16\n" +
			"recorder,spikes-E,17,17\nrecorder,spikes-I,18,18\nrecorder,multimeter-E,19,19\nrecorder,multimeter-I,20,20\n",
		"nest/p0/spikes-E-17-0.dat": "# snn-gpu NEST view: spikes-E of population E, point 0\n# RecordingBackendASCII version: 2\nsender\ttime_ms\n3\t13.7\n10\t14\n",
		"nest/p0/spikes-I-18-0.dat": "# snn-gpu NEST view: spikes-I of population I, point 0\n# RecordingBackendASCII version: 2\nsender\ttime_ms\n11\t13.7\n",
		"nest/p1/spikes-E-17-0.dat": "# snn-gpu NEST view: spikes-E of population E, point 1\n# RecordingBackendASCII version: 2\nsender\ttime_ms\n1\t0.3\n",
		"nest/p1/spikes-I-18-0.dat": "# snn-gpu NEST view: spikes-I of population I, point 1\n# RecordingBackendASCII version: 2\nsender\ttime_ms\n",
	}
	var got []string
	for _, f := range files(t, filepath.Join(dir, nestDir)) {
		got = append(got, filepath.ToSlash(filepath.Join(nestDir, f)))
	}
	if len(got) != len(want)+1 { // + p1/nodes.csv
		t.Errorf("NEST view files %q", got)
	}
	for name, content := range want {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(data) != content {
			t.Errorf("%s: %q, %v\nwant %q", name, data, err, content)
		}
	}
	prog, _ := os.ReadFile(filepath.Join(dir, progressFile))
	for name := range want {
		if !strings.Contains(string(prog), `"name": "`+name+`"`) {
			t.Errorf("progress.json has no checksum of %s", name)
		}
	}

	// An altered view is noticed; the option is part of the run.
	if _, err := Open(dir, hashA, nil, Options{Spikes: true, State: true}); err == nil || !strings.Contains(err.Error(), "nest=true") {
		t.Errorf("reopening without the NEST view: %v", err)
	}
	if d, err := Open(dir, hashA, nil, opt); err != nil {
		t.Fatalf("reopening: %v", err)
	} else {
		d.Close()
	}
	dat := filepath.Join(dir, "nest/p0/spikes-E-17-0.dat")
	if err := os.WriteFile(dat, []byte("# edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, hashA, nil, opt); err == nil || !strings.Contains(err.Error(), "spikes-E-17-0.dat") {
		t.Errorf("an edited NEST file: %v", err)
	}
	if _, err := Open(t.TempDir(), hashA, nil, Options{NEST: true}); err == nil {
		t.Error("the NEST view without spikes accepted")
	}
}

// A crashed Finish leaves a temporary view folder; the next Open removes it.
func TestNESTViewTemporaryRemoved(t *testing.T) {
	dir := t.TempDir()
	d, _ := Open(dir, hashA, nil, Options{Spikes: true, NEST: true})
	runBatch(t, d, []pointData{makePoint(0, []string{"E"}, 5, nil)}, nil)
	die(d)
	stray := filepath.Join(dir, nestDir+".123"+tmpSuffix)
	if err := os.MkdirAll(filepath.Join(stray, "p0"), 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir, hashA, nil, Options{Spikes: true, NEST: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := os.Stat(stray); err == nil {
		t.Error("the temporary NEST folder survived Open")
	}
}
