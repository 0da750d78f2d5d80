package output

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/spec"
)

// runInfo is the part of the runner's run.json that holds non-finite
// values: resolved specs.
type runInfo struct {
	Seed   uint32         `json:"seed"`
	Points []spec.Network `json:"points"`
}

// run.json holds +Inf stop times and -Inf parameters, and reads back.
func TestWriteJSONRoundTrip(t *testing.T) {
	in := runInfo{Seed: 7, Points: []spec.Network{{
		Simulation:  spec.Simulation{Dt: 0.1, TSim: 100},
		Populations: []spec.Population{{Name: "E", Model: "iaf_psc_delta", N: 3, Params: map[string]float64{"V_min": math.Inf(-1), "tau_m": 20}}},
		Devices:     []spec.Device{{Name: "p", Model: "poisson_generator", N: 1, Params: map[string]float64{"rate": 10, "stop": math.Inf(1)}}},
		Recorders:   []spec.Recorder{{Name: "spikes", Model: "spike_recorder", Source: "E", Start: 0, Stop: math.Inf(1)}},
	}}}
	path := filepath.Join(t.TempDir(), "run.json")
	if err := WriteJSON(path, in); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"V_min": "-Infinity"`, `"stop": "Infinity"`, "\n  \"seed\": 7,\n"} {
		if !strings.Contains(string(data), s) {
			t.Errorf("run.json lacks %q:\n%s", s, data)
		}
	}
	var out runInfo
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("read back\n%+v\nwant\n%+v", out, in)
	}
}

// An unencodable value (a bare non-finite float64, a channel) is an error
// naming the file, and the old file stays; no temporary is left.
func TestWriteJSONRefusal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{map[string]float64{"x": math.NaN()}, make(chan int)} {
		if err := WriteJSON(path, v); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%T: error %v, want one naming %s", v, err, path)
		}
	}
	if data, _ := os.ReadFile(path); string(data) != "old" {
		t.Errorf("a failed WriteJSON changed the file: %q", data)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*"+tmpSuffix)); len(m) != 0 {
		t.Errorf("temporaries left: %q", m)
	}
}
