package units

import (
	"strconv"
	"strings"
	"testing"
)

// NEST's units are coherent in mV, ms and pA: the products and quotients
// of parameters come out in NEST's units (C_m/tau_m in nS, 1/tau in 1/ms).
func TestCoherence(t *testing.T) {
	q := func(sym string) Quantity { u, _ := Lookup(sym); return u.Quantity(1) }
	mul := func(a, b Quantity) Quantity { return Quantity{a.V * b.V, a.Dim.Mul(b.Dim)} }
	div := func(a, b Quantity) Quantity { return Quantity{a.V / b.V, a.Dim.Div(b.Dim)} }
	cases := []struct {
		name string
		got  Quantity
		want string
	}{
		{"pA·ms/mV", div(mul(q("pA"), q("ms")), q("mV")), "1 pF"},
		{"pA/mV", div(q("pA"), q("mV")), "1 nS"},
		{"pF/ms", div(q("pF"), q("ms")), "1 nS"},
		{"1/s", div(Plain(1), q("s")), "1 Hz"},
		{"kHz·ms", mul(q("kHz"), q("ms")), "1"},
		{"nS·mV", mul(q("nS"), q("mV")), "1 pA"},
		{"mV/ms", div(q("mV"), q("ms")), "1 mV/ms"},
		{"ms²", mul(q("ms"), q("ms")), "1 ms^2"},
		{"1/(mV·ms)", div(Plain(1), mul(q("mV"), q("ms"))), "1 1/(mV·ms)"},
	}
	for _, c := range cases {
		if s := c.got.String(); s != c.want {
			t.Errorf("%s = %s, want %s", c.name, s, c.want)
		}
	}
}

func TestSplitAndIn(t *testing.T) {
	cases := []struct {
		in, want string
		value    string
		result   float64
		err      string
	}{
		{"1.5 ms", "ms", "1.5", 1.5, ""},
		{"0.25 nF", "pF", "0.25", 250, ""},
		{"2 s", "ms", "2", 2000, ""},
		{"15000 Hz", "Hz", "15000", 15000, ""},
		{"33.7 kHz", "Hz", "33.7", 33700, ""},
		{"-g*J mV", "mV", "-g*J", 1, ""},
		{"20 ms", "mV", "20", 0, "expected a voltage in mV (or V, uV, µV), got 20 ms (a time)"},
		{"3 Hz", "", "3", 0, "expected a plain number, got 3 Hz (a frequency)"},
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
		got, err := u.Quantity(x).In(Canonical(c.want))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q in %q: error %v, want %q", c.in, c.want, err, c.err)
			}
			continue
		}
		if err != nil || got != c.result {
			t.Errorf("%q in %q = %g, %v; want %g", c.in, c.want, got, err, c.result)
		}
	}
	if _, _, ok := Split("-g*J"); ok {
		t.Error("Split found a unit in an expression without one")
	}
	if _, _, ok := Split("20 furlongs"); ok {
		t.Error("Split took furlongs for a unit")
	}
}

// Decimal values come back exactly through a unit of another scale.
func TestConversionsKeepDecimals(t *testing.T) {
	hz := Canonical("Hz")
	for _, x := range []float64{0.1, 3.3, 15000, 12345.678, 8.8e-3, 1e25} {
		if got, _ := hz.Quantity(x).In(hz); got != x {
			t.Errorf("%g Hz round trip = %.17g", x, got)
		}
	}
}

func TestPow(t *testing.T) {
	cases := []struct {
		d    Dim
		p    float64
		want Dim
		ok   bool
	}{
		{Time, 2, Dim{0, 2, 0}, true},
		{Dim{0, 2, 0}, 0.5, Time, true},
		{Time, 0.5, Dim{}, false},
		{Conductance, -1, Dim{1, 0, -1}, true},
		{None, 0.37, None, true},
		{Time, 1000, Dim{}, false},
	}
	for _, c := range cases {
		got, ok := c.d.Pow(c.p)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("%v^%g = %v, %v; want %v, %v", c.d, c.p, got, ok, c.want, c.ok)
		}
	}
}

func TestCanonicalRefusesOtherUnits(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Canonical(\"s\") did not panic")
		}
	}()
	Canonical("s")
}
