package plasticity

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// urbHistory is a synthetic prediction error, one entry per step of dt
// stamped at the step's end (t_k = (k+1)·dt, as NEST stamps it): a slow
// oscillation of the rate term -phi·dt·h plus somatic spikes (n·h) every
// 9.7 ms; sign flips at flip (ms) drive the weight up, then down.
func urbHistory(dt, tEnd, flip float64) *Post { return urbHistoryGaps(dt, tEnd, flip, 0) }

// urbHistoryGaps is urbHistory without the entries of steps k with
// k % gaps == 3 (gaps > 0): uneven spacing, which the rule's recurrence
// for the decays must notice.
func urbHistoryGaps(dt, tEnd, flip float64, gaps int) *Post {
	post := &Post{}
	for k := 0; float64(k+1)*dt <= tEnd; k++ {
		if gaps > 0 && k%gaps == 3 {
			continue
		}
		t := float64(k+1) * dt
		x := -0.004*(1.2+math.Sin(0.37*t))*dt + 0.3*b2f(k%97 == 0)
		if t > flip {
			x = -2 * x
		}
		post.History.Add(t, x)
	}
	return post
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// urbDirect is the continuous rule W(t) = W_0 + eta·∫(1 - e^(-(t-s)/tau_Delta)) PI(s) ds
// discretised as NEST's entries are (one term per entry t_k, at u = t_k + d),
// with the PSP kernel summed over the presynaptic spikes before u, computed
// term by term without the traces. It returns the weight before clipping
// and the sum of the terms' magnitudes (for the rounding tolerance).
func urbDirect(r Urbanczik, w0, tauS float64, pres []float64, tSp, d float64, post *Post) (float64, float64) {
	tauL := r.Cm / r.GL
	c := r.Eta * 15 * r.Cm * tauS / (r.GL * (tauL - tauS))
	ts, dpi := post.History.Between(-d, tSp-d)
	var sum, abs float64
	for k, t := range ts {
		u := t + d
		var psp float64
		for _, tj := range pres {
			if tj < u {
				psp += math.Exp(-(u-tj)/tauL) - math.Exp(-(u-tj)/tauS)
			}
		}
		term := (1 - math.Exp(-(tSp-u)/r.TauDelta)) * dpi[k] * psp
		sum += term
		abs += math.Abs(term)
	}
	return w0 + c*sum, math.Abs(c) * abs
}

// urbRun sends the spikes pres (ascending) through one synapse of delay d
// and initial weight w0 and returns the weights transmitted.
func urbRun(t *testing.T, r Urbanczik, w0 float64, pres []float64, d float64, post *Post) []float64 {
	t.Helper()
	v := make([]float64, r.Vars())
	if err := r.Init(v, w0); err != nil {
		t.Fatal(err)
	}
	var pre Pre
	w := w0
	var ws []float64
	for _, tp := range pres {
		w = r.Send(w, v, pre, tp, d, post)
		pre.Spike(tp, r.TauPlus())
		ws = append(ws, w)
	}
	return ws
}

// The event-driven update (two traces, PI_int, PI_exp_int) equals the
// directly summed discretisation of the continuous rule at every
// presynaptic spike: excitatory (tau_s = tau_syn_ex_p) and inhibitory
// (negative weights, tau_s = tau_syn_in_p), delays of one step and more,
// spikes closer than a delay, wide bounds. Both sides sum about 10^3
// terms in float64 in different orders: a few hundred ulps of the summed
// magnitudes at most, so 1e-12 of them, plus the rounding of W_0 + change
// (an ulp of the weight, 1.4e-14 at 100).
func TestUrbanczikMatchesContinuous(t *testing.T) {
	const dt = 0.1
	pres := []float64{1, 3.5, 20, 20.1, 20.3, 57.3, 98, 140.2, 199.9}
	for _, c := range []struct {
		name       string
		w0, lo, hi float64
		d          float64
		gaps       int
	}{
		{"exc d 0.1", 100, 0, 1e6, 0.1, 0},
		{"exc d 1", 100, 0, 1e6, 1, 0},
		{"exc d 2.5", 100, 0, 1e6, 2.5, 0},
		{"inh d 0.1", -100, -1e6, -1e-3, 0.1, 0},
		{"inh d 1.5", -100, -1e6, -1e-3, 1.5, 0},
		{"exc d 1 uneven entries", 100, 0, 1e6, 1, 7},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Urbanczik{Eta: 0.75, TauDelta: 100, Wmin: c.lo, Wmax: c.hi, Cm: 300, GL: 30, TauEx: 3, TauIn: 2}
			tauS := r.TauEx
			if c.w0 < 0 {
				tauS = r.TauIn
			}
			post := urbHistoryGaps(dt, 200, 1e9, c.gaps)
			got := urbRun(t, r, c.w0, pres, c.d, post)
			for i, tp := range pres {
				want, scale := urbDirect(r, c.w0, tauS, pres, tp, c.d, post)
				if tol := 1e-12*scale + 2e-16*math.Abs(want); math.Abs(got[i]-want) > tol {
					t.Errorf("spike at %g ms: weight %.15g, direct sum %.15g (tolerance %.3g)", tp, got[i], want, tol)
				}
			}
			if math.Abs(got[len(got)-1]-c.w0) < 1 {
				t.Errorf("weights %v hardly moved from %g: the test would not see a wrong rule", got, c.w0)
			}
		})
	}
}

// The bounds clip what is transmitted, not the integrals: a weight driven
// past Wmax comes back below it as soon as the unclipped value does
// (NEST's non-sticky bounds), and the same at Wmin.
func TestUrbanczikBoundsNotSticky(t *testing.T) {
	const dt, d = 0.1, 0.1
	pres := []float64{}
	for tp := 2.0; tp < 400; tp += 7.3 {
		pres = append(pres, math.Round(tp/dt)*dt)
	}
	free := Urbanczik{Eta: 2, TauDelta: 30, Wmin: 0, Wmax: 1e6, Cm: 300, GL: 30, TauEx: 3, TauIn: 3}
	post := urbHistory(dt, 400, 200)
	unclipped := urbRun(t, free, 100, pres, d, post)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, w := range unclipped {
		lo, hi = min(lo, w), max(hi, w)
	}
	// bounds inside the free run's range, so that both are crossed
	bounded := free
	bounded.Wmin, bounded.Wmax = lo+0.3*(hi-lo), hi-0.3*(hi-lo)
	got := urbRun(t, bounded, 100, pres, d, post)
	var atMax, backFromMax bool
	for i, w := range unclipped {
		want := min(max(w, bounded.Wmin), bounded.Wmax)
		if got[i] != want {
			t.Errorf("spike %d: transmitted %v, want the free weight %v clipped to [%v, %v]", i, got[i], w, bounded.Wmin, bounded.Wmax)
		}
		atMax = atMax || got[i] == bounded.Wmax
		backFromMax = backFromMax || atMax && got[i] < bounded.Wmax
	}
	if !atMax || !backFromMax || got[len(got)-1] != bounded.Wmin {
		t.Errorf("weights %v: want Wmax reached, then left, then Wmin (the history's sign flips at 200 ms)", got)
	}
}

// NEST's checks of the parameters and of the weight's sign (the cases as
// NEST 3.10 answers them: Wmax must be nonzero and of the weight's sign,
// Wmin is free); the target's parameters are read by name.
func TestUrbanczikParams(t *testing.T) {
	m, ok := Find("urbanczik_synapse")
	if !ok {
		t.Fatal("urbanczik_synapse not registered")
	}
	target := map[string]float64{"C_m_p": 300, "g_L_p": 30, "tau_syn_ex_p": 3, "tau_syn_in_p": 2}
	r, err := m.Rule(map[string]float64{"eta": 0.17}, target)
	want := Urbanczik{Eta: 0.17, TauDelta: 100, Wmin: 0, Wmax: 100, Cm: 300, GL: 30, TauEx: 3, TauIn: 2}
	if err != nil || r != want {
		t.Fatalf("rule %+v %v, want %+v", r, err, want)
	}
	for _, c := range []struct {
		given, target map[string]float64
		want          string
	}{
		{map[string]float64{"tau_Delta": 0}, nil, "tau_Delta"},
		{map[string]float64{"Wmin": 5, "Wmax": 4}, nil, "Wmin"},
		{map[string]float64{"eta": math.Inf(1)}, nil, "eta"},
		{map[string]float64{"tau_plus": 3}, nil, "no parameter"},
		{nil, map[string]float64{"C_m_p": 300, "g_L_p": 30, "tau_syn_ex_p": 3}, "tau_syn_in_p"},
		{nil, map[string]float64{"C_m_p": 300, "g_L_p": 30, "tau_syn_ex_p": 10, "tau_syn_in_p": 3}, "equals"},
	} {
		if _, err := m.Rule(c.given, c.target); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: %v, want an error about %s", c.given, c.target, err, c.want)
		}
	}
	v := make([]float64, want.Vars())
	for _, c := range []struct {
		w, lo, hi float64
		ok        bool
	}{{1, 0, 100, true}, {-1, 0, 100, false}, {-1, -100, -1, true}, {-1, -100, 0, false}, {0, 0, 5, true},
		{5, -1, 5, true}, {5, 0, 0, false}, {-5, 0, -1, true}} {
		u := want
		u.Wmin, u.Wmax = c.lo, c.hi
		if err := u.Init(v, c.w); (err == nil) != c.ok {
			t.Errorf("weight %g in [%g, %g]: %v, want accepted %v", c.w, c.lo, c.hi, err, c.ok)
		}
	}
}

// Between reads (t1, t2] on the grid even where t1 or t2 is an ulp off
// it, and pruning keeps what later reads need.
func TestHistory(t *testing.T) {
	var h, p History
	for k := 1; k <= 50; k++ {
		h.Add(float64(k)*0.1, float64(k))
		p.Add(float64(k)*0.1, float64(k))
	}
	t1, t2 := 0.3+0.1-0.1, 0.7 // 0.30000000000000004: the entry at 0.3 is still out
	ts, xs := h.Between(t1, t2)
	if fmt.Sprint(xs) != "[4 5 6 7]" || len(ts) != 4 {
		t.Errorf("entries %v at %v, want 4 to 7", xs, ts)
	}
	p.Prune(1.0)
	if p.Len() != 40 {
		t.Errorf("kept %d, want 40 (after 1.0 ms)", p.Len())
	}
	for _, q := range [][2]float64{{1, 2}, {1.5, 3}, {4.9, 5}} {
		_, a := h.Between(q[0], q[1])
		_, b := p.Between(q[0], q[1])
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("%v: %v pruned %v", q, a, b)
		}
	}
}
