package configs

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"github.com/snn-gpu/snn-gpu/param"
)

// Parameter expressions: NEST's parameter objects written as text, compiled
// by package param (random.uniform(0, 20), spatial.distance, …). A string
// that the [vars] evaluator reads is a constant; one that only param reads
// is a constant too when it neither draws nor depends on space, and a
// parameter otherwise. A parameter is stored with its [vars] replaced by
// numbers and its keyword arguments made positional, so that the spec (and
// run.json) needs nothing else to be compiled.

// fmtNum writes a number so that expressions read it back exactly.
func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// callName returns the dotted name of a call's callee.
func callName(n ast.Node) string {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		return n.Value
	case *ast.MemberNode:
		base := callName(n.Node)
		prop, ok := n.Property.(*ast.StringNode)
		if base == "" || !ok {
			return ""
		}
		return base + "." + prop.Value
	}
	return ""
}

// literal returns the value of a number written as a literal (-1.5 too).
func literal(n ast.Node) (float64, bool) {
	switch n := n.(type) {
	case *ast.FloatNode:
		return n.Value, true
	case *ast.IntegerNode:
		return float64(n.Value), true
	case *ast.UnaryNode:
		if x, ok := literal(n.Node); ok {
			switch n.Operator {
			case "-":
				return -x, true
			case "+":
				return x, true
			}
		}
	}
	return 0, false
}

// randomCall is a call of random.* whose arguments are all literals.
type randomCall struct {
	name string    // uniform, uniform_int, normal, lognormal, exponential
	args []float64 // every argument, NEST's defaults filled in
}

func literalCall(n ast.Node) (randomCall, bool) {
	call, ok := n.(*ast.CallNode)
	if !ok {
		return randomCall{}, false
	}
	name := callName(call.Callee)
	_, defaults, ok := param.Signature(name)
	if !ok || !strings.HasPrefix(name, "random.") || len(call.Arguments) > len(defaults) {
		return randomCall{}, false
	}
	rc := randomCall{name: strings.TrimPrefix(name, "random."), args: defaults}
	for i, a := range call.Arguments {
		if rc.args[i], ok = literal(a); !ok {
			return randomCall{}, false
		}
	}
	for _, x := range rc.args {
		if math.IsNaN(x) {
			return randomCall{}, false // a required argument missing
		}
	}
	return rc, true
}

// check applies NEST's checks to the arguments of a random parameter.
func (rc randomCall) check() error {
	a := rc.args
	switch rc.name {
	case "uniform":
		if !(a[0] < a[1]) {
			return fmt.Errorf("random.uniform needs min < max, got min %g, max %g", a[0], a[1])
		}
	case "normal", "lognormal":
		if !(a[1] > 0) {
			return fmt.Errorf("random.%s needs std > 0, got %g", rc.name, a[1])
		}
	case "exponential":
		if !(a[0] > 0) {
			return fmt.Errorf("random.exponential needs beta > 0, got %g", a[0])
		}
	case "uniform_int":
		if n, ok := wholeValue(a[0]); !ok || n < 1 || n >= 1<<32 {
			return fmt.Errorf("random.uniform_int needs a whole number max >= 1, got %g", a[0])
		}
	}
	return nil
}

// support returns the least and greatest value of a random parameter that
// is one call with literal arguments, and whether it is one. uniform draws
// from [min, max); uniform_int from 0 … max-1.
func (rc randomCall) support() (lo, hi float64) {
	a := rc.args
	switch rc.name {
	case "uniform":
		return a[0], a[1]
	case "uniform_int":
		return 0, a[0] - 1
	case "lognormal", "exponential":
		return 0, math.Inf(1)
	}
	return math.Inf(-1), math.Inf(1)
}

type callChecker struct{ err error }

func (c *callChecker) Visit(n *ast.Node) {
	if rc, ok := literalCall(*n); ok && c.err == nil {
		c.err = rc.check()
	}
}

// checkRandomCalls applies NEST's argument checks to every random call with
// literal arguments in text.
func checkRandomCalls(text string) error {
	tree, err := parser.Parse(text)
	if err != nil {
		return err
	}
	c := &callChecker{}
	ast.Walk(&tree.Node, c)
	return c.err
}

// singleCall reports whether text is one random call with literal
// arguments, as a distribution table gives.
func singleCall(text string) (randomCall, bool) {
	tree, err := parser.Parse(text)
	if err != nil {
		return randomCall{}, false
	}
	return literalCall(tree.Node)
}

// scaledCall reports whether text is one random call with literal
// arguments, alone or times a number (a unit's scale: "… * 1000").
func scaledCall(text string) (randomCall, float64, bool) {
	tree, err := parser.Parse(text)
	if err != nil {
		return randomCall{}, 0, false
	}
	if b, ok := tree.Node.(*ast.BinaryNode); ok && b.Operator == "*" {
		rc, ok := literalCall(b.Left)
		scale, isNum := literal(b.Right)
		return rc, scale, ok && isNum && scale > 0
	}
	rc, ok := literalCall(tree.Node)
	return rc, 1, ok
}

// simpleNode reports whether text needs no parentheses as a factor.
func simpleNode(text string) bool {
	tree, err := parser.Parse(text)
	if err != nil {
		return false
	}
	switch tree.Node.(type) {
	case *ast.CallNode, *ast.MemberNode, *ast.IdentifierNode, *ast.FloatNode, *ast.IntegerNode, *ast.BuiltinNode:
		return true
	}
	return false
}

// scaled multiplies a parameter by a unit's scale ("… s" in a delay).
func scaled(text string, scale float64) string {
	if scale == 1 {
		return text
	}
	if !simpleNode(text) {
		text = "(" + text + ")"
	}
	return text + " * " + fmtNum(scale)
}

var zAxis = regexp.MustCompile(`\bspatial\.(distance|source_pos|target_pos)\.z\b`)

// usesZ reports whether a parameter reads the z coordinate.
func usesZ(text string) bool { return zAxis.MatchString(text) }
