package units

import (
	"fmt"
	"sort"
	"strings"
)

// Dimension is a physical dimension.
type Dimension string

const (
	None        Dimension = "dimensionless"
	Voltage     Dimension = "voltage"
	Time        Dimension = "time"
	Capacitance Dimension = "capacitance"
	Current     Dimension = "current"
	Frequency   Dimension = "frequency"
	Conductance Dimension = "conductance"
)

// Unit is a unit symbol with its dimension and its size in the canonical
// unit of that dimension.
type Unit struct {
	Symbol string
	Dim    Dimension
	Scale  float64 // value in canonical units = value in this unit × Scale
}

var table = map[string]Unit{}

func add(dim Dimension, canonical string, others map[string]float64) {
	table[canonical] = Unit{canonical, dim, 1}
	for s, f := range others {
		table[s] = Unit{s, dim, f}
	}
}

func init() {
	add(Voltage, "mV", map[string]float64{"V": 1e3, "uV": 1e-3, "µV": 1e-3})
	add(Time, "ms", map[string]float64{"s": 1e3, "us": 1e-3, "µs": 1e-3})
	add(Capacitance, "pF", map[string]float64{"F": 1e12, "uF": 1e6, "µF": 1e6, "nF": 1e3})
	add(Current, "pA", map[string]float64{"A": 1e12, "uA": 1e6, "µA": 1e6, "nA": 1e3})
	add(Frequency, "Hz", map[string]float64{"kHz": 1e3})
	add(Conductance, "nS", map[string]float64{"S": 1e9, "uS": 1e3, "µS": 1e3, "pS": 1e-3})
}

// Lookup returns the unit with this symbol.
func Lookup(symbol string) (Unit, bool) {
	u, ok := table[symbol]
	return u, ok
}

// IsSymbol reports whether s names a unit (such names cannot be variables).
func IsSymbol(s string) bool { _, ok := table[s]; return ok }

// Canonical returns the canonical unit symbol of a parameter unit ("" for
// dimensionless), and panics on a symbol that is not canonical: model
// definitions must use NEST's units.
func Canonical(symbol string) Unit {
	if symbol == "" {
		return Unit{"", None, 1}
	}
	u, ok := table[symbol]
	if !ok || u.Scale != 1 {
		panic(fmt.Sprintf("units: %q is not a canonical unit", symbol))
	}
	return u
}

// Split separates a trailing unit symbol from a quantity string:
// "1.5 ms" → ("1.5", ms, true); "-g*J" → ("-g*J", _, false).
func Split(s string) (value string, u Unit, ok bool) {
	s = strings.TrimSpace(s)
	i := strings.LastIndexAny(s, " \t")
	if i < 0 {
		return s, Unit{}, false
	}
	u, ok = table[s[i+1:]]
	if !ok {
		return s, Unit{}, false
	}
	return strings.TrimSpace(s[:i]), u, true
}

// Convert returns v (given in unit from) in the canonical unit want, or an
// error that says what was expected.
func Convert(v float64, from Unit, want string) (float64, error) {
	w := Canonical(want)
	if from.Dim != w.Dim {
		if w.Dim == None {
			return 0, fmt.Errorf("expected a plain number, got %s (a %s)", from.Symbol, from.Dim)
		}
		return 0, fmt.Errorf("expected a %s in %s, got %s (a %s)", w.Dim, describe(w), from.Symbol, from.Dim)
	}
	return v * from.Scale, nil
}

func describe(u Unit) string {
	var syms []string
	for s, t := range table {
		if t.Dim == u.Dim && s != u.Symbol {
			syms = append(syms, s)
		}
	}
	sort.Strings(syms)
	return u.Symbol + " (or " + strings.Join(syms, ", ") + ")"
}
