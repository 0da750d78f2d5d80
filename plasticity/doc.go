// Package plasticity holds the spike-timing-dependent synapse rules of NEST
// (stdp_synapse, stdp_synapse_hom, stdp_pl_synapse_hom) in their
// event-driven form, and the postsynaptic spike archive they read (NEST's
// archiving node). The engines own the storage: a weight per synapse and
// batch member, the presynaptic trace per source neuron and member (every
// synapse of a source sees the same presynaptic spikes, so NEST's
// per-synapse Kplus and t_lastspike are equal across them), and an archive
// per target neuron that a plastic synapse reaches.
//
// Delays are dendritic, as in NEST: a presynaptic spike at t_pre reaches the
// synapse at t_pre, a postsynaptic spike at t_post reaches it at t_post + d.
// Times are in ms; on-grid, so NEST's stdp_eps comparisons are exact ones.
//
// Exponentials and powers are rng's portable Exp and Pow (within a few ulp
// of the library's), every product rounded on its own: the GPU kernels
// (kernels/stdp.cu) evaluate the same operations in the same order, so
// the weights have the same bits on both backends.
package plasticity
