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
