package analysis

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"
)

// maxDirectFactor is the largest prime factor of a length that gonum's
// mixed-radix FFT handles directly; its cost grows with the factor (a prime
// length costs O(n²)), so longer factors go through Bluestein's algorithm.
const maxDirectFactor = 64

// power returns the periodogram |X_k|², k = 0 … len(x)/2, of the real
// sequence x, where X_k = Σ_j x_j e^{−2πijk/n}.
func power(x []float64) []float64 {
	n := len(x)
	out := make([]float64, n/2+1)
	if largestPrimeFactor(n) <= maxDirectFactor {
		for k, c := range fourier.NewFFT(n).Coefficients(nil, x) {
			out[k] = real(c)*real(c) + imag(c)*imag(c)
		}
		return out
	}
	for k, c := range bluestein(x, len(out)) {
		out[k] = real(c)*real(c) + imag(c)*imag(c)
	}
	return out
}

// bluestein returns X_k for k < m by Bluestein's chirp-z identity
// jk = (j² + k² − (k−j)²)/2: X_k = c̄_k Σ_j (x_j c̄_j) c_{k−j} with
// c_j = e^{iπj²/n}, a convolution done with power-of-two FFTs, so any length
// costs O(n log n).
func bluestein(x []float64, m int) []complex128 {
	n := len(x)
	size := 1
	for size < 2*n-1 {
		size *= 2
	}
	chirp := make([]complex128, n) // c_j, the angle reduced mod 2π exactly in integers
	for j := range chirp {
		r := (int64(j) * int64(j)) % (2 * int64(n))
		chirp[j] = cmplx.Exp(complex(0, math.Pi*float64(r)/float64(n)))
	}
	a := make([]complex128, size)
	b := make([]complex128, size)
	for j, v := range x {
		a[j] = complex(v, 0) * cmplx.Conj(chirp[j])
	}
	b[0] = chirp[0]
	for j := 1; j < n; j++ {
		b[j] = chirp[j]
		b[size-j] = chirp[j] // c is even: c_{−j} = c_j
	}
	fft := fourier.NewCmplxFFT(size)
	fa := fft.Coefficients(nil, a)
	fb := fft.Coefficients(nil, b)
	for i := range fa {
		fa[i] *= fb[i]
	}
	conv := fft.Sequence(nil, fa) // unnormalized: scaled by size
	out := make([]complex128, m)
	for k := range out {
		out[k] = conv[k] * cmplx.Conj(chirp[k]) / complex(float64(size), 0)
	}
	return out
}

// largestPrimeFactor returns the largest prime factor of n (1 for n <= 1).
func largestPrimeFactor(n int) int {
	largest := 1
	for p := 2; p*p <= n; p++ {
		for n%p == 0 {
			largest, n = p, n/p
		}
	}
	if n > 1 {
		largest = n
	}
	return largest
}

// BandFraction returns the share of the variance of the sequence x (a
// population count in bins of binMs ms) that lies in the band [loHz, hiHz]:
// the periodogram of x minus its mean summed over the frequencies k/(n·bin)
// in the band, over its sum over every frequency above 0. A sequence
// without structure in time (independent Poisson firing) has the share of
// its frequencies in the band, (bins in the band)/(n/2); an oscillation in
// the band raises it. NaN when x is constant or shorter than 2.
func BandFraction(x []float64, binMs, loHz, hiHz float64) float64 {
	n := len(x)
	if n < 2 {
		return math.NaN()
	}
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(n)
	d := make([]float64, n)
	for i, v := range x {
		d[i] = v - mean
	}
	var in, all float64
	for k, p := range power(d) {
		if k == 0 {
			continue
		}
		all += p
		if f := float64(k) / (float64(n) * binMs) * 1000; f >= loHz && f <= hiHz {
			in += p
		}
	}
	if all == 0 {
		return math.NaN()
	}
	return in / all
}
