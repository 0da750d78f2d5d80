// Package runner runs a loaded config: it groups points into batches,
// builds each batch's network, runs it on a backend, feeds the analysis and
// the recorders, writes the outputs (resuming where an earlier run stopped)
// and reports progress. The CLI is a thin layer over it.
package runner
