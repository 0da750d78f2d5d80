package param

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/units"
)

// Env is what one evaluation may use.
type Env struct {
	// Stream supplies the random draws (it must be set when the expression
	// is Random).
	Stream *rng.Stream
	// Disp is the displacement from the driver to the pool node (periodic
	// boundaries already applied), Source and Target the two positions;
	// only Spatial expressions read them.
	Disp, Source, Target [3]float64
	// Vars are the values of the expression's variables (the names given
	// to Compile after consts), in that order: per-neuron numbers such as
	// a population's draws, which change from one evaluation to the next.
	Vars []float64
	err  error
}

// Expr is a compiled parameter.
type Expr struct {
	src      string
	eval     func(*Env) float64
	constant bool
	value    float64
	random   bool
	spatial  bool
	nvars    int  // the variables Compile was given
	variable bool // it reads one of them
	dim      units.Dim
}

// Consts resolves the names of an expression that are constants: a
// config's [vars] and unit symbols, as quantities (numbers in coherent
// units, see package units). It may be nil.
type Consts func(name string) (units.Quantity, bool)

// Const returns the expression of a constant.
func Const(x float64) *Expr {
	return &Expr{src: strconv.FormatFloat(x, 'g', -1, 64), eval: func(*Env) float64 { return x }, constant: true, value: x}
}

// String returns the source of the expression.
func (e *Expr) String() string { return e.src }

// Constant returns the value of an expression that neither draws nor
// depends on space.
func (e *Expr) Constant() (float64, bool) { return e.value, e.constant }

// Random reports whether the expression draws random numbers.
func (e *Expr) Random() bool { return e.random }

// Spatial reports whether the expression depends on positions.
func (e *Expr) Spatial() bool { return e.spatial }

// Variable reports whether the expression reads one of its variables
// (Env.Vars).
func (e *Expr) Variable() bool { return e.variable }

// Dim returns the dimension of the expression's values, which are numbers
// in coherent units (package units). Variables and positions are plain
// numbers; the dimensions come from the constants.
func (e *Expr) Dim() units.Dim { return e.dim }

// Eval evaluates the expression.
func (e *Expr) Eval(env *Env) (float64, error) {
	if e.constant {
		return e.value, nil
	}
	if len(env.Vars) < e.nvars {
		return 0, fmt.Errorf("%q: %d variables given, %d expected", e.src, len(env.Vars), e.nvars)
	}
	env.err = nil
	v := e.eval(env)
	if env.err != nil {
		return 0, env.err
	}
	return v, nil
}

// ErrRedraw is returned when math.redraw finds no value in range.
var ErrRedraw = errors.New("math.redraw: no value in [min, max] after 1000 draws")

// Parsed is an expression read once, to be compiled with the constants of
// many sweep points.
type Parsed struct {
	src, text string // as written; keyword arguments made positional
	tree      *parser.Tree
}

// Parse reads src.
func Parse(src string) (*Parsed, error) {
	text, tree, err := parse(src)
	if err != nil {
		return nil, err
	}
	return &Parsed{src: src, text: text, tree: tree}, nil
}

// Compile parses src and compiles it (see Parsed.Compile).
func Compile(src string, consts Consts, vars ...string) (*Expr, error) {
	p, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return p.Compile(consts, vars...)
}

// Compile compiles the expression. consts resolves the other identifiers;
// it may be nil. vars name the expression's variables: identifiers whose
// values change from one evaluation to the next (Env.Vars[i] is vars[i]),
// matched without regard to case as configs match names, and before consts.
// Dimensions are checked as the expression is compiled: a sum of unlike
// dimensions, a dimension where a function takes a plain number, or an
// exponent that leaves no whole dimension is an error (a *DimError).
func (p *Parsed) Compile(consts Consts, vars ...string) (*Expr, error) {
	c := &compiler{consts: consts, vars: vars}
	n, err := c.value(p.tree.Node)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", p.src, err)
	}
	e := &Expr{src: p.src, eval: n.f, random: c.random, spatial: c.spatial, nvars: len(vars), variable: c.variable, dim: n.dim}
	if !c.random && !c.spatial && !c.variable {
		e.constant = true
		e.value = n.f(&Env{})
		if math.IsNaN(e.value) {
			return nil, &NaNError{p.src}
		}
	}
	return e, nil
}

// parse reads src, its keyword arguments made positional (text).
func parse(src string) (text string, tree *parser.Tree, err error) {
	text, err = positional(src)
	if err != nil {
		return "", nil, fmt.Errorf("%q: %w", src, err)
	}
	tree, err = parser.Parse(text)
	if err != nil {
		return "", nil, fmt.Errorf("%q: %s", src, firstLine(err.Error()))
	}
	return text, tree, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

type fn = func(*Env) float64

// compiled is a node turned into a closure; path is set for the members
// of namespaces (spatial.distance) until they are resolved. fixed says that
// the node neither draws nor reads positions or variables: f(&Env{}) is its
// value (an exponent must be one when its base has a dimension).
type compiled struct {
	f     fn
	path  string
	dim   units.Dim
	fixed bool
}

// constant returns the compiled constant x.
func constant(x float64, d units.Dim) compiled {
	return compiled{f: func(*Env) float64 { return x }, dim: d, fixed: true}
}

type compiler struct {
	consts                    Consts
	vars                      []string
	random, spatial, variable bool
}

// variable returns the index of the variable name is, or -1.
func variable(vars []string, name string) int {
	for i, v := range vars {
		if strings.EqualFold(v, name) {
			return i
		}
	}
	return -1
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (c *compiler) node(n ast.Node) (compiled, error) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return constant(float64(n.Value), units.None), nil
	case *ast.FloatNode:
		return constant(n.Value, units.None), nil
	case *ast.BoolNode:
		return constant(b2f(n.Value), units.None), nil
	case *ast.IdentifierNode:
		return c.name(n.Value)
	case *ast.MemberNode:
		base, err := c.node(n.Node)
		if err != nil {
			return compiled{}, err
		}
		prop, ok := n.Property.(*ast.StringNode)
		if base.path == "" || !ok {
			return compiled{}, fmt.Errorf("unexpected member access")
		}
		return c.name(base.path + "." + prop.Value)
	case *ast.UnaryNode:
		x, err := c.value(n.Node)
		if err != nil {
			return compiled{}, err
		}
		f := x.f
		switch n.Operator {
		case "-":
			x.f = func(e *Env) float64 { return -f(e) }
		case "+":
		case "!", "not":
			x.f, x.dim = func(e *Env) float64 { return b2f(f(e) == 0) }, units.None
		default:
			return compiled{}, fmt.Errorf("unsupported operator %q", n.Operator)
		}
		return x, nil
	case *ast.BinaryNode:
		return c.binary(n)
	case *ast.ConditionalNode:
		cond, err := c.value(n.Cond)
		if err != nil {
			return compiled{}, err
		}
		a, err := c.value(n.Exp1)
		if err != nil {
			return compiled{}, err
		}
		b, err := c.value(n.Exp2)
		if err != nil {
			return compiled{}, err
		}
		if a.dim != b.dim {
			return compiled{}, unlike("the branches of", n, n.Exp1, a.dim, n.Exp2, b.dim)
		}
		return compiled{f: conditional(cond.f, a.f, b.f), dim: a.dim, fixed: cond.fixed && a.fixed && b.fixed}, nil
	case *ast.CallNode:
		callee, err := c.calleeName(n.Callee)
		if err != nil {
			return compiled{}, err
		}
		return c.call(callee, n.Arguments)
	case *ast.BuiltinNode:
		return c.call(n.Name, n.Arguments)
	}
	return compiled{}, fmt.Errorf("%s is not an expression: expressions take numbers, names, + - * / %% ** ^, comparisons, and, or, not, c ? a : b and calls of functions", n.String())
}

// value compiles a node that must be a number.
func (c *compiler) value(n ast.Node) (compiled, error) {
	x, err := c.node(n)
	if err != nil {
		return compiled{}, err
	}
	if x.f == nil {
		return compiled{}, fmt.Errorf("%s is not a value (did you mean %s.…?)", x.path, x.path)
	}
	return x, nil
}

func (c *compiler) calleeName(n ast.Node) (string, error) {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		return n.Value, nil
	case *ast.MemberNode:
		base, err := c.calleeName(n.Node)
		if err != nil {
			return "", err
		}
		prop, ok := n.Property.(*ast.StringNode)
		if !ok {
			return "", fmt.Errorf("unexpected member access")
		}
		return base + "." + prop.Value, nil
	}
	return "", fmt.Errorf("unsupported call")
}

func conditional(cond, a, b fn) fn {
	return func(e *Env) float64 {
		if cond(e) != 0 {
			return a(e)
		}
		return b(e)
	}
}

// namespaces can be the base of a member access.
var namespaces = map[string]bool{
	"random": true, "spatial": true, "spatial_distributions": true, "math": true, "logic": true,
	"spatial.distance": true, "spatial.source_pos": true, "spatial.target_pos": true,
}

func (c *compiler) name(name string) (compiled, error) {
	axis := func(s string) int { return int(s[len(s)-1] - 'x') }
	switch name {
	case "spatial.distance":
		c.spatial = true
		return compiled{path: name, f: func(e *Env) float64 {
			return math.Sqrt(e.Disp[0]*e.Disp[0] + e.Disp[1]*e.Disp[1] + e.Disp[2]*e.Disp[2])
		}}, nil
	case "spatial.distance.x", "spatial.distance.y", "spatial.distance.z":
		c.spatial = true
		a := axis(name)
		return compiled{f: func(e *Env) float64 { return math.Abs(e.Disp[a]) }}, nil // NEST: absolute components
	case "spatial.source_pos.x", "spatial.source_pos.y", "spatial.source_pos.z":
		c.spatial = true
		a := axis(name)
		return compiled{f: func(e *Env) float64 { return e.Source[a] }}, nil
	case "spatial.target_pos.x", "spatial.target_pos.y", "spatial.target_pos.z":
		c.spatial = true
		a := axis(name)
		return compiled{f: func(e *Env) float64 { return e.Target[a] }}, nil
	case "pi":
		return constant(math.Pi, units.None), nil
	}
	if namespaces[name] {
		return compiled{path: name}, nil
	}
	if i := variable(c.vars, name); i >= 0 {
		c.variable = true
		return compiled{f: func(e *Env) float64 { return e.Vars[i] }}, nil
	}
	if c.consts != nil {
		if q, ok := c.consts(name); ok {
			return constant(q.V, q.Dim), nil
		}
	}
	return compiled{}, fmt.Errorf("unknown name %s", name)
}

func (c *compiler) binary(n *ast.BinaryNode) (compiled, error) {
	x, err := c.value(n.Left)
	if err != nil {
		return compiled{}, err
	}
	y, err := c.value(n.Right)
	if err != nil {
		return compiled{}, err
	}
	a, b := x.f, y.f
	out := compiled{fixed: x.fixed && y.fixed}
	switch n.Operator {
	case "+", "-", "%", "<", "<=", ">", ">=", "==", "!=":
		if x.dim != y.dim {
			return compiled{}, unlike(operation[n.Operator], n, n.Left, x.dim, n.Right, y.dim)
		}
		out.dim = x.dim
	case "*":
		out.dim = x.dim.Mul(y.dim)
	case "/":
		out.dim = x.dim.Div(y.dim)
	case "**", "^":
		if out.dim, err = power(n.Left, x, n.Right, y); err != nil {
			return compiled{}, err
		}
	}
	switch n.Operator {
	case "+":
		out.f = func(e *Env) float64 { return a(e) + b(e) }
	case "-":
		out.f = func(e *Env) float64 { return a(e) - b(e) }
	case "*":
		out.f = func(e *Env) float64 { return a(e) * b(e) }
	case "/":
		out.f = func(e *Env) float64 { return a(e) / b(e) }
	case "%":
		out.f = func(e *Env) float64 { return math.Mod(a(e), b(e)) }
	case "**", "^":
		out.f = func(e *Env) float64 { return math.Pow(a(e), b(e)) }
	case "<":
		out.f = func(e *Env) float64 { return b2f(a(e) < b(e)) }
	case "<=":
		out.f = func(e *Env) float64 { return b2f(a(e) <= b(e)) }
	case ">":
		out.f = func(e *Env) float64 { return b2f(a(e) > b(e)) }
	case ">=":
		out.f = func(e *Env) float64 { return b2f(a(e) >= b(e)) }
	case "==":
		out.f = func(e *Env) float64 { return b2f(a(e) == b(e)) }
	case "!=":
		out.f = func(e *Env) float64 { return b2f(a(e) != b(e)) }
	case "and", "&&":
		// Both sides are evaluated, so that the draws do not depend on values.
		out.f = func(e *Env) float64 { x, y := a(e), b(e); return b2f(x != 0 && y != 0) }
	case "or", "||":
		out.f = func(e *Env) float64 { x, y := a(e), b(e); return b2f(x != 0 || y != 0) }
	default:
		return compiled{}, fmt.Errorf("unsupported operator %q", n.Operator)
	}
	switch n.Operator {
	case "<", "<=", ">", ">=", "==", "!=", "and", "&&", "or", "||":
		out.dim = units.None // a truth value
	}
	return out, nil
}

// operation names what an operator does to its operands, for messages.
var operation = map[string]string{
	"+": "the sum of", "-": "the difference of", "%": "the remainder of",
	"<": "the comparison of", "<=": "the comparison of", ">": "the comparison of",
	">=": "the comparison of", "==": "the comparison of", "!=": "the comparison of",
}

// A DimError is an expression whose dimensions do not fit together.
type DimError struct{ Msg string }

// NaNError says that a constant expression evaluates to NaN (0/0,
// log(-1)): a fact of its values, not of its form.
type NaNError struct{ Src string }

func (e *NaNError) Error() string { return fmt.Sprintf("%q is not a number", e.Src) }

func (e *DimError) Error() string { return e.Msg }

// unlike is the error of two operands that must have one dimension.
func unlike(what string, n, a ast.Node, da units.Dim, b ast.Node, db units.Dim) error {
	return &DimError{fmt.Sprintf("%s %s and %s needs one dimension: %s is a %s, %s a %s",
		what, a, b, a, da, b, db)}
}

// power returns the dimension of base**exp: a plain base takes any plain
// exponent; a base with a dimension needs a constant exponent that leaves
// whole exponents (t**2, (t**2)**0.5).
func power(bn ast.Node, base compiled, en ast.Node, exp compiled) (units.Dim, error) {
	switch {
	case exp.dim != units.None:
		return units.None, &DimError{fmt.Sprintf("the exponent %s is a %s; exponents are plain numbers", en, exp.dim)}
	case base.dim == units.None:
		return units.None, nil
	case !exp.fixed:
		return units.None, &DimError{fmt.Sprintf("%s is a %s: its exponent %s must be a constant", bn, base.dim, en)}
	}
	p := exp.f(&Env{})
	d, ok := base.dim.Pow(p)
	if !ok {
		return units.None, &DimError{fmt.Sprintf("%s to the power %g has no unit (%s is a %s)", bn, p, bn, base.dim)}
	}
	return d, nil
}

// Inline returns src with every identifier consts knows replaced by its
// value and every keyword argument made positional, so that the result
// compiles without consts and means the same (it is what configs store in
// spec values and run.json). The rest of the text stays as written, the
// variables vars included (the result compiles with the same vars).
// Values are written exactly (the shortest form that reads back the same),
// negative ones in parentheses; they must be finite.
func Inline(src string, consts Consts, vars ...string) (string, error) {
	p, err := Parse(src)
	if err != nil {
		return "", err
	}
	return p.Inline(consts, vars...)
}

// Inline is the package function Inline on a parsed expression.
func (p *Parsed) Inline(consts Consts, vars ...string) (string, error) {
	if _, err := p.Compile(consts, vars...); err != nil {
		return "", err
	}
	out := []rune(p.text)
	ids := slices.DeleteFunc(constants(p.tree), func(id *ast.IdentifierNode) bool { return variable(vars, id.Value) >= 0 })
	// From the end, so that the earlier offsets hold; a name seen twice (the
	// middle of a < b < c) once.
	slices.SortFunc(ids, func(a, b *ast.IdentifierNode) int { return b.Location().From - a.Location().From })
	ids = slices.CompactFunc(ids, func(a, b *ast.IdentifierNode) bool { return a.Location() == b.Location() })
	for _, id := range ids {
		q, _ := consts(id.Value)
		x := q.V
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return "", fmt.Errorf("%q: %s is %g: parameters take finite numbers", p.src, id.Value, x)
		}
		loc := id.Location()
		out = slices.Concat(out[:loc.From], []rune(number(x)), out[loc.To:])
	}
	if _, err := Compile(string(out), nil, vars...); err != nil {
		return "", fmt.Errorf("internal error: %q inlined as %q: %w", p.src, string(out), err)
	}
	return string(out), nil
}

// Names returns the names that src takes from its constants, once each:
// the identifiers that are neither param's functions and name spaces nor pi
// (what a caller must define before compiling src).
func Names(src string) ([]string, error) {
	p, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return p.Names(), nil
}

// Names is the package function Names on a parsed expression.
func (p *Parsed) Names() []string {
	var names []string
	for _, id := range constants(p.tree) {
		if !slices.Contains(names, id.Value) {
			names = append(names, id.Value)
		}
	}
	return names
}

// constants returns the identifiers of tree that the compiler resolves with
// consts: not pi, not a name space, not the name of a function called.
func constants(tree *parser.Tree) []*ast.IdentifierNode {
	v := &identifiers{callees: map[ast.Node]bool{}}
	ast.Walk(&tree.Node, v)
	ids := v.ids[:0]
	for _, id := range v.ids {
		if !v.callees[id] {
			ids = append(ids, id)
		}
	}
	return ids
}

type identifiers struct {
	ids     []*ast.IdentifierNode
	callees map[ast.Node]bool
}

func (v *identifiers) Visit(n *ast.Node) {
	switch n := (*n).(type) {
	case *ast.IdentifierNode:
		if !namespaces[n.Value] && n.Value != "pi" {
			v.ids = append(v.ids, n)
		}
	case *ast.CallNode:
		callee := n.Callee
		for m, ok := callee.(*ast.MemberNode); ok; m, ok = callee.(*ast.MemberNode) {
			callee = m.Node
		}
		v.callees[callee] = true
	}
}
