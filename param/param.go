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
}

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

// Compile parses src. consts resolves the other identifiers; it may be nil.
// vars name the expression's variables: identifiers whose values change
// from one evaluation to the next (Env.Vars[i] is vars[i]), matched
// without regard to case as configs match names, and before consts.
func Compile(src string, consts func(name string) (float64, bool), vars ...string) (*Expr, error) {
	_, tree, err := parse(src)
	if err != nil {
		return nil, err
	}
	c := &compiler{consts: consts, vars: vars}
	n, err := c.node(tree.Node)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", src, err)
	}
	e := &Expr{src: src, eval: n.f, random: c.random, spatial: c.spatial, nvars: len(vars), variable: c.variable}
	if !c.random && !c.spatial && !c.variable {
		e.constant = true
		e.value = n.f(&Env{})
		if math.IsNaN(e.value) {
			return nil, fmt.Errorf("%q is not a number", src)
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
// of namespaces (spatial.distance) until they are resolved.
type compiled struct {
	f    fn
	path string
}

type compiler struct {
	consts                    func(string) (float64, bool)
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
		x := float64(n.Value)
		return compiled{f: func(*Env) float64 { return x }}, nil
	case *ast.FloatNode:
		x := n.Value
		return compiled{f: func(*Env) float64 { return x }}, nil
	case *ast.BoolNode:
		x := b2f(n.Value)
		return compiled{f: func(*Env) float64 { return x }}, nil
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
		switch n.Operator {
		case "-":
			return compiled{f: func(e *Env) float64 { return -x(e) }}, nil
		case "+":
			return compiled{f: x}, nil
		case "!", "not":
			return compiled{f: func(e *Env) float64 { return b2f(x(e) == 0) }}, nil
		}
		return compiled{}, fmt.Errorf("unsupported operator %q", n.Operator)
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
		return compiled{f: conditional(cond, a, b)}, nil
	case *ast.CallNode:
		callee, err := c.calleeName(n.Callee)
		if err != nil {
			return compiled{}, err
		}
		return c.call(callee, n.Arguments)
	case *ast.BuiltinNode:
		return c.call(n.Name, n.Arguments)
	}
	return compiled{}, fmt.Errorf("unsupported expression %s", n.String())
}

// value compiles a node that must be a number.
func (c *compiler) value(n ast.Node) (fn, error) {
	x, err := c.node(n)
	if err != nil {
		return nil, err
	}
	if x.f == nil {
		return nil, fmt.Errorf("%s is not a value (did you mean %s.…?)", x.path, x.path)
	}
	return x.f, nil
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
		return compiled{f: func(*Env) float64 { return math.Pi }}, nil
	}
	if namespaces[name] {
		return compiled{path: name}, nil
	}
	if i := variable(c.vars, name); i >= 0 {
		c.variable = true
		return compiled{f: func(e *Env) float64 { return e.Vars[i] }}, nil
	}
	if c.consts != nil {
		if x, ok := c.consts(name); ok {
			return compiled{f: func(*Env) float64 { return x }}, nil
		}
	}
	return compiled{}, fmt.Errorf("unknown name %s", name)
}

func (c *compiler) binary(n *ast.BinaryNode) (compiled, error) {
	a, err := c.value(n.Left)
	if err != nil {
		return compiled{}, err
	}
	b, err := c.value(n.Right)
	if err != nil {
		return compiled{}, err
	}
	var f fn
	switch n.Operator {
	case "+":
		f = func(e *Env) float64 { return a(e) + b(e) }
	case "-":
		f = func(e *Env) float64 { return a(e) - b(e) }
	case "*":
		f = func(e *Env) float64 { return a(e) * b(e) }
	case "/":
		f = func(e *Env) float64 { return a(e) / b(e) }
	case "%":
		f = func(e *Env) float64 { return math.Mod(a(e), b(e)) }
	case "**", "^":
		f = func(e *Env) float64 { return math.Pow(a(e), b(e)) }
	case "<":
		f = func(e *Env) float64 { return b2f(a(e) < b(e)) }
	case "<=":
		f = func(e *Env) float64 { return b2f(a(e) <= b(e)) }
	case ">":
		f = func(e *Env) float64 { return b2f(a(e) > b(e)) }
	case ">=":
		f = func(e *Env) float64 { return b2f(a(e) >= b(e)) }
	case "==":
		f = func(e *Env) float64 { return b2f(a(e) == b(e)) }
	case "!=":
		f = func(e *Env) float64 { return b2f(a(e) != b(e)) }
	case "and", "&&":
		// Both sides are evaluated, so that the draws do not depend on values.
		f = func(e *Env) float64 { x, y := a(e), b(e); return b2f(x != 0 && y != 0) }
	case "or", "||":
		f = func(e *Env) float64 { x, y := a(e), b(e); return b2f(x != 0 || y != 0) }
	default:
		return compiled{}, fmt.Errorf("unsupported operator %q", n.Operator)
	}
	return compiled{f: f}, nil
}

// Inline returns src with every identifier consts knows replaced by its
// value and every keyword argument made positional, so that the result
// compiles without consts and means the same (it is what configs store in
// spec values and run.json). The rest of the text stays as written, the
// variables vars included (the result compiles with the same vars).
// Values are written exactly (the shortest form that reads back the same),
// negative ones in parentheses; they must be finite.
func Inline(src string, consts func(name string) (float64, bool), vars ...string) (string, error) {
	if _, err := Compile(src, consts, vars...); err != nil {
		return "", err
	}
	text, tree, _ := parse(src)
	out := []rune(text)
	ids := slices.DeleteFunc(constants(tree), func(id *ast.IdentifierNode) bool { return variable(vars, id.Value) >= 0 })
	// From the end, so that the earlier offsets hold; a name seen twice (the
	// middle of a < b < c) once.
	slices.SortFunc(ids, func(a, b *ast.IdentifierNode) int { return b.Location().From - a.Location().From })
	ids = slices.CompactFunc(ids, func(a, b *ast.IdentifierNode) bool { return a.Location() == b.Location() })
	for _, id := range ids {
		x, _ := consts(id.Value)
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return "", fmt.Errorf("%q: %s is %g: parameters take finite numbers", src, id.Value, x)
		}
		loc := id.Location()
		out = slices.Concat(out[:loc.From], []rune(number(x)), out[loc.To:])
	}
	if _, err := Compile(string(out), nil, vars...); err != nil {
		return "", fmt.Errorf("internal error: %q inlined as %q: %w", src, string(out), err)
	}
	return string(out), nil
}

// Names returns the names that src takes from its constants, once each:
// the identifiers that are neither param's functions and name spaces nor pi
// (what a caller must define before compiling src).
func Names(src string) ([]string, error) {
	_, tree, err := parse(src)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, id := range constants(tree) {
		if !slices.Contains(names, id.Value) {
			names = append(names, id.Value)
		}
	}
	return names, nil
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
