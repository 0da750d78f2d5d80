package units

import (
	"strconv"
	"strings"
	"testing"
)

func TestSplitAndConvert(t *testing.T) {
	cases := []struct {
		in, want string
		value    string
		result   float64
		err      string
	}{
		{"1.5 ms", "ms", "1.5", 1.5, ""},
		{"0.25 nF", "pF", "0.25", 250, ""},
		{"2 s", "ms", "2", 2000, ""},
		{"-g*J mV", "mV", "-g*J", 1, ""},
		{"20 ms", "mV", "20", 0, "expected a voltage in mV"},
		{"3 Hz", "", "3", 0, "expected a plain number"},
	}
	for _, c := range cases {
		v, u, ok := Split(c.in)
		if !ok || v != c.value {
			t.Fatalf("Split(%q) = %q, %v, %v", c.in, v, u, ok)
		}
		x, err := strconv.ParseFloat(c.value, 64)
		if err != nil {
			x = 1 // an expression: only the unit matters here
		}
		got, err := Convert(x, u, c.want)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Convert(%q → %q) error = %v, want %q", c.in, c.want, err, c.err)
			}
			continue
		}
		if err != nil || got != c.result {
			t.Errorf("Convert(%q → %q) = %g, %v; want %g", c.in, c.want, got, err, c.result)
		}
	}
	if _, _, ok := Split("-g*J"); ok {
		t.Error("Split found a unit in an expression without one")
	}
}
