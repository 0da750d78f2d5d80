package configs

import (
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedConfigs are the shipped examples and every test config.
func seedConfigs(f *testing.F) [][]byte {
	var out [][]byte
	entries, _ := fs.ReadDir(Examples, ".")
	for _, e := range entries {
		data, err := Examples.ReadFile(e.Name())
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, data)
	}
	files, _ := filepath.Glob("testdata/*.toml")
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// checkError asserts what every refusal looks like: each line names the
// file.
func checkError(t *testing.T, name string, err error) {
	t.Helper()
	for _, line := range strings.Split(err.Error(), "\n") {
		if !strings.HasPrefix(line, name+": ") && !strings.HasPrefix(line, "... and ") {
			t.Fatalf("error line %q does not name the file", line)
		}
	}
}

// No input may crash the loader: it loads, or refuses with messages that
// name the file.
func FuzzLoad(f *testing.F) {
	for _, data := range seedConfigs(f) {
		f.Add(data)
	}
	f.Add([]byte("\uFEFF[simulation]\nt_sim = 10\nt_sim = 20\n"))
	f.Add(fields{"n": "1e12"}.config())
	f.Add(fields{"V_th": "1;2"}.config())
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := Parse(data, "fuzz.toml", Options{}); err != nil {
			checkError(t, "fuzz.toml", err)
		}
	})
}

// Expressions and units in a field: refused with a message, or a finite
// value in the field's unit.
func FuzzExpression(f *testing.F) {
	for _, s := range []string{"theta", "x + y", "tms s", "1/T", "2*mV", "round(x/ms)", "x**0.5", "exp(x)", "1;2",
		"[1,2]", "20mV", "20 furlongs", "y + 1", "th * mV + 0.001 * V", "random.uniform(1, 2) mV", "lambertwm1(-0.1)",
		"sqrt(x**2)/ms", "g ? 1 : 2", "min(th, 3, 4)", "-th**2", "th % 7", "1e308*1e308", "int(th/3)", "0/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		file, err := Parse(fields{"V_th": src}.config(), "fuzz.toml", Options{})
		if err != nil {
			checkError(t, "fuzz.toml", err)
			return
		}
		if v := file.Points[0].Net.Populations[0].Params["V_th"]; math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("V_th = %q loaded as %g", src, v)
		}
	})
}

// --set NAME=VALUE, whatever follows --set.
func FuzzSet(f *testing.F) {
	for _, s := range []string{"tm=30", "tm=30 mV", "T=0.5 s", "th=2*mV", "t_sim=2 s", "seed=7", "dt=0.01", "nn=1e12",
		"g", "=", "x==1", "backend=gpu", "threads=-1", "k=2 ms", "T=200"} {
		f.Add(s)
	}
	base := fields{"rate": "1/T"}.config()
	f.Fuzz(func(t *testing.T, set string) {
		if _, err := Parse(base, "fuzz.toml", Options{Sets: []string{set}}); err != nil {
			checkError(t, "fuzz.toml", err)
		}
	})
}
