package models

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/rng"
)

// BenchmarkPoissonCounts times the drive of the structural-plasticity
// example: one row of 1,000 synapses at mean 1 (rate·dt = 1), per step.
func BenchmarkPoissonCounts(b *testing.B) {
	c := PoissonGenerator.Derive(Values{"rate": 10000}, nil, 0.1)
	out := make([]float32, 1000)
	for s := int64(0); b.Loop(); s++ {
		poissonCounts(c, s, rng.NewKey(1, 0), 3, 0, out)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(out)), "ns/count")
}
