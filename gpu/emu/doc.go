// Package emu is the emulated GPU: the CUDA kernels of kernels/*.cu compiled
// for the host with g++ (through cgo, with the shims of kernels/snn.cuh
// standing in for the CUDA built-ins) and run one thread at a time behind
// the gpu.Device interface. The GPU backend's buffers, launch order,
// argument packing and flushes thus run, and are checked against the CPU
// backend, on every machine.
//
// Every kernels/NAME.cu has a twin NAME.cc here that includes it (kernels
// of one file share names such as their constant enums, so each file is
// its own translation unit); a test checks that none is missing.
package emu
