package param

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"

	"github.com/snn-gpu/snn-gpu/units"
)

// function describes a callable: its NEST argument names and defaults
// (NaN: required), the dimensions it takes and gives, and how to build it
// from its compiled arguments.
type function struct {
	args     []string
	defaults []float64
	random   bool
	variadic bool // more arguments like the last (min, max)
	keywords bool // it takes keyword arguments (NEST's functions)
	dim      dimRule
	build    func(a []fn) fn
}

// dimRule checks the dimensions of a call's arguments and returns the
// result's; args are the arguments' nodes (nil where a default stands).
type dimRule func(name string, f function, a []compiled, args []ast.Node) (units.Dim, error)

var nan = math.NaN()

func unary(g func(float64) float64, rule dimRule) function {
	return function{args: []string{"x"}, defaults: []float64{nan}, dim: rule, build: func(a []fn) fn {
		return func(e *Env) float64 { return g(a[0](e)) }
	}}
}

// fold applies g to the arguments from left to right.
func fold(names []string, g func(x, y float64) float64) function {
	return function{args: names, defaults: []float64{nan, nan}, variadic: true, dim: alike(-1), build: func(a []fn) fn {
		return func(e *Env) float64 {
			r := a[0](e)
			for _, x := range a[1:] {
				r = g(r, x(e))
			}
			return r
		}
	}}
}

// argName names argument i of a call for messages: its text, or its NEST
// name when a default stands in for it.
func argName(f function, args []ast.Node, i int) string {
	name := f.args[min(i, len(f.args)-1)]
	if i < len(args) && args[i] != nil {
		// NEST's functions name their arguments; plain ones (exp, min) do not.
		if text := args[i].String(); f.keywords && text != name {
			return name + " " + text
		} else if !f.keywords {
			return text
		}
		return name
	}
	return name + " (its default)"
}

// alike is the rule of a function whose arguments at idx (every argument
// when idx is empty) share the result's dimension; the others are plain
// numbers, except argument free (-1: none), which takes any dimension
// (logic.conditional's condition).
func alike(free int, idx ...int) dimRule {
	return func(name string, f function, a []compiled, args []ast.Node) (units.Dim, error) {
		first := -1
		for i := range a {
			in := len(idx) == 0 || slices.Contains(idx, i)
			switch {
			case i == free:
			case !in && a[i].dim != units.None:
				return units.None, &DimError{fmt.Sprintf("%s: %s is a %s; %s is a plain number", name, argName(f, args, i), a[i].dim, f.args[i])}
			case in && first < 0:
				first = i
			case in && a[i].dim != a[first].dim:
				return units.None, &DimError{fmt.Sprintf("%s: %s is a %s and %s a %s; they need one dimension",
					name, argName(f, args, first), a[first].dim, argName(f, args, i), a[i].dim)}
			}
		}
		if first < 0 {
			return units.None, nil
		}
		return a[first].dim, nil
	}
}

// plain is the rule of a function of plain numbers (exp, log, the spatial
// distributions).
func plain(name string, f function, a []compiled, args []ast.Node) (units.Dim, error) {
	for i := range a {
		if a[i].dim != units.None {
			return units.None, &DimError{fmt.Sprintf("%s: %s is a %s; %s takes plain numbers", name, argName(f, args, i), a[i].dim, name)}
		}
	}
	return units.None, nil
}

// whole is the rule of the rounding functions: plain numbers, since
// rounding a quantity would depend on its unit.
func whole(name string, f function, a []compiled, args []ast.Node) (units.Dim, error) {
	if a[0].dim != units.None {
		return units.None, &DimError{fmt.Sprintf("%s(%s): %s is a %s, and rounding one depends on its unit: divide by a unit first, e.g. %s(%s/%s)",
			name, args[0], args[0], a[0].dim, name, args[0], units.NESTUnit(a[0].dim).Symbol)}
	}
	return units.None, nil
}

// root is sqrt's rule: the square root of a dimension with even exponents.
func root(name string, f function, a []compiled, args []ast.Node) (units.Dim, error) {
	d, ok := a[0].dim.Pow(0.5)
	if !ok {
		return units.None, &DimError{fmt.Sprintf("sqrt(%s) has no unit: %s is a %s", args[0], args[0], a[0].dim)}
	}
	return d, nil
}

// powRule is pow's rule: that of the ** operator.
func powRule(name string, f function, a []compiled, args []ast.Node) (units.Dim, error) {
	return power(args[0], a[0], args[1], a[1])
}

var functions = map[string]function{
	"random.uniform": {args: []string{"min", "max"}, defaults: []float64{0, 1}, random: true, dim: alike(-1, 0, 1), build: func(a []fn) fn {
		return func(e *Env) float64 { lo, hi := a[0](e), a[1](e); return lo + e.Stream.Float64()*(hi-lo) }
	}},
	"random.uniform_int": {args: []string{"max"}, defaults: []float64{nan}, random: true, dim: plain, build: func(a []fn) fn {
		return func(e *Env) float64 {
			n := a[0](e)
			if !(n >= 1 && n < 1<<32) {
				e.fail(fmt.Errorf("random.uniform_int: max must be a whole number in [1, 2^32), got %g", n))
				return 0
			}
			return float64(e.Stream.Intn(uint32(n)))
		}
	}},
	"random.normal": {args: []string{"mean", "std"}, defaults: []float64{0, 1}, random: true, dim: alike(-1, 0, 1), build: func(a []fn) fn {
		return func(e *Env) float64 { m, s := a[0](e), a[1](e); return m + s*e.Stream.Normal() }
	}},
	"random.lognormal": {args: []string{"mean", "std"}, defaults: []float64{0, 1}, random: true, dim: plain, build: func(a []fn) fn {
		return func(e *Env) float64 { m, s := a[0](e), a[1](e); return math.Exp(m + s*e.Stream.Normal()) }
	}},
	"random.exponential": {args: []string{"beta"}, defaults: []float64{1}, random: true, dim: alike(-1, 0), build: func(a []fn) fn {
		return func(e *Env) float64 { return a[0](e) * e.Stream.Exponential() }
	}},
	"spatial_distributions.exponential": {args: []string{"x", "beta"}, defaults: []float64{nan, 1}, dim: plain, build: func(a []fn) fn {
		return func(e *Env) float64 { return math.Exp(-a[0](e) / a[1](e)) }
	}},
	"spatial_distributions.gaussian": {args: []string{"x", "mean", "std"}, defaults: []float64{nan, 0, 1}, dim: plain, build: func(a []fn) fn {
		return func(e *Env) float64 {
			d, s := a[0](e)-a[1](e), a[2](e)
			return math.Exp(-d * d / (2 * s * s))
		}
	}},
	"spatial_distributions.gaussian2D": {args: []string{"x", "y", "mean_x", "mean_y", "std_x", "std_y", "rho"},
		defaults: []float64{nan, nan, 0, 0, 1, 1, 0}, dim: plain, build: func(a []fn) fn {
			return func(e *Env) float64 {
				dx, dy := a[0](e)-a[2](e), a[1](e)-a[3](e)
				sx, sy, rho := a[4](e), a[5](e), a[6](e)
				q := 1 - rho*rho
				return math.Exp(-dx*dx/(2*q*sx*sx) - dy*dy/(2*q*sy*sy) + rho*dx*dy/(q*sx*sy))
			}
		}},
	"spatial_distributions.gamma": {args: []string{"x", "kappa", "theta"}, defaults: []float64{nan, 1, 1}, dim: plain, build: func(a []fn) fn {
		return func(e *Env) float64 {
			x, k, th := a[0](e), a[1](e), a[2](e)
			lg, _ := math.Lgamma(k)
			return math.Exp((k-1)*math.Log(x) - x/th - k*math.Log(th) - lg)
		}
	}},
	"math.redraw": {args: []string{"parameter", "min", "max"}, defaults: []float64{nan, nan, nan}, dim: alike(-1), build: func(a []fn) fn {
		return func(e *Env) float64 {
			lo, hi := a[1](e), a[2](e)
			for i := 0; i < 1000; i++ {
				if x := a[0](e); x >= lo && x <= hi {
					return x
				}
			}
			e.fail(ErrRedraw)
			return 0
		}
	}},
	"logic.conditional": {args: []string{"condition", "param_if_true", "param_if_false"}, defaults: []float64{nan, nan, nan}, dim: alike(0, 1, 2), build: func(a []fn) fn {
		return conditional(a[0], a[1], a[2])
	}},
	"exp": unary(math.Exp, plain), "log": unary(math.Log, plain), "sqrt": unary(math.Sqrt, root), "abs": unary(math.Abs, alike(-1)),
	"sin": unary(math.Sin, plain), "cos": unary(math.Cos, plain),
	// Python's int() and round() (truncation; half to even), so that
	// expressions copied from PyNEST scripts give the same numbers.
	"floor": unary(math.Floor, whole), "ceil": unary(math.Ceil, whole), "round": unary(math.RoundToEven, whole),
	"int": unary(math.Trunc, whole),
	// NEST's brunel_alpha_nest.py normalises PSPs with it.
	"lambertwm1": unary(lambertWm1, plain),
	"pow":        {args: []string{"x", "y"}, defaults: []float64{nan, nan}, dim: powRule, build: func(a []fn) fn { return func(e *Env) float64 { return math.Pow(a[0](e), a[1](e)) } }},
	"min":        fold([]string{"x", "y"}, math.Min), "max": fold([]string{"x", "y"}, math.Max),
}

// The math module's functions are the plain ones under PyNEST's argument
// names.
func init() {
	for n, args := range map[string][]string{"exp": {"parameter"}, "sin": {"parameter"}, "cos": {"parameter"},
		"min": {"parameter", "value"}, "max": {"parameter", "value"}} {
		f := functions[n]
		f.args, f.variadic = args, false
		functions["math."+n] = f
	}
	for n, f := range functions {
		f.keywords = strings.Contains(n, ".")
		functions[n] = f
	}
}

// Signature returns the argument names of a function, in order, and their
// defaults (NaN where an argument is required); ok is false for a name that
// is not one of param's functions.
func Signature(name string) (args []string, defaults []float64, ok bool) {
	f, ok := lookup(name)
	return slices.Clone(f.args), slices.Clone(f.defaults), ok
}

// A NameError is a call of a function that param does not have, or a
// keyword argument that the function does not take.
type NameError struct {
	Name  string   // the unknown function or argument
	Func  string   // the function whose argument Name is; "" when Name is a function
	Known []string // what Name could have been: param's functions, or Func's arguments
	Hint  string   // written after Name (a caller's " (did you mean …?)")
}

func (e *NameError) Error() string {
	if e.Func == "" {
		return "unknown function " + e.Name + e.Hint
	}
	return fmt.Sprintf("%s has no argument %s%s; its arguments: %s", e.Func, e.Name, e.Hint, strings.Join(e.Known, ", "))
}

func unknownFunction(name string) error {
	return &NameError{Name: name, Known: slices.Sorted(maps.Keys(functions))}
}

func (f function) tooMany(name string, got int) error {
	return fmt.Errorf("%s takes at most %d arguments (%s), got %d", name, len(f.args), strings.Join(f.args, ", "), got)
}

func (f function) missing(name string, i int) error {
	return fmt.Errorf("%s needs its argument %s", name, f.args[i])
}

func (e *Env) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

func (c *compiler) call(name string, args []ast.Node) (compiled, error) {
	f, ok := lookup(name)
	if !ok {
		return compiled{}, unknownFunction(name)
	}
	if len(args) > len(f.args) && !f.variadic {
		return compiled{}, f.tooMany(name, len(args))
	}
	a := make([]compiled, max(len(f.args), len(args)))
	fixed := !f.random
	for i := range a {
		if i < len(args) {
			x, err := c.value(args[i])
			if err != nil {
				return compiled{}, err
			}
			a[i] = x
			fixed = fixed && x.fixed
			continue
		}
		d := f.defaults[i]
		if math.IsNaN(d) {
			return compiled{}, f.missing(name, i)
		}
		a[i] = constant(d, units.None)
	}
	dim, err := f.dim(name, f, a, args)
	if err != nil {
		return compiled{}, err
	}
	fns := make([]fn, len(a))
	for i, x := range a {
		fns[i] = x.f
	}
	c.random = c.random || f.random
	return compiled{f: f.build(fns), dim: dim, fixed: fixed}, nil
}

// lookup finds a function by name, without regard to case
// (LambertWm1 as NEST's scripts write it).
func lookup(name string) (function, bool) {
	f, ok := functions[name]
	if !ok {
		f, ok = functions[strings.ToLower(name)]
	}
	return f, ok
}

// Reserved reports whether name (lower case) is read by the language as
// its own: a function, a name space or pi. Such names cannot be constants.
func Reserved(name string) bool {
	if _, ok := functions[name]; ok || namespaces[name] || name == "pi" {
		return true
	}
	return false
}
