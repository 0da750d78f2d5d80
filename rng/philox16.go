package rng

// philox16 writes Philox(k, c) for sixteen counters in structure-of-arrays
// layout: c[j][i] is word j of counter i, and w[j][i] is word j of block i.
// The layout is the one vector registers hold, so the assembly version
// computes the blocks in parallel lanes, two registers per word (two
// independent chains hide the multiplications' latency). poisson64 runs the
// same rounds; this one lets the tests check the words themselves. A call
// through a function variable would make the arguments escape to the heap.
func philox16(k *Key, c *[4][16]uint32, w *[4][16]uint32) {
	if vector {
		philox16AVX2(k, c, w)
		return
	}
	philox16Go(k, c, w)
}

// philox16Go is four Philox4 calls (interleaved chains are faster than
// single Philox calls).
func philox16Go(k *Key, c *[4][16]uint32, w *[4][16]uint32) {
	for h := 0; h < 16; h += 4 {
		var cs [4]Counter
		for i := range cs {
			cs[i] = Counter{c[0][h+i], c[1][h+i], c[2][h+i], c[3][h+i]}
		}
		b := Philox4(*k, &cs)
		for i := range b {
			for j := range b[i] {
				w[j][h+i] = b[i][j]
			}
		}
	}
}

// Vector reports whether PoissonCounts64 runs vector code here; its Go
// version is slower than Philox4's, so callers with a choice take it only
// where this is true.
func Vector() bool { return vector }
