package param

import (
	"errors"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/units"
)

// dimConsts are a time, a voltage, a frequency and a capacitance, and the
// unit symbols, as configs gives them.
func dimConsts(name string) (units.Quantity, bool) {
	if u, ok := units.Lookup(name); ok {
		return u.Quantity(1), true
	}
	q, ok := map[string]units.Quantity{
		"t": {V: 20, Dim: units.Time}, "v": {V: 10, Dim: units.Voltage}, "f": {V: 0.01, Dim: units.Frequency},
		"c": {V: 250, Dim: units.Capacitance}, "g": units.Plain(5),
	}[name]
	return q, ok
}

func TestDimensions(t *testing.T) {
	cases := []struct {
		src   string
		dim   units.Dim
		value float64 // NaN-free constants only; 0 for parameters
	}{
		{"v/t", units.Voltage.Div(units.Time), 0.5},
		{"c/t", units.Conductance, 12.5},
		{"1/f", units.Time, 100},
		{"f*t", units.None, 0.2},
		{"t**2", units.Time.Mul(units.Time), 400},
		{"sqrt(t**2)", units.Time, 20},
		{"pow(t, 2) / t", units.Time, 20},
		{"2*s", units.Time, 2000},
		{"round(t/ms) * g", units.None, 100},
		{"min(t, 3*ms, 1*s)", units.Time, 3},
		{"abs(-v)", units.Voltage, 10},
		{"g > 4 ? t : 2*ms", units.Time, 20},
		{"t > 1*ms", units.None, 1},
		{"random.uniform(v, 2*v)", units.Voltage, 0},
		{"random.normal(mean=t, std=0.1*t)", units.Time, 0},
		{"random.exponential(t)", units.Time, 0},
		{"v * random.lognormal(0, 1)", units.Voltage, 0},
		{"t * spatial_distributions.gaussian(spatial.distance, std=0.2)", units.Time, 0},
		{"math.redraw(random.normal(v, v), 0*mV, 2*v)", units.Voltage, 0},
		{"logic.conditional(random.uniform() < 0.5, t, 2*t)", units.Time, 0},
	}
	for _, c := range cases {
		e, err := Compile(c.src, dimConsts)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if e.Dim() != c.dim {
			t.Errorf("%s: dimension %v, want %v", c.src, e.Dim(), c.dim)
		}
		if x, ok := e.Constant(); ok && x != c.value {
			t.Errorf("%s = %g, want %g", c.src, x, c.value)
		}
	}
}

func TestDimensionErrors(t *testing.T) {
	cases := map[string]string{
		"t + v":                             "the sum of t and v needs one dimension: t is a time, v a voltage",
		"t - 1":                             "the difference of t and 1 needs one dimension",
		"t < v":                             "the comparison of t and v",
		"g > 1 ? t : v":                     "the branches of",
		"exp(t)":                            "exp: t is a time; exp takes plain numbers",
		"floor(t)":                          "floor(t): t is a time, and rounding one depends on its unit: divide by a unit first, e.g. floor(t/ms)",
		"sqrt(t)":                           "sqrt(t) has no unit: t is a time",
		"t ** 0.5":                          "t to the power 0.5 has no unit",
		"g ** t":                            "the exponent t is a time",
		"t ** random.uniform()":             "its exponent random.uniform() must be a constant",
		"random.uniform(v)":                 "random.uniform: min v is a voltage and max (its default) a plain number",
		"random.lognormal(v, 1)":            "random.lognormal: mean v is a voltage; random.lognormal takes plain numbers",
		"min(t, v)":                         "min: t is a time and v a voltage",
		"math.redraw(t, 0, 1)":              "math.redraw: parameter t is a time and min 0 a plain number",
		"spatial_distributions.gaussian(t)": "x t is a time",
	}
	for src, want := range cases {
		_, err := Compile(src, dimConsts)
		var de *DimError
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", src, err, want)
		} else if !errors.As(err, &de) {
			t.Errorf("%s: %v is not a DimError", src, err)
		}
	}
}
