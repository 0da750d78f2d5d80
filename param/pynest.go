package param

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
)

// PyNEST writes src, an expression as spec values hold it (constants
// inlined), as Python for a PyNEST script: a number where it is constant;
// a nest.Parameter expression (nest.random…, nest.spatial…, nest.math…)
// where it draws or depends on space; numpy arithmetic over arrays where it
// reads vars (a population's draws, which the script holds as arrays of
// the same names). What NEST's parameters cannot compute (a logarithm of a
// random number, %, and/or, draws mixed with a population's variables) is
// an error that says so.
func PyNEST(src string, vars ...string) (string, error) {
	_, tree, err := parse(src)
	if err != nil {
		return "", err
	}
	w := pyWriter{vars: vars}
	k, err := w.kind(tree.Node)
	if err != nil {
		return "", fmt.Errorf("%q: %w", src, err)
	}
	if k.variable && (k.random || k.spatial) {
		return "", fmt.Errorf("%q: NEST cannot combine a population's draws with random or spatial parameters in one value", src)
	}
	w.numpy = k.variable
	out, err := w.node(tree.Node)
	if err != nil {
		return "", fmt.Errorf("%q: %w", src, err)
	}
	return out, nil
}

// pyWriter renders the nodes of one expression; numpy says that it reads
// variables (arrays) rather than building a nest.Parameter.
type pyWriter struct {
	vars  []string
	numpy bool
}

// kind compiles n alone and reports what it depends on.
func (w pyWriter) kind(n ast.Node) (*compiler, error) {
	c := &compiler{vars: w.vars}
	x, err := c.value(n)
	if err != nil {
		return nil, err
	}
	if x.fixed {
		c.random, c.spatial, c.variable = false, false, false
	}
	return c, nil
}

// pyNumber writes x as a Python float literal.
func pyNumber(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "math.inf"
	case math.IsInf(x, -1):
		return "(-math.inf)"
	case x < 0:
		return "(" + strconv.FormatFloat(x, 'g', -1, 64) + ")"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// pyOperators are the binary operators a nest.Parameter and numpy share.
var pyOperators = map[string]string{
	"+": "+", "-": "-", "*": "*", "/": "/", "**": "**", "^": "**",
	"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "==", "!=": "!=",
}

// numpyFunctions are param's plain functions in numpy.
var numpyFunctions = map[string]string{
	"exp": "np.exp", "log": "np.log", "sqrt": "np.sqrt", "abs": "np.abs", "sin": "np.sin", "cos": "np.cos",
	"floor": "np.floor", "ceil": "np.ceil", "round": "np.round", "min": "np.minimum", "max": "np.maximum",
	"math.exp": "np.exp", "math.sin": "np.sin", "math.cos": "np.cos", "math.min": "np.minimum", "math.max": "np.maximum",
}

func (w pyWriter) node(n ast.Node) (string, error) {
	c, err := w.kind(n)
	if err != nil {
		return "", err
	}
	if !c.random && !c.spatial && !c.variable {
		x, _ := c.value(n)
		return pyNumber(x.f(&Env{})), nil
	}
	switch n := n.(type) {
	case *ast.IdentifierNode:
		if i := variable(w.vars, n.Value); i >= 0 {
			return w.vars[i], nil
		}
	case *ast.MemberNode:
		path, err := c.calleeName(n)
		if err != nil {
			return "", err
		}
		return "nest." + path, nil
	case *ast.UnaryNode:
		x, err := w.node(n.Node)
		if err != nil {
			return "", err
		}
		switch n.Operator {
		case "-":
			return "(-" + x + ")", nil
		case "+":
			return x, nil
		}
		return "", fmt.Errorf("NEST's parameters have no %q", n.Operator)
	case *ast.BinaryNode:
		op, ok := pyOperators[n.Operator]
		if !ok {
			return "", fmt.Errorf("NEST's parameters have no %q", n.Operator)
		}
		a, err := w.node(n.Left)
		if err != nil {
			return "", err
		}
		b, err := w.node(n.Right)
		if err != nil {
			return "", err
		}
		return "(" + a + " " + op + " " + b + ")", nil
	case *ast.ConditionalNode:
		args, err := w.nodes([]ast.Node{n.Cond, n.Exp1, n.Exp2})
		if err != nil {
			return "", err
		}
		if w.numpy {
			return "np.where(" + args + ")", nil
		}
		return "nest.logic.conditional(" + args + ")", nil
	case *ast.CallNode:
		name, err := c.calleeName(n.Callee)
		if err != nil {
			return "", err
		}
		return w.call(strings.ToLower(name), n.Arguments)
	case *ast.BuiltinNode:
		return w.call(n.Name, n.Arguments)
	}
	return "", fmt.Errorf("%s has no PyNEST form", n.String())
}

func (w pyWriter) nodes(ns []ast.Node) (string, error) {
	out := make([]string, len(ns))
	for i, a := range ns {
		s, err := w.node(a)
		if err != nil {
			return "", err
		}
		out[i] = s
	}
	return strings.Join(out, ", "), nil
}

// call writes a call whose value is not constant. Arguments stay
// positional: param's functions take NEST's arguments in NEST's order.
func (w pyWriter) call(name string, args []ast.Node) (string, error) {
	a, err := w.nodes(args)
	if err != nil {
		return "", err
	}
	if name == "pow" && len(args) == 2 {
		x, _ := w.node(args[0])
		y, _ := w.node(args[1])
		return "(" + x + " ** " + y + ")", nil
	}
	if w.numpy {
		if f, ok := numpyFunctions[name]; ok {
			return f + "(" + a + ")", nil
		}
		return "", fmt.Errorf("%s has no numpy form here", name)
	}
	switch name {
	case "exp", "sin", "cos", "min", "max":
		name = "math." + name
	}
	if !strings.Contains(name, ".") || name == "math.min" && len(args) > 2 || name == "math.max" && len(args) > 2 {
		return "", fmt.Errorf("NEST's parameters have no %s of a random or spatial value", name)
	}
	return "nest." + name + "(" + a + ")", nil
}
