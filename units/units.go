package units

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Dim is a physical dimension: the exponents of voltage, time and current.
type Dim [3]int8

// The dimensions of NEST's parameters.
var (
	None        = Dim{}
	Voltage     = Dim{1, 0, 0}
	Time        = Dim{0, 1, 0}
	Current     = Dim{0, 0, 1}
	Capacitance = Dim{-1, 1, 1} // pA·ms/mV
	Conductance = Dim{-1, 0, 1} // pA/mV
	Frequency   = Dim{0, -1, 0}
)

// names of the dimensions that have one, for messages.
var names = map[Dim]string{
	None: "plain number", Voltage: "voltage", Time: "time", Current: "current",
	Capacitance: "capacitance", Conductance: "conductance", Frequency: "frequency",
}

// Mul returns the dimension of a product.
func (d Dim) Mul(e Dim) Dim { return Dim{d[0] + e[0], d[1] + e[1], d[2] + e[2]} }

// Div returns the dimension of a quotient.
func (d Dim) Div(e Dim) Dim { return Dim{d[0] - e[0], d[1] - e[1], d[2] - e[2]} }

// Pow returns the dimension of d raised to p, and false when that has no
// dimension of whole exponents (the square root of a time).
func (d Dim) Pow(p float64) (Dim, bool) {
	var out Dim
	for i, e := range d {
		x := float64(e) * p
		r := math.Round(x)
		if math.Abs(x-r) > 1e-9 || math.Abs(r) > 100 {
			return Dim{}, false
		}
		out[i] = int8(r)
	}
	return out, true
}

// String names the dimension: "voltage", "plain number", or for one without
// a name its coherent unit ("quantity in mV/ms").
func (d Dim) String() string {
	if n, ok := names[d]; ok {
		return n
	}
	return "quantity in " + d.Coherent()
}

// Coherent writes the coherent unit of d: "mV", "mV/ms", "ms^2", "1/ms".
func (d Dim) Coherent() string {
	base := [3]string{"mV", "ms", "pA"}
	var num, den []string
	for i, e := range d {
		switch {
		case e == 1:
			num = append(num, base[i])
		case e > 1:
			num = append(num, base[i]+"^"+strconv.Itoa(int(e)))
		case e == -1:
			den = append(den, base[i])
		case e < -1:
			den = append(den, base[i]+"^"+strconv.Itoa(int(-e)))
		}
	}
	s := strings.Join(num, "·")
	if s == "" {
		s = "1"
	}
	if len(den) == 1 {
		s += "/" + den[0]
	} else if len(den) > 1 {
		s += "/(" + strings.Join(den, "·") + ")"
	}
	return s
}

// Unit is a unit symbol with its dimension and its size in coherent units.
type Unit struct {
	Symbol string
	Dim    Dim
	Scale  float64 // the coherent value of 1 Symbol: 1 s = 1000 (ms), 1 Hz = 0.001 (1/ms)
}

// Quantity returns the quantity x Symbol.
func (u Unit) Quantity(x float64) Quantity { return Quantity{x * u.Scale, u.Dim} }

var (
	table     = map[string]Unit{}
	canonical = map[Dim]Unit{} // NEST's unit of each named dimension
)

func add(dim Dim, nest string, nestScale float64, others map[string]float64) {
	table[nest] = Unit{nest, dim, nestScale}
	canonical[dim] = table[nest]
	for s, f := range others {
		table[s] = Unit{s, dim, f * nestScale}
	}
}

func init() {
	add(Voltage, "mV", 1, map[string]float64{"V": 1e3, "uV": 1e-3, "µV": 1e-3})
	add(Time, "ms", 1, map[string]float64{"s": 1e3, "us": 1e-3, "µs": 1e-3})
	add(Capacitance, "pF", 1, map[string]float64{"F": 1e12, "uF": 1e6, "µF": 1e6, "nF": 1e3})
	add(Current, "pA", 1, map[string]float64{"A": 1e12, "uA": 1e6, "µA": 1e6, "nA": 1e3})
	add(Frequency, "Hz", 1e-3, map[string]float64{"kHz": 1e3})
	add(Conductance, "nS", 1, map[string]float64{"S": 1e9, "uS": 1e3, "µS": 1e3, "pS": 1e-3})
}

// Lookup returns the unit with this symbol.
func Lookup(symbol string) (Unit, bool) {
	u, ok := table[symbol]
	return u, ok
}

// IsSymbol reports whether s names a unit (such names cannot be variables).
func IsSymbol(s string) bool { _, ok := table[s]; return ok }

// Symbols returns every unit symbol, sorted.
func Symbols() []string {
	s := make([]string, 0, len(table))
	for k := range table {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

// Canonical returns the unit of a model parameter ("" for a plain number),
// and panics on a symbol that is not NEST's unit of its dimension: model
// definitions must use NEST's units.
func Canonical(symbol string) Unit {
	if symbol == "" {
		return Unit{"", None, 1}
	}
	u, ok := table[symbol]
	if !ok || canonical[u.Dim] != u {
		panic(fmt.Sprintf("units: %q is not one of NEST's units", symbol))
	}
	return u
}

// Split separates a trailing unit symbol from a quantity string:
// "1.5 ms" → ("1.5", ms, true); "-g*J" → ("-g*J", _, false). A symbol after
// an operator is an operand, not a trailing unit ("x * mV").
func Split(s string) (value string, u Unit, ok bool) {
	s = strings.TrimSpace(s)
	i := strings.LastIndexAny(s, " \t")
	if i < 0 {
		return s, Unit{}, false
	}
	u, ok = table[s[i+1:]]
	value = strings.TrimSpace(s[:i])
	if !ok || value != "" && strings.ContainsAny(value[len(value)-1:], "+-*/%^(,<>=!&|?:") {
		return s, Unit{}, false
	}
	return value, u, true
}

// Quantity is a number with a dimension; V is in coherent units (see the
// package documentation).
type Quantity struct {
	V   float64
	Dim Dim
}

// Plain returns a dimensionless quantity.
func Plain(x float64) Quantity { return Quantity{x, None} }

// In returns q's number in unit u, or an error saying what was expected
// when q has another dimension.
func (q Quantity) In(u Unit) (float64, error) {
	if q.Dim != u.Dim {
		return 0, fmt.Errorf("expected %s, got %s (a %s)", Describe(u), q, q.Dim)
	}
	return convert(q.V, u.Scale), nil
}

// convert returns x (coherent) in a unit of scale s. A conversion through a
// scale other than 1 is rounded to 15 significant digits: 15000 Hz goes in
// as 15 (1/ms) and comes back as 15000, not 15000.000000000002.
func convert(x, s float64) float64 {
	if s == 1 {
		return x
	}
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x/s, 'g', 15, 64), 64)
	return y
}

// String writes q in NEST's unit of its dimension ("20 ms", "5 Hz"), or in
// coherent units when it has none ("0.5 mV/ms").
func (q Quantity) String() string {
	x := strconv.FormatFloat(q.V, 'g', -1, 64)
	if q.Dim == None {
		return x
	}
	if u, ok := canonical[q.Dim]; ok {
		return strconv.FormatFloat(convert(q.V, u.Scale), 'g', -1, 64) + " " + u.Symbol
	}
	return x + " " + q.Dim.Coherent()
}

// NEST returns q's number in NEST's unit of its dimension (coherent units
// for a dimension without one), and that unit's symbol ("" for a plain
// number).
func (q Quantity) NEST() (float64, string) {
	if q.Dim == None {
		return q.V, ""
	}
	if u, ok := canonical[q.Dim]; ok {
		return convert(q.V, u.Scale), u.Symbol
	}
	return q.V, q.Dim.Coherent()
}

// NESTUnit returns NEST's unit of a dimension, or its coherent unit when
// the dimension has no name (Scale 1).
func NESTUnit(d Dim) Unit {
	if u, ok := canonical[d]; ok {
		return u
	}
	if d == None {
		return Unit{"", None, 1}
	}
	return Unit{d.Coherent(), d, 1}
}

// Describe says what a unit expects, for messages: "a voltage in mV (or V,
// uV, µV)", "a plain number".
func Describe(u Unit) string {
	if u.Dim == None {
		return "a plain number"
	}
	var syms []string
	for s, t := range table {
		if t.Dim == u.Dim && s != u.Symbol {
			syms = append(syms, s)
		}
	}
	sort.Strings(syms)
	s := "a " + u.Dim.String() + " in " + u.Symbol
	if len(syms) > 0 {
		s += " (or " + strings.Join(syms, ", ") + ")"
	}
	return s
}
