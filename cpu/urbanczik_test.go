package cpu_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/plasticity"
	"github.com/snn-gpu/snn-gpu/spec"
)

// dpiTarget stands in for pp_cond_exp_mc_urbanczik where only the rule's
// timing is under test: it has the dendrite's parameters the synapse reads
// and writes a known dPI every step (synthDPI), ignoring its input.
var dpiTarget = &models.Neuron{
	Name: "test_dpi_target",
	Params: []models.Param{{Name: "C_m_p", Default: 300}, {Name: "g_L_p", Default: 30},
		{Name: "tau_syn_ex_p", Default: 3}, {Name: "tau_syn_in_p", Default: 2}},
	State:      []models.StateVar{{Name: "dPI", Internal: true}},
	Ports:      []models.Port{{Name: "spikes", Kind: models.SpikePort}},
	WeightUnit: func(models.Values) string { return "pA" },
	Check:      func(models.Values, models.Lists, float64) error { return nil },
	Derive:     func(models.Values, models.Lists, float64) []float64 { return nil },
	Update: func(u *models.Update) {
		for i := u.Lo; i < u.Hi; i++ {
			u.State[0][i] = synthDPI(u.Step, i)
		}
	},
}

func init() { models.RegisterNeuron(dpiTarget) }

// synthDPI is neuron i's entry of step k: a slow rate term and a "spike"
// every 4.3 ms, different per neuron, in float32 as the state keeps it.
func synthDPI(k int64, i int) float32 {
	x := -0.004 * (1.2 + math.Sin(0.037*float64(k)+float64(i))) * 0.1
	if k%43 == int64(7*i) {
		x += 0.3
	}
	return float32(x)
}

// urbPair: a parrot (pre) relaying generator sp 1 ms later onto two dPI
// targets, weight w0, delay d (stdpPair's second generator sends nothing).
func urbPair(sp []float64, w0, d float64) spec.Network {
	n := stdpPair(sp, nil, w0, d)
	n.Populations[1] = spec.Population{Name: "post", Model: dpiTarget.Name, N: 2}
	return n
}

// The engine's urbanczik_synapse against the rule fed the entries the
// target wrote, stamped as NEST stamps them (step k at (k+1)·dt), and the
// parrot's spike times: each synapse's final weight (the one its last
// spike carried). A history stamped one step early or late, or paired
// with the trace at t_k instead of t_k + d, moves the weights by ~1e-3 of
// their change; the engine's float32 weight is the rule's float64 one
// rounded, so they agree to a float32 ulp.
func TestUrbanczikSynapseTiming(t *testing.T) {
	sp := []float64{0.5, 4, 9.3, 9.4, 30, 61.2, 99, 119, 129}
	for _, d := range []float64{0.1, 1, 2.5} {
		t.Run(fmt.Sprintf("delay %g", d), func(t *testing.T) {
			const w0 = 100.0
			r := plasticity.Urbanczik{Eta: 0.75, TauDelta: 100, Wmin: 0, Wmax: 1e4, Cm: 300, GL: 30, TauEx: 3, TauIn: 2}
			c, ws := runPlastic(t, []plasticity.Rule{r}, urbPair(sp, w0, d))
			var pre []float64
			for _, s := range c.Spiked {
				if s.Pop == 0 {
					pre = append(pre, float64(s.Step+1)*0.1)
				}
			}
			if len(pre) != len(sp) {
				t.Fatalf("pre spikes %v, want one per generator spike", pre)
			}
			for i := range 2 {
				post := &plasticity.Post{}
				for k := int64(0); float64(k+1)*0.1 < 150; k++ {
					post.History.Add(float64(k+1)*0.1, float64(synthDPI(k, i)))
				}
				v := make([]float64, r.Vars())
				_ = r.Init(v, w0)
				var st plasticity.Pre
				want := w0
				for _, tp := range pre {
					want = r.Send(want, v, st, tp, d, post)
					st.Spike(tp, 0)
				}
				if float32(want) != float32(ws[i]) || math.Abs(want-w0) < 1 {
					t.Errorf("target %d: final weight %.9g, want %.9g (from %g)", i, ws[i], want, w0)
				}
			}
		})
	}
}

// A batch of three learning rates equals the three runs one by one, bit
// for bit.
func TestUrbanczikBatchEqualsAlone(t *testing.T) {
	sp := []float64{0.5, 4, 9.3, 30, 61.2, 99, 119, 129}
	var rules []plasticity.Rule
	var points []spec.Network
	for _, eta := range []float64{0.07, 0.17, 0.75} {
		rules = append(rules, plasticity.Urbanczik{Eta: eta, TauDelta: 100, Wmin: 0, Wmax: 1e4, Cm: 300, GL: 30, TauEx: 3, TauIn: 3})
		points = append(points, urbPair(sp, 100, 1))
	}
	_, batch := runPlastic(t, rules, points...)
	for m, r := range rules {
		_, alone := runPlastic(t, []plasticity.Rule{r}, points[m])
		if batch[2*m] != alone[0] || batch[2*m+1] != alone[1] {
			t.Errorf("member %d: weights %v in the batch, %v alone", m, batch[2*m:2*m+2], alone)
		}
	}
	if batch[0] == batch[2] || batch[2] == batch[4] {
		t.Errorf("weights %v: the learning rates made no difference", batch)
	}
}
