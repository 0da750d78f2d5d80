package param

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
)

// function describes a callable: its NEST argument names and defaults
// (NaN: required), and how to build it from its compiled arguments.
type function struct {
	args     []string
	defaults []float64
	random   bool
	build    func(a []fn) fn
}

var nan = math.NaN()

func unary(g func(float64) float64) function {
	return function{args: []string{"x"}, defaults: []float64{nan}, build: func(a []fn) fn {
		return func(e *Env) float64 { return g(a[0](e)) }
	}}
}

func binaryFn(names []string, g func(x, y float64) float64) function {
	return function{args: names, defaults: []float64{nan, nan}, build: func(a []fn) fn {
		return func(e *Env) float64 { return g(a[0](e), a[1](e)) }
	}}
}

var functions = map[string]function{
	"random.uniform": {args: []string{"min", "max"}, defaults: []float64{0, 1}, random: true, build: func(a []fn) fn {
		return func(e *Env) float64 { lo, hi := a[0](e), a[1](e); return lo + e.Stream.Float64()*(hi-lo) }
	}},
	"random.uniform_int": {args: []string{"max"}, defaults: []float64{nan}, random: true, build: func(a []fn) fn {
		return func(e *Env) float64 {
			n := a[0](e)
			if !(n >= 1 && n < 1<<32) {
				e.fail(fmt.Errorf("random.uniform_int: max must be a whole number in [1, 2^32), got %g", n))
				return 0
			}
			return float64(e.Stream.Intn(uint32(n)))
		}
	}},
	"random.normal": {args: []string{"mean", "std"}, defaults: []float64{0, 1}, random: true, build: func(a []fn) fn {
		return func(e *Env) float64 { m, s := a[0](e), a[1](e); return m + s*e.Stream.Normal() }
	}},
	"random.lognormal": {args: []string{"mean", "std"}, defaults: []float64{0, 1}, random: true, build: func(a []fn) fn {
		return func(e *Env) float64 { m, s := a[0](e), a[1](e); return math.Exp(m + s*e.Stream.Normal()) }
	}},
	"random.exponential": {args: []string{"beta"}, defaults: []float64{1}, random: true, build: func(a []fn) fn {
		return func(e *Env) float64 { return a[0](e) * e.Stream.Exponential() }
	}},
	"spatial_distributions.exponential": {args: []string{"x", "beta"}, defaults: []float64{nan, 1}, build: func(a []fn) fn {
		return func(e *Env) float64 { return math.Exp(-a[0](e) / a[1](e)) }
	}},
	"spatial_distributions.gaussian": {args: []string{"x", "mean", "std"}, defaults: []float64{nan, 0, 1}, build: func(a []fn) fn {
		return func(e *Env) float64 {
			d, s := a[0](e)-a[1](e), a[2](e)
			return math.Exp(-d * d / (2 * s * s))
		}
	}},
	"spatial_distributions.gaussian2D": {args: []string{"x", "y", "mean_x", "mean_y", "std_x", "std_y", "rho"},
		defaults: []float64{nan, nan, 0, 0, 1, 1, 0}, build: func(a []fn) fn {
			return func(e *Env) float64 {
				dx, dy := a[0](e)-a[2](e), a[1](e)-a[3](e)
				sx, sy, rho := a[4](e), a[5](e), a[6](e)
				q := 1 - rho*rho
				return math.Exp(-dx*dx/(2*q*sx*sx) - dy*dy/(2*q*sy*sy) + rho*dx*dy/(q*sx*sy))
			}
		}},
	"spatial_distributions.gamma": {args: []string{"x", "kappa", "theta"}, defaults: []float64{nan, 1, 1}, build: func(a []fn) fn {
		return func(e *Env) float64 {
			x, k, th := a[0](e), a[1](e), a[2](e)
			lg, _ := math.Lgamma(k)
			return math.Exp((k-1)*math.Log(x) - x/th - k*math.Log(th) - lg)
		}
	}},
	"math.redraw": {args: []string{"parameter", "min", "max"}, defaults: []float64{nan, nan, nan}, build: func(a []fn) fn {
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
	"logic.conditional": {args: []string{"condition", "param_if_true", "param_if_false"}, defaults: []float64{nan, nan, nan}, build: func(a []fn) fn {
		return conditional(a[0], a[1], a[2])
	}},
	"exp": unary(math.Exp), "log": unary(math.Log), "sqrt": unary(math.Sqrt), "abs": unary(math.Abs),
	"sin": unary(math.Sin), "cos": unary(math.Cos), "floor": unary(math.Floor), "ceil": unary(math.Ceil),
	"round": unary(math.Round),
	"pow":   binaryFn([]string{"x", "y"}, math.Pow),
	"min":   binaryFn([]string{"x", "y"}, math.Min), "max": binaryFn([]string{"x", "y"}, math.Max),
}

// The math module's functions are the plain ones under PyNEST's argument
// names.
func init() {
	for n, args := range map[string][]string{"exp": {"parameter"}, "sin": {"parameter"}, "cos": {"parameter"},
		"min": {"parameter", "value"}, "max": {"parameter", "value"}} {
		f := functions[n]
		f.args = args
		functions["math."+n] = f
	}
}

// keywords reports whether a function takes keyword arguments: NEST's
// functions do (random.normal(std=2)), the plain ones (exp, pow) do not.
func keywords(name string) bool { return strings.Contains(name, ".") }

// Signature returns the argument names of a function, in order, and their
// defaults (NaN where an argument is required); ok is false for a name that
// is not one of param's functions.
func Signature(name string) (args []string, defaults []float64, ok bool) {
	f, ok := functions[name]
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
	f, ok := functions[name]
	if !ok {
		return compiled{}, unknownFunction(name)
	}
	if len(args) > len(f.args) {
		return compiled{}, f.tooMany(name, len(args))
	}
	a := make([]fn, len(f.args))
	for i := range f.args {
		if i < len(args) {
			x, err := c.value(args[i])
			if err != nil {
				return compiled{}, err
			}
			a[i] = x
			continue
		}
		d := f.defaults[i]
		if math.IsNaN(d) {
			return compiled{}, f.missing(name, i)
		}
		a[i] = func(*Env) float64 { return d }
	}
	c.random = c.random || f.random
	return compiled{f: f.build(a)}, nil
}
