// Package rng provides the counter-based random numbers of snn-gpu: Philox4x32-10
// (Salmon et al. 2011) and the distributions drawn from it.
//
// Every random number is a pure function of a key and a counter, so the CPU
// backend, the GPU kernels and any thread count or batch layout draw the same
// numbers. The layout is fixed (DESIGN.md, "Numerical contract"):
//
//	key     = (seed, point)            point = index of the sweep point; Network for connectivity
//	counter = (index, step, block, purpose<<24 | object)
//
// index is a neuron, synapse or row number, step the simulation step (or a
// sub-stream number for construction), block counts the 4-word blocks a
// stream has consumed, purpose says what the numbers are for (one of the
// Purpose constants) and object which population, device or projection uses
// them. Connectivity uses the point Network, so all points of a batch share
// one network and only a change of seed gives a new one.
package rng
