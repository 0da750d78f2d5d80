package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
)

// naivePower is the O(n²) periodogram straight from the definition.
func naivePower(x []float64) []float64 {
	n := len(x)
	out := make([]float64, n/2+1)
	for k := range out {
		var re, im float64
		for j, v := range x {
			// Reduce jk mod n before scaling, for accuracy.
			a := -2 * math.Pi * float64((j*k)%n) / float64(n)
			re += v * math.Cos(a)
			im += v * math.Sin(a)
		}
		out[k] = re*re + im*im
	}
	return out
}

// TestPower checks both paths (gonum's mixed-radix FFT for smooth lengths,
// Bluestein for lengths with a large prime factor) against the definition.
func TestPower(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	tests := []struct {
		n         int
		bluestein bool
	}{
		{1, false}, {2, false}, {3, false}, {16, false}, {1000, false}, {61, false},
		{67, true}, {134, true}, {1009, true}, {2003, true},
	}
	for _, tc := range tests {
		if got := largestPrimeFactor(tc.n) > maxDirectFactor; got != tc.bluestein {
			t.Fatalf("n %d: Bluestein %v, want %v", tc.n, got, tc.bluestein)
		}
		x := make([]float64, tc.n)
		var energy float64
		for i := range x {
			x[i] = r.NormFloat64()
			energy += x[i] * x[i]
		}
		got, want := power(x), naivePower(x)
		if len(got) != len(want) {
			t.Fatalf("n %d: %d powers, want %d", tc.n, len(got), len(want))
		}
		// Each |X_k|² is at most n·energy; rounding errors scale with it.
		tol := 1e-10 * float64(tc.n) * energy
		for k := range got {
			if math.Abs(got[k]-want[k]) > tol {
				t.Errorf("n %d, k %d: %g, want %g", tc.n, k, got[k], want[k])
				break
			}
		}
	}
}

func TestLargestPrimeFactor(t *testing.T) {
	tests := []struct{ n, want int }{
		{0, 1}, {1, 1}, {2, 2}, {12, 3}, {97, 97}, {100000, 5}, {100003, 100003}, {2 * 3 * 67, 67},
	}
	for _, tc := range tests {
		if got := largestPrimeFactor(tc.n); got != tc.want {
			t.Errorf("largestPrimeFactor(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

// TestPrimeBinCount checks that a prime number of bins (100,003) finds the
// modulation and stays fast (the mixed-radix FFT alone needed seconds).
func TestPrimeBinCount(t *testing.T) {
	const steps = 100003 // dt 1 ms, 1 ms bins
	p := NewPopulation(1, 1, steps, 0, 1)
	for k := int64(0); k < steps; k++ {
		if math.Sin(2*math.Pi*40*float64(k+1)/1000) > 0.9 { // bursts at 40 Hz
			p.Add(k, []uint32{0})
		}
	}
	s := p.Summary()
	if res := 1000.0 / steps; math.Abs(s.PeakHz-40) > res {
		t.Errorf("peak %g Hz, want 40 ± %g", s.PeakHz, res)
	}
}

// BandFraction: a sinusoid puts all its variance at its frequency; white
// noise spreads it evenly (the band's share of the frequencies); constant
// and too-short sequences have no variance to share.
func TestBandFraction(t *testing.T) {
	const n, bin = 1000, 1.0 // 1 s in 1-ms bins: frequencies every 1 Hz
	sine := make([]float64, n)
	for i := range sine {
		sine[i] = 5 + math.Sin(2*math.Pi*20*float64(i)/n)
	}
	if f := BandFraction(sine, bin, 15, 25); math.Abs(f-1) > 1e-9 {
		t.Errorf("a 20-Hz sine: share %g in 15-25 Hz, want 1", f)
	}
	if f := BandFraction(sine, bin, 30, 500); f > 1e-9 {
		t.Errorf("a 20-Hz sine: share %g in 30-500 Hz, want 0", f)
	}
	r := rand.New(rand.NewPCG(1, 2))
	var mean float64
	const trials = 50
	for range trials {
		x := make([]float64, n)
		for i := range x {
			x[i] = r.NormFloat64()
		}
		mean += BandFraction(x, bin, 8, 40) / trials
	}
	// 33 of the 500 frequencies above 0; each share has sd about 0.011.
	if want := 33.0 / 500; math.Abs(mean-want) > 0.006 {
		t.Errorf("white noise: mean share %.4f in 8-40 Hz, want %.4f", mean, want)
	}
	if f := BandFraction([]float64{3, 3, 3}, bin, 0, 500); !math.IsNaN(f) {
		t.Errorf("a constant: %g, want NaN", f)
	}
	if f := BandFraction([]float64{1}, bin, 0, 500); !math.IsNaN(f) {
		t.Errorf("one bin: %g, want NaN", f)
	}
}
