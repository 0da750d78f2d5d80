package validation

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/plasticity"
	"github.com/snn-gpu/snn-gpu/spec"
	"github.com/snn-gpu/snn-gpu/sweep"
)

// urbanczikConfig is NEST's urbanczik_synapse_example.py.
func urbanczikConfig() string { return "../configs/urbanczik.toml" }

// nestUrbanczik is testdata/nest_urbanczik.json: NEST 3.10 running the
// example (testdata/nest_urbanczik.py) for several seeds.
type nestUrbanczik struct {
	Seeds []struct {
		Seed      int       `json:"seed"`
		WMean     float64   `json:"w_mean"`
		WZero     float64   `json:"w_frac_zero"`
		WMedian   float64   `json:"w_median"`
		WMax      float64   `json:"w_max"`
		RateTeach float64   `json:"rate_teach_hz"`
		ErrPerSec []float64 `json:"err_hz_per_second"`
		AfterSin  float64   `json:"after_sin_mv"`
		AfterCos  float64   `json:"after_cos_mv"`
		AfterR2   float64   `json:"after_r2"`
	} `json:"seeds"`
}

// urbanczikSink keeps the neuron's spikes and its V_m.s and V_m.p (the
// multimeter's variables 0 and 3) of every member.
type urbanczikSink struct {
	pop    int
	spikes [][]int64   // per member: stamps
	u, vd  [][]float32 // per member, per step
}

func (s *urbanczikSink) Spikes(m, pop int, step int64, neurons []uint32) {
	if pop == s.pop {
		for range neurons {
			s.spikes[m] = append(s.spikes[m], step+1)
		}
	}
}

func (s *urbanczikSink) Sample(m, rec int, step int64, v []float32) {
	if rec == 0 {
		s.u[m] = append(s.u[m], v[0])
		s.vd[m] = append(s.vd[m], v[3])
	}
}

// phiHz is the neuron's rate function with the example's parameters, in Hz.
func phiHz(u float64) float64 { return 150 / (1 + 0.5*math.Exp((-55-u)/3)) }

// predictionInterval is mean ± t·sd·sqrt(1 + 1/n) of NEST's seeds: a new
// run falls inside with probability 0.99 (normal spread); t is Student's
// 0.995 quantile with n - 1 degrees of freedom (n = 5: 4.604, n = 10: 3.250).
func predictionInterval(x []float64) (lo, hi float64) {
	n := float64(len(x))
	var mean, ss float64
	for _, v := range x {
		mean += v / n
	}
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	t := map[int]float64{3: 9.925, 4: 5.841, 5: 4.604, 6: 4.032, 7: 3.707, 8: 3.499, 9: 3.355, 10: 3.250}[len(x)]
	half := t * math.Sqrt(ss/(n-1)) * math.Sqrt(1+1/n)
	return mean - half, mean + half
}

// NEST's urbanczik_synapse_example.py (configs/urbanczik.toml, its
// eta sweep as one batch, the point eta = 0.17 against NEST): the prediction
// error |phi(U) - phi(V_w*)| shrinks over teaching (its mean over the last
// 4 s of teaching below that over the first 2 s, as in every NEST seed);
// after the teacher the
// soma follows the 10 Hz modulation (least squares on sin and cos of
// 2π·t/100 ms over [20450, 20800) ms: R² above 0.8, the amplitude in NEST's
// range); the final weights' mean, fraction at Wmin = 0, median and largest,
// and the somatic rate while teaching, within the 99 % prediction interval
// of NEST's seeds. The point alone equals its member of the batch.
func TestUrbanczikExample(t *testing.T) {
	if testing.Short() {
		t.Skip("the 20.8-s example with its eta sweep: skipped with -short")
	}
	if _, ok := models.LookupNeuron("pp_cond_exp_mc_urbanczik"); !ok {
		t.Skip("pp_cond_exp_mc_urbanczik is not on this branch yet")
	}
	if _, ok := plasticity.Find("urbanczik_synapse"); !ok {
		t.Skip("urbanczik_synapse is not on this branch yet")
	}
	var ref nestUrbanczik
	b, err := os.ReadFile("testdata/nest_urbanczik.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	f, err := configs.Load(urbanczikConfig(), configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sweep.Batches(f.Points, 0)); n != 1 {
		t.Errorf("the eta sweep runs as %d batches, want one", n)
	}
	points := make([]spec.Network, len(f.Points))
	idx := make([]int, len(f.Points))
	at := -1
	for i, p := range f.Points {
		points[i], idx[i] = p.Net, i
		if p.Vars["eta"] == 0.17 {
			at = i
		}
	}
	if at < 0 {
		t.Fatal("no point with eta = 0.17")
	}
	net, err := network.Build(points, idx, 0)
	if err != nil {
		t.Fatal(err)
	}
	sink := &urbanczikSink{spikes: make([][]int64, len(points)), u: make([][]float32, len(points)), vd: make([][]float32, len(points))}
	for i, p := range net.Pops {
		if p.Name == "neuron" {
			sink.pop = i
		}
	}
	if err := (&cpu.Backend{}).Run(context.Background(), net, sink, nil); err != nil {
		t.Fatal(err)
	}
	var plastic *network.Projection
	for _, pr := range net.Projections {
		if pr.Plastic != nil {
			plastic = pr
		}
	}
	if plastic == nil {
		t.Fatal("no plastic projection")
	}
	ours := urbanczikMeasures(sink.spikes[at], sink.u[at], sink.vd[at], plastic.PerMember[at].Weights)
	t.Logf("eta 0.17: %+v", ours)

	// The error shrinks: the mean over the last 4 s of teaching against the
	// first 2 s after its first 600 ms, (16, 20] s against (1, 3] s; NEST's
	// seeds give ratios 0.55-0.91 (the error is noisy second by second).
	errRatio := func(e []float64) float64 { return (e[16] + e[17] + e[18] + e[19]) / 4 / ((e[1] + e[2]) / 2) }
	if r := ours.errLast / ours.errFirst; r >= 1 {
		t.Errorf("prediction error %.1f Hz over (16, 20] s, %.1f Hz over (1, 3] s: ratio %.2f, want < 1", ours.errLast, ours.errFirst, r)
	}
	if ours.afterR2 < 0.8 {
		t.Errorf("after the teacher V_m.s follows the 10 Hz modulation with R² %.2f, want > 0.8", ours.afterR2)
	}
	get := func(f func(i int) float64) []float64 {
		out := make([]float64, len(ref.Seeds))
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	for _, c := range []struct {
		name string
		ours float64
		nest []float64
	}{
		{"somatic rate while teaching (Hz)", ours.rateTeach, get(func(i int) float64 { return ref.Seeds[i].RateTeach })},
		{"mean final weight (pA)", ours.wMean, get(func(i int) float64 { return ref.Seeds[i].WMean })},
		{"fraction of final weights at 0", ours.wZero, get(func(i int) float64 { return ref.Seeds[i].WZero })},
		{"median final weight (pA)", ours.wMedian, get(func(i int) float64 { return ref.Seeds[i].WMedian })},
		{"largest final weight (pA)", ours.wMax, get(func(i int) float64 { return ref.Seeds[i].WMax })},
		{"10 Hz amplitude of V_m.s after teaching (mV)", ours.afterAmp, get(func(i int) float64 { return math.Hypot(ref.Seeds[i].AfterSin, ref.Seeds[i].AfterCos) })},
		{"error over (1, 3] s (Hz)", ours.errFirst, get(func(i int) float64 { e := ref.Seeds[i].ErrPerSec; return (e[1] + e[2]) / 2 })},
		{"error over (16, 20] s (Hz)", ours.errLast, get(func(i int) float64 { e := ref.Seeds[i].ErrPerSec; return (e[16] + e[17] + e[18] + e[19]) / 4 })},
		{"error ratio late/early", ours.errLast / ours.errFirst, get(func(i int) float64 { return errRatio(ref.Seeds[i].ErrPerSec) })},
	} {
		lo, hi := predictionInterval(c.nest)
		if c.ours < lo || c.ours > hi {
			t.Errorf("%s: %.4g, NEST's seeds %.4g give [%.4g, %.4g]", c.name, c.ours, c.nest, lo, hi)
		}
	}
	// The point alone equals its member of the batch: the same somatic
	// spikes and the same final weights, bit for bit.
	alone, err := network.Build(points[at:at+1], idx[at:at+1], 0)
	if err != nil {
		t.Fatal(err)
	}
	one := &urbanczikSink{pop: sink.pop, spikes: make([][]int64, 1), u: make([][]float32, 1), vd: make([][]float32, 1)}
	if err := (&cpu.Backend{}).Run(context.Background(), alone, one, nil); err != nil {
		t.Fatal(err)
	}
	for _, pr := range alone.Projections {
		if pr.Plastic != nil && !slices.Equal(pr.PerMember[0].Weights, plastic.PerMember[at].Weights) {
			t.Errorf("eta 0.17 alone: final weights differ from its member of the batch")
		}
	}
	if !slices.Equal(one.spikes[0], sink.spikes[at]) {
		t.Errorf("eta 0.17 alone: %d somatic spikes, %d in the batch (or at other times)", len(one.spikes[0]), len(sink.spikes[at]))
	}
	// The sweep's other learning rates learn too (the same pattern, keyed
	// by the network's seed).
	for m := range points {
		if m == at {
			continue
		}
		o := urbanczikMeasures(sink.spikes[m], sink.u[m], sink.vd[m], plastic.PerMember[m].Weights)
		if o.errLast >= o.errFirst {
			t.Errorf("eta %g: the error grows (%.1f Hz to %.1f Hz)", f.Points[m].Vars["eta"], o.errFirst, o.errLast)
		}
	}
}

type urbanczikResult struct {
	rateTeach, errFirst, errLast, afterAmp, afterR2 float64
	wMean, wZero, wMedian, wMax                     float64
}

// urbanczikMeasures computes what testdata/nest_urbanczik.py reports, from
// stamps and samples every 0.1 ms (sample k at (k+1)·0.1 ms).
func urbanczikMeasures(spikes []int64, u, vd []float32, w []float32) urbanczikResult {
	const dt = 0.1
	var r urbanczikResult
	for _, s := range spikes {
		if t := float64(s) * dt; t >= 400 && t < 20400 {
			r.rateTeach++
		}
	}
	r.rateTeach /= 20
	errMean := func(a, b float64) float64 {
		var sum, n float64
		for k := range u {
			if t := float64(k+1) * dt; t > a && t <= b {
				vws := (30*-70 + 600*float64(vd[k])) / 630
				sum += math.Abs(phiHz(float64(u[k])) - phiHz(vws))
				n++
			}
		}
		return sum / n
	}
	r.errFirst, r.errLast = errMean(1000, 3000), errMean(16000, 20000)
	// Least squares of U on sin, cos and 1 over [20450, 20800) ms.
	var a [3][3]float64
	var y [3]float64
	var xs [][3]float64
	var us []float64
	for k := range u {
		t := float64(k+1) * dt
		if t < 20450 || t >= 20800 {
			continue
		}
		x := [3]float64{math.Sin(2 * math.Pi * t / 100), math.Cos(2 * math.Pi * t / 100), 1}
		for i := range 3 {
			for j := range 3 {
				a[i][j] += x[i] * x[j]
			}
			y[i] += x[i] * float64(u[k])
		}
		xs, us = append(xs, x), append(us, float64(u[k]))
	}
	c := solve3(a, y)
	r.afterAmp = math.Hypot(c[0], c[1])
	var res, tot, mean float64
	for _, v := range us {
		mean += v / float64(len(us))
	}
	for i, v := range us {
		fit := c[0]*xs[i][0] + c[1]*xs[i][1] + c[2]
		res += (v - fit) * (v - fit)
		tot += (v - mean) * (v - mean)
	}
	r.afterR2 = 1 - res/tot
	ws := make([]float64, len(w))
	for i, x := range w {
		ws[i] = float64(x)
		r.wMean += ws[i] / float64(len(w))
		if x <= 0 {
			r.wZero += 1 / float64(len(w))
		}
	}
	slices.Sort(ws)
	n := len(ws)
	r.wMedian = (ws[(n-1)/2] + ws[n/2]) / 2
	r.wMax = ws[n-1]
	return r
}

// solve3 solves a·x = y by Cramer's rule (a is a 3×3 normal matrix, well
// conditioned: sin, cos and 1 over 3.5 periods).
func solve3(a [3][3]float64, y [3]float64) [3]float64 {
	det := func(m [3][3]float64) float64 {
		return m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) - m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) + m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	}
	d := det(a)
	var x [3]float64
	for c := range 3 {
		m := a
		for r := range 3 {
			m[r][c] = y[r]
		}
		x[c] = det(m) / d
	}
	return x
}
