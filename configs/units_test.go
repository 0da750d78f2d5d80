package configs

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// unitsConfig is a small network whose fields read the [vars] below; each
// case puts one expression in one field, or overrides a var.
const unitsConfig = `
[simulation]
t_sim = 50.0
[vars]
theta = "20 ms"
tm = "20 mV"
x = "2 ms"
y = "3 mV"
tms = "0.02 s"
T = "100 ms"
tau = 10
C = "250 pF"
th = 20
k = 10
nn = 10
[[population]]
name = "E"
model = "iaf_psc_delta"
n = %q
params = { V_th = %q, tau_m = %q, C_m = %q }
[[device]]
name = "pg"
model = "poisson_generator"
params = { rate = %q }
[[connection]]
source = "pg"
target = "E"
syn = { weight = %q, delay = %q }
[[connection]]
source = "E"
target = "E"
rule = { rule = "fixed_indegree", indegree = %q }
`

// fields are the values of unitsConfig's fields, by name.
type fields map[string]string

func (f fields) config() []byte {
	get := func(name, def string) string {
		if v, ok := f[name]; ok {
			return v
		}
		return def
	}
	return fmt.Appendf(nil, unitsConfig, get("n", "nn"), get("V_th", "th"), get("tau_m", "tau"), get("C_m", "C"),
		get("rate", "1/T"), get("weight", "0.5"), get("delay", "1.5"), get("indegree", "k"))
}

// Every case the reliability issue found: a value whose dimension is not
// its field's, through [vars], --set and [sweep], is refused, naming the
// var and where it came from.
func TestUnitsThroughVarsAreChecked(t *testing.T) {
	cases := []struct {
		name string
		f    fields
		sets []string
		want string
	}{
		{"time var as V_th", fields{"V_th": "theta"}, nil,
			"population[0].params.V_th: expected a voltage in mV (or V, uV, µV), got theta = 20 ms (a time, from [vars])"},
		{"voltage var as tau_m", fields{"tau_m": "tm"}, nil, "population[0].params.tau_m: expected a time in ms (or s, us, µs), got tm = 20 mV (a voltage, from [vars])"},
		{"delay through --set", fields{"delay": "tau"}, []string{"tau=1.5 mV"}, "connection[0].syn.delay: expected a time in ms (or s, us, µs), got tau = 1.5 mV (a voltage, from --set tau=1.5 mV)"},
		{"weight through a var", fields{"weight": "y"}, nil, "connection[0].syn.weight: expected a plain number, got y = 3 mV (a voltage, from [vars]); weights take no unit"},
		{"rate", fields{"rate": "T"}, nil, "device[0].params.rate: expected a frequency in Hz (or kHz), got T = 100 ms (a time, from [vars])"},
		{"in-degree", fields{"indegree": "x"}, nil, "connection[1].rule.indegree: expected a number, got x = 2 ms (a time, from [vars])"},
		{"n", fields{"n": "nn"}, []string{"nn=10 mV"}, "population[0].n: expected a whole number from 1 to 2147483647, got nn = 10 mV (a voltage, from --set nn=10 mV)"},
		{"sum of unlike dimensions", fields{"V_th": "x + y"}, nil,
			`population[0].params.V_th: in "x + y", the sum of x and y needs one dimension: x is a time, y a voltage (x = 2 ms from [vars], y = 3 mV from [vars])`},
		{"a unit on a quantity", fields{"tau_m": "tms s"}, nil, `population[0].params.tau_m: "tms s": tms is a time already (tms = 20 ms from [vars]), and the unit s would make it a quantity in ms^2; drop the unit`},
		{"a plain number in a sum", fields{"V_th": "y + 1"}, nil, `y is a voltage, 1 a plain number`},
		{"--set against the file's dimension", nil, []string{"theta=3 mV"}, "vars.theta (set by --set): theta is a time in the file (20 ms); expected a time in ms (or s, us, µs) or a plain number (taken in ms), got 3 mV, a voltage"},
		{"rounding a quantity", fields{"V_th": "round(x)"}, nil, "round(x): x is a time, and rounding one depends on its unit: divide by a unit first, e.g. round(x/ms)"},
		{"exp of a quantity", fields{"V_th": "exp(x)"}, nil, "exp: x is a time; exp takes plain numbers"},
		{"a root without a unit", fields{"V_th": "x**0.5"}, nil, "x to the power 0.5 has no unit (x is a time)"},
		{"random with unlike arguments", fields{"delay": "random.uniform(x, 3)"}, nil, "random.uniform: min x is a time and max 3 a plain number; they need one dimension"},
		{"a parameter in another dimension", fields{"delay": "random.uniform(1, 2) mV"}, nil, "connection[0].syn.delay: expected a time in ms, got random.uniform(1, 2) mV, a voltage"},
	}
	for _, c := range cases {
		_, err := Parse(c.f.config(), "u.toml", Options{Sets: c.sets})
		if err == nil || !strings.Contains(err.Error(), "u.toml: "+c.want) && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error\n%v\nwant it to contain\n%s", c.name, err, c.want)
		}
	}
}

// Quantities compute: products and quotients have dimensions, units
// convert, and a bare --set number takes the file's unit.
func TestUnitsThroughVarsCompute(t *testing.T) {
	cases := []struct {
		name  string
		f     fields
		sets  []string
		field string
		want  float64
	}{
		{"1/T in Hz", fields{"rate": "1/T"}, nil, "rate", 10},
		{"kHz", fields{"rate": "2*kHz"}, nil, "rate", 2000},
		{"a bare --set takes the file's unit", fields{"rate": "1/T"}, []string{"T=200"}, "rate", 5},
		{"--set in seconds", fields{"rate": "1/T"}, []string{"T=0.5 s"}, "rate", 2},
		{"var of a var", fields{"tau_m": "tms"}, nil, "tau_m", 20},
		{"ratio", fields{"tau_m": "tms / 2"}, nil, "tau_m", 10},
		{"C/tau is a conductance, times a time a capacitance", fields{"C_m": "(C / T) * T"}, nil, "C_m", 250},
		{"unit symbols as names", fields{"V_th": "th * mV + 0.001 * V"}, nil, "V_th", 21},
		{"plain var takes the field's unit", fields{"V_th": "th"}, nil, "V_th", 20},
		{"sqrt of a square", fields{"tau_m": "sqrt(x**2)"}, nil, "tau_m", 2},
		{"--set a plain var with a unit", fields{"V_th": "th"}, []string{"th=0.015 V"}, "V_th", 15},
		{"a rounded ratio", fields{"tau_m": "round(tms / x) * ms"}, nil, "tau_m", 10},
		// 0/0 were every name 1, as the check of an expression's form takes them.
		{"a difference of vars as divisor", fields{"tau_m": "x * (theta - x) / (theta - x)"}, nil, "tau_m", 2},
	}
	for _, c := range cases {
		f, err := Parse(c.f.config(), "u.toml", Options{Sets: c.sets})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		n := f.Points[0].Net
		got := n.Populations[0].Params[c.field]
		if c.field == "rate" {
			got = n.Devices[0].Params["rate"]
		}
		if got != c.want {
			t.Errorf("%s: %s = %.17g, want %g", c.name, c.field, got, c.want)
		}
	}
}

// Swept values keep their units; a bare one takes the file's.
func TestSweptQuantities(t *testing.T) {
	cfg := string(fields{"rate": "1/T", "tau_m": "tms"}.config()) + `
[sweep]
params = { T = [200, "0.25 s", "400*ms"], tms = ["10 ms"] }
`
	f, err := Parse([]byte(cfg), "u.toml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{5, 4, 2.5} {
		p := f.Points[i]
		if got := p.Net.Devices[0].Params["rate"]; got != want || p.Net.Populations[0].Params["tau_m"] != 10 {
			t.Errorf("point %d: rate %g tau_m %g, want %g and 10", i, got, p.Net.Populations[0].Params["tau_m"], want)
		}
		if p.Values[0] != 1000/want || p.Vars["T"] != 1000/want {
			t.Errorf("point %d: values %v, T = %g; want T in ms", i, p.Values, p.Vars["T"])
		}
	}
	bad := strings.Replace(cfg, `"400*ms"`, `"4 mV"`, 1)
	if _, err := Parse([]byte(bad), "u.toml", Options{}); err == nil || !strings.Contains(err.Error(),
		"point 2 (T=4 mV, tms=10 ms): sweep.params.T: T is a time in the file (100 ms); expected a time in ms (or s, us, µs) or a plain number (taken in ms), got 4 mV, a voltage") {
		t.Errorf("a swept voltage for a time: %v", err)
	}
}

// The smaller refusals of the reliability issue: the expression language
// is arithmetic only, unit typos are named, and TOML's own mistakes carry
// a line.
func TestExpressionRefusals(t *testing.T) {
	cases := []struct{ value, want string }{
		{"1;2", "is not an expression"},
		{"[1, 2]", "is not an expression"},
		{"{a: 1}", "is not an expression"},
		{"1..3", "unsupported operator"},
		{"th ?? 1", "unsupported operator"},
		{"let z = 1; z", "is not an expression"},
		{"th | 2", "cannot read expression"},
		{"'a'", "is not an expression"},
		{"20mV", `cannot read "20mV": write a space between a number and its unit (20 mV)`},
		{"20 furlongs", `unknown unit furlongs in "20 furlongs"; units: A, F, Hz`},
		{"th furlongs", `unknown unit furlongs in "th furlongs"`},
		{"th * 0 / (th - th)", `"th * 0 / (th - th)" is not a number`},
	}
	for _, c := range cases {
		_, err := Parse(fields{"V_th": c.value}.config(), "u.toml", Options{})
		if err == nil || !strings.Contains(err.Error(), "u.toml: population[0].params.V_th: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("V_th = %q: error %v, want %q", c.value, err, c.want)
		}
	}
}

func TestTOMLMistakes(t *testing.T) {
	ok := fields{}.config()
	if _, err := Parse(append([]byte("\uFEFF"), ok...), "bom.toml", Options{}); err != nil {
		t.Errorf("a byte order mark: %v", err)
	}
	cases := []struct{ name, edit, want string }{
		{"key twice", "t_sim = 50.0\n", "t_sim = 50.0\nt_sim = 60.0\n"},
		{"table twice", "[vars]\n", "[vars]\n[vars]\n"},
		{"inline key twice", `model = "iaf_psc_delta"`, `model = "iaf_psc_delta", model = "x"`},
	}
	for _, c := range cases {
		data := strings.Replace(string(ok), c.edit, c.want, 1)
		line := 1 + strings.Count(data[:strings.Index(data, c.want)+len(c.want)-1], "\n")
		if c.name == "inline key twice" {
			data = strings.Replace(string(ok), "[[population]]\nname = \"E\"\nmodel = \"iaf_psc_delta\"\n", "[[population]]\nname = \"E\"\nparams2 = { model = 1, model = 2 }\n", 1)
			line = 1 + strings.Count(data[:strings.Index(data, "params2")], "\n")
		}
		_, err := Parse([]byte(data), "d.toml", Options{})
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("d.toml: line %d: ", line)) {
			t.Errorf("%s: error %v, want one at line %d", c.name, err, line)
		}
	}
}

// A grid too large to run is refused from its list lengths, before any
// point is made.
func TestHugeSweepRefused(t *testing.T) {
	var lists []string
	for _, name := range []string{"th", "k", "nn", "tau"} {
		vals := make([]string, 100)
		for i := range vals {
			vals[i] = fmt.Sprint(i + 1)
		}
		lists = append(lists, name+" = ["+strings.Join(vals, ", ")+"]")
	}
	cfg := string(fields{}.config()) + "[sweep]\nparams = { " + strings.Join(lists, ", ") + " }\n"
	_, err := Parse([]byte(cfg), "g.toml", Options{})
	if err == nil || !strings.Contains(err.Error(), "g.toml: sweep.params: the grid has more than 100000 points (k: 100 × nn: 100 × tau: 100 × th: 100 values)") {
		t.Errorf("a 1e8-point grid: %v", err)
	}
	if math.Pow(100, 4) <= maxPoints {
		t.Fatal("the grid is not too large")
	}
}
