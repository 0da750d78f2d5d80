// Package sweep groups the points of a parameter sweep into batches.
//
// configs expands a [sweep] into points (grid, zip or list; see package
// configs) and resolves each into a spec.Network. Points that differ only
// in values a batched backend keeps per batch member — neuron and device
// parameters (per-neuron ones and draws too), initial values, constant
// weights — share one network structure and run together as one batch on
// one device. Key says which points those are; Batches groups and cuts
// them.
//
// Structure is everything else: population sizes and models, the
// connection rules with their parameters, delays, weight distributions,
// recorders, device lists, the simulation settings (dt, t_sim, seed: the
// seed keys the connectivity) and the analysis settings. A sweep over g and
// eta of the Brunel network is therefore one batch; a sweep over seed, n
// or delay gives one batch per point.
package sweep
