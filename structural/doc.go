// Package structural is NEST's structural plasticity: the calcium trace of
// every neuron of the populations that take part, their synaptic elements
// and growth curves, and the update cycle that deletes and creates the
// synapses of the plastic projections every update interval.
//
// It runs on the host between steps for any backend: the backend hands it
// each step's spikes (Spikes) and, at every update time (Due), lets it
// rewire one member (Update), which rewrites that member's CSR of the
// plastic projections (network.Projection.PerMember).
package structural
