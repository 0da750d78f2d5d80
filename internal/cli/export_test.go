package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// export nest writes a script for a point of a sweep, and refuses, with
// exit status 1, the config path and nothing on disk, what NEST cannot
// express and a point that does not exist.
func TestExportNEST(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	config := `[[population]]
name = "E"
model = "iaf_psc_delta"
n = 10

[[connection]]
source = "E"
target = "E"
rule = { rule = "fixed_indegree", indegree = 2 }
syn = { weight = "log(random.uniform(1, 2))" }
`
	if err := os.WriteFile(bad, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args   []string
		code   int
		output string // in stdout or stderr
	}{
		{[]string{"export", "nest", "brunel_states", "--point", "2", "-o", "states2.py"}, 0, "brunel_states point 2"},
		{[]string{"export", "nest", bad, "-o", "bad.py"}, 1, `connection[0].syn.weight: "log(random.uniform(1, 2))": NEST's parameters have no log`},
		{[]string{"export", "nest", "brunel_states", "--point", "4", "-o", "states4.py"}, 1, "--point 4: brunel_states has 4 point(s), 0 to 3"},
		{[]string{"export", "nest", "brunel"}, 1, "-o SCRIPT.py is required"},
	}
	for _, tc := range tests {
		var stdout, stderr bytes.Buffer
		args := tc.args
		for i, a := range args {
			if strings.HasSuffix(a, ".py") {
				args[i] = filepath.Join(dir, a)
			}
		}
		code := Main(args, &stdout, &stderr)
		if code != tc.code || !strings.Contains(stdout.String()+stderr.String(), tc.output) {
			t.Errorf("%q: exit %d, %q%q; want exit %d with %q", args, code, stdout.String(), stderr.String(), tc.code, tc.output)
		}
	}
	script, err := os.ReadFile(filepath.Join(dir, "states2.py"))
	if err != nil || !strings.Contains(string(script), "POINT = 2") || !strings.Contains(string(script), `SWEPT = {"eta": `) {
		t.Errorf("states2.py: %v, %.300s", err, script)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) != 2 { // bad.toml and states2.py: no refused script, no temporary file
		t.Errorf("files left: %q", left)
	}
}
