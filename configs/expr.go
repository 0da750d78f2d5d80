package configs

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/snn-gpu/snn-gpu/param"
	"github.com/snn-gpu/snn-gpu/units"
)

// Expressions are package param's language over the [vars] of a config,
// with unit symbols as names ("2*ms", "theta/tau_m"): one language for
// constants and parameters, with dimensions checked as it compiles.

// reserved are words the expression language reads as its own.
var reserved = []string{"and", "contains", "else", "false", "if", "in", "let", "matches", "nil", "not", "or", "true"}

// reservedName reports whether a var cannot have this name (lower case):
// a reserved word, or one of param's functions and name spaces.
func reservedName(lower string) bool {
	i := sort.SearchStrings(reserved, lower)
	return i < len(reserved) && reserved[i] == lower || param.Reserved(lower)
}

// source is an expression read once for every point of a sweep.
type source struct {
	p       *param.Parsed
	ids     []string // the vars it uses (lower case), sorted
	unknown []string // names that are neither vars nor units (a population's draws, or mistakes)
	err     error
}

// exprs reads the expressions of a config. Var names are matched without
// regard to case (viper lowercases [vars]); unit symbols exactly.
type exprs struct {
	vars  map[string]bool     // lower-case var names
	spell func(string) string // lower-case var name → its spelling in the file
	cache map[string]*source  // by source text
}

func newExprs(names []string, spell func(string) string) *exprs {
	x := &exprs{vars: map[string]bool{}, spell: spell, cache: map[string]*source{}}
	for _, n := range names {
		x.vars[n] = true
	}
	return x
}

// compile reads src once; the result says which vars it uses, or why it
// cannot be read.
func (x *exprs) compile(src string) *source {
	src = strings.TrimSpace(src)
	if c, ok := x.cache[src]; ok {
		return c
	}
	c := &source{}
	x.cache[src] = c
	p, err := param.Parse(src)
	if err != nil {
		c.err = readError(src, err)
		return c
	}
	// The form of the expression, apart from its names' values and
	// dimensions: what is not arithmetic is refused here, once. With every
	// name 1 a sound expression may well be 0/0 (tau_syn - tau_m), so NaN
	// waits for the names' real values.
	var nan *param.NaNError
	if _, err := p.Compile(func(string) (units.Quantity, bool) { return units.Plain(1), true }); err != nil && !errors.As(err, &nan) {
		c.err = readError(src, err)
		return c
	}
	c.p = p
	for _, n := range p.Names() {
		switch lower := strings.ToLower(n); {
		case units.IsSymbol(n):
		case x.vars[lower]:
			if !contains(c.ids, lower) {
				c.ids = append(c.ids, lower)
			}
		default:
			c.unknown = append(c.unknown, n)
		}
	}
	sort.Strings(c.ids)
	return c
}

var (
	// gluedUnit is a number written against its unit ("20mV").
	gluedUnit = regexp.MustCompile(`(^|[^\w.])(\d+\.?\d*(?:[eE][-+]?\d+)?)([A-Za-zµ]+)\b`)
	// trailingWord is "<expression> <word>": a quantity with its unit.
	trailingWord = regexp.MustCompile(`^(.*\S)\s+([A-Za-zµ][\wµ]*)$`)
)

// readError explains why src cannot be read, with what a unit typo needs.
func readError(src string, err error) error {
	var ne *param.NameError
	if errors.As(err, &ne) {
		return nameError(src, ne)
	}
	if m := gluedUnit.FindStringSubmatch(src); m != nil && units.IsSymbol(m[3]) {
		return fmt.Errorf("cannot read %q: write a space between a number and its unit (%s %s)", src, m[2], m[3])
	}
	if m := trailingWord.FindStringSubmatch(src); m != nil && !units.IsSymbol(m[2]) {
		if _, e := param.Parse(m[1]); e == nil {
			return fmt.Errorf("unknown unit %s in %q; units: %s", m[2], src, strings.Join(units.Symbols(), ", "))
		}
	}
	what := "expression"
	if mentionsParam.MatchString(src) {
		what = "parameter"
	}
	msg := strings.TrimPrefix(firstLine(err), strconv.Quote(src)+": ")
	return fmt.Errorf("cannot read %s %q: %s", what, src, msg)
}

// mentionsParam matches text that uses the names of NEST's parameters.
var mentionsParam = regexp.MustCompile(`\b(random|spatial|spatial_distributions|math|logic)\s*\.`)

func firstLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// binding is the value of a var at one point and where it comes from.
type binding struct {
	q    units.Quantity
	from string // "[vars]", "--set", "[sweep]"
}

// consts resolves the names of an expression for param: unit symbols, then
// [vars] without regard to case.
func (s *scope) consts(name string) (units.Quantity, bool) {
	if u, ok := units.Lookup(name); ok {
		return u.Quantity(1), true
	}
	b, ok := s.env[strings.ToLower(name)]
	return b.q, ok
}

// expr evaluates src (without a trailing unit). A constant comes back as q
// with pe nil; a random or spatial parameter, or one over the scope's
// draws, as pe, with text its self-contained source (param.Inline: vars
// replaced by numbers, keywords made positional, draws kept by name) and q
// its dimension and the factor 1: its values are pe's times q.V, in
// coherent units of q.Dim.
func (s *scope) expr(src string) (q units.Quantity, pe *param.Expr, text string, err error) {
	c := s.x.compile(src)
	if c.err != nil {
		return q, nil, "", c.err
	}
	for _, n := range c.unknown {
		if !containsFold(s.draws, n) {
			return q, nil, "", s.unknownName(n, src)
		}
	}
	e, err := c.p.Compile(s.consts, s.draws...)
	if err != nil {
		return q, nil, "", s.compileError(c, src, err)
	}
	if v, ok := e.Constant(); ok {
		return units.Quantity{V: v, Dim: e.Dim()}, nil, "", nil
	}
	if text, err = c.p.Inline(s.consts, s.draws...); err != nil {
		return q, nil, "", err
	}
	if pe, err = param.Compile(text, nil, s.draws...); err != nil {
		return q, nil, "", err
	}
	if err := checkRandomCalls(text); err != nil {
		return q, nil, "", err
	}
	return units.Quantity{V: 1, Dim: e.Dim()}, pe, text, nil
}

// unknownName says that name is neither a var, a unit, nor a draw.
func (s *scope) unknownName(name, src string) error {
	var known []string
	for n := range s.x.vars {
		known = append(known, s.x.spell(n))
	}
	where := "the [vars] entries"
	if len(s.draws) > 0 {
		where += " and the population's draws (" + strings.Join(s.draws, ", ") + ")"
		known = append(known, s.draws...)
	}
	return fmt.Errorf("unknown name %s in %q: expressions may use %s, unit symbols (2*ms) and functions%s",
		name, strings.TrimSpace(src), where, suggest(name, append(known, units.Symbols()...)))
}

// compileError decorates param's errors: a name hint for unknown functions
// and arguments, and the values of the vars behind a dimension error.
func (s *scope) compileError(c *source, src string, err error) error {
	var ne *param.NameError
	var de *param.DimError
	switch {
	case errors.As(err, &ne):
		return nameError(src, ne)
	case errors.As(err, &de):
		msg := fmt.Sprintf("in %q, %s", strings.TrimSpace(src), de.Msg)
		if o := s.origins(c.ids); o != "" {
			msg += " (" + o + ")"
		}
		return errors.New(msg)
	}
	return fmt.Errorf("cannot read %q: %s", strings.TrimSpace(src), strings.TrimPrefix(firstLine(err), strconv.Quote(strings.TrimSpace(src))+": "))
}

// nameError is param's error for an unknown function or argument, with a
// hint.
func nameError(src string, ne *param.NameError) error {
	hinted := *ne
	hinted.Hint = suggest(ne.Name, ne.Known)
	return fmt.Errorf("cannot read parameter %q: %v", strings.TrimSpace(src), &hinted)
}

// origins lists the values of vars and where they come from, for messages:
// "theta = 20 ms from [vars], tm = 30 ms from --set tm=30".
func (s *scope) origins(ids []string) string {
	var parts []string
	for _, id := range ids {
		if b, ok := s.env[id]; ok {
			parts = append(parts, fmt.Sprintf("%s = %s from %s", s.x.spell(id), b.q, b.from))
		}
	}
	return strings.Join(parts, ", ")
}
