package rng

import (
	"math"
	"math/rand/v2"
	"testing"
)

// impls runs f with the Go versions of philox16 and poisson64 and, where
// this machine has them, the vector ones.
func impls(f func(name string)) {
	saved := vector
	defer func() { vector = saved }()
	for _, v := range []bool{false, true} {
		if v && !saved {
			continue
		}
		vector = v
		f(map[bool]string{false: "go", true: "vector"}[v])
	}
}

// philox16 is sixteen Philox calls, for random keys and counters, with words
// near the 2^32 wrap.
func TestPhilox16(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func() uint32 {
		if r.IntN(4) == 0 {
			return -uint32(r.IntN(8)) // 0, 2^32-1, …
		}
		return r.Uint32()
	}
	impls(func(name string) {
		for range 500 {
			k := Key{word(), word()}
			var c [4][16]uint32
			for j := range c {
				for i := range c[j] {
					c[j][i] = word()
				}
			}
			var got [4][16]uint32
			philox16(&k, &c, &got)
			for i := range 16 {
				want := Philox(k, Counter{c[0][i], c[1][i], c[2][i], c[3][i]})
				for j := range want {
					if got[j][i] != want[j] {
						t.Fatalf("%s: key %v, block %d: word %d = %#x, Philox gives %#x", name, k, i, j, got[j][i], want[j])
					}
				}
			}
		}
	})
}

// PoissonCounts64 is PoissonFromThresholds on the words of sixteen
// consecutive blocks (the first counter word wrapping), over means where
// counts of four and more are rare (0.01), usual (1, the
// structural-plasticity example) and the rule (9.9), and tables of fewer
// than four thresholds (the tiny means).
func TestPoissonCounts64(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, lambda := range []float64{1e-12, 1e-9, 0.01, 0.5, 1, 3, 9.9} {
		table := PoissonThresholds(lambda, math.Exp(-lambda))
		h, ok := NewThresholds4(table)
		if !ok {
			t.Fatalf("mean %g: table %v refused", lambda, table)
		}
		impls(func(name string) {
			for n := range 300 {
				k := Key{r.Uint32(), r.Uint32()}
				c := Counter{r.Uint32(), r.Uint32(), 0, r.Uint32()}
				if n%10 == 0 {
					c[0] = -uint32(r.IntN(16))
				}
				var out [64]float32
				PoissonCounts64(k, c, table, &h, &out)
				for i := range 16 {
					b := Philox(k, Counter{c[0] + uint32(i), c[1], c[2], c[3]})
					for j, w := range b {
						if want := float32(PoissonFromThresholds(w, table)); out[4*i+j] != want {
							t.Fatalf("%s, mean %g, key %v, counter %v: count %d = %g, PoissonFromThresholds gives %g", name, lambda, k, c, 4*i+j, out[4*i+j], want)
						}
					}
				}
			}
		})
	}
}

// NewThresholds4 takes thresholds from 1 to 2^32, rounded up, and pads
// short tables; anything else is refused.
func TestNewThresholds4(t *testing.T) {
	for _, tc := range []struct {
		table []float64
		want  Thresholds4
		ok    bool
	}{
		{[]float64{1, 2, 1 << 32}, Thresholds4{0, 1, 1<<32 - 1, 1<<32 - 1}, true},
		{[]float64{10.5, 20, 30, 40, 50}, Thresholds4{10, 19, 29, 39}, true},
		{[]float64{0, 1 << 32}, Thresholds4{}, false},
		{[]float64{1, 1<<32 + 1}, Thresholds4{}, false},
		{[]float64{math.NaN(), 1 << 32}, Thresholds4{}, false},
	} {
		got, ok := NewThresholds4(tc.table)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("NewThresholds4(%v) = %v, %v; want %v, %v", tc.table, got, ok, tc.want, tc.ok)
		}
	}
}

func BenchmarkPhilox16(b *testing.B) {
	impls(func(name string) {
		b.Run(name, func(b *testing.B) {
			var c [4][16]uint32
			var w [4][16]uint32
			var x uint32
			k := Key{1, 2}
			for i := 0; b.Loop(); i++ {
				c[0][0] = uint32(i)
				philox16(&k, &c, &w)
				x ^= w[0][0]
			}
			_ = x
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/16, "ns/block")
		})
	})
}

// BenchmarkPoissonCounts64 draws at mean 1 (the structural-plasticity
// example).
func BenchmarkPoissonCounts64(b *testing.B) {
	table := PoissonThresholds(1, math.Exp(-1))
	h, _ := NewThresholds4(table)
	impls(func(name string) {
		b.Run(name, func(b *testing.B) {
			var out [64]float32
			for i := 0; b.Loop(); i++ {
				PoissonCounts64(Key{1, 2}, Counter{uint32(i) * 16, 5, 0, 7}, table, &h, &out)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/64, "ns/count")
		})
	})
}
