package rng

import "testing"

// Philox4 is four Philox calls.
func TestPhilox4(t *testing.T) {
	k := NewKey(12345, 7)
	for i := range uint32(64) {
		c := [4]Counter{{i, 3, 0, 9}, {i + 1, 3, 0, 9}, {i * 77, 0xFFFFFFFF, i, 1 << 24}, {0, 0, 0, i}}
		got := Philox4(k, &c)
		for q := range c {
			if want := Philox(k, c[q]); got[q] != want {
				t.Fatalf("counter %v: %v, Philox gives %v", c[q], got[q], want)
			}
		}
	}
}

func BenchmarkPhilox4(b *testing.B) {
	var x uint32
	for i := 0; b.Loop(); i++ {
		u := uint32(i)
		w := Philox4(Key{1, 2}, &[4]Counter{{u, 0, 0, 0}, {u, 1, 0, 0}, {u, 2, 0, 0}, {u, 3, 0, 0}})
		x ^= w[0][0] ^ w[3][3]
	}
	_ = x
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/4, "ns/block")
}
