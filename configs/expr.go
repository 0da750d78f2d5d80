package configs

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// funcs are the functions an expression may call. int truncates toward
// zero and round rounds half to even, as Python's int() and round() do, so
// that expressions copied from PyNEST scripts give the same numbers.
var funcs = map[string]func(float64) float64{
	"abs":   math.Abs,
	"ceil":  math.Ceil,
	"exp":   math.Exp,
	"floor": math.Floor,
	"int":   math.Trunc,
	"log":   math.Log,
	// NEST's brunel_alpha_nest.py normalises PSPs with it.
	"lambertwm1": lambertWm1,
	"round":      math.RoundToEven,
	"sqrt":       math.Sqrt,
}

// reserved are words an expression reads as something other than a name.
var reserved = []string{"and", "contains", "else", "false", "if", "in", "let", "matches", "max", "min", "nil", "not", "or", "true"}

var exprOptions = func() []expr.Option {
	opts := []expr.Option{expr.DisableAllBuiltins()}
	for name, f := range funcs {
		opts = append(opts, expr.Function(name, unary(f), new(func(float64) float64)))
	}
	opts = append(opts,
		expr.Function("min", fold(math.Min), new(func(float64, ...float64) float64)),
		expr.Function("max", fold(math.Max), new(func(float64, ...float64) float64)))
	return opts
}()

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	}
	return math.NaN()
}

func unary(f func(float64) float64) func(...any) (any, error) {
	return func(p ...any) (any, error) { return f(toFloat(p[0])), nil }
}

func fold(f func(a, b float64) float64) func(...any) (any, error) {
	return func(p ...any) (any, error) {
		r := toFloat(p[0])
		for _, x := range p[1:] {
			r = f(r, toFloat(x))
		}
		return r, nil
	}
}

// reservedName reports whether a var cannot have this name (lower case).
func reservedName(lower string) bool {
	if _, ok := funcs[lower]; ok {
		return true
	}
	i := sort.SearchStrings(reserved, lower)
	return i < len(reserved) && reserved[i] == lower || contains(paramReserved, lower)
}

// compiled is an expression compiled once for every point of a sweep (the
// environment's names and types do not change from point to point).
type compiled struct {
	prog *vm.Program
	ids  []string // names used (lower case), sorted, without functions
	err  error
}

// exprs compiles and evaluates expressions over the [vars] of a config.
// Names are matched without regard to case: viper lowercases the names of
// [vars], so expressions are lowercased too.
type exprs struct {
	env0  map[string]any       // every var → 0.0, to type-check programs
	spell func(string) string  // lower-case var name → its spelling in the file
	cache map[string]*compiled // by lower-cased source
}

func newExprs(names []string, spell func(string) string) *exprs {
	x := &exprs{env0: map[string]any{}, spell: spell, cache: map[string]*compiled{}}
	for _, n := range names {
		x.env0[n] = 0.0
	}
	return x
}

type idCollector struct{ ids map[string]bool }

func (c *idCollector) Visit(n *ast.Node) {
	if id, ok := (*n).(*ast.IdentifierNode); ok {
		if _, isFunc := funcs[id.Value]; !isFunc && id.Value != "min" && id.Value != "max" {
			c.ids[id.Value] = true
		}
	}
}

// compile compiles src once; the result says which vars it uses, or why it
// cannot be used.
func (x *exprs) compile(src string) *compiled {
	key := strings.ToLower(strings.TrimSpace(src))
	if c, ok := x.cache[key]; ok {
		return c
	}
	c := &compiled{}
	x.cache[key] = c
	tree, err := parser.Parse(key)
	if err != nil {
		c.err = fmt.Errorf("cannot read expression %q: %s", src, firstLine(err))
		return c
	}
	col := &idCollector{ids: map[string]bool{}}
	ast.Walk(&tree.Node, col)
	for id := range col.ids {
		c.ids = append(c.ids, id)
	}
	sort.Strings(c.ids)
	var known []string
	for n := range x.env0 {
		known = append(known, x.spell(n))
	}
	for _, id := range c.ids {
		if _, ok := x.env0[id]; !ok {
			c.err = fmt.Errorf("unknown name %s in %q: expressions may use the [vars] entries%s", id, src, suggest(id, known))
			return c
		}
	}
	prog, err := expr.Compile(key, append([]expr.Option{expr.Env(x.env0)}, exprOptions...)...)
	if err != nil {
		c.err = fmt.Errorf("cannot read expression %q: %s", src, firstLine(err))
		return c
	}
	c.prog = prog
	return c
}

// eval evaluates src (without a unit) with the vars in env.
func (x *exprs) eval(src string, env map[string]any) (float64, error) {
	c := x.compile(src)
	if c.err != nil {
		return 0, c.err
	}
	out, err := expr.Run(c.prog, env)
	if err != nil {
		return 0, fmt.Errorf("cannot evaluate %q: %s", src, firstLine(err))
	}
	var v float64
	switch o := out.(type) {
	case float64:
		v = o
	case int:
		v = float64(o)
	default:
		return 0, fmt.Errorf("%q gives %v, not a number", src, out)
	}
	if math.IsNaN(v) {
		return 0, fmt.Errorf("%q is not a number (NaN)", src)
	}
	return v, nil
}

func firstLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// lambertWm1 is the LambertWm1 of NEST's example scripts (GSL's
// gsl_sf_lambert_Wm1, mimicked there by scipy's lambertw): the lower
// branch W₋₁ of w·e^w = x for -1/e <= x < 0, and the principal branch W₀
// for x >= 0. Halley's iteration from the usual series starts; it
// converges to a few ulp in a handful of steps.
func lambertWm1(x float64) float64 {
	const e = math.E
	switch {
	case math.IsNaN(x) || x < -1/e-1e-15:
		return math.NaN()
	case x == 0:
		if math.Signbit(x) {
			return math.Inf(-1)
		}
		return 0
	case x <= -1/e:
		return -1
	}
	var w float64
	switch {
	case x > 0:
		w = math.Log1p(x)
		if x > 3 {
			l := math.Log(x)
			w = l - math.Log(l)
		}
	case x < -0.25:
		p := -math.Sqrt(2 * (e*x + 1)) // branch point series, lower branch
		w = -1 + p - p*p/3 + 11*p*p*p/72
	default:
		l1 := math.Log(-x)
		l2 := math.Log(-l1)
		w = l1 - l2 + l2/l1
	}
	for i := 0; i < 50; i++ {
		ew := math.Exp(w)
		f := w*ew - x
		d := ew*(w+1) - (w+2)*f/(2*w+2)
		if d == 0 || math.IsNaN(d) {
			break
		}
		next := w - f/d
		if math.Abs(next-w) <= 1e-15*math.Abs(next) {
			return next
		}
		w = next
	}
	return w
}
