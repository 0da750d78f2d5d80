// Package compare sets two output folders side by side: whether their
// spike trains are identical, and per point and population whether each
// summary statistic differs by more than its statistical error.
package compare
