package spec_test

import (
	"encoding/json"
	"io/fs"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/spec"
)

func TestFloatJSON(t *testing.T) {
	tests := []struct {
		x    float64
		json string
	}{
		{math.Inf(1), `"Infinity"`}, {math.Inf(-1), `"-Infinity"`}, {math.NaN(), `"NaN"`},
		{0.1, `0.1`}, {-2.5e-300, `-2.5e-300`}, {1e21, `1e+21`}, {0, `0`},
	}
	for _, tc := range tests {
		b, err := json.Marshal(spec.Float(tc.x))
		if err != nil || string(b) != tc.json {
			t.Errorf("Marshal(%g) = %s, %v; want %s", tc.x, b, err, tc.json)
		}
		var back spec.Float
		if err := json.Unmarshal([]byte(tc.json), &back); err != nil {
			t.Errorf("Unmarshal(%s): %v", tc.json, err)
		}
		if x := float64(back); x != tc.x && !(math.IsNaN(x) && math.IsNaN(tc.x)) {
			t.Errorf("Unmarshal(%s) = %g, want %g", tc.json, x, tc.x)
		}
	}
	var none spec.Float // null: a value that does not exist reads as NaN
	if err := json.Unmarshal([]byte(`null`), &none); err != nil || !math.IsNaN(float64(none)) {
		t.Errorf("Unmarshal(null) = %g, %v; want NaN", none, err)
	}
	for _, bad := range []string{`"inf"`, `"1.5"`, `true`, `{}`, `"many"`} {
		var f spec.Float
		if err := json.Unmarshal([]byte(bad), &f); err == nil {
			t.Errorf("Unmarshal(%s) accepted: %g", bad, f)
		}
	}
}

// Every point of every example config encodes with encoding/json (as
// run.json holds it) and decodes to the same spec; the infinite defaults
// (recorders' stop, V_min) are among them.
func TestExampleSpecsRoundTrip(t *testing.T) {
	names, err := fs.Glob(configs.Examples, "*.toml")
	if err != nil || len(names) == 0 {
		t.Fatalf("examples %q: %v", names, err)
	}
	infinite := 0
	for _, name := range names {
		f, err := configs.Load(name, configs.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range f.Points {
			b, err := json.Marshal(p.Net)
			if err != nil {
				t.Fatalf("%s point %d: %v", name, p.Index, err)
			}
			infinite += strings.Count(string(b), `Infinity"`)
			var back spec.Network
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("%s point %d: %v", name, p.Index, err)
			}
			if !reflect.DeepEqual(back, p.Net) {
				t.Errorf("%s point %d: decoded spec differs from the original", name, p.Index)
			}
		}
	}
	if infinite == 0 {
		t.Error("no infinite value in any example: the test shows nothing")
	}
}
