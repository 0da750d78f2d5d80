package configs

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/snn-gpu/snn-gpu/param"
	"github.com/snn-gpu/snn-gpu/spec"
	"github.com/snn-gpu/snn-gpu/units"
)

// subError is an error about a part of a field (a distribution's argument,
// a list element): sub is appended to the field's path.
type subError struct {
	sub string
	err error
}

func (e *subError) Error() string { return e.sub + ": " + e.err.Error() }

// report adds err at path, extended by the parts that sub-errors name.
func (p *problems) report(path string, err error) {
	var se *subError
	for errors.As(err, &se) {
		path += se.sub
		err = se.err
	}
	p.addErr(path, err)
}

// scope evaluates the values of one sweep point: expressions see env,
// and parameters also the draws of the population being read (their names
// as the file writes them), which make them per-neuron values.
type scope struct {
	x     *exprs
	env   map[string]binding
	draws []string
}

// quantity reads a TOML number (a plain number) or a string: an expression
// over [vars] optionally followed by a unit symbol ("1.5 ms", "-g*J mV").
// Parameters (random, spatial, per-neuron) are refused; what says what was
// expected.
func (s *scope) quantity(raw any, what string) (units.Quantity, error) {
	switch v := raw.(type) {
	case int64:
		return units.Plain(float64(v)), nil
	case float64:
		if math.IsNaN(v) {
			return units.Quantity{}, fmt.Errorf("expected %s, got nan", what)
		}
		return units.Plain(v), nil
	case string:
		q, pe, _, err := s.quantityExpr(v, what)
		if err != nil {
			return q, err
		}
		if pe != nil {
			kind := "random"
			if pe.Spatial() {
				kind = "spatial"
			}
			return q, fmt.Errorf("expected %s, got the %s parameter %s; parameters are accepted in init values, weights, delays, rule parameters and free-layer positions", what, kind, strings.TrimSpace(v))
		}
		return q, nil
	}
	return units.Quantity{}, fmt.Errorf("expected %s, got %s", what, describe(raw))
}

// quantityExpr evaluates a string value: an expression, and a unit symbol
// after it that multiplies the whole. A parameter comes back as pe (see
// scope.expr).
func (s *scope) quantityExpr(text, what string) (q units.Quantity, pe *param.Expr, inlined string, err error) {
	src, u, hasUnit := units.Split(text)
	if src == "" {
		return q, nil, "", fmt.Errorf("expected %s, got %s", what, describe(text))
	}
	if q, pe, inlined, err = s.expr(src); err != nil {
		return q, nil, "", err
	}
	if hasUnit {
		if q.Dim != units.None {
			return q, nil, "", fmt.Errorf("%q: %s is a %s already%s, and the unit %s would make it a %s; drop the unit",
				strings.TrimSpace(text), src, q.Dim, s.about(src), u.Symbol, q.Dim.Mul(u.Dim))
		}
		q = units.Quantity{V: q.V * u.Scale, Dim: u.Dim}
	}
	return q, pe, inlined, nil
}

// number reads a number in unit want (a canonical unit, "" for a plain
// number): a quantity of want's dimension is converted, a plain number is
// taken to be in want already. what says what was expected, for type
// errors ("a number", "a whole number >= 1").
func (s *scope) number(raw any, want, what string) (float64, error) {
	q, err := s.quantity(raw, what)
	if err != nil {
		return 0, err
	}
	return s.in(raw, q, want, what)
}

// in returns q in unit want, or says what was expected.
func (s *scope) in(raw any, q units.Quantity, want, what string) (float64, error) {
	if q.Dim == units.None {
		return q.V, nil
	}
	u := units.Canonical(want)
	if u.Dim == units.None {
		return 0, &dimError{want: what, got: s.shown(raw, q)}
	}
	x, err := q.In(u)
	if err != nil {
		return 0, &dimError{want: units.Describe(u), got: s.shown(raw, q)}
	}
	return x, nil
}

// dimError is a value of the wrong dimension for its field.
type dimError struct{ want, got string }

func (e *dimError) Error() string { return "expected " + e.want + ", got " + e.got }

// shown renders a value for "got …": as written, the quantity an
// expression gave, its dimension and the vars behind it
// ("theta = 20 ms (a time; theta = 20 ms from --set)").
func (s *scope) shown(raw any, q units.Quantity) string {
	text, isText := raw.(string)
	out := strings.TrimSpace(describe(raw))
	if isText && !literalQuantity(text) {
		out += " = " + q.String()
	}
	if q.Dim != units.None {
		out += " (a " + q.Dim.String()
		if isText {
			src := strings.TrimSpace(text)
			if b, isVar := s.env[strings.ToLower(src)]; isVar {
				out += ", from " + b.from // the var alone: its value is shown already
			} else if o := s.origins(s.x.compile(unitless(text)).ids); o != "" {
				out += "; " + o
			}
		}
		out += ")"
	}
	return out
}

// about lists the vars of src and where they come from: " (theta = 20 ms
// from [vars])", or "".
func (s *scope) about(src string) string {
	if o := s.origins(s.x.compile(src).ids); o != "" {
		return " (" + o + ")"
	}
	return ""
}

// unitless is a value's text without its trailing unit.
func unitless(text string) string {
	src, _, _ := units.Split(text)
	return src
}

// literalQuantity reports whether text is a number, with or without a unit.
func literalQuantity(text string) bool {
	_, err := strconv.ParseFloat(unitless(text), 64)
	return err == nil
}

// got renders raw, and the value it gave when it is an expression.
func got(raw any, x float64) string {
	if s, ok := raw.(string); ok && !literalQuantity(s) {
		return fmt.Sprintf("%s = %g", strings.TrimSpace(s), x)
	}
	return describe(raw)
}

// unitName says what a canonical unit expects, for messages.
func unitName(unit string) string {
	if unit == "" {
		return "a number"
	}
	return "a " + units.Canonical(unit).Dim.String() + " in " + unit
}

// real reads a finite number in unit.
func (s *scope) real(raw any, unit string) (float64, error) {
	return s.realInf(raw, unit, false)
}

// realInf reads a number in unit; infinities only when inf is set.
func (s *scope) realInf(raw any, unit string, inf bool) (float64, error) {
	x, err := s.number(raw, unit, unitName(unit))
	if err != nil {
		return 0, err
	}
	if !inf && math.IsInf(x, 0) {
		return 0, fmt.Errorf("expected a finite number, got %s", got(raw, x))
	}
	return x, nil
}

// whole reads a whole number in [lo, hi] (hi = math.MaxInt64: no bound).
// Expressions must give a whole number up to rounding (1e-9 relative);
// int(), round(), floor() and ceil() make one.
func (s *scope) whole(raw any, lo, hi int64) (int64, error) {
	what := "a whole number"
	switch {
	case lo != math.MinInt64 && hi != math.MaxInt64:
		what = fmt.Sprintf("a whole number from %d to %d", lo, hi)
	case lo != math.MinInt64:
		what = fmt.Sprintf("a whole number >= %d", lo)
	}
	x, err := s.number(raw, "", what)
	if err != nil {
		return 0, err
	}
	n, ok := wholeValue(x)
	if !ok || n < lo || n > hi {
		return 0, fmt.Errorf("expected %s, got %s", what, got(raw, x))
	}
	return n, nil
}

func wholeValue(x float64) (int64, bool) {
	if math.IsInf(x, 0) || math.IsNaN(x) || math.Abs(x) > 1<<53 {
		return 0, false
	}
	r := math.Round(x)
	if math.Abs(x-r) > 1e-9*math.Max(1, math.Abs(x)) {
		return 0, false
	}
	return int64(r), true
}

// boolean reads a TOML boolean (nothing else).
func boolean(raw any) (bool, error) {
	b, ok := raw.(bool)
	if !ok {
		return false, fmt.Errorf("expected true or false, got %s", describe(raw))
	}
	return b, nil
}

// str reads a TOML string.
func str(raw any) (string, error) {
	s, ok := raw.(string)
	if !ok {
		return "", fmt.Errorf("expected a string, got %s", describe(raw))
	}
	return s, nil
}

// distributions and the names of their arguments, in positional order:
// the table form { uniform = { min = 0, max = 1 } } of NEST's random
// parameters (random.uniform(0, 1)).
var distArgs = map[string][]string{
	"uniform":     {"min", "max"},
	"normal":      {"mean", "std"},
	"lognormal":   {"mean", "std"},
	"exponential": {"beta"},
	"uniform_int": {"max"},
}

// distDefaults are NEST's defaults of the arguments (uniform_int's max has
// none).
var distDefaults = map[string]map[string]float64{
	"uniform":     {"min": 0, "max": 1},
	"normal":      {"mean": 0, "std": 1},
	"lognormal":   {"mean": 0, "std": 1},
	"exponential": {"beta": 1},
}

func distNames() []string {
	var n []string
	for k := range distArgs {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// valueKind says which parameters a field accepts besides constants.
type valueKind struct {
	random  bool // random parameters (random.*, distribution tables)
	spatial bool // parameters of positions (spatial.*), on connections
}

var (
	constOnly  = valueKind{}
	randomOnly = valueKind{random: true}
	anyParam   = valueKind{random: true, spatial: true}
)

// value reads a Value: a number, an expression over [vars] (a constant), or
// a NEST parameter: a string using param's names ("random.uniform(1, 2) ms",
// "0.1*spatial_distributions.exponential(spatial.distance, 0.3)") or a
// distribution table { uniform = { min = a, max = b } } / { uniform = [a, b] }.
// A unit applies to the whole expression. kind says which parameters the
// field accepts.
func (s *scope) value(raw any, unit string, kind valueKind) (spec.Value, error) {
	switch v := raw.(type) {
	case map[string]any:
		if !kind.random {
			return spec.Value{}, fmt.Errorf("expected %s, got a table (random parameters are not accepted here)", unitName(unit))
		}
		text, err := s.distribution(v, unit)
		if err != nil {
			return spec.Value{}, err
		}
		return spec.Param(text), nil
	case []any:
		if !kind.random {
			return spec.Value{}, fmt.Errorf("expected %s, got a list", unitName(unit))
		}
		return spec.Value{}, fmt.Errorf("expected a number, an expression or a random parameter such as \"random.uniform(0, 1)\" or { uniform = { min = 0, max = 1 } }, got a list")
	case string:
		q, pe, text, err := s.quantityExpr(v, unitName(unit))
		if err != nil {
			return spec.Value{}, err
		}
		if pe == nil {
			x, err := s.in(raw, q, unit, unitName(unit))
			if err != nil {
				return spec.Value{}, err
			}
			if math.IsInf(x, 0) {
				return spec.Value{}, fmt.Errorf("expected a finite number, got %s", got(raw, x))
			}
			return spec.Constant(x), nil
		}
		// A parameter's values are pe's times q.V, in coherent units of q.Dim.
		scale := q.V
		if q.Dim != units.None {
			x, err := q.In(units.Canonical(unit))
			if err != nil {
				return spec.Value{}, fmt.Errorf("expected %s, got %s, a %s%s", unitName(unit), strings.TrimSpace(v), q.Dim, s.about(unitless(v)))
			}
			scale = x
		}
		switch {
		case pe.Spatial() && !kind.spatial:
			if kind.random {
				return spec.Value{}, fmt.Errorf("expected a constant or a random parameter, got %s, which depends on positions (spatial.* names are for connections between spatial populations)", strings.TrimSpace(v))
			}
			return spec.Value{}, fmt.Errorf("expected %s, got %s, which depends on positions", unitName(unit), strings.TrimSpace(v))
		case !kind.random:
			return spec.Value{}, fmt.Errorf("expected %s, got the random parameter %s; parameters are accepted in init values, weights, delays, rule parameters and free-layer positions", unitName(unit), strings.TrimSpace(v))
		}
		return spec.Param(scaled(text, scale)), nil
	}
	x, err := s.real(raw, unit)
	if err != nil {
		return spec.Value{}, err
	}
	return spec.Constant(x), nil
}

// distribution turns a distribution table into the expression of NEST's
// random parameter. Arguments are numbers or expressions in unit, except
// lognormal's (the mean and std of the underlying normal: plain numbers)
// and uniform_int's max (a whole number; the draws 0 … max-1 are in unit).
func (s *scope) distribution(m map[string]any, unit string) (string, error) {
	if len(m) != 1 {
		keys := sortedKeys(m)
		return "", fmt.Errorf("expected one distribution (%s), got a table with keys %s", quoteList(distNames()), quoteList(keys))
	}
	var name string
	var args any
	for k, v := range m {
		name, args = k, v
	}
	argNames, ok := distArgs[name]
	if !ok {
		return "", fmt.Errorf("unknown distribution %q%s; distributions: %s", name, suggest(name, distNames()), quoteList(distNames()))
	}
	given := map[string]any{}
	switch a := args.(type) {
	case map[string]any:
		for k, v := range a {
			if !contains(argNames, k) {
				return "", &subError{"." + name, fmt.Errorf("unknown argument %s; %s takes %s", k, name, quoteList(argNames))}
			}
			given[k] = v
		}
	case []any:
		if len(a) != len(argNames) {
			return "", &subError{"." + name, fmt.Errorf("expected %d arguments [%s], got %d", len(argNames), quoteList(argNames), len(a))}
		}
		for i, v := range a {
			given[argNames[i]] = v
		}
	default:
		return "", &subError{"." + name, fmt.Errorf("expected a table of arguments { %s } or a list [%s], got %s", quoteList(argNames), quoteList(argNames), describe(args))}
	}
	vals := map[string]float64{}
	for _, a := range argNames {
		r, ok := given[a]
		if !ok {
			d, has := distDefaults[name][a]
			if !has {
				return "", &subError{"." + name, fmt.Errorf("missing argument %s", a)}
			}
			vals[a] = d
			continue
		}
		var x float64
		var err error
		switch {
		case name == "uniform_int":
			var n int64
			n, err = s.whole(r, 1, math.MaxInt64)
			x = float64(n)
		case name == "lognormal":
			x, err = s.real(r, "")
		default:
			x, err = s.real(r, unit)
		}
		if err != nil {
			return "", &subError{"." + name + "." + a, err}
		}
		vals[a] = x
	}
	switch name {
	case "uniform":
		if !(vals["min"] < vals["max"]) {
			return "", &subError{"." + name, fmt.Errorf("expected min < max, got min %g, max %g", vals["min"], vals["max"])}
		}
	case "normal", "lognormal":
		if !(vals["std"] > 0) {
			return "", &subError{"." + name + ".std", fmt.Errorf("expected a number > 0, got %g", vals["std"])}
		}
	case "exponential":
		if !(vals["beta"] > 0) {
			return "", &subError{"." + name + ".beta", fmt.Errorf("expected a number > 0, got %g", vals["beta"])}
		}
	}
	parts := make([]string, len(argNames))
	for i, a := range argNames {
		parts[i] = fmtNum(vals[a])
	}
	return "random." + name + "(" + strings.Join(parts, ", ") + ")", nil
}

// support returns the least and greatest value v can take when that is
// known: v is a constant, or one random call with literal arguments
// (uniform draws from [min, max), uniform_int from 0 … max-1).
func support(v spec.Value) (lo, hi float64, known bool) {
	if v.IsConst() {
		return v.Const, v.Const, true
	}
	rc, ok := singleCall(v.Expr)
	if !ok {
		return math.Inf(-1), math.Inf(1), false
	}
	lo, hi = rc.support()
	return lo, hi, true
}

// show renders a value for messages.
func show(v spec.Value, unit string) string {
	if v.IsConst() {
		if unit == "" {
			return fmt.Sprintf("%g", v.Const)
		}
		return fmt.Sprintf("%g %s", v.Const, unit)
	}
	return v.Expr
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys[T any](m map[string]T) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
