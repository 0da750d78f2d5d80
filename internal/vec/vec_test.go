package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// forEachPath runs f with the Go loops and, where this machine has AVX, the
// vector ones.
func forEachPath(t *testing.T, f func(t *testing.T)) {
	saved := vector
	defer func() { vector = saved }()
	for _, v := range []bool{false, true} {
		if v && !saved {
			continue
		}
		vector = v
		t.Run(map[bool]string{false: "go", true: "vector"}[v], f)
	}
}

// draw returns a float32 that is, one time in four each, a special value
// (NaNs of both signs and several payloads, ±Inf, ±0, subnormals, the
// extremes), any bit pattern, or an ordinary number of random magnitude.
func draw(r *rand.Rand) float32 {
	specials := []uint32{0x7fc00000, 0xffc00000, 0x7fc12345, 0xffa00001, 0x7f800001, // NaNs (quiet, signalling)
		0x7f800000, 0xff800000, 0, 0x80000000, // ±Inf, ±0
		1, 0x80000001, 0x007fffff, 0x807fffff, 0x00400000, // subnormals
		0x00800000, 0x7f7fffff, 0xff7fffff} // smallest normal, ±largest
	switch r.IntN(4) {
	case 0:
		return math.Float32frombits(specials[r.IntN(len(specials))])
	case 1:
		return math.Float32frombits(r.Uint32())
	case 2:
		x := math.Float32frombits(r.Uint32() & 0x807fffff) // random mantissa, exponent 0: a subnormal
		if r.IntN(2) == 0 {
			return x
		}
		return x * 0x1p20 // small normals whose products are subnormal
	}
	return float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(13)-6)))
}

// AddMul equals y + a·x (each rounded on its own) bit for bit, signed zeros
// included, for lengths 0 to 70 (the vector loop, the tail and both) at
// every alignment, and touches nothing past the end. A NaN must give a NaN,
// but of any payload: which operand's payload an operation on two NaNs keeps
// depends on the operand order the Go compiler picks (the same expression
// compiles both ways), and the GPU's NaNs are canonical.
func TestAddMul(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for n := 0; n <= 70; n++ {
			for off := 0; off < 8; off++ {
				for rep := 0; rep < 3; rep++ {
					checkAddMul(t, r, n, off)
				}
			}
		}
	})
}

func checkAddMul(t *testing.T, r *rand.Rand, n, off int) {
	t.Helper()
	buf := func() []float32 {
		s := make([]float32, off+n+8)
		for i := range s {
			s[i] = draw(r)
		}
		return s
	}
	yb, xb := buf(), buf()
	y0 := append([]float32(nil), yb...)
	a := draw(r)
	AddMul(yb[off:off+n], a, xb[off:off+n])
	for i := range yb {
		w := y0[i]
		if i >= off && i < off+n {
			w = y0[i] + float32(a*xb[i])
		}
		if math.Float32bits(yb[i]) != math.Float32bits(w) && !(yb[i] != yb[i] && w != w) {
			t.Fatalf("n %d offset %d: element %d = %#08x (%g), want %#08x (%g); a %g, y %g x %g",
				n, off, i-off, math.Float32bits(yb[i]), yb[i], math.Float32bits(w), w, a, y0[i], xb[i])
		}
	}
}
