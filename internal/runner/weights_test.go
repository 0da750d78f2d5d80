package runner

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/output"
)

// The weights a weight_recorder writes are the closed form of additive
// STDP (w += lambda·Wmax·K+, w -= alpha·lambda·Wmax·K-) at each of the
// three transmissions (t_pre = 10, 30, 50 ms, delay d = 1 ms, t_post =
// 20 ms): the first sees no postsynaptic spike; the second is potentiated
// by exp(-(t_post + d - 10)/tau_plus) and depressed by
// exp(-(30 - d - t_post)/tau_minus); the third depressed by
// exp(-(50 - d - t_post)/tau_minus). Only target 1 is recorded;
// final_weights.parquet has every synapse at the third weight. Weights are
// float32, rounded after each update: 1e-6 relative covers three roundings
// (6e-8 each).
func TestWeightRecorder(t *testing.T) {
	f, err := configs.Load("testdata/stdp_weights.toml", configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Run(context.Background(), f, Options{Threads: 1, Batch: 2, Point: AllPoints, OutDir: dir}); err != nil {
		t.Fatal(err)
	}
	const w0, wmax, alpha, tauPlus, tauMinus, d, tPost = 3.0, 100.0, 1.1, 15.0, 25.0, 1.0, 20.0
	want := func(lam float64) [3]float64 {
		w2 := w0 + lam*wmax*math.Exp(-(tPost+d-10)/tauPlus) - alpha*lam*wmax*math.Exp(-(30-d-tPost)/tauMinus)
		return [3]float64{w0, w2, w2 - alpha*lam*wmax*math.Exp(-(50-d-tPost)/tauMinus)}
	}
	close := func(got float32, want float64) bool { return math.Abs(float64(got)-want) <= 1e-6*want }
	rows, err := output.ReadWeights(filepath.Join(dir, "weights.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 12 {
		t.Fatalf("%d rows, want 2 points × 3 spikes × 2 senders onto target 1: %+v", len(rows), rows)
	}
	for _, r := range rows {
		k := int(math.Round((r.TimeMs - 10) / 20))
		w := want([]float64{0.01, 0.02}[r.Point])[k]
		if r.Name != "wr" || r.Source != "pre" || r.Target != "post" || r.Recv != 1 || math.Abs(r.TimeMs-float64(10+20*k)) > 1e-9 || !close(r.Weight, w) {
			t.Errorf("row %+v, want weight %.9g at %d ms onto post 1", r, w, 10+20*k)
		}
	}
	final, err := output.ReadWeights(filepath.Join(dir, "final_weights.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(final) != 8 {
		t.Fatalf("%d final weights, want 2 points × 4 synapses", len(final))
	}
	for _, r := range final {
		if w := want([]float64{0.01, 0.02}[r.Point])[2]; r.Name != "pre->post" || !close(r.Weight, w) {
			t.Errorf("final %+v, want %.9g", r, w)
		}
	}
}
