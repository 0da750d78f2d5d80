package plasticity

import (
	"fmt"
	"math"
	"testing"
)

// run transmits the presynaptic spikes pres (ascending) through one synapse
// of delay d onto a neuron that spikes at posts, and returns the weights
// after each transmission. Queries read only spikes at or before
// t_pre - d, so the postsynaptic spikes can be archived up front.
func run(r Rule, w float64, pres, posts []float64, d, tauMinus float64) []float64 {
	post := &Post{Archive: Archive{TauMinus: tauMinus}}
	for _, t := range posts {
		post.Add(t)
	}
	var pre Pre
	var ws []float64
	for _, t := range pres {
		w = r.Send(w, nil, pre, t, d, post)
		pre.Spike(t, r.TauPlus())
		ws = append(ws, w)
	}
	return ws
}

// One pre/post pair closed by a second presynaptic spike, at chosen lags
// and delays, against the closed form of NEST's event-driven rule:
// potentiation w ← w + λ·Wmax·(1 - w/Wmax)^μ+·e^(-(t_post + d - t_1)/τ+)
// when t_1 - d < t_post <= t_2 - d, then depression
// w ← w - α·λ·Wmax·(w/Wmax)^μ-·e^(-(t - d - t_post)/τ-) at each presynaptic
// spike t whose t - d lies strictly after t_post. Tolerance: a few ulps
// of float64 on weights of order 10.
func TestSTDPPairs(t *testing.T) {
	const tauMinus, t1, t2 = 30.0, 10.0, 60.0
	for _, mu := range []float64{0, 1} {
		r := STDP{Tau: 16.8, Lambda: 0.05, Alpha: 1.2, MuPlus: mu, MuMinus: mu, Wmax: 40}
		for _, c := range []struct{ tp, d float64 }{
			{15, 1}, {15, 5}, {9.5, 1}, {9.5, 0.5}, {8, 1}, {2, 3}, {59, 1}, {55, 5}, {56, 5}, {30, 10}, {10, 0.1},
		} {
			t.Run(fmt.Sprintf("mu %g post %g delay %g", mu, c.tp, c.d), func(t *testing.T) {
				const w0 = 12.0
				got := run(r, w0, []float64{t1, t2}, []float64{c.tp}, c.d, tauMinus)
				pot := func(w, k float64) float64 { return w + r.Lambda*r.Wmax*math.Pow(1-w/r.Wmax, mu)*k }
				dep := func(w, k float64) float64 { return w - r.Alpha*r.Lambda*r.Wmax*math.Pow(w/r.Wmax, mu)*k }
				w1 := w0
				if t1-c.d > c.tp {
					w1 = dep(w1, math.Exp(-(t1-c.d-c.tp)/tauMinus))
				}
				w2 := w1
				if t1-c.d < c.tp && c.tp <= t2-c.d {
					w2 = pot(w2, math.Exp(-(c.tp+c.d-t1)/r.Tau))
				}
				if t2-c.d > c.tp {
					w2 = dep(w2, math.Exp(-(t2-c.d-c.tp)/tauMinus))
				}
				if math.Abs(got[0]-w1) > 1e-13 || math.Abs(got[1]-w2) > 1e-13 {
					t.Errorf("weights %v, want [%v %v]", got, w1, w2)
				}
			})
		}
	}
}

// All-to-all pairing: K_- sums every earlier postsynaptic spike, and a
// presynaptic spike is potentiated by every postsynaptic spike since the
// last one, each against the decayed K_+ of all earlier presynaptic
// spikes. Additive rule (μ = 0) far from the bounds: the changes add up.
func TestSTDPAllToAll(t *testing.T) {
	r := STDP{Tau: 20, Lambda: 0.001, Alpha: 0.5, MuPlus: 0, MuMinus: 0, Wmax: 100}
	const tauMinus, d, w0 = 20.0, 1.5, 50.0
	pres := []float64{5, 12, 30, 41}
	posts := []float64{3, 8, 13, 14, 25, 40}
	got := run(r, w0, pres, posts, d, tauMinus)
	want := w0
	for i, tpre := range pres {
		for _, tp := range posts {
			// depression by every post spike strictly before tpre - d
			if tp < tpre-d {
				want -= r.Alpha * r.Lambda * r.Wmax * math.Exp(-(tpre-d-tp)/tauMinus)
			}
			// potentiation of every earlier pre spike by the post spikes
			// that reached the synapse after it, counted at this one
			if i > 0 && pres[i-1]-d < tp && tp <= tpre-d {
				for _, e := range pres[:i] {
					want += r.Lambda * r.Wmax * math.Exp(-(tp+d-e)/r.Tau)
				}
			}
		}
	}
	if last := got[len(got)-1]; math.Abs(last-want) > 1e-12 {
		t.Errorf("final weight %.15g, want %.15g", last, want)
	}
}

// The bounds: stdp_synapse stays in [0, Wmax] (either sign of Wmax),
// stdp_pl_synapse_hom at or above 0 and unbounded above.
func TestBounds(t *testing.T) {
	big := STDP{Tau: 20, Lambda: 5, Alpha: 0, MuPlus: 0, MuMinus: 0, Wmax: 10}
	if w := run(big, 9, []float64{10, 20}, []float64{12}, 1, 20); w[1] != 10 {
		t.Errorf("potentiation past Wmax: %v, want capped at 10", w)
	}
	big.Alpha = 1
	if w := run(big, 1, []float64{10}, []float64{5}, 1, 20); w[0] != 0 {
		t.Errorf("depression below 0: %v, want 0", w)
	}
	neg := big
	neg.Wmax, neg.Alpha = -10, 0
	if w := run(neg, -9, []float64{10, 20}, []float64{12}, 1, 20); w[1] != -10 {
		t.Errorf("inhibitory potentiation: %v, want capped at Wmax = -10", w)
	}
	pl := PowerLaw{Tau: 20, Lambda: 0.1, Alpha: 50, Mu: 0.4}
	if w := run(pl, 5, []float64{10}, []float64{9}, 0.5, 20); w[0] != 0 {
		t.Errorf("power law depression below 0: %v, want 0", w)
	}
	// potentiation: 1000 + 0.1·1000^0.4·1·e^(-(12+1-10)/20) over Wmax-like sizes
	want := 1000 + 0.1*math.Pow(1000, 0.4)*math.Exp(-3.0/20)
	pl.Alpha = 0
	if w := run(pl, 1000, []float64{10, 20}, []float64{12}, 1, 20); math.Abs(w[1]-want) > 1e-12 {
		t.Errorf("power law potentiation: %v, want %v (no upper bound)", w, want)
	}
}

// Power law pair against its closed form (hpc_benchmark's parameters).
func TestPowerLawPair(t *testing.T) {
	r := PowerLaw{Tau: 15, Lambda: 0.1, Alpha: 0.0513, Mu: 0.4}
	const w0, d, tauMinus = 45.61, 1.5, 20.0
	got := run(r, w0, []float64{10, 40}, []float64{20}, d, tauMinus)
	w1 := w0 + r.Lambda*math.Pow(w0, r.Mu)*math.Exp(-(20+d-10)/r.Tau)
	w1 -= r.Lambda * r.Alpha * w1 * math.Exp(-(40-d-20)/tauMinus)
	if got[0] != w0 || math.Abs(got[1]-w1) > 1e-12 {
		t.Errorf("weights %v, want [%v %v]", got, w0, w1)
	}
}

// Pruning at the earliest t_last - d of the synapses changes no answer.
func TestArchivePrune(t *testing.T) {
	a, b := &Archive{TauMinus: 20}, &Archive{TauMinus: 20}
	for _, s := range []float64{1, 2, 4, 9, 15, 16, 30} {
		a.Add(s)
		b.Add(s)
	}
	b.Prune(10)
	if b.Len() != 4 {
		t.Fatalf("kept %d spikes, want 4 (9 and later)", b.Len())
	}
	for _, q := range []float64{10, 12, 15, 15.5, 16, 31} {
		if a.K(q) != b.K(q) || fmt.Sprint(a.Between(10, q)) != fmt.Sprint(b.Between(10, q)) {
			t.Errorf("at %g: K %v vs %v, spikes %v vs %v", q, a.K(q), b.K(q), a.Between(10, q), b.Between(10, q))
		}
	}
	// K_- is the sum of the decayed spikes strictly before t.
	want := math.Exp(-(16-9)/20.0) + math.Exp(-(16-15)/20.0) + math.Exp(-(16-4)/20.0) + math.Exp(-(16-2)/20.0) + math.Exp(-(16-1)/20.0)
	if k := a.K(16); math.Abs(k-want) > 1e-14 {
		t.Errorf("K(16) = %v, want %v", k, want)
	}
}
