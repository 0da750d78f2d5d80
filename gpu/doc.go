// Package gpu is the CUDA backend. Only files built with the `cuda` tag
// import gorgonia.org/cu (its init exits the process on machines without a
// driver), so the default build is pure Go and reports Available = false.
package gpu
