// Package cpu is the pure-Go backend: it runs any network on as many cores
// as make its steps fastest (all of them unless told, or chosen over the
// first steps: threads.go), goroutine-parallel over neurons and batch
// members, and gives identical results for any thread count.
//
// Neuron state lives in gorgonia.org/tensor Dense tensors of shape
// [batch, n], one per state variable; the hot loops work on their backing
// slices. Each population has one delay ring buffer per input port,
// [batch][slots][n] with slots = longest delay + 1. Updates run over chunks
// of neurons; deliveries run over (member, range of targets), each row of
// the CSR cut to the range by binary search, so that the additions into a
// neuron's buffer happen in the same order as in a serial loop.
package cpu
