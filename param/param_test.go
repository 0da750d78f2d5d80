package param

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/units"
)

var vars = map[string]float64{"J": 0.1, "g": 5, "sigma": 0.25}

func compile(t *testing.T, src string) *Expr {
	t.Helper()
	e, err := Compile(src, plainConsts(vars))
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	return e
}

// plainConsts resolves names from a map of plain numbers.
func plainConsts(m map[string]float64) Consts {
	return func(n string) (units.Quantity, bool) { x, ok := m[n]; return units.Plain(x), ok }
}

func TestConstants(t *testing.T) {
	cases := map[string]float64{
		"-g*J":                                   -0.5,
		"2 ** 3 + 7 % 4":                         11,
		"2 ^ 10":                                 1024,
		"sqrt(16) + abs(-2)":                     6,
		"min(3, J) + max(1, 2)":                  2.1,
		"exp(0) + math.exp(0)":                   2,
		"floor(2.7) + ceil(0.2) + round(2.5)":    5, // Python's round: half to even
		"int(-2.7) + round(3.5) + lambertwm1(0)": 2,
		"min(4, 2, 3) + max(1, 5, 2)":            7,
		"g > 4 ? 1 : 0":                          1,
		"logic.conditional(g < 4, 1, 2)":         2,
		"not (g == 5) or J != 0.1":               0,
		"pow(2, 0.5) * pow(2, 0.5)":              2.0000000000000004,
		"math.min(1, 2) + math.max(1, 2)":        3,
		"pi":                                     math.Pi,
	}
	for src, want := range cases {
		e := compile(t, src)
		got, ok := e.Constant()
		if !ok || got != want || e.Random() || e.Spatial() {
			t.Errorf("%s = %v (constant %v), want %v", src, got, ok, want)
		}
	}
}

// Random calls draw from the caller's stream in evaluation order, with
// NEST's formulas and defaults.
func TestRandomDrawsFollowTheStream(t *testing.T) {
	key := rng.NewKey(1, 2)
	cases := []struct {
		src  string
		want func(s *rng.Stream) float64
	}{
		{"random.uniform()", func(s *rng.Stream) float64 { return s.Float64() }},
		{"random.uniform(2, 5)", func(s *rng.Stream) float64 { return 2 + 3*s.Float64() }},
		{"random.normal(1, 0.5)", func(s *rng.Stream) float64 { return 1 + 0.5*s.Normal() }},
		{"random.lognormal(0, 2)", func(s *rng.Stream) float64 { return math.Exp(2 * s.Normal()) }},
		{"random.exponential(3)", func(s *rng.Stream) float64 { return 3 * s.Exponential() }},
		{"1 + 0.1*random.uniform_int(11)", func(s *rng.Stream) float64 { return 1 + 0.1*float64(s.Intn(11)) }},
		{"J*random.uniform(0.5, 1.5) - random.normal()", func(s *rng.Stream) float64 {
			a := 0.5 + s.Float64()
			return 0.1*a - s.Normal()
		}},
	}
	for _, c := range cases {
		e := compile(t, c.src)
		if !e.Random() || e.Spatial() {
			t.Errorf("%s: random %v spatial %v", c.src, e.Random(), e.Spatial())
		}
		for i := uint32(0); i < 20; i++ {
			s1 := rng.NewStream(key, rng.PurposeSynParam, 0, i, 0)
			s2 := s1
			got, err := e.Eval(&Env{Stream: &s1})
			if err != nil {
				t.Fatal(err)
			}
			if want := c.want(&s2); got != want {
				t.Fatalf("%s draw %d = %v, want %v", c.src, i, got, want)
			}
		}
	}
}

func TestRedraw(t *testing.T) {
	e := compile(t, "math.redraw(random.normal(0, 1), -0.5, 0.5)")
	s := rng.NewStream(rng.NewKey(3, 0), rng.PurposeSynParam, 0, 0, 0)
	for i := 0; i < 1000; i++ {
		x, err := e.Eval(&Env{Stream: &s})
		if err != nil || x < -0.5 || x > 0.5 {
			t.Fatalf("redraw gave %v, %v", x, err)
		}
	}
	e = compile(t, "math.redraw(random.uniform(0, 1), 2, 3)")
	if _, err := e.Eval(&Env{Stream: &s}); !errors.Is(err, ErrRedraw) {
		t.Errorf("impossible redraw: error %v", err)
	}
}

func TestSpatial(t *testing.T) {
	env := &Env{Disp: [3]float64{0.3, -0.4, 0}, Source: [3]float64{0.1, 0.2, 0}, Target: [3]float64{0.4, -0.2, 0}}
	cases := map[string]float64{
		"spatial.distance":                                                                        0.5,
		"spatial.distance.x + spatial.distance.y":                                                 0.7, // NEST: absolute components
		"spatial.source_pos.y + spatial.target_pos.x":                                             0.6000000000000001,
		"spatial_distributions.exponential(spatial.distance, 0.25)":                               math.Exp(-2),
		"spatial_distributions.gaussian(spatial.distance, 0, sigma)":                              math.Exp(-0.25 / (2 * 0.0625)),
		"spatial_distributions.gaussian(spatial.distance)":                                        math.Exp(-0.125),
		"0.5 * (spatial.distance < 0.6)":                                                          0.5,
		"max(0, 1 - spatial.distance/0.8)":                                                        1 - 0.5/0.8,
		"spatial_distributions.gamma(spatial.distance, 2, 0.5)":                                   0.5 * math.Exp(-1) / 0.25,
		"spatial_distributions.gaussian2D(spatial.distance.x, spatial.distance.y, 0, 0, 1, 1, 0)": math.Exp(-0.125),
	}
	for src, want := range cases {
		e := compile(t, src)
		if !e.Spatial() || e.Random() {
			t.Errorf("%s: spatial %v random %v", src, e.Spatial(), e.Random())
		}
		got, err := e.Eval(env)
		if err != nil || math.Abs(got-want) > 1e-12 {
			t.Errorf("%s = %v (%v), want %v", src, got, err, want)
		}
	}
}

func TestErrors(t *testing.T) {
	cases := map[string]string{
		"J*":                               `"J*"`,
		"K + 1":                            "unknown name K",
		"random.gauss(0, 1)":               "unknown function random.gauss",
		"random.uniform(0, 1, 2)":          "at most 2 arguments",
		"spatial_distributions.gaussian()": "needs its argument x",
		"spatial + 1":                      "spatial is not a value",
		`"text"`:                           "is not an expression",
		"0/0":                              "not a number",
	}
	for src, want := range cases {
		_, err := Compile(src, plainConsts(vars))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Compile(%q): error %v, want %q", src, err, want)
		}
	}
	e := compile(t, "random.uniform_int(0)")
	s := rng.NewStream(rng.NewKey(1, 1), rng.PurposeSynParam, 0, 0, 0)
	if _, err := e.Eval(&Env{Stream: &s}); err == nil || !strings.Contains(err.Error(), "uniform_int") {
		t.Errorf("uniform_int(0): error %v", err)
	}
}

func BenchmarkEvalRandomWeight(b *testing.B) {
	e, _ := Compile("J*math.redraw(random.normal(1, 0.2), 0.5, 1.5)", plainConsts(vars))
	s := rng.NewStream(rng.NewKey(1, 1), rng.PurposeSynParam, 0, 0, 0)
	env := &Env{Stream: &s}
	for b.Loop() {
		_, _ = e.Eval(env)
	}
}

// sameValues reports where a and b differ on the same draws and positions.
func sameValues(t *testing.T, what string, a, b *Expr) {
	t.Helper()
	if a.Random() != b.Random() || a.Spatial() != b.Spatial() {
		t.Errorf("%s: random %v/%v, spatial %v/%v", what, a.Random(), b.Random(), a.Spatial(), b.Spatial())
		return
	}
	for i := uint32(0); i < 200; i++ {
		s1 := rng.NewStream(rng.NewKey(7, i), rng.PurposeSynParam, 0, i, 0)
		s2 := s1
		pos := rng.NewStream(rng.NewKey(8, i), rng.PurposeSynParam, 0, i, 0)
		var disp, src, tgt [3]float64
		for k := range 3 {
			disp[k], src[k], tgt[k] = pos.Float64()-0.5, pos.Float64()-0.5, pos.Float64()-0.5
		}
		x, e1 := a.Eval(&Env{Stream: &s1, Disp: disp, Source: src, Target: tgt})
		y, e2 := b.Eval(&Env{Stream: &s2, Disp: disp, Source: src, Target: tgt})
		if (e1 == nil) != (e2 == nil) || x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
			t.Errorf("%s: draw %d gives %v (%v) and %v (%v)", what, i, x, e1, y, e2)
			return
		}
	}
}

// Keyword arguments, with NEST's names, become positional ones: the
// positional ones first, then the keywords in any order, the skipped ones
// taking NEST's defaults.
func TestKeywords(t *testing.T) {
	cases := []struct{ src, want string }{
		{"random.uniform(min=-1, max=2)", "random.uniform(-1, 2)"},
		{"random.uniform(max=2)", "random.uniform(0, 2)"},
		{"random.uniform(min=1)", "random.uniform(1)"},
		{"random.uniform(-1, max=2)", "random.uniform(-1, 2)"},
		{"random.uniform_int(max=11)", "random.uniform_int(11)"},
		{"random.normal(std=0.5)", "random.normal(0, 0.5)"},
		{"random.normal(std=sigma, mean=J)", "random.normal(J, sigma)"},
		{"random.lognormal(mean=0.5)", "random.lognormal(0.5)"},
		{"random.lognormal(std = 2 , mean = -1)", "random.lognormal(-1, 2)"},
		{"random.exponential(beta=3)", "random.exponential(3)"},
		{"spatial_distributions.exponential(spatial.distance, beta=0.25)", "spatial_distributions.exponential(spatial.distance, 0.25)"},
		{"spatial_distributions.exponential(x=spatial.distance)", "spatial_distributions.exponential(spatial.distance)"},
		{"spatial_distributions.gaussian(spatial.distance, std=0.2)", "spatial_distributions.gaussian(spatial.distance, 0, 0.2)"},
		{"spatial_distributions.gaussian(std=0.2, x=spatial.distance, mean=0.1)", "spatial_distributions.gaussian(spatial.distance, 0.1, 0.2)"},
		{"spatial_distributions.gaussian2D(spatial.distance.x, spatial.distance.y, std_x=1, std_y=3)",
			"spatial_distributions.gaussian2D(spatial.distance.x, spatial.distance.y, 0, 0, 1, 3)"},
		{"spatial_distributions.gaussian2D(y=spatial.distance.y, x=spatial.distance.x, rho=0.5, mean_y=0.1)",
			"spatial_distributions.gaussian2D(spatial.distance.x, spatial.distance.y, 0, 0.1, 1, 1, 0.5)"},
		{"spatial_distributions.gamma(spatial.distance, theta=0.5)", "spatial_distributions.gamma(spatial.distance, 1, 0.5)"},
		{"spatial_distributions.gamma(spatial.distance, kappa=2)", "spatial_distributions.gamma(spatial.distance, 2)"},
		{"math.exp(parameter=spatial.distance)", "math.exp(spatial.distance)"},
		{"math.sin(parameter=J) + math.cos(parameter=J)", "math.sin(J) + math.cos(J)"},
		{"math.min(random.uniform(), value=0.5)", "math.min(random.uniform(), 0.5)"},
		{"math.max(value=0.5, parameter=random.uniform())", "math.max(random.uniform(), 0.5)"},
		{"math.redraw(random.normal(), min=-1, max=1)", "math.redraw(random.normal(), -1, 1)"},
		{"math.redraw(max=1, parameter=random.normal(J), min=-1)", "math.redraw(random.normal(J), -1, 1)"},
		{"logic.conditional(random.uniform() < 0.8, param_if_false=-g*J, param_if_true=J)",
			"logic.conditional(random.uniform() < 0.8, J, -g*J)"},
		// Nested calls, comparisons that are no keywords, text kept as written.
		{"2*math.redraw(random.normal(std=0.1, mean=J), min=0, max=1e-1) + 1", "2*math.redraw(random.normal(J, 0.1), 0, 1e-1) + 1"},
		{"logic.conditional(J == 0.1, random.uniform(max = g>=5), random.normal(std=J<=0 ? 1 : 2))",
			"logic.conditional(J == 0.1, random.uniform(0, g>=5), random.normal(0, J<=0 ? 1 : 2))"},
		{"J != 0.1 ? random.exponential(beta = 2) : 0", "J != 0.1 ? random.exponential(2) : 0"},
		{"random.uniform(max=(2+J)*3, min=min(J, 0))", "random.uniform(min(J, 0), (2+J)*3)"},
		{"random.uniform(0, 1) + J", "random.uniform(0, 1) + J"},
	}
	lookup := plainConsts(vars)
	for _, c := range cases {
		got, err := positional(c.src)
		if err != nil || got != c.want {
			t.Errorf("positional(%q) = %q, %v; want %q", c.src, got, err, c.want)
			continue
		}
		a, err := Compile(c.src, lookup)
		if err != nil {
			t.Errorf("Compile(%q): %v", c.src, err)
			continue
		}
		if a.String() != c.src {
			t.Errorf("Compile(%q).String() = %q", c.src, a.String())
		}
		sameValues(t, c.src, a, compile(t, c.want))
	}
}

func TestKeywordErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{"random.normal(sd=1)", "random.normal has no argument sd; its arguments: mean, std"},
		{"math.redraw(random.normal(), min=0, maximum=1)", "math.redraw has no argument maximum; its arguments: parameter, min, max"},
		{"random.normal(mean=1, 2)", "random.normal: a positional argument follows a keyword argument"},
		{"random.normal(1, mean=2)", "random.normal: argument mean given twice"},
		{"random.normal(std=1, std=2)", "random.normal: argument std given twice"},
		{"math.redraw(random.normal(), max=1)", "math.redraw needs its argument min"},
		{"math.redraw(random.normal(), min=1)", "math.redraw needs its argument max"},
		{"math.redraw(min=0, max=1)", "math.redraw needs its argument parameter"},
		{"random.uniform_int(max=)", "random.uniform_int: argument max has no value"},
		{"random.uniform(0, 1, 2, max=1)", "random.uniform takes at most 2 arguments (min, max), got 4"},
		{"random.uniform(, max=1)", "random.uniform: an argument is empty"},
		{"exp(x=1)", "exp takes no keyword arguments: give them in order (x)"},
		{"min(x=1, y=2)", "min takes no keyword arguments"},
		{"random.gauss(std=1)", "unknown function random.gauss"},
		{"1 + random.normal(mean=J, sd=0.1)", `"1 + random.normal(mean=J, sd=0.1)": random.normal has no argument sd`},
		{"random.uniform((max=1))", "unexpected token"},
		{"max = 1", "unexpected token"},
	}
	for _, c := range cases {
		_, err := Compile(c.src, plainConsts(vars))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Compile(%q): error %v, want %q", c.src, err, c.want)
		}
		if _, ierr := Inline(c.src, nil); ierr == nil {
			t.Errorf("Inline(%q) accepts it", c.src)
		}
	}
	// An unknown name says what it could have been.
	_, err := Compile("random.normal(sd=1)", nil)
	var ne *NameError
	if !errors.As(err, &ne) || ne.Name != "sd" || ne.Func != "random.normal" || strings.Join(ne.Known, " ") != "mean std" {
		t.Errorf("NameError %+v from %v", ne, err)
	}
	_, err = Compile("random.unifrom(0, 1)", nil)
	if !errors.As(err, &ne) || ne.Name != "random.unifrom" || ne.Func != "" || !slices.Contains(ne.Known, "random.uniform") {
		t.Errorf("NameError %+v from %v", ne, err)
	}
	ne.Hint = " (did you mean random.uniform?)"
	if got := ne.Error(); got != "unknown function random.unifrom (did you mean random.uniform?)" {
		t.Errorf("with a hint: %q", got)
	}
}

// Every function with NEST's names takes every one of its arguments as a
// keyword (the names in the table are the ones the rewrite reads).
func TestEveryKeyword(t *testing.T) {
	for name, f := range functions {
		if !f.keywords {
			continue
		}
		var pos, kw []string
		for i, a := range f.args {
			v := fmt.Sprint(i + 2) // 2, 3, … in range for every argument
			pos = append(pos, v)
			kw = append([]string{a + "=" + v}, kw...) // in reverse order
		}
		src := name + "(" + strings.Join(kw, ", ") + ")"
		got, err := positional(src)
		if want := name + "(" + strings.Join(pos, ", ") + ")"; err != nil || got != want {
			t.Errorf("positional(%q) = %q, %v; want %q", src, got, err, want)
		}
		if _, err := Compile(src, nil); err != nil {
			t.Errorf("Compile(%q): %v", src, err)
		}
	}
	args, defaults, ok := Signature("spatial_distributions.gaussian")
	if !ok || strings.Join(args, " ") != "x mean std" || !math.IsNaN(defaults[0]) || defaults[1] != 0 || defaults[2] != 1 {
		t.Errorf("Signature(gaussian) = %v, %v, %v", args, defaults, ok)
	}
	if _, _, ok := Signature("random.gauss"); ok {
		t.Errorf("Signature(random.gauss) found")
	}
}

func TestInline(t *testing.T) {
	consts := map[string]float64{"J": 0.1, "g": 5, "sigma": 0.25, "x": -2, "y": 3, "nz": math.Copysign(0, -1),
		"third": 1.0 / 3, "big": 1e21, "tiny": 5e-324, "m": -0.75, "σ2": -0.75}
	lookup := plainConsts(consts)
	cases := []struct{ src, want string }{
		// Negative values keep their meaning under every operator.
		{"x**2 * random.uniform()", "(-2)**2 * random.uniform()"},
		{"x^2 + random.normal()", "(-2)^2 + random.normal()"},
		{"y**x + random.normal()", "3**(-2) + random.normal()"},
		{"-x * random.uniform()", "-(-2) * random.uniform()"},
		{"-x**2 + random.uniform()", "-(-2)**2 + random.uniform()"},
		{"- x - x + random.uniform()", "- (-2) - (-2) + random.uniform()"},
		{"x % 3 + random.uniform()", "(-2) % 3 + random.uniform()"},
		{"7 % x * random.uniform()", "7 % (-2) * random.uniform()"},
		{"nz * 1 / random.uniform(1, 2)", "(-0) * 1 / random.uniform(1, 2)"},
		{"random.normal(x, 1) + random.uniform(x, y)", "random.normal((-2), 1) + random.uniform((-2), 3)"},
		{"math.redraw(random.normal(m, sigma), x, -x)", "math.redraw(random.normal((-0.75), 0.25), (-2), -(-2))"},
		// Numbers exactly.
		{"J*random.uniform(0.5, 1.5)", "0.1*random.uniform(0.5, 1.5)"},
		{"third * random.uniform()", "0.3333333333333333 * random.uniform()"},
		{"big*random.uniform(1e-3, 2.5E+2) + tiny", "1e+21*random.uniform(1e-3, 2.5E+2) + 5e-324"},
		// Keywords made positional, the rest as written.
		{"random.uniform(max=-x, min=x)", "random.uniform((-2), -(-2))"},
		{"spatial_distributions.gaussian(spatial.distance, std=sigma)", "spatial_distributions.gaussian(spatial.distance, 0, 0.25)"},
		{"logic.conditional(x < 0 and not (y == 3), param_if_true=J, param_if_false=-g*J) * random.uniform()",
			"logic.conditional((-2) < 0 and not (3 == 3), 0.1, -5*0.1) * random.uniform()"},
		{"x < random.uniform(x, y) < y", "(-2) < random.uniform((-2), 3) < 3"},
		{"x < spatial.distance.x < y ? exp(x) : pow(y, x)", "(-2) < spatial.distance.x < 3 ? exp((-2)) : pow(3, (-2))"},
		{"spatial.distance.x + nz + y", "spatial.distance.x + (-0) + 3"},
		{"pi * random.normal()", "pi * random.normal()"},
		{"-g*J", "-5*0.1"},
		{"σ2 + random.uniform(max=σ2) + σ2", "(-0.75) + random.uniform(0, (-0.75)) + (-0.75)"}, // offsets in runes
	}
	for _, c := range cases {
		got, err := Inline(c.src, lookup)
		if err != nil || got != c.want {
			t.Errorf("Inline(%q) = %q, %v; want %q", c.src, got, err, c.want)
			continue
		}
		if p, err := positional(got); err != nil || p != got {
			t.Errorf("Inline(%q) = %q keeps keywords", c.src, got)
		}
		a, err := Compile(c.src, lookup)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Compile(got, nil)
		if err != nil {
			t.Errorf("Inline(%q) = %q does not compile alone: %v", c.src, got, err)
			continue
		}
		sameValues(t, c.src, a, b)
	}
	// The bug this guards against: the value without parentheses.
	if a, b := compile(t, "(-2)**2"), compile(t, "-2**2"); must(a) != 4 || must(b) != -4 {
		t.Errorf("(-2)**2 = %v, -2**2 = %v", must(a), must(b))
	}
	if _, err := Inline("inf * random.uniform()", func(string) (units.Quantity, bool) { return units.Plain(math.Inf(1)), true }); err == nil ||
		!strings.Contains(err.Error(), "inf is +Inf") {
		t.Errorf("an infinite value: %v", err)
	}
	if _, err := Inline("K * random.uniform()", lookup); err == nil || !strings.Contains(err.Error(), "unknown name K") {
		t.Errorf("an unknown name: %v", err)
	}
}

func must(e *Expr) float64 { x, _ := e.Constant(); return x }

// Inline means the same as its source for every value of the constants.
func TestInlineRandomValues(t *testing.T) {
	srcs := []string{
		"a**2 + b**a * random.uniform()",
		"-a^b - -b + random.normal(a, abs(b) + 0.1)",
		"a % b * random.exponential(beta=abs(a) + 1)",
		"a < b ? random.uniform(min=a, max=a + 1) : -a*random.lognormal(std=abs(b) + 0.5)",
		"math.redraw(random.normal(mean=a, std=1), min=a - 1, max=a + 1) / b",
		"spatial_distributions.gaussian(spatial.distance, mean=a, std=abs(b) + 0.1) - b*spatial.source_pos.y",
		"not a or b >= a and a != b ? a : -b",
		"logic.conditional(a <= spatial.distance.x, param_if_false=a**b, param_if_true=-b) + random.uniform_int(max=3)",
	}
	s := rng.NewStream(rng.NewKey(9, 9), rng.PurposeSynParam, 0, 0, 0)
	value := func() float64 {
		switch s.Intn(5) {
		case 0:
			return -float64(s.Intn(4)) // whole, zero or negative
		case 1:
			return math.Copysign(0, -1)
		case 2:
			return -s.Float64() * math.Pow(10, float64(s.Intn(40))-20)
		}
		return (s.Float64() - 0.5) * 10
	}
	for _, src := range srcs {
		for range 50 {
			vals := map[string]float64{"a": value(), "b": value()}
			lookup := plainConsts(vals)
			got, err := Inline(src, lookup)
			if err != nil {
				t.Errorf("Inline(%q) with %v: %v", src, vals, err)
				continue
			}
			a, _ := Compile(src, lookup)
			b, err := Compile(got, nil)
			if err != nil {
				t.Errorf("Inline(%q) = %q does not compile alone: %v", src, got, err)
				continue
			}
			if x, ok := a.Constant(); ok {
				if y, _ := b.Constant(); x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
					t.Errorf("%q with %v = %v, inlined %q = %v", src, vals, x, got, y)
				}
				continue
			}
			sameValues(t, fmt.Sprintf("%q with %v as %q", src, vals, got), a, b)
		}
	}
}

func TestNames(t *testing.T) {
	cases := map[string]string{
		"J*random.uniform(min=g, max=2*pi) + J":               "J g",
		"a < b < c ? exp(x) : spatial.distance + math.exp(y)": "a b c x y",
		"random.uniform()": "",
	}
	for src, want := range cases {
		got, err := Names(src)
		if err != nil || strings.Join(got, " ") != want {
			t.Errorf("Names(%q) = %v, %v; want %q", src, got, err, want)
		}
	}
	if _, err := Names("random.normal(sd=1)"); err == nil {
		t.Errorf("Names of a wrong call: no error")
	}
}

// Variables take their values per evaluation (a population's draws, per
// neuron): they are matched without regard to case and before consts, make
// the expression neither constant nor random, and Inline keeps them.
func TestVariables(t *testing.T) {
	consts := plainConsts(map[string]float64{"J": 0.1, "r": 99})
	e, err := Compile("-65 + 15*R**2 + J", consts, "r", "s")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := e.Constant(); ok || e.Random() || e.Spatial() || !e.Variable() {
		t.Fatalf("constant %v random %v spatial %v variable %v", ok, e.Random(), e.Spatial(), e.Variable())
	}
	for _, r := range []float64{0, 0.5, 1} {
		got, err := e.Eval(&Env{Vars: []float64{r, 7}})
		if want := -65 + 15*r*r + 0.1; err != nil || got != want {
			t.Errorf("r = %g: %v, %v; want %v", r, got, err, want)
		}
	}
	if _, err := e.Eval(&Env{Vars: []float64{1}}); err == nil || !strings.Contains(err.Error(), "1 variables given, 2 expected") {
		t.Errorf("too few variables: %v", err)
	}
	// With draws of its own: both, in evaluation order.
	key := rng.NewKey(1, 0)
	mixed, err := Compile("s * random.uniform(0, 2)", nil, "r", "s")
	if err != nil {
		t.Fatal(err)
	}
	st := rng.NewStream(key, rng.PurposeNeuronParam, 0, 0, 0)
	ref := st
	got, err := mixed.Eval(&Env{Stream: &st, Vars: []float64{0, 3}})
	if want := 3 * 2 * ref.Float64(); err != nil || got != want || !mixed.Random() || !mixed.Variable() {
		t.Errorf("s * random.uniform(0, 2) = %v, %v; want %v", got, err, want)
	}
	// Inline replaces the constants and keeps the variables as written.
	text, err := Inline("(0.25 - J*R)*(-65) + random.uniform(max=J)", consts, "r")
	if want := "(0.25 - 0.1*R)*(-65) + random.uniform(0, 0.1)"; err != nil || text != want {
		t.Errorf("Inline = %q, %v; want %q", text, err, want)
	}
	if _, err := Compile(text, nil); err == nil || !strings.Contains(err.Error(), "unknown name R") {
		t.Errorf("the inlined text without its variables: %v", err)
	}
	if _, err := Compile(text, nil, "r"); err != nil {
		t.Errorf("the inlined text with its variables: %v", err)
	}
}
