package rng

import "math"

// Stream is a sequence of random words from consecutive Philox blocks: the
// block word of the counter counts up from 0. It is a small value type;
// create one per (purpose, object, index, step) and draw from it in a fixed
// order so that every backend gets the same numbers.
type Stream struct {
	key Key
	ctr Counter
	buf [4]uint32
	pos int // next word in buf; 4 means buf must be refilled
}

// NewStream starts the stream for (purpose, object, index, step) under key.
func NewStream(key Key, p Purpose, object uint32, index uint32, step uint32) Stream {
	return Stream{key: key, ctr: Counter{index, step, 0, Word3(p, object)}, pos: 4}
}

// Uint32 returns the next random word.
func (s *Stream) Uint32() uint32 {
	if s.pos == 4 {
		s.buf = Philox(s.key, s.ctr)
		s.ctr[2]++
		s.pos = 0
	}
	w := s.buf[s.pos]
	s.pos++
	return w
}

// Float64 returns a uniform number in [0, 1) with 53 random bits (two words).
func (s *Stream) Float64() float64 {
	hi := uint64(s.Uint32()) >> 5 // 27 bits
	lo := uint64(s.Uint32()) >> 6 // 26 bits
	return float64(hi<<26|lo) * (1.0 / (1 << 53))
}

// OpenFloat64 returns a uniform number in (0, 1), for logarithms.
func (s *Stream) OpenFloat64() float64 {
	for {
		if u := s.Float64(); u > 0 {
			return u
		}
	}
}

// Intn returns a uniform integer in [0, n) without bias (Lemire's
// multiply-and-reject on 32-bit words). n must be in [1, 2^32).
func (s *Stream) Intn(n uint32) uint32 {
	m := uint64(s.Uint32()) * uint64(n)
	if uint32(m) < n {
		thresh := -n % n // 2^32 mod n
		for uint32(m) < thresh {
			m = uint64(s.Uint32()) * uint64(n)
		}
	}
	return uint32(m >> 32)
}

// Normal returns a standard normal number (Marsaglia's polar method, both
// values of a pair are not kept so that every draw uses a fresh pair and the
// stream stays a pure function of the draw count).
func (s *Stream) Normal() float64 {
	for {
		u := 2*s.Float64() - 1
		v := 2*s.Float64() - 1
		q := u*u + v*v
		if q > 0 && q < 1 {
			return u * math.Sqrt(-2*math.Log(q)/q)
		}
	}
}

// Exponential returns an exponential number of mean 1.
func (s *Stream) Exponential() float64 { return -math.Log(s.OpenFloat64()) }
