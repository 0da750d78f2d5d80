package network

// Goodness-of-fit machinery for the connectivity tests, following the method
// of NEST's testsuite (reference section 3.6): for each of a fixed list of
// seeds, a chi-squared test of a histogram against its law, merging bins that
// expect fewer than 5 counts; then a Kolmogorov–Smirnov test that the
// per-seed p-values are uniform on [0, 1].

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
	"math/rand/v2"

	"github.com/snn-gpu/snn-gpu/spec"
)

// gofSeeds is the fixed list of seeds of the two-level tests (NEST runs 20).
var gofSeeds = func() []uint32 {
	s := make([]uint32, 20)
	for i := range s {
		s[i] = uint32(101 + 7*i)
	}
	return s
}()

// ksAlpha is the level of the second-level KS test: a law passes when the KS
// p-value of its per-seed p-values is above it. The seeds are fixed, so the
// outcome never flickers; the level only matters when the random streams
// change (another generator, another draw order), and then decides how
// often a correct implementation trips one of the suite's ~40 two-level
// tests: 1 - 0.95^40 = 87 % of the time at NEST's 0.05, 1 - 0.99^40 = 33 % at
// 0.01 (whoever changes the streams reruns the failing law with other seeds,
// e.g. with gofSeeds lengthened to 300, before suspecting the rule). The
// power hardly suffers, because a wrong law moves all 20 p-values the same
// way: TestGoodnessOfFitHasPower shows a 5 % error in p at these sizes
// ending at a KS p below 1e-4.
const ksAlpha = 0.01

// singleAlpha is the level of the one-sample tests that are not two-level
// (a single seed, for the larger spatial and synapse-parameter samples): one
// false alarm in a thousand per test.
const singleAlpha = 1e-3

// discreteLaw is a discrete distribution given by its probabilities on lo..hi; the
// mass outside must be negligible (chiSquared checks it).
type discreteLaw struct {
	name   string
	lo, hi int
	pmf    func(k int) float64
}

func binomialLaw(n int, p float64) discreteLaw {
	b := distuv.Binomial{N: float64(n), P: p}
	return discreteLaw{fmt.Sprintf("Binomial(%d, %.4g)", n, p), 0, n, func(k int) float64 { return b.Prob(float64(k)) }}
}

func poissonLaw(lambda float64) discreteLaw {
	q := distuv.Poisson{Lambda: lambda}
	return discreteLaw{fmt.Sprintf("Poisson(%.4g)", lambda), 0, int(lambda + 15*math.Sqrt(lambda) + 30),
		func(k int) float64 { return q.Prob(float64(k)) }}
}

// truncatedBinomialLaw is Binomial(n, p) conditioned on k < n: the number of
// sources symmetric_pairwise_bernoulli draws for a target (NEST redraws K
// while K >= N_s).
func truncatedBinomialLaw(n int, p float64) discreteLaw {
	b := distuv.Binomial{N: float64(n), P: p}
	norm := 1 - b.Prob(float64(n))
	return discreteLaw{fmt.Sprintf("Binomial(%d, %.4g | k < %d)", n, p, n), 0, n - 1,
		func(k int) float64 { return b.Prob(float64(k)) / norm }}
}

// uniformLaw is the uniform law on lo..hi.
func uniformLaw(lo, hi int) discreteLaw {
	return discreteLaw{fmt.Sprintf("U{%d..%d}", lo, hi), lo, hi, func(int) float64 { return 1 / float64(hi-lo+1) }}
}

// chiSquared tests the sample against l: a histogram over lo..hi (samples
// outside fall into the end bins, where they weigh heavily since the law puts
// no mass there), bins merged from the left until each expects >= 5 counts
// (the remainder joins the last bin), chi-squared with bins-1 degrees of
// freedom (no parameter is estimated). It returns the p-value.
func chiSquared(t testing.TB, sample []int, l discreteLaw) float64 {
	t.Helper()
	return chiSquaredDF(t, sample, l, 1)
}

// chiSquaredDF is chiSquared with bins - lost degrees of freedom.
func chiSquaredDF(t testing.TB, sample []int, l discreteLaw, lost int) float64 {
	t.Helper()
	n := l.hi - l.lo + 1
	obs := make([]float64, n)
	for _, x := range sample {
		obs[min(max(x, l.lo), l.hi)-l.lo]++
	}
	total := float64(len(sample))
	mass := 0.0
	for k := l.lo; k <= l.hi; k++ {
		mass += l.pmf(k)
	}
	if math.Abs(mass-1) > 1e-6 {
		t.Fatalf("%s: probabilities on %d..%d sum to %g", l.name, l.lo, l.hi, mass)
	}
	var o, e []float64
	accO, accE := 0.0, 0.0
	for k := l.lo; k <= l.hi; k++ {
		accO += obs[k-l.lo]
		accE += l.pmf(k) / mass * total
		if accE >= 5 {
			o, e = append(o, accO), append(e, accE)
			accO, accE = 0, 0
		}
	}
	if len(o) <= lost {
		t.Fatalf("%s: %d samples make %d bins of expected count >= 5: too few to test", l.name, len(sample), len(o))
	}
	o[len(o)-1] += accO
	e[len(e)-1] += accE
	chi2 := 0.0
	for i := range o {
		chi2 += (o[i] - e[i]) * (o[i] - e[i]) / e[i]
	}
	return distuv.ChiSquared{K: float64(len(o) - lost)}.Survival(chi2)
}

// kolmogorovCDF returns P(D_n < d) for the one-sample KS statistic of n
// uniforms, exactly, by the method of Marsaglia, Tsang and Wang (2003,
// J. Stat. Softw. 8(18)): an entry of the n-th power of a (2k-1)-square
// matrix, k = floor(n·d) + 1, kept in range by decimal exponents.
func kolmogorovCDF(n int, d float64) float64 {
	if d <= 0 {
		return 0
	}
	if d >= 1 {
		return 1
	}
	nd := float64(n) * d
	k := int(nd) + 1
	m := 2*k - 1
	h := float64(k) - nd
	H := make([][]float64, m)
	for i := range H {
		H[i] = make([]float64, m)
		for j := range H[i] {
			if i-j+1 >= 0 {
				H[i][j] = 1
			}
		}
	}
	for i := 0; i < m; i++ {
		H[i][0] -= math.Pow(h, float64(i+1))
		H[m-1][i] -= math.Pow(h, float64(m-i))
	}
	if 2*h-1 > 0 {
		H[m-1][0] += math.Pow(2*h-1, float64(m))
	}
	for i := 0; i < m; i++ {
		for j := 0; j < m; j++ {
			for g := 2; g <= i-j+1; g++ {
				H[i][j] /= float64(g)
			}
		}
	}
	mul := func(a, b [][]float64) [][]float64 {
		c := make([][]float64, m)
		for i := range c {
			c[i] = make([]float64, m)
			for l := 0; l < m; l++ {
				if a[i][l] == 0 {
					continue
				}
				for j := 0; j < m; j++ {
					c[i][j] += a[i][l] * b[l][j]
				}
			}
		}
		return c
	}
	var power func(p int) ([][]float64, int)
	power = func(p int) ([][]float64, int) {
		if p == 1 {
			return H, 0
		}
		v, e := power(p / 2)
		w, ew := mul(v, v), 2*e
		if p%2 == 1 {
			w = mul(H, w)
		}
		if w[k-1][k-1] > 1e140 {
			for i := range w {
				for j := range w[i] {
					w[i][j] *= 1e-140
				}
			}
			ew += 140
		}
		return w, ew
	}
	q, e := power(n)
	s := q[k-1][k-1]
	for i := 1; i <= n; i++ {
		s = s * float64(i) / float64(n)
		if s < 1e-140 {
			s *= 1e140
			e -= 140
		}
	}
	return s * math.Pow(10, float64(e))
}

// ksPValue returns the p-value of the one-sample KS statistic d of n values:
// exact up to n = 100, above it Kolmogorov's limit law with Stephens' (1970)
// correction of the argument, accurate to a few units in the third digit.
func ksPValue(n int, d float64) float64 {
	if n <= 100 {
		return math.Min(1, math.Max(0, 1-kolmogorovCDF(n, d)))
	}
	sn := math.Sqrt(float64(n))
	x := (sn + 0.12 + 0.11/sn) * d
	if x < 0.2 {
		return 1
	}
	p := 0.0
	for j := 1; j <= 100; j++ {
		term := 2 * math.Exp(-2*float64(j*j)*x*x)
		if j%2 == 0 {
			term = -term
		}
		p += term
		if math.Abs(term) < 1e-16 {
			break
		}
	}
	return math.Min(1, math.Max(0, p))
}

// ksTest returns the KS statistic and p-value of the sample against the
// continuous distribution function cdf.
func ksTest(sample []float64, cdf func(float64) float64) (d, p float64) {
	x := slices.Clone(sample)
	slices.Sort(x)
	n := float64(len(x))
	for i, v := range x {
		f := cdf(v)
		d = math.Max(d, math.Max(float64(i+1)/n-f, f-float64(i)/n))
	}
	return d, ksPValue(len(x), d)
}

// twoLevel runs NEST's two-level test: pValue returns the first-level
// p-value for one seed; the p-values of all gofSeeds must look uniform.
func twoLevel(t *testing.T, what string, pValue func(seed uint32) float64) {
	t.Helper()
	ps := make([]float64, len(gofSeeds))
	for i, s := range gofSeeds {
		ps[i] = pValue(s)
	}
	d, p := ksTest(ps, func(x float64) float64 { return math.Min(1, math.Max(0, x)) })
	if p <= ksAlpha {
		slices.Sort(ps)
		t.Errorf("%s: KS p = %.3g (D = %.3f) <= %g for the per-seed p-values %.3g", what, p, d, ksAlpha, ps)
	} else if testing.Verbose() {
		t.Logf("%s: KS p = %.3g", what, p)
	}
}

// midP returns the mid-p probability integral transform of the count x under
// a discrete law with distribution function cdf and probability pmf:
// F(x-1) + pmf(x)/2, uniform up to the size of pmf(x) (a few thousandths for
// the totals it is used on), for totals that are one count per seed.
func midP(x float64, cdf, pmf func(float64) float64) float64 {
	return cdf(x-1) + pmf(x)/2
}

// testPops returns a network with populations A (ns neurons) and B (nt neurons,
// or none when same), for connection statements between them.
func testPops(ns, nt int, same bool, seed uint32, conns ...spec.Connection) spec.Network {
	n := spec.Network{
		Simulation:  spec.Simulation{Dt: 0.1, TSim: 1, Seed: seed},
		Populations: []spec.Population{{Name: "A", Model: "iaf_psc_delta", N: ns}},
		Connections: conns,
	}
	if !same {
		n.Populations = append(n.Populations, spec.Population{Name: "B", Model: "iaf_psc_delta", N: nt})
	}
	return n
}

// testConn returns the connection statement A → B (or A → A when same) with a
// unit weight and a 1 ms delay.
func testConn(same bool, r spec.Rule) spec.Connection {
	c := spec.Connection{Source: "A", Target: "B", Rule: r, Syn: spec.Synapse{Model: "static_synapse",
		Weight: spec.Constant(1), Delay: spec.Constant(1)}}
	if same {
		c.Target = "A"
	}
	return c
}

// mkRule returns a rule with constant parameters (a string value is an
// expression).
func mkRule(name string, autapses, multapses bool, params ...any) spec.Rule {
	r := spec.Rule{Name: name, AllowAutapses: autapses, AllowMultapses: multapses, Params: map[string]spec.Value{}}
	for i := 0; i+1 < len(params); i += 2 {
		switch v := params[i+1].(type) {
		case string:
			r.Params[params[i].(string)] = spec.Param(v)
		case int:
			r.Params[params[i].(string)] = spec.Constant(float64(v))
		case float64:
			r.Params[params[i].(string)] = spec.Constant(v)
		default:
			panic(fmt.Sprintf("parameter %v of type %T", v, v))
		}
	}
	return r
}

// Tests of the machinery itself.

// Table values of the KS distribution (Massey 1951, two-sided critical
// values): D = 0.29408 is the 5 % point and 0.35241 the 1 % point for n = 20,
// 0.40925 the 5 % point for n = 10. Tolerance 2e-4: the tables have five
// digits.
func TestKolmogorovDistribution(t *testing.T) {
	for _, c := range []struct {
		n    int
		d, p float64
	}{{20, 0.29408, 0.05}, {20, 0.35241, 0.01}, {10, 0.40925, 0.05}, {5, 0.56328, 0.05}} {
		if got := ksPValue(c.n, c.d); math.Abs(got-c.p) > 2e-4 {
			t.Errorf("n = %d, D = %g: p = %.5f, want %g", c.n, c.d, got, c.p)
		}
	}
	// The asymptotic formula used above n = 100 continues the exact one: at
	// n = 100 they agree to 1e-3 in the tail where decisions are made
	// (p <= 0.1; in the bulk Stephens' approximation is off by up to 1e-2,
	// which decides nothing).
	for _, d := range []float64{0.12, 0.14, 0.16, 0.2} {
		exact := 1 - kolmogorovCDF(100, d)
		sn := 10.0
		x := (sn + 0.12 + 0.11/sn) * d
		asym := 0.0
		for j := 1; j < 50; j++ {
			asym += 2 * math.Pow(-1, float64(j-1)) * math.Exp(-2*float64(j*j)*x*x)
		}
		if math.Abs(exact-asym) > 1e-3 {
			t.Errorf("D = %g at n = 100: exact p %.4f, asymptotic %.4f", d, exact, asym)
		}
	}
}

// The two-level test accepts exact samples of a law and rejects samples of
// a law 5 % off, at the sizes the connectivity tests use (200 degrees per
// seed, Binomial(200, 0.5)): the test has power, and ksAlpha is not so low
// that errors of this size pass.
func TestGoodnessOfFitHasPower(t *testing.T) {
	src := rand.NewPCG(1, 2)
	draw := func(p float64) []int {
		b := distuv.Binomial{N: 200, P: p, Src: src}
		x := make([]int, 200)
		for i := range x {
			x[i] = int(b.Rand())
		}
		return x
	}
	ps := func(p float64) []float64 {
		out := make([]float64, len(gofSeeds))
		for i := range out {
			out[i] = chiSquared(t, draw(p), binomialLaw(200, 0.5))
		}
		return out
	}
	uniform := func(x float64) float64 { return math.Min(1, math.Max(0, x)) }
	_, good := ksTest(ps(0.5), uniform)
	_, bad := ksTest(ps(0.525), uniform)
	if good <= ksAlpha {
		t.Errorf("exact samples rejected: KS p = %g", good)
	}
	if bad > 1e-4 {
		t.Errorf("samples of Binomial(200, 0.525) accepted as Binomial(200, 0.5): KS p = %g", bad)
	}
	if testing.Verbose() {
		t.Logf("KS p: %.3g for exact samples, %.3g for p 5 %% off", good, bad)
	}
}
