// Package validation holds the scientific checks of snn-gpu: whole networks
// from the shipped configs, run end to end through the runner, compared
// with published results and the numbers in shared/reference (mean-field
// theory, the papers' tables and NEST's example scripts). It has no code of
// its own, only tests; each tolerance says where it comes from.
package validation
