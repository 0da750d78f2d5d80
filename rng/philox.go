package rng

import "math/bits"

// Philox4x32-10 constants (Salmon et al. 2011, Random123).
const (
	philoxM0 = 0xD2511F53
	philoxM1 = 0xCD9E8D57
	philoxW0 = 0x9E3779B9
	philoxW1 = 0xBB67AE85
)

// Key is the 64-bit Philox key.
type Key [2]uint32

// Counter is the 128-bit Philox counter.
type Counter [4]uint32

// Network is the point number that keys connectivity, so that every point of a
// sweep with the same seed builds the same network.
const Network = 0xFFFFFFFF

// NewKey returns the key of a sweep point (or Network) under a seed.
func NewKey(seed uint32, point uint32) Key { return Key{seed, point} }

// Philox returns the 4 words of Philox4x32-10 for counter c under key k.
func Philox(k Key, c Counter) [4]uint32 {
	c0, c1, c2, c3 := c[0], c[1], c[2], c[3]
	k0, k1 := k[0], k[1]
	for r := 0; r < 10; r++ {
		hi0, lo0 := bits.Mul32(philoxM0, c0)
		hi1, lo1 := bits.Mul32(philoxM1, c2)
		c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
		k0 += philoxW0
		k1 += philoxW1
	}
	return [4]uint32{c0, c1, c2, c3}
}

// Philox4 returns Philox(k, c[i]) for four counters at once: the four
// chains of multiplications are independent, so interleaving them lets the
// processor overlap their latencies (poisson_generator draws a block per
// four synapses and step; this is most of a Poisson-driven run).
func Philox4(k Key, c *[4]Counter) [4][4]uint32 {
	a0, a1, a2, a3 := c[0][0], c[0][1], c[0][2], c[0][3]
	b0, b1, b2, b3 := c[1][0], c[1][1], c[1][2], c[1][3]
	d0, d1, d2, d3 := c[2][0], c[2][1], c[2][2], c[2][3]
	e0, e1, e2, e3 := c[3][0], c[3][1], c[3][2], c[3][3]
	k0, k1 := k[0], k[1]
	for r := 0; r < 10; r++ {
		ha0, la0 := bits.Mul32(philoxM0, a0)
		ha1, la1 := bits.Mul32(philoxM1, a2)
		hb0, lb0 := bits.Mul32(philoxM0, b0)
		hb1, lb1 := bits.Mul32(philoxM1, b2)
		hd0, ld0 := bits.Mul32(philoxM0, d0)
		hd1, ld1 := bits.Mul32(philoxM1, d2)
		he0, le0 := bits.Mul32(philoxM0, e0)
		he1, le1 := bits.Mul32(philoxM1, e2)
		a0, a1, a2, a3 = ha1^a1^k0, la1, ha0^a3^k1, la0
		b0, b1, b2, b3 = hb1^b1^k0, lb1, hb0^b3^k1, lb0
		d0, d1, d2, d3 = hd1^d1^k0, ld1, hd0^d3^k1, ld0
		e0, e1, e2, e3 = he1^e1^k0, le1, he0^e3^k1, le0
		k0 += philoxW0
		k1 += philoxW1
	}
	return [4][4]uint32{{a0, a1, a2, a3}, {b0, b1, b2, b3}, {d0, d1, d2, d3}, {e0, e1, e2, e3}}
}
