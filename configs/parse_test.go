package configs

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// Parse of the bytes Load read gives the same File, hash included, and
// File keeps exactly those bytes and the options, so that run.json can
// repeat a run without the file.
func TestParseRepeatsLoad(t *testing.T) {
	seed := uint32(7)
	plain, err := os.ReadFile("testdata/params.toml")
	if err != nil {
		t.Fatal(err)
	}
	// A byte order mark and Windows line ends: Source keeps them, though
	// the hash leaves the mark out.
	odd := filepath.Join(t.TempDir(), "odd.toml")
	if err := os.WriteFile(odd, append([]byte("\uFEFF"), bytes.ReplaceAll(plain, []byte("\n"), []byte("\r\n"))...), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		opt        Options
	}{
		{"file", "testdata/params.toml", Options{}},
		{"BOM and CRLF", odd, Options{}},
		{"embedded with --set and --seed", "brunel", Options{Sets: []string{"g=6", "t_sim=200", "g=5"}, Seed: &seed}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Load(c.path, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			data, _, err := read(c.path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(f.Source, data) {
				t.Fatalf("Source has %d bytes, the file %d", len(f.Source), len(data))
			}
			if !reflect.DeepEqual(f.Options, c.opt) {
				t.Fatalf("Options %+v, given %+v", f.Options, c.opt)
			}
			g, err := Parse(f.Source, f.Path, f.Options)
			if err != nil {
				t.Fatal(err)
			}
			if g.Hash != f.Hash {
				t.Errorf("hash %s from the bytes, %s from the file", g.Hash, f.Hash)
			}
			if !reflect.DeepEqual(g, f) {
				t.Errorf("Parse gave another File than Load")
			}
		})
	}
	// The options are the run's: a later change of the caller's seed
	// does not reach them.
	f, err := Load("brunel", Options{Seed: &seed})
	if err != nil {
		t.Fatal(err)
	}
	seed = 8
	if *f.Options.Seed != 7 {
		t.Errorf("Options.Seed %d after the caller changed its variable, want 7", *f.Options.Seed)
	}
}
