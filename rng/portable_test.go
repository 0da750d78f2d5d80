package rng

import (
	"math"
	"testing"
)

// ulps is the distance between a and b in units of b's last place.
func ulps(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / (math.Nextafter(math.Abs(b), math.Inf(1)) - math.Abs(b))
}

// The portable logarithm agrees with the library's within 2 ulp over the
// whole range the polar method uses (and beyond), and is exact where the
// answer is.
func TestLog(t *testing.T) {
	s := NewStream(NewKey(1, 2), PurposeNoise, 0, 0, 0)
	worst := 0.0
	for i := 0; i < 200000; i++ {
		x := s.Float64()
		if i%2 == 1 {
			x = math.Ldexp(x+0.5, int(s.Intn(200))-100)
		}
		if x == 0 {
			continue
		}
		worst = math.Max(worst, ulps(Log(x), math.Log(x)))
	}
	if worst > 2 {
		t.Errorf("Log is %g ulp from math.Log at worst, want <= 2", worst)
	}
	for x, want := range map[float64]float64{1: 0, 0: math.Inf(-1), math.Inf(1): math.Inf(1)} {
		if got := Log(x); got != want {
			t.Errorf("Log(%g) = %g, want %g", x, got, want)
		}
	}
	if !math.IsNaN(Log(-1)) || !math.IsNaN(Log(math.NaN())) {
		t.Error("Log of a negative number or NaN is not NaN")
	}
}

// The portable exponential agrees with the library's within 2 ulp over
// the range the escape rates use (and the whole normal range), and is
// exact where the answer is.
func TestExp(t *testing.T) {
	s := NewStream(NewKey(5, 6), PurposeNoise, 0, 0, 0)
	worst := 0.0
	for i := 0; i < 200000; i++ {
		x := (s.Float64() - 0.5) * 60
		if i%2 == 1 {
			x = (s.Float64() - 0.5) * 1416
		}
		worst = math.Max(worst, ulps(Exp(x), math.Exp(x)))
	}
	if worst > 2 {
		t.Errorf("Exp is %g ulp from math.Exp at worst, want <= 2", worst)
	}
	for x, want := range map[float64]float64{0: 1, -800: 0, 800: math.Inf(1), math.Inf(-1): 0, math.Inf(1): math.Inf(1)} {
		if got := Exp(x); got != want {
			t.Errorf("Exp(%g) = %g, want %g", x, got, want)
		}
	}
	if !math.IsNaN(Exp(math.NaN())) {
		t.Error("Exp(NaN) is not NaN")
	}
}

// The portable power agrees with the library's within 4 ulp times
// max(1, |y·ln x|) (the error of y·Log(x), carried by Exp) over the STDP
// rules' bases (w/Wmax in [0, 1], weights up to 1e4) and exponents, and is
// exact where the answer is.
func TestPow(t *testing.T) {
	s := NewStream(NewKey(9, 10), PurposeNoise, 0, 0, 0)
	for i := 0; i < 200000; i++ {
		x, y := s.Float64(), 3*s.Float64()
		if i%2 == 1 {
			x = 1e4 * s.Float64()
		}
		got, want := Pow(x, y), math.Pow(x, y)
		if u := ulps(got, want); u > 4*math.Max(1, math.Abs(y*math.Log(x))) {
			t.Fatalf("Pow(%v, %v) = %v, %g ulp from math.Pow's %v", x, y, got, u, want)
		}
	}
	for _, c := range [][3]float64{{0, 0, 1}, {0, 0.5, 0}, {0, -1, math.Inf(1)}, {0.3, 1, 0.3}, {1, 0.4, 1},
		{-0.25, 1, -0.25}, {math.NaN(), 0, 1}, {7, 0, 1}} {
		if got := Pow(c[0], c[1]); got != c[2] {
			t.Errorf("Pow(%g, %g) = %g, want %g", c[0], c[1], got, c[2])
		}
	}
	if ulps(Pow(-2, 3), -8) > 4 || ulps(Pow(-2, 2), 4) > 4 {
		t.Errorf("integer powers of -2: %v, %v, want -8, 4", Pow(-2, 3), Pow(-2, 2))
	}
	if !math.IsNaN(Pow(-2, 0.5)) || !math.IsNaN(Pow(math.NaN(), 2)) {
		t.Error("Pow of a negative base to a fraction, or of NaN, is not NaN")
	}
}

// SinTurns(t) = sin(2πt) to a few 1e-16, for phases of many turns too.
func TestSinTurns(t *testing.T) {
	s := NewStream(NewKey(3, 4), PurposeNoise, 0, 0, 0)
	worst := 0.0
	for i := 0; i < 100000; i++ {
		turns := (s.Float64() - 0.5) * 2
		if i%2 == 1 {
			turns *= 1e4
		}
		r := turns - math.Round(turns) // the library reduces 2π·turns less exactly
		worst = math.Max(worst, math.Abs(SinTurns(turns)-math.Sin(2*math.Pi*r)))
	}
	if worst > 4e-16 {
		t.Errorf("SinTurns differs from sin(2πt) by %g at worst", worst)
	}
	for turns, want := range map[float64]float64{0: 0, 0.25: 1, 0.5: 0, 0.75: -1, -0.25: -1, 3: 0} {
		if got := SinTurns(turns); math.Abs(got-want) > 1e-16 {
			t.Errorf("SinTurns(%g) = %g, want %g", turns, got, want)
		}
	}
}

// PortableNormal is standard normal (fourth moment 3).
func TestPortableNormal(t *testing.T) {
	s := NewStream(NewKey(5, 6), PurposeNoise, 1, 2, 3)
	xs := make([]float64, 200000)
	for i := range xs {
		xs[i] = s.PortableNormal()
	}
	checkMoments(t, "PortableNormal", xs, 0, 1, 3)
}
