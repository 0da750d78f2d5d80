package param

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/rng"
)

var vars = map[string]float64{"J": 0.1, "g": 5, "sigma": 0.25}

func compile(t *testing.T, src string) *Expr {
	t.Helper()
	e, err := Compile(src, func(n string) (float64, bool) { x, ok := vars[n]; return x, ok })
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	return e
}

func TestConstants(t *testing.T) {
	cases := map[string]float64{
		"-g*J":                                -0.5,
		"2 ** 3 + 7 % 4":                      11,
		"2 ^ 10":                              1024,
		"sqrt(16) + abs(-2)":                  6,
		"min(3, J) + max(1, 2)":               2.1,
		"exp(0) + math.exp(0)":                2,
		"floor(2.7) + ceil(0.2) + round(2.5)": 6,
		"g > 4 ? 1 : 0":                       1,
		"logic.conditional(g < 4, 1, 2)":      2,
		"not (g == 5) or J != 0.1":            0,
		"pow(2, 0.5) * pow(2, 0.5)":           2.0000000000000004,
		"math.min(1, 2) + math.max(1, 2)":     3,
		"pi":                                  math.Pi,
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
		"spatial.distance.x + spatial.distance.y":                                                 -0.1,
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
		`"text"`:                           "unsupported expression",
		"0/0":                              "not a number",
	}
	for src, want := range cases {
		_, err := Compile(src, func(n string) (float64, bool) { x, ok := vars[n]; return x, ok })
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
	e, _ := Compile("J*math.redraw(random.normal(1, 0.2), 0.5, 1.5)", func(n string) (float64, bool) { x, ok := vars[n]; return x, ok })
	s := rng.NewStream(rng.NewKey(1, 1), rng.PurposeSynParam, 0, 0, 0)
	env := &Env{Stream: &s}
	for b.Loop() {
		_, _ = e.Eval(env)
	}
}

func TestInline(t *testing.T) {
	lookup := func(n string) (float64, bool) { x, ok := vars[n]; return x, ok }
	for src, want := range map[string]string{
		"J*random.uniform(0.5, 1.5)":                                 "0.1 * random.uniform(0.5, 1.5)",
		"spatial_distributions.gaussian(spatial.distance, 0, sigma)": "spatial_distributions.gaussian(spatial.distance, 0, 0.25)",
		"-g*J":                 "-5 * 0.1",
		"pi * random.normal()": "pi * random.normal()",
	} {
		got, err := Inline(src, lookup)
		if err != nil || got != want {
			t.Errorf("Inline(%q) = %q, %v; want %q", src, got, err, want)
			continue
		}
		// The inlined source means the same without the constants.
		a, b := compile(t, src), compile(t, got)
		s1 := rng.NewStream(rng.NewKey(1, 1), rng.PurposeSynParam, 0, 0, 0)
		s2 := s1
		env1 := &Env{Stream: &s1, Disp: [3]float64{0.1, 0.2, 0}}
		env2 := &Env{Stream: &s2, Disp: [3]float64{0.1, 0.2, 0}}
		x, _ := a.Eval(env1)
		y, _ := b.Eval(env2)
		if x != y {
			t.Errorf("%q = %v but inlined %q = %v", src, x, got, y)
		}
	}
}
