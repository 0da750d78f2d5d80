package configs_test

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/sweep"
)

// sweep.Key must treat masks, layers and third factors as structure: a
// change of any of them gives another batch.
func TestKeyOfSpatialStructure(t *testing.T) {
	key := func(sets ...string) string {
		t.Helper()
		f, err := configs.Load("testdata/spatial_sweep.toml", configs.Options{Sets: sets})
		if err != nil {
			t.Fatal(err)
		}
		return sweep.Key(&f.Points[0].Net)
	}
	base := key()
	for _, set := range []string{"radius=0.4", "size=2"} {
		if key(set) == base {
			t.Errorf("--set %s: same key as the base network", set)
		}
	}
}

// Points that differ only in a constant weight share a batch, spatial or
// not.
func TestKeyOfSpatialWeights(t *testing.T) {
	a, err := configs.Load("testdata/spatial_sweep.toml", configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := configs.Load("testdata/spatial_sweep.toml", configs.Options{Sets: []string{"g=4"}})
	if err != nil {
		t.Fatal(err)
	}
	if sweep.Key(&a.Points[0].Net) != sweep.Key(&b.Points[0].Net) {
		t.Error("two loads of one spatial network differing only in a weight get different keys")
	}
}
