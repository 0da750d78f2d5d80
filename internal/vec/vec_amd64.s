#include "textflag.h"

// Each loop runs over the first slice's length, a multiple of eight (the Go
// side guarantees it), eight float32 lanes a step, AX the element index.
// The source operands keep the scalar Go's order (a·x, y + a·x, ...): for
// numbers the order changes nothing, and a NaN operand passes through the
// same way.

// func addMulAVX(y []float32, a float32, x []float32)
TEXT ·addMulAVX(SB), NOSPLIT, $0-56
	MOVQ         y_base+0(FP), DI
	MOVQ         y_len+8(FP), CX
	VBROADCASTSS a+24(FP), Y0
	MOVQ         x_base+32(FP), SI
	XORQ         AX, AX
	CMPQ         AX, CX
	JEQ          addMulDone

addMulLoop:
	VMULPS  (SI)(AX*4), Y0, Y1 // a·x
	VMOVUPS (DI)(AX*4), Y2
	VADDPS  Y1, Y2, Y2         // y + a·x
	VMOVUPS Y2, (DI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, CX
	JNE     addMulLoop

addMulDone:
	VZEROUPPER
	RET
