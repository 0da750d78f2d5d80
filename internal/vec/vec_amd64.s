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

// func mul2SumAVX(dst []float32, a float32, x []float32, b float32, y []float32)
TEXT ·mul2SumAVX(SB), NOSPLIT, $0-88
	MOVQ         dst_base+0(FP), DI
	MOVQ         dst_len+8(FP), CX
	VBROADCASTSS a+24(FP), Y0
	MOVQ         x_base+32(FP), SI
	VBROADCASTSS b+56(FP), Y1
	MOVQ         y_base+64(FP), DX
	XORQ         AX, AX
	CMPQ         AX, CX
	JEQ          mul2SumDone

mul2SumLoop:
	VMULPS  (SI)(AX*4), Y0, Y2 // a·x
	VMULPS  (DX)(AX*4), Y1, Y3 // b·y
	VADDPS  Y3, Y2, Y2
	VMOVUPS Y2, (DI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, CX
	JNE     mul2SumLoop

mul2SumDone:
	VZEROUPPER
	RET

// func mulOfSumAVX(dst []float32, a float32, x []float32, b float32)
TEXT ·mulOfSumAVX(SB), NOSPLIT, $0-60
	MOVQ         dst_base+0(FP), DI
	MOVQ         dst_len+8(FP), CX
	VBROADCASTSS a+24(FP), Y0
	MOVQ         x_base+32(FP), SI
	VBROADCASTSS b+56(FP), Y1
	XORQ         AX, AX
	CMPQ         AX, CX
	JEQ          mulOfSumDone

mulOfSumLoop:
	VMOVUPS (SI)(AX*4), Y2
	VADDPS  Y1, Y2, Y2 // x + b
	VMULPS  Y2, Y0, Y2 // a·(x + b)
	VMOVUPS Y2, (DI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, CX
	JNE     mulOfSumLoop

mulOfSumDone:
	VZEROUPPER
	RET

// func addAVX(dst, x, y []float32)
TEXT ·addAVX(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	MOVQ y_base+48(FP), DX
	XORQ AX, AX
	CMPQ AX, CX
	JEQ  addDone

addLoop:
	VMOVUPS (SI)(AX*4), Y0
	VADDPS  (DX)(AX*4), Y0, Y0 // x + y
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, CX
	JNE     addLoop

addDone:
	VZEROUPPER
	RET

// MAXPS returns its first source where it is greater, else its second:
// max(lo, x) with x second is x unless lo > x, which is exactly the
// scalar "if x < lo { x = lo }", NaNs and signed zeros included.

// func clampBelowAVX(x []float32, lo float32)
TEXT ·clampBelowAVX(SB), NOSPLIT, $0-28
	MOVQ         x_base+0(FP), DI
	MOVQ         x_len+8(FP), CX
	VBROADCASTSS lo+24(FP), Y0
	XORQ         AX, AX
	CMPQ         AX, CX
	JEQ          clampDone

clampLoop:
	VMAXPS  (DI)(AX*4), Y0, Y1 // max(lo, x)
	VMOVUPS Y1, (DI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, CX
	JNE     clampLoop

clampDone:
	VZEROUPPER
	RET

// func copyWhereZeroAVX(dst, x, c []float32)
TEXT ·copyWhereZeroAVX(SB), NOSPLIT, $0-72
	MOVQ   dst_base+0(FP), DI
	MOVQ   dst_len+8(FP), CX
	MOVQ   x_base+24(FP), SI
	MOVQ   c_base+48(FP), DX
	VXORPS Y0, Y0, Y0
	XORQ   AX, AX
	CMPQ   AX, CX
	JEQ    copyWhereZeroDone

copyWhereZeroLoop:
	VCMPPS    $0, (DX)(AX*4), Y0, Y1 // c == 0 (EQ_OQ: false for a NaN, as in Go)
	VMOVUPS   (DI)(AX*4), Y2
	VBLENDVPS Y1, (SI)(AX*4), Y2, Y2 // x where the mask is set, else dst
	VMOVUPS   Y2, (DI)(AX*4)
	ADDQ      $8, AX
	CMPQ      AX, CX
	JNE       copyWhereZeroLoop

copyWhereZeroDone:
	VZEROUPPER
	RET

DATA one<>+0(SB)/4, $0x3f800000
GLOBL one<>(SB), RODATA|NOPTR, $4

// x - 1 where x != 0, else x - 0, which is x itself, -0 included.

// func countDownAVX(x []float32)
TEXT ·countDownAVX(SB), NOSPLIT, $0-24
	MOVQ         x_base+0(FP), DI
	MOVQ         x_len+8(FP), CX
	VXORPS       Y0, Y0, Y0
	VBROADCASTSS one<>(SB), Y3
	XORQ         AX, AX
	CMPQ         AX, CX
	JEQ          countDownDone

countDownLoop:
	VMOVUPS (DI)(AX*4), Y2
	VCMPPS  $4, Y0, Y2, Y1 // x != 0 (NEQ_UQ: true for a NaN, as in Go)
	VANDPS  Y3, Y1, Y1     // 1 where x != 0, else +0
	VSUBPS  Y1, Y2, Y2
	VMOVUPS Y2, (DI)(AX*4)
	ADDQ    $8, AX
	CMPQ    AX, CX
	JNE     countDownLoop

countDownDone:
	VZEROUPPER
	RET

// func firstAtLeastAVX(x []float32, t float32) int
TEXT ·firstAtLeastAVX(SB), NOSPLIT, $0-40
	MOVQ         x_base+0(FP), DI
	MOVQ         x_len+8(FP), CX
	VBROADCASTSS t+24(FP), Y0
	XORQ         AX, AX
	CMPQ         AX, CX
	JEQ          firstAtLeastDone

firstAtLeastLoop:
	VMOVUPS   (DI)(AX*4), Y2
	VCMPPS    $13, Y0, Y2, Y1 // x >= t (GE_OQ: false for a NaN, as in Go)
	VMOVMSKPS Y1, DX
	TESTL     DX, DX
	JNZ       firstAtLeastFound
	ADDQ      $8, AX
	CMPQ      AX, CX
	JNE       firstAtLeastLoop

firstAtLeastDone:
	VZEROUPPER
	MOVQ AX, ret+32(FP)
	RET

firstAtLeastFound:
	BSFL DX, DX // the lowest lane over
	ADDQ DX, AX
	VZEROUPPER
	MOVQ AX, ret+32(FP)
	RET
