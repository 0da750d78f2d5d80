// Package nesttest finds NEST 3 for tests that compare with it: Python from
// $NEST_PYTHON (default python3) with $NEST_PYTHONPATH added to PYTHONPATH.
package nesttest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Python returns a function making commands that run Python with NEST
// importable, or skips the test, saying why, where NEST is absent.
func Python(t testing.TB) func(args ...string) *exec.Cmd {
	t.Helper()
	python := os.Getenv("NEST_PYTHON")
	if python == "" {
		python = "python3"
	}
	env := os.Environ()
	if p := os.Getenv("NEST_PYTHONPATH"); p != "" {
		env = append(env, "PYTHONPATH="+p+string(os.PathListSeparator)+os.Getenv("PYTHONPATH"))
	}
	command := func(args ...string) *exec.Cmd {
		cmd := exec.Command(python, args...)
		cmd.Env = env
		return cmd
	}
	if out, err := command("-c", "import nest, numpy").CombinedOutput(); err != nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		t.Skipf("NEST 3 is not importable with %s (set NEST_PYTHON, NEST_PYTHONPATH): %v\n%s", python, err, lines[len(lines)-1])
	}
	return command
}

// Values returns the fields after prefix of every line of out that starts
// with it (NEST prints its banner to stdout too).
func Values(out, prefix string) [][]string {
	var rows [][]string
	for _, l := range strings.Split(out, "\n") {
		if r, ok := strings.CutPrefix(l, prefix); ok {
			rows = append(rows, strings.Fields(r))
		}
	}
	return rows
}
