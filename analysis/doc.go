// Package analysis computes the summary statistics of one population of one
// batch member online, while a backend streams its spikes: the mean rate, the
// mean coefficient of variation of the inter-spike intervals (CV ISI), the
// Fano factor of the binned population count and the frequency of the
// largest peak of that count's periodogram.
//
// # Window
//
// A spike in step s is stamped s+1 and happened at t = (s+1)·dt. Only spikes
// with tStart < t <= steps·dt count: earlier ones are a transient and later
// ones lie outside the simulated time. A negative tStart counts as 0. Times
// are compared in steps, with a tolerance of a millionth of a step, so that
// a tStart that is a multiple of dt in decimal (100 ms at dt = 0.1 ms) cuts
// exactly where it reads: a spike at t = tStart is left out.
//
// # Statistics
//
//   - Rate: spikes in the window / (N · window length in seconds), where the
//     window length is steps·dt − tStart.
//   - CV ISI: per neuron, the intervals between consecutive spikes that both
//     lie in the window; for every neuron with at least two intervals,
//     sd/mean with the population sd (ddof 0); then the mean over those
//     neurons. The intervals are kept as integer step counts: each neuron
//     stores its first and last stamp, its interval count and the exact sum
//     of squared intervals, so the CV is computed without rounding error
//     (sd·mean·m² = √(m·Σd² − (Σd)²) in 128-bit integers) and a perfectly
//     regular train gives exactly 0. (Exact while Σd² fits in 64 bits,
//     that is for runs shorter than 2³² steps: 5 days at dt = 0.1 ms.)
//   - Fano factor: the population count in bins of binMs, bin j holding the
//     spikes with floor((t − tStart)/binMs) = j. Only whole bins are used:
//     the last bin, if the window is not a multiple of binMs, is dropped (its
//     spikes still count for the rate and the CV). The factor is the
//     variance (ddof 0) over the mean of the counts, NaN when the mean is 0.
//   - Peak: the periodogram |X_k|² of the bin counts with their mean removed
//     (no window function, no zero padding), over
//     k = 1 … nbins/2; the frequency k/(nbins·binMs) of the largest power,
//     in Hz. Powers within a relative 1e-9 of the maximum count as ties and
//     the lowest frequency wins (a regular train has equal power at all its
//     harmonics). NaN without spikes in the whole bins, without a non-DC
//     frequency (fewer than 2 bins) or when the count does not vary.
//     The transform is gonum's real FFT (dsp/fourier) when the number of
//     bins has no prime factor above 64; otherwise, since gonum's
//     mixed-radix FFT costs O(n·p) for a prime factor p (seconds for a prime
//     100,003), it is Bluestein's chirp-z algorithm on gonum's power-of-two
//     complex FFT, which gives the same X_k in O(n log n).
//
// Memory is O(n + bins) whatever the number of spikes: four integers per
// neuron and one float64 per bin. Add does a handful of integer operations
// per spike and one division per call.
package analysis
