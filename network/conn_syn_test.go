package network

// Synapse parameters: random weights and delays as NEST's parameter objects
// draw them (reference section 3.4), NEST's delay rounding, and weights and
// delays stored as given.

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/snn-gpu/snn-gpu/spec"
)

// synapsesWith builds all_to_all ns × nt with the given weight and delay and
// returns its projection.
func synapsesWith(t *testing.T, ns, nt int, weight, delay spec.Value, dt float64) *Projection {
	t.Helper()
	cn := testConn(false, mkRule("all_to_all", true, true))
	cn.Syn.Weight, cn.Syn.Delay = weight, delay
	pt := testPops(ns, nt, false, 11, cn)
	pt.Simulation.Dt = dt
	net := build(t, 2, pt)
	pr := net.Projections[0]
	checkCSR(t, pr, ns, nt)
	md := pr.Delay
	for _, d := range pr.Delays {
		md = max(md, int(d))
	}
	if net.MaxDelay != max(md, 1) {
		t.Errorf("MaxDelay %d, but the longest delay is %d steps", net.MaxDelay, md)
	}
	return pr
}

// sampleMoments returns the mean, the variance and the standard errors of both
// (the variance's from the sample's fourth central moment: Var(s²) ≈
// (m4 - s⁴)/n).
func sampleMoments(x []float64) (mean, variance, seMean, seVar float64) {
	n := float64(len(x))
	for _, v := range x {
		mean += v
	}
	mean /= n
	var m4 float64
	for _, v := range x {
		d := (v - mean) * (v - mean)
		variance += d
		m4 += d * d
	}
	variance /= n - 1
	m4 /= n
	return mean, variance, math.Sqrt(variance / n), math.Sqrt((m4 - variance*variance) / n)
}

func TestRandomWeights(t *testing.T) {
	phi := func(x float64) float64 { return distuv.UnitNormal.CDF(x) }
	pdf := func(x float64) float64 { return distuv.UnitNormal.Prob(x) }
	z := phi(1) - phi(-0.5) // redraw(normal(0, 1), -0.5, 1): a truncated normal
	tnMean := (pdf(-0.5) - pdf(1)) / z
	tnVar := 1 + (-0.5*pdf(-0.5)-1*pdf(1))/z - tnMean*tnMean
	ln := distuv.LogNormal{Mu: 0.5, Sigma: 0.3}
	cases := []struct {
		expr     string
		mean, vr float64
		cdf      func(float64) float64
		min, max float64 // bounds every value must respect (closed: float32 may round up to max)
	}{
		{"random.normal(1.5, 0.5)", 1.5, 0.25, distuv.Normal{Mu: 1.5, Sigma: 0.5}.CDF, math.Inf(-1), math.Inf(1)},
		{"random.normal()", 0, 1, distuv.UnitNormal.CDF, math.Inf(-1), math.Inf(1)},
		{"random.uniform(-1, 2)", 0.5, 0.75, distuv.Uniform{Min: -1, Max: 2}.CDF, -1, 2},
		{"random.uniform()", 0.5, 1.0 / 12, distuv.Uniform{Min: 0, Max: 1}.CDF, 0, 1},
		{"random.exponential(2)", 2, 4, distuv.Exponential{Rate: 0.5}.CDF, 0, math.Inf(1)},
		{"random.lognormal(0.5, 0.3)", ln.Mean(), ln.Variance(), ln.CDF, 0, math.Inf(1)},
		{"math.redraw(random.normal(0, 1), -0.5, 1)", tnMean, tnVar,
			func(x float64) float64 { return math.Min(1, math.Max(0, (phi(x)-phi(-0.5))/z)) }, -0.5, 1},
		{"1 + 2*random.uniform(0, 1)", 2, 4.0 / 12, distuv.Uniform{Min: 1, Max: 3}.CDF, 1, 3},
		{"-random.exponential(0.5)", -0.5, 0.25, func(x float64) float64 { return 1 - distuv.Exponential{Rate: 2}.CDF(-x) }, math.Inf(-1), 0},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			pr := synapsesWith(t, 200, 200, spec.Param(c.expr), spec.Constant(1), 0.1)
			if pr.Weights == nil || pr.Delays != nil || pr.Weight[0] != 1 {
				t.Fatalf("random weight stored as factor %v with per-synapse weights %v, delays %v", pr.Weight, pr.Weights != nil, pr.Delays != nil)
			}
			x := make([]float64, len(pr.Weights))
			for i, w := range pr.Weights {
				x[i] = float64(w)
				if x[i] < c.min || x[i] > c.max {
					t.Fatalf("weight %g outside [%g, %g]", x[i], c.min, c.max)
				}
			}
			// 40,000 draws: 5 standard errors (two-sided tail 6e-7)
			// for the mean and the variance.
			m, v, sm, sv := sampleMoments(x)
			if math.Abs(m-c.mean) > 5*sm {
				t.Errorf("mean %g, want %g ± %g", m, c.mean, 5*sm)
			}
			if math.Abs(v-c.vr) > 5*sv {
				t.Errorf("variance %g, want %g ± %g", v, c.vr, 5*sv)
			}
			// The whole law: KS against the distribution function (the
			// float32 rounding of the weights, 6e-8 relative, is far
			// below the KS resolution 1/40000).
			if d, p := ksTest(x, c.cdf); p <= singleAlpha {
				t.Errorf("KS against the law: D = %g, p = %g", d, p)
			} else if testing.Verbose() {
				t.Logf("mean %.4g (want %.4g), variance %.4g (want %.4g), KS p = %.3g", m, c.mean, v, c.vr, p)
			}
		})
	}
}

// Delays are rounded to the nearest step (NEST's BadDelay below one step):
// uniform(1, 2) at 0.1 ms gives the end values 1.0 and 2.0 half the
// frequency of the interior ones, 1 + 0.1·uniform_int(11) and
// uniform(0.95, 2.05) give a flat histogram on 10..20 steps
// (random_numbers.rst, reference 3.4).
func TestDelayRounding(t *testing.T) {
	half := discreteLaw{"steps of uniform(1, 2)", 10, 20, func(k int) float64 {
		if k == 10 || k == 20 {
			return 0.05
		}
		return 0.1
	}}
	for _, c := range []struct {
		expr string
		law  discreteLaw
	}{
		{"random.uniform(1, 2)", half},
		{"1 + 0.1*random.uniform_int(11)", uniformLaw(10, 20)},
		{"random.uniform(0.95, 2.05)", uniformLaw(10, 20)},
		{"math.redraw(random.normal(1.5, 1), 1, 2)", discreteLaw{}},
	} {
		t.Run(c.expr, func(t *testing.T) {
			pr := synapsesWith(t, 200, 200, spec.Constant(1), spec.Param(c.expr), 0.1)
			if pr.Delays == nil || pr.Weights != nil {
				t.Fatalf("random delay stored as %d with per-synapse delays %v, weights %v", pr.Delay, pr.Delays != nil, pr.Weights != nil)
			}
			steps := make([]int, len(pr.Delays))
			for i, d := range pr.Delays {
				steps[i] = int(d)
				if d < 10 || d > 20 {
					t.Fatalf("delay of %d steps from %s", d, c.expr)
				}
			}
			if c.law.pmf == nil {
				return
			}
			if p := chiSquared(t, steps, c.law); p <= singleAlpha {
				t.Errorf("delay histogram against %s: chi-squared p = %g", c.law.name, p)
			} else if testing.Verbose() {
				t.Logf("delay histogram against %s: chi-squared p = %.3g", c.law.name, p)
			}
		})
	}
	// Constant delays: nearest step, at least one step.
	for _, c := range []struct {
		ms, dt float64
		steps  int
		err    string
	}{{1.26, 0.1, 13, ""}, {1.24, 0.1, 12, ""}, {1.5, 0.1, 15, ""}, {0.3, 0.25, 1, ""}, {0.1, 0.1, 1, ""},
		{0.04, 0.1, 0, "connection[0].syn.delay: expected a delay of at least one step (dt = 0.1 ms), got 0.04 ms"},
		{7000, 0.1, 0, "connection[0].syn.delay: expected a delay of at most 65535 steps (6553.5 ms at dt = 0.1 ms), got 7000 ms"}} {
		cn := testConn(false, mkRule("one_to_one", true, true))
		cn.Syn.Delay = spec.Constant(c.ms)
		pt := testPops(3, 3, false, 1, cn)
		pt.Simulation.Dt = c.dt
		net, err := Build([]spec.Network{pt}, []int{0}, 1)
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("delay %g ms at %g ms: error %v, want %q", c.ms, c.dt, err, c.err)
			}
		case err != nil:
			t.Errorf("delay %g ms at %g ms: %v", c.ms, c.dt, err)
		case net.Projections[0].Delay != c.steps || net.MaxDelay != c.steps:
			t.Errorf("delay %g ms at %g ms: %d steps (MaxDelay %d), want %d", c.ms, c.dt, net.Projections[0].Delay, net.MaxDelay, c.steps)
		}
	}
	// A drawn delay below one step is refused, as NEST's BadDelay.
	cn := testConn(false, mkRule("all_to_all", true, true))
	cn.Syn.Delay = spec.Param("random.uniform(0, 1)")
	if _, err := Build([]spec.Network{testPops(20, 20, false, 1, cn)}, []int{0}, 1); err == nil ||
		!strings.Contains(err.Error(), "connection[0].syn.delay: expected a delay of at least one step (dt = 0.1 ms)") {
		t.Errorf("delays drawn from uniform(0, 1) at 0.1 ms: error %v, want one below the resolution", err)
	}
	// math.redraw gives up after 1000 draws, as NEST.
	cn.Syn.Delay = spec.Param("math.redraw(random.uniform(0, 1), 5, 6)")
	if _, err := Build([]spec.Network{testPops(2, 2, false, 1, cn)}, []int{0}, 1); err == nil ||
		!strings.Contains(err.Error(), "connection[0].syn.delay: math.redraw") {
		t.Errorf("impossible redraw: error %v", err)
	}
}

// Constant weights are per batch member (Weight[m], no per-synapse array);
// random ones are per synapse with factor 1; a batch cannot mix them.
func TestWeightsStoredAsGiven(t *testing.T) {
	mk := func(w spec.Value) spec.Network {
		cn := testConn(false, mkRule("fixed_indegree", true, true, "indegree", 3))
		cn.Syn.Weight, cn.Syn.Delay = w, spec.Constant(2.5)
		return testPops(10, 10, false, 1, cn)
	}
	net, err := Build([]spec.Network{mk(spec.Constant(0.5)), mk(spec.Constant(-2))}, []int{0, 1}, 2)
	if err != nil {
		t.Fatal(err)
	}
	pr := net.Projections[0]
	if len(pr.Weight) != 2 || pr.Weight[0] != 0.5 || pr.Weight[1] != -2 || pr.Weights != nil || pr.Delay != 25 || pr.Delays != nil {
		t.Errorf("weights %v (per synapse %v), delay %d (per synapse %v): want [0.5 -2], none, 25, none",
			pr.Weight, pr.Weights != nil, pr.Delay, pr.Delays != nil)
	}
	if _, err := Build([]spec.Network{mk(spec.Param("random.uniform()")), mk(spec.Constant(1))}, []int{0, 1}, 2); err == nil {
		t.Error("a batch with a random weight for one member and a constant for another was accepted")
	}
}
