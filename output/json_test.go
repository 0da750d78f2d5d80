package output

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

type inner struct {
	Stop  float64 `json:"stop"`
	Start float32 `json:"start,omitempty"`
}

type Embedded struct {
	Shadowed string `json:"name"`
	Extra    int
}

type outer struct {
	Embedded
	Name     string             `json:"name"`
	Rec      inner              `json:"rec"`
	Ptr      *inner             `json:"ptr"`
	Params   map[string]float64 `json:"params"`
	List     []float64          `json:"list"`
	Skip     float64            `json:"-"`
	Empty    []int              `json:"empty,omitempty"`
	Zero     time.Time          `json:"zero,omitzero"`
	When     time.Time          `json:"when"`
	Raw      json.RawMessage    `json:"raw"`
	Any      any                `json:"any"`
	ByInt    map[int]string     `json:"by_int"`
	Bytes    []byte             `json:"bytes"`
	NilSlice []string           `json:"nil_slice"`
	Quoted   int                `json:"quoted,string"`
	hidden   int
}

func TestMarshalJSON(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		v    any
		want string // compact
	}{
		{"non-finite floats", []float64{inf, math.Inf(-1), nan, 1.5, 0}, `["Infinity","-Infinity","NaN",1.5,0]`},
		{"float32", []float32{0.1, float32(inf)}, `[0.1,"Infinity"]`},
		{"map with Inf", map[string]float64{"b": inf, "a": -0.5}, `{"a":-0.5,"b":"Infinity"}`},
		{"nil", nil, `null`},
		{"struct", outer{
			Embedded: Embedded{Shadowed: "hidden by outer", Extra: 7},
			Name:     "E", Rec: inner{Stop: inf}, Params: map[string]float64{"tau_m": 20, "stop": math.Inf(-1)},
			List: []float64{nan}, Skip: 3, When: when, Raw: json.RawMessage(`{"k":1}`), Any: map[string]any{"x": inf},
			ByInt: map[int]string{10: "a", 2: "b"}, Bytes: []byte("hi"), Quoted: 5, hidden: 1,
		}, `{"Extra":7,"name":"E","rec":{"stop":"Infinity"},"ptr":null,"params":{"stop":"-Infinity","tau_m":20},` +
			`"list":["NaN"],"when":"2026-01-02T03:04:05Z","raw":{"k":1},"any":{"x":"Infinity"},"by_int":{"10":"a","2":"b"},` +
			`"bytes":"aGk=","nil_slice":null,"quoted":"5"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := marshalJSON(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := json.Compact(&got, b); err != nil {
				t.Fatalf("invalid JSON %s: %v", b, err)
			}
			if got.String() != tc.want {
				t.Errorf("got  %s\nwant %s", got.String(), tc.want)
			}
		})
	}
}

// TestMarshalJSONMatchesStdlib: for finite values the output is
// encoding/json's, indentation included.
func TestMarshalJSONMatchesStdlib(t *testing.T) {
	v := outer{Name: "x", Rec: inner{Stop: 1e300, Start: 1.25}, Ptr: &inner{Stop: -2}, Params: map[string]float64{"z": 1, "a": 2},
		List: []float64{1e-7, 123456789}, ByInt: map[int]string{-1: "m"}, Any: []any{1, "s", true, nil}}
	got, err := marshalJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want)+"\n" {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestMarshalJSONErrors(t *testing.T) {
	type cyc struct{ Next *cyc }
	c := &cyc{}
	c.Next = c
	for _, v := range []any{make(chan int), complex(1, 2), map[float64]int{1: 1}, c} {
		if _, err := marshalJSON(v); err == nil {
			t.Errorf("%T: no error", v)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(path, map[string]any{"t_stop": math.Inf(1), "n": 3}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if want := "{\n  \"n\": 3,\n  \"t_stop\": \"Infinity\"\n}\n"; string(data) != want {
		t.Errorf("got %q, want %q", data, want)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*"+tmpSuffix)); len(m) != 0 {
		t.Errorf("temporaries left: %q", m)
	}
	// An unencodable value leaves the old file alone.
	if err := WriteJSON(path, make(chan int)); err == nil {
		t.Error("no error for a channel")
	}
	if data2, _ := os.ReadFile(path); string(data2) != string(data) {
		t.Error("a failed WriteJSON changed the file")
	}
}
