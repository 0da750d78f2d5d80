package rng

// Philox8 returns Philox(k, c) for eight counters in structure-of-arrays
// layout: c[j][i] is word j of counter i, and the result's [j][i] is word j
// of block i. The layout is the one vector registers hold, so the assembly
// version computes the eight blocks in parallel lanes.
func Philox8(k Key, c *[4][8]uint32) [4][8]uint32 {
	var w [4][8]uint32
	philox8(&k, c, &w)
	return w
}

// philox8 runs the vector version where the processor has one. A call
// through a function variable would make the arguments escape to the heap.
func philox8(k *Key, c *[4][8]uint32, w *[4][8]uint32) {
	if vector {
		philox8AVX2(k, c, w)
		return
	}
	philox8Go(k, c, w)
}

// philox8Go is two Philox4 calls (interleaved chains are faster than eight
// Philox calls).
func philox8Go(k *Key, c *[4][8]uint32, w *[4][8]uint32) {
	for h := 0; h < 8; h += 4 {
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
