package siegert

import "testing"

// BenchmarkRate: evaluations of Phi per second over the regimes a Brunel
// mean field visits (mean below, near and above threshold; sigma 1–10 mV).
func BenchmarkRate(b *testing.B) {
	p := Neuron{TauM: 20, TRef: 2, Theta: 20, VReset: 10}
	var mus = [...]float64{5, 12, 18, 20, 24, 30, 45}
	var sigmas = [...]float64{1, 3, 7, 10}
	sink := 0.0
	for i := 0; i < b.N; i++ {
		sink += p.Rate(mus[i%len(mus)], sigmas[(i/len(mus))%len(sigmas)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "evals/s")
	if sink < 0 {
		b.Fatal(sink)
	}
}
