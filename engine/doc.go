// Package engine defines what every backend (cpu, gpu) implements and what it
// hands back: the Backend interface, the step order they share, and the Sink
// that receives spikes and samples. It knows nothing about specific models.
//
// Step order, the same on every backend (DESIGN.md):
//
//  1. every neuron is updated with the input due in this step (its model's
//     Update), and the spiking neurons are collected in ascending order;
//  2. the buffer slot just read is cleared;
//  3. projections deliver, in config order, into the delay buffers: a
//     device's projection emits what the device sends in this step, a
//     population's projection propagates the step's spikes through its CSR;
//  4. recorders get the step's spikes and, on their interval, samples.
//
// Additions into one buffer slot of one neuron therefore happen in a fixed
// order (by emission step, then projection order, then source order, then
// CSR order), whatever the thread count. Delays are at least one step, so
// nothing sent in a step is due in that same step.
package engine
