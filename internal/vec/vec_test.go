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

// The primitives against their scalar definitions, element by element.
// alias says which input the destination is (0 none, 1 x, 2 y).
var primitives = []struct {
	name  string
	alias int
	run   func(dst, x, y []float32, a, b float32)
	want  func(d, x, y, a, b float32) float32
}{
	{"AddMul", 0, func(d, x, _ []float32, a, _ float32) { AddMul(d, a, x) },
		func(d, x, _, a, _ float32) float32 { return d + float32(a*x) }},
	{"Mul2Sum", 0, func(d, x, y []float32, a, b float32) { Mul2Sum(d, a, x, b, y) },
		func(_, x, y, a, b float32) float32 { return float32(a*x) + float32(b*y) }},
	{"Mul2Sum dst=x", 1, func(d, _, y []float32, a, b float32) { Mul2Sum(d, a, d, b, y) },
		func(_, x, y, a, b float32) float32 { return float32(a*x) + float32(b*y) }},
	{"Mul2Sum dst=y", 2, func(d, x, _ []float32, a, b float32) { Mul2Sum(d, a, x, b, d) },
		func(_, x, y, a, b float32) float32 { return float32(a*x) + float32(b*y) }},
	{"MulOfSum", 0, func(d, x, _ []float32, a, b float32) { MulOfSum(d, a, x, b) },
		func(_, x, _, a, b float32) float32 { return a * float32(x+b) }},
	{"MulOfSum dst=x", 1, func(d, _, _ []float32, a, b float32) { MulOfSum(d, a, d, b) },
		func(_, x, _, a, b float32) float32 { return a * float32(x+b) }},
	{"Add", 0, func(d, x, y []float32, _, _ float32) { Add(d, x, y) },
		func(_, x, y, _, _ float32) float32 { return x + y }},
	{"Add dst=x", 1, func(d, _, y []float32, _, _ float32) { Add(d, d, y) },
		func(_, x, y, _, _ float32) float32 { return x + y }},
	{"Add dst=y", 2, func(d, x, _ []float32, _, _ float32) { Add(d, x, d) },
		func(_, x, y, _, _ float32) float32 { return x + y }},
	{"ClampBelow", 0, func(d, _, _ []float32, a, _ float32) { ClampBelow(d, a) },
		func(d, _, _, a, _ float32) float32 {
			if d < a {
				return a
			}
			return d
		}},
	{"CopyWhereZero", 0, func(d, x, y []float32, _, _ float32) { CopyWhereZero(d, x, y) },
		func(d, x, y, _, _ float32) float32 {
			if y == 0 {
				return x
			}
			return d
		}},
	{"CountDown", 0, func(d, _, _ []float32, _, _ float32) { CountDown(d) },
		func(d, _, _, _, _ float32) float32 {
			if d != 0 {
				d--
			}
			return d
		}},
}

// Every primitive equals its definition bit for bit, signed zeros
// included, for lengths 0 to 70 (the vector loop, the tail
// and both) at every alignment, and touches nothing past the end. A NaN
// must give a NaN, but of any payload: which operand's payload an operation
// on two NaNs keeps depends on the operand order the Go compiler picks (the
// same expression compiles both ways), and the GPU's NaNs are canonical.
func TestPrimitives(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for _, p := range primitives {
			for n := 0; n <= 70; n++ {
				for off := 0; off < 8; off++ {
					for rep := 0; rep < 3; rep++ {
						checkPrimitive(t, r, p.name, p.alias, p.run, p.want, n, off)
					}
				}
			}
		}
	})
}

func checkPrimitive(t *testing.T, r *rand.Rand, name string, alias int, run func(d, x, y []float32, a, b float32),
	want func(d, x, y, a, b float32) float32, n, off int) {
	t.Helper()
	buf := func() []float32 {
		s := make([]float32, off+n+8)
		for i := range s {
			s[i] = draw(r)
		}
		return s
	}
	db, xb, yb := buf(), buf(), buf()
	d0, x0, y0 := append([]float32(nil), db...), append([]float32(nil), xb...), append([]float32(nil), yb...)
	a, b := draw(r), draw(r)
	d, x, y := db[off:off+n], xb[off:off+n], yb[off:off+n]
	switch alias {
	case 1:
		copy(d0, x0)
		copy(db, xb)
	case 2:
		copy(d0, y0)
		copy(db, yb)
	}
	run(d, x, y, a, b)
	for i := range db {
		w := d0[i]
		if i >= off && i < off+n {
			w = want(d0[i], x0[i], y0[i], a, b)
		}
		if math.Float32bits(db[i]) != math.Float32bits(w) && !(db[i] != db[i] && w != w) {
			t.Fatalf("%s n %d offset %d: element %d = %#08x (%g), want %#08x (%g); a %g b %g, dst %g x %g y %g",
				name, n, off, i-off, math.Float32bits(db[i]), db[i], math.Float32bits(w), w, a, b, d0[i], x0[i], y0[i])
		}
	}
}

// FirstAtLeast finds the first element at or over the threshold, or none,
// both where most elements are over it and where at most one is (the
// others below it or NaN), at every length and alignment.
func TestFirstAtLeast(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		for n := 0; n <= 70; n++ {
			for off := 0; off < 8; off++ {
				for _, sparse := range []bool{false, true} {
					buf := make([]float32, off+n+8)
					th := draw(r)
					for i := range buf {
						buf[i] = draw(r)
						if sparse && buf[i] >= th {
							buf[i] = float32(math.Inf(-1))
						}
					}
					x := buf[off : off+n]
					if sparse && n > 0 && r.IntN(4) > 0 {
						x[r.IntN(n)] = th
					}
					want := n
					for i, xi := range x {
						if xi >= th {
							want = i
							break
						}
					}
					if got := FirstAtLeast(x, th); got != want {
						t.Fatalf("n %d offset %d threshold %g: %d, want %d (%v)", n, off, th, got, want, x)
					}
				}
			}
		}
	})
}
