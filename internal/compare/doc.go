// Package compare sets two output folders side by side: whether their
// spike trains are identical, and per point and population whether each
// summary statistic differs by more than its statistical error.
//
// Compare reads summary.parquet, run.json (the analysis window, the
// recorders) and, when present, spikes.parquet of each folder (through
// package output's readers; a statistic that is NaN or NULL has no value),
// refuses folders whose sweeps, points or populations differ, and tests
// z = (B − A)/√(errA² + errB²) of rate_hz, cv_isi, fano and peak_hz against
// the two-sided normal quantile of Alpha/m, m the number of statistics
// tested (Bonferroni). Each run's errors come from its own data:
//
//   - rate_hz and cv_isi are means over neurons. From the recorded spikes
//     of a recorder that covers the analysis window, the variance of such
//     a mean over the population's m neurons is the spread of the neurons'
//     values over m (lasting differences between neurons and each one's
//     noise) plus the covariance the neurons share (common fluctuations,
//     which no number of neurons averages away), estimated by the
//     jackknife over 8 segments of the window (meanVariance). Without
//     spikes the rate's error is the Poisson error of the count, times the
//     population count's Fano factor where that exceeds 1.
//   - fano needs every neuron's spikes: the crossed jackknife over 16
//     groups of neurons and over the 8 segments, the sum of the two
//     jackknife variances, conservative for crossed random effects (Owen
//     2007).
//   - peak_hz, with every neuron's spikes: the spread of the segments'
//     peak frequencies (a periodogram ordinate does not average over a
//     longer window), at least the window's frequency step.
//   - peak_power is shown, not tested: a periodogram ordinate has a
//     relative error of 100 %.
//
// docs/rerun_compare.md gives the reasons, the example output and the
// calibration of these errors against the spread between seeds.
package compare
