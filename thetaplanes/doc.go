// Package thetaplanes fits the ThetaPlanes transfer function of Ca-AdEx
// (Pastorelli et al. 2025): a piecewise-planar firing-rate map over
// somatic and distal input current, one per brain state, to rates
// measured on a grid (configs/ca_adex_thetaplanes.toml). The paper's own
// formula and coefficients were not found (docs/thetaplanes.md); the map
// here is one plane, or two planes on either side of a threshold line (the
// "theta": where the distal calcium spike starts to drive bursts), with a
// floor at zero:
//
//	rate(I_s, I_d) = max(0, a_k + b_k·I_s + c_k·I_d),
//	k = 1 where cos φ·I_s + sin φ·I_d > θ, else 0.
//
// Fitting: least squares on each side of candidate lines (φ in 2° steps
// with up to 100 values of θ between neighbouring projections of the grid
// points, then 0.5° steps and every θ around the best), the silent points
// below the floor left out of a plane's fit; the line with the smallest
// squared error is kept, and the second plane only where it halves the
// RMS error of one plane.
package thetaplanes
