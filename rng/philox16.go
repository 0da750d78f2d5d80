package rng

// Philox16 returns Philox(k, c) for sixteen counters in structure-of-arrays
// layout: c[j][i] is word j of counter i, and the result's [j][i] is word j
// of block i. The layout is the one vector registers hold, so the assembly
// version computes the blocks in parallel lanes, two registers per word
// (two independent chains hide the multiplications' latency).
func Philox16(k Key, c *[4][16]uint32) [4][16]uint32 {
	var w [4][16]uint32
	philox16(&k, c, &w)
	return w
}

// philox16 runs the vector version where the processor has one. A call
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

// Vector reports whether Philox16 and PoissonCounts64 run vector code here;
// their Go versions are slower than Philox4, so callers with a choice
// take them only where this is true.
func Vector() bool { return vector }
