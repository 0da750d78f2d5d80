// Package network turns resolved points (package spec) into what a backend
// runs: populations with per-member constants and initial state, devices,
// and projections stored as CSR by source with delays in steps.
//
// The points of one batch share one structure (package sweep decides), so
// they share one CSR: what differs between members is per-member data
// (neuron and device parameters, and a constant weight per projection).
// Connectivity is drawn from the seed alone (rng.Network), target by target
// on counter-based streams, so that the same network comes out for any
// thread count and on any backend.
//
// CSR rows are sorted by target (multapses in draw order). A backend can
// therefore split a row between workers by target range and still add into
// each neuron's buffer in the same order as a serial loop.
package network
