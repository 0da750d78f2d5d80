// Package models holds the neuron and device models of snn-gpu, each with
// NEST's name, parameter names, units, defaults and update order.
//
// A model is data plus one update function: a Neuron lists its parameters,
// its state variables and its input ports, derives per-run constants from
// its parameters on the host in float64 (NEST's propagators), and updates a
// range of neurons over one step. Engines know nothing about specific
// models; they call Update with slices of the model's own state.
//
// Conventions, the same for every model:
//   - Units are NEST's: mV, ms, pF, pA, nS, Hz. Parameter values in this
//     package are always in those units.
//   - Time is an integer step count. Update for step s advances the state
//     from s·dt to (s+1)·dt; a spike emitted during it is stamped (s+1)·dt.
//   - A spike stamped at step S with delay d is in the input ports during
//     the update of step S+d-1, i.e. it has changed the state by time
//     (S+d-1+1)·dt = t_spike + delay, as in NEST.
//   - Thresholds are tested with >=.
//   - State is float32; arithmetic in Update is float32 with explicit
//     roundings so that the CUDA kernels (built without fused multiply-add)
//     give the same numbers.
package models
