package configs

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Recorders are named "model-i" unless the file names them, and two
// recorders never share a name: the recorder column tells their rows apart.
func TestRecorderNames(t *testing.T) {
	const pop = "[[population]]\nname = \"E\"\nmodel = \"iaf_psc_delta\"\nn = 10\n"
	rec := func(model, extra string) string {
		s := "[[recorder]]\nmodel = \"" + model + "\"\nsource = \"E\"\n" + extra
		if model == "multimeter" {
			s += "record_from = [\"V_m\"]\n"
		}
		return s
	}
	cases := []struct {
		name   string
		recs   string
		want   []string // the names, or
		errors []string // the errors
	}{
		{"defaults by position", rec("spike_recorder", "") + rec("multimeter", "") + rec("spike_recorder", ""),
			[]string{"spike_recorder-0", "multimeter-1", "spike_recorder-2"}, nil},
		{"given names", rec("spike_recorder", `name = "all"`+"\n") + rec("spike_recorder", `name = "late"`+"\nstart = 50.0\n"),
			[]string{"all", "late"}, nil},
		{"a name twice", rec("spike_recorder", `name = "r"`+"\n") + rec("multimeter", `name = "r"`+"\n"),
			nil, []string{`recorder[1].name: "r" is already the name of recorder[0]; recorder names must be unique`}},
		{"a default taken", rec("spike_recorder", `name = "spike_recorder-1"`+"\n") + rec("spike_recorder", ""),
			nil, []string{`recorder[1]: its default name "spike_recorder-1" is the name of recorder[0]; give it another name`}},
		{"an empty name", rec("spike_recorder", `name = ""`+"\n"), nil, []string{"recorder[0].name: expected a non-empty name"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.toml")
			if err := os.WriteFile(path, []byte(pop+c.recs), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := Load(path, Options{})
			if c.errors != nil {
				for _, w := range c.errors {
					if err == nil || !strings.Contains(err.Error(), w) {
						t.Errorf("error %v, want %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range f.Points[0].Net.Recorders {
				got = append(got, r.Name)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("names %q, want %q", got, c.want)
			}
		})
	}
}
