package configs_test

import (
	"slices"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/sweep"
)

// TestBrunelPhase: the phase-diagram example is an 11 × 8 grid over g and
// eta of one network (one batch) whose neurons keep the paper's inputs:
// C_E = 1000, C_I = 250, J = 0.1 mV, and a drive of eta × 10,000 Hz.
func TestBrunelPhase(t *testing.T) {
	f, err := configs.Load("brunel_phase", configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.Swept, []string{"eta", "g"}) || len(f.Points) != 88 {
		t.Fatalf("swept %v, %d points; want [eta g], 88", f.Swept, len(f.Points))
	}
	if b := sweep.Batches(f.Points, 0); len(b) != 1 {
		t.Errorf("%d batches, want 1 (the points share one network)", len(b))
	}
	var etas, gs []float64
	for i, p := range f.Points {
		eta, g := p.Values[0], p.Values[1]
		if i < 11 {
			gs = append(gs, g)
		}
		if i%11 == 0 {
			etas = append(etas, eta)
		}
		n := &p.Net
		if n.Populations[0].N != 2000 || n.Populations[1].N != 500 {
			t.Fatalf("point %d: N_E %d, N_I %d", i, n.Populations[0].N, n.Populations[1].N)
		}
		for _, c := range []struct {
			conn int
			k, w float64
		}{{2, 1000, 0.1}, {3, 1000, 0.1}, {4, 250, -g * 0.1}, {5, 250, -g * 0.1}} {
			got := n.Connections[c.conn]
			if k := got.Rule.Params["indegree"].Const; k != c.k || !near(got.Syn.Weight.Const, c.w) {
				t.Errorf("point %d: %s->%s indegree %v weight %v, want %v, %v", i, got.Source, got.Target, k, got.Syn.Weight.Const, c.k, c.w)
			}
		}
		if r := n.Devices[0].Params["rate"]; !near(r, eta*10000) {
			t.Errorf("point %d: drive %v Hz, want %v", i, r, eta*10000)
		}
	}
	if !slices.Equal(gs, []float64{3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8}) || !slices.Equal(etas, []float64{0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4}) {
		t.Errorf("g %v, eta %v", gs, etas)
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
