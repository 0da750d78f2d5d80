package models

import (
	"math/rand/v2"
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

// poissonCounts gives every synapse the count of its own word (word syn&3
// of block syn>>2) whatever range it is drawn in: heads before a multiple of
// four, 64- and 16-wide bodies and tails, with and without vector code, for
// means from rare to common counts of four and more.
func TestPoissonCountsAreTheScalarOnes(t *testing.T) {
	defer func(v bool) { poissonVector = v }(poissonVector)
	for _, poissonVector = range []bool{false, poissonVector} {
		testPoissonCounts(t)
	}
}

func testPoissonCounts(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, lambda := range []float64{0.01, 0.5, 1, 3, 9.9} {
		c := PoissonGenerator.Derive(Values{"rate": lambda * 10000}, nil, 0.1)
		table := c[poissonThresholds:]
		for _, first := range []int{0, 1, 3, 4, 30, 32, 63, 1<<30 - 5} {
			for _, n := range []int{0, 1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 130, 1000} {
				key, s, object := rng.Key{r.Uint32(), r.Uint32()}, r.Int64N(1<<31), r.Uint32N(1<<24)
				out := make([]float32, n)
				poissonCounts(c, s, key, object, first, out)
				for j, got := range out {
					syn := first + j
					b := rng.Philox(key, rng.Counter{uint32(syn >> 2), uint32(s), 0, rng.Word3(rng.PurposePoisson, object)})
					if want := float32(rng.PoissonFromThresholds(b[syn&3], table)); got != want {
						t.Fatalf("vector %v, mean %g, synapses %d+%d: synapse %d drew %g, its word gives %g", poissonVector, lambda, first, n, syn, got, want)
					}
				}
			}
		}
	}
}
