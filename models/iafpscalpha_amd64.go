package models

import "golang.org/x/sys/cpu"

// alphaAVX says whether updateIafPscAlpha runs its AVX pass
// (iafpscalpha_amd64.s), which needs only AVX's VMULPS/VADDPS/VMAXPS,
// compares and blends on YMM registers. Tests clear it to run the Go loop.
var alphaAVX = cpu.X86.HasAVX

// iafPscAlphaAVX updates the first len(v) neurons (a multiple of eight) of
// the rows, as alphaParams.update does, leaves V_reset and t_ref where V
// reached V_th, and sets bit j of mask[g] where neuron 8g+j did, for the
// caller to append the spikes.
//
//go:noescape
func iafPscAlphaAVX(k *alphaParams, mask []uint8, v, iex, iin, diex, diin, ref, cur, exIn, inIn, curIn []float32)
