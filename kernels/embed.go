package kernels

import "embed"

// PTX holds ptx/NAME.ptx, built from NAME.cu by `make ptx` (nvcc 11.8,
// -arch=compute_70 so that the driver compiles it for Volta through Hopper,
// -fmad=false -prec-div=true -prec-sqrt=true -ftz=false for CPU parity).
// CI rebuilds them and fails when they differ from the committed files.
//
//go:embed ptx/*.ptx
var PTX embed.FS
