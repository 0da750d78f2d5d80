package cpu_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/spec"
)

// rateNet is a network of rate populations at dt 0.1 ms whose every
// population's rate (and, with vars, more) is recorded every interval ms.
func rateNet(tSim, interval float64, pops []spec.Population, conns []spec.Connection, devs []spec.Device, vars ...string) spec.Network {
	if len(vars) == 0 {
		vars = []string{"rate"}
	}
	pt := spec.Network{
		Simulation:  spec.Simulation{Dt: 0.1, TSim: tSim, Seed: 7},
		Populations: pops, Connections: conns, Devices: devs,
		Analysis: spec.Analysis{BinMs: 1},
	}
	for _, p := range pops {
		pt.Recorders = append(pt.Recorders, spec.Recorder{Name: p.Name, Model: "multimeter", Source: p.Name, First: p.N,
			RecordFrom: vars, Interval: interval, Stop: testnet.Forever})
	}
	return pt
}

func rateConn(src, tgt, model string, w, delay float64) spec.Connection {
	return spec.Connection{Source: src, Target: tgt, Rule: spec.Rule{Name: "one_to_one", AllowAutapses: true, AllowMultapses: true},
		Syn: spec.Synapse{Model: model, Weight: spec.Constant(w), Delay: spec.Constant(delay)}}
}

// traces returns recorder r's samples: [sample][value].
func traces(c *testnet.Collector, r int) [][]float32 {
	var out [][]float32
	for _, s := range c.Sampled {
		if s.Rec == r && s.Member == 0 {
			out = append(out, s.Values)
		}
	}
	return out
}

// Uncoupled noisy units reach NEST's stationary statistics (reference 5.1,
// 5.2): an input-noise unit has mean mu/lambda and variance
// sigma²/(2·lambda) whatever tau and h (the exponential Euler is exact for
// the Ornstein–Uhlenbeck process); an output-noise unit's sent rate is X +
// sqrt(tau/h)·sigma·ξ with X → mu, variance (tau/h)·sigma². 4000 units
// sampled every 50 ms = 5 tau (correlation e^-5) from t = 100 ms to 400 ms:
// 28,000 nearly independent samples, so the mean is within 5 standard
// errors (sd/sqrt(n)) and the variance within 5·sqrt(2/n) = 4.2 % relative.
func TestRateStationaryNoise(t *testing.T) {
	const n = 4000
	cases := []struct {
		model      string
		params     map[string]float64
		v          int // recorded variable: 0 rate, 1 noisy_rate
		mean, vari float64
	}{
		{"lin_rate_ipn", map[string]float64{"mu": 2, "sigma": 5, "lambda": 1, "tau": 10}, 0, 2, 12.5},
		{"lin_rate_ipn", map[string]float64{"mu": 1, "sigma": 0.5, "lambda": 0.25, "tau": 5}, 0, 4, 0.5},
		{"tanh_rate_ipn", map[string]float64{"mu": -1, "sigma": 2, "lambda": 2, "tau": 20}, 0, -0.5, 1},
		{"lin_rate_opn", map[string]float64{"mu": 3, "sigma": 0.5, "tau": 10}, 1, 3, 25},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s %v", c.model, c.params), func(t *testing.T) {
			vars := []string{"rate"}
			if c.v == 1 {
				vars = append(vars, "noisy_rate")
			}
			pt := rateNet(400, 50, []spec.Population{{Name: "u", Model: c.model, N: n, Params: c.params}}, nil, nil, vars...)
			var xs []float64
			for _, s := range traces(run(t, 2, pt), 0) {
				for _, x := range s[c.v*n : (c.v+1)*n] {
					xs = append(xs, float64(x))
				}
			}
			xs = xs[len(xs)-7*n:] // t = 100 … 400 ms
			mean, vari := meanVar(xs)
			k := float64(len(xs))
			if se := math.Sqrt(c.vari / k); math.Abs(mean-c.mean) > 5*se {
				t.Errorf("mean %.4f, want %.4f ± %.4f", mean, c.mean, 5*se)
			}
			if tol := 5 * math.Sqrt(2/k); math.Abs(vari/c.vari-1) > tol {
				t.Errorf("variance %.4f, want %.4f (relative tolerance %.3f)", vari, c.vari, tol)
			}
		})
	}
}

func meanVar(xs []float64) (float64, float64) {
	var s, s2 float64
	for _, x := range xs {
		s += x
	}
	m := s / float64(len(xs))
	for _, x := range xs {
		s2 += (x - m) * (x - m)
	}
	return m, s2 / float64(len(xs)-1)
}

// Without noise, a constant input a from a step_rate_generator relaxes
// every form of every nonlinearity as the closed form says. The generator
// sends a from step 1 (amplitude_times = dt), through a delay of one step,
// so the updates of steps 2, 3, … see it: the sample stamped S (after step
// S-1) relaxes with P1 = exp(−h/tau) (lambda 1) towards mu + φ(0) until
// S = 2 and towards mu + φ(a) after (ipn and opn: the same exponential
// update without noise), and the transformer holds φ(0) until S = 2 and
// φ(a) from S = 3 on (φ of the step before). φ is
// evaluated here in float64 from its formula; the tolerance is float32's
// rounding over the steps, 1e-5 relative.
func TestRateDeterministicRelaxation(t *testing.T) {
	const a = 0.7
	phis := map[string]struct {
		params    map[string]float64
		phi, phi0 float64 // φ(a) and φ(0): the input before a arrives is 0, and φ(0) acts
	}{
		"lin_rate":             {map[string]float64{"g": 1.5}, 1.5 * a, 0},
		"tanh_rate":            {map[string]float64{"g": 2, "theta": 0.2}, math.Tanh(2 * (a - 0.2)), math.Tanh(-0.4)},
		"threshold_lin_rate":   {map[string]float64{"g": 3, "theta": 0.1, "alpha": 1.2}, math.Min(math.Max(3*(a-0.1), 0), 1.2), 0},
		"sigmoid_rate":         {map[string]float64{"g": 2, "beta": 3, "theta": 0.5}, 2 / (1 + math.Exp(-3*(a-0.5))), 2 / (1 + math.Exp(1.5))},
		"sigmoid_rate_gg_1998": {map[string]float64{"g": 0.2}, math.Pow(0.2*a, 4) / (math.Pow(0.1, 4) + math.Pow(0.2*a, 4)), 0},
		"gauss_rate":           {map[string]float64{"g": 2, "mu": 0.5, "sigma": 0.3}, 2 * math.Exp(-(a-0.5)*(a-0.5)/(2*0.3*0.3)), 2 * math.Exp(-0.25/(2*0.3*0.3))},
	}
	names := map[string][3]string{ // ipn, opn, transformer
		"lin_rate": {"lin_rate_ipn", "lin_rate_opn", "rate_transformer_lin"}, "tanh_rate": {"tanh_rate_ipn", "tanh_rate_opn", "rate_transformer_tanh"},
		"threshold_lin_rate":   {"threshold_lin_rate_ipn", "threshold_lin_rate_opn", "rate_transformer_threshold_lin"},
		"sigmoid_rate":         {"sigmoid_rate_ipn", "", "rate_transformer_sigmoid"},
		"sigmoid_rate_gg_1998": {"sigmoid_rate_gg_1998_ipn", "", "rate_transformer_sigmoid_gg_1998"},
		"gauss_rate":           {"gauss_rate_ipn", "", "rate_transformer_gauss"},
	}
	gen := []spec.Device{{Name: "a", Model: "step_rate_generator", N: 1, Params: map[string]float64{"stop": math.Inf(1)},
		Lists: map[string][]float64{"amplitude_times": {0.1}, "amplitude_values": {a}}}}
	count := 0
	for fam, f := range phis {
		for form, name := range names[fam] {
			if name == "" {
				continue
			}
			count++
			t.Run(name, func(t *testing.T) {
				p := map[string]float64{}
				for k, v := range f.params {
					p[k] = v
				}
				mu := 0.0
				if form < 2 {
					p["sigma"] = 0
					if fam != "gauss_rate" { // gauss_rate_ipn's mu is φ's centre too
						mu = 0.3
						p["mu"] = mu
					} else {
						mu = 0.5
					}
				}
				if fam == "gauss_rate" && form < 2 {
					t.Skip("gauss_rate_ipn's sigma is both the noise and φ's width: no noiseless relaxation with a finite width")
				}
				pt := rateNet(3, 0.1, []spec.Population{{Name: "u", Model: name, N: 1, Params: p}},
					[]spec.Connection{rateConn("a", "u", spec.RateDelayed, 1, 0.1)}, gen)
				pt.Connections[0].Rule.Name = "all_to_all"
				tr := traces(run(t, 1, pt), 0)
				p1 := math.Exp(-0.1 / 10)
				for i, s := range tr {
					S := i + 1
					var want float64
					switch {
					case form == 2:
						want = f.phi0
						if S >= 3 {
							want = f.phi
						}
					default:
						// Drive b0 = mu + φ(0) in steps 0 and 1, b1 = mu + φ(a) after.
						b0, b1 := mu+f.phi0, mu+f.phi
						want = b0 * (1 - math.Pow(p1, float64(min(S, 2))))
						if S > 2 {
							want = b1 + (want-b1)*math.Pow(p1, float64(S-2))
						}
					}
					if got := float64(s[0]); math.Abs(got-want) > 1e-5*math.Max(1, math.Abs(want)) {
						t.Fatalf("sample %d (t = %.1f ms): %.7g, want %.7g", S, float64(S)*0.1, got, want)
					}
				}
			})
		}
	}
	if count != len(models.RateModels) {
		t.Errorf("tested %d rate models, registered %d", count, len(models.RateModels))
	}
}

// rate_connection_delayed with delay d gives the trace of the same
// connection instantaneous, shifted by exactly d (NEST's test: 2 ms), and a
// rate transformer in the path shifts it by exactly one step.
func TestRateDelayedAndTransformerShift(t *testing.T) {
	pops := []spec.Population{
		{Name: "src", Model: "lin_rate_ipn", N: 3, Params: map[string]float64{"mu": 1, "sigma": 2}},
		{Name: "inst", Model: "lin_rate_ipn", N: 3, Params: map[string]float64{"sigma": 0}},
		{Name: "del", Model: "lin_rate_ipn", N: 3, Params: map[string]float64{"sigma": 0}},
		{Name: "tr", Model: "rate_transformer_lin", N: 3},
		{Name: "via", Model: "lin_rate_ipn", N: 3, Params: map[string]float64{"sigma": 0}},
	}
	conns := []spec.Connection{
		rateConn("src", "inst", spec.RateInstantaneous, 0.5, 1),
		rateConn("src", "del", spec.RateDelayed, 0.5, 2),
		rateConn("src", "tr", spec.RateInstantaneous, 1, 1),
		rateConn("tr", "via", spec.RateInstantaneous, 0.5, 1),
	}
	tr := run(t, 2, rateNet(30, 0.1, pops, conns, nil))
	inst, del, via := traces(tr, 1), traces(tr, 2), traces(tr, 4)
	const d = 20 // steps
	moved := false
	for i := range inst {
		for j := range 3 {
			if i+d < len(del) && del[i+d][j] != inst[i][j] {
				t.Fatalf("delayed at sample %d, neuron %d: %g, instantaneous %d steps before: %g", i+d, j, del[i+d][j], d, inst[i][j])
			}
			if i < d && del[i][j] != 0 {
				t.Fatalf("delayed input before the delay: sample %d = %g", i, del[i][j])
			}
			if i+1 < len(via) && via[i+1][j] != inst[i][j] {
				t.Fatalf("through the transformer at sample %d: %g, directly one step before: %g", i+1, via[i+1][j], inst[i][j])
			}
			moved = moved || inst[i][j] != 0
		}
	}
	if !moved {
		t.Fatal("no input arrived")
	}
}
