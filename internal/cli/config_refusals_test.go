package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// refusalConfig reads its threshold and delay from [vars]; each case edits
// one of them.
const refusalConfig = `[simulation]
t_sim = 20.0
[vars]
theta = 20
d = 1.5
[[population]]
name = "E"
model = "iaf_psc_delta"
n = 10
params = { V_th = "theta" }
[[connection]]
source = "E"
target = "E"
rule = { rule = "fixed_indegree", indegree = 2 }
syn = { delay = "d" }
`

// Values of the wrong dimension, through [vars], --set and [sweep], and
// the smaller mistakes of the reliability issue are refused by the command
// before anything runs: exit 1, the field and the var named, no folder.
func TestConfigRefusals(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, config string
		sets         []string
		want         string
	}{
		{"a time in [vars] as V_th", strings.Replace(refusalConfig, "theta = 20", `theta = "20 ms"`, 1), nil,
			"population[0].params.V_th: expected a voltage in mV (or V, uV, µV), got theta = 20 ms (a time, from [vars])"},
		{"a voltage from --set as a delay", refusalConfig, []string{"d=1.5 mV"},
			"connection[0].syn.delay: expected a time in ms (or s, us, µs), got d = 1.5 mV (a voltage, from --set d=1.5 mV)"},
		{"a swept time as V_th", refusalConfig + "[sweep]\nparams = { theta = [\"15 ms\", \"20 ms\"] }\n", nil,
			"point 0 (theta=15 ms): population[0].params.V_th: expected a voltage in mV (or V, uV, µV), got theta = 15 ms (a time, from [sweep])"},
		{"a unit typo", strings.Replace(refusalConfig, "d = 1.5", `d = "1.5 msec"`, 1), nil, `vars.d: unknown unit msec in "1.5 msec"`},
		{"a statement", strings.Replace(refusalConfig, "d = 1.5", `d = "1;2"`, 1), nil, `vars.d: cannot read expression "1;2"`},
		{"a key twice", strings.Replace(refusalConfig, "d = 1.5", "d = 1.5\nd = 2", 1), nil, "line 6: key d is already defined"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".toml")
			if err := os.WriteFile(cfg, []byte(c.config), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out-"+filepath.Base(cfg))
			args := []string{"sweep", cfg, "-q", "--out", out}
			for _, s := range c.sets {
				args = append(args, "--set", s)
			}
			var stdout, stderr bytes.Buffer
			if code := Main(args, &stdout, &stderr); code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
			if !strings.Contains(stderr.String(), cfg+": "+c.want) {
				t.Errorf("stderr:\n%s\nwant it to contain\n%s: %s", stderr.String(), cfg, c.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s exists after the refusal", out)
			}
		})
	}
	// The same config with the right units runs.
	cfg := filepath.Join(dir, "good.toml")
	good := strings.Replace(refusalConfig, "theta = 20", `theta = "0.02 V"`, 1)
	if err := os.WriteFile(cfg, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"run", cfg, "-q", "--set", "d=2", "--out", filepath.Join(dir, "good")}, &stdout, &stderr); code != 0 {
		t.Errorf("the config with units: exit %d\n%s", code, stderr.String())
	}
}
