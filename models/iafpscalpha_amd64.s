#include "textflag.h"

// iafPscAlphaAVX is updateIafPscAlpha's step for a block, eight neurons at
// a time: the scalar Go's operations in its order, each multiply and add
// rounded on its own (VMULPS, VADDPS; no FMA), and each operation's sources
// in the order the compiled scalar Go has them (a·x, y + a·x, max(lo, x)):
// for numbers the order changes nothing, and a single NaN operand passes
// through the same way. (It is the order of the row primitives this
// replaced, whose tests checked NaN payloads against the scalar Go.)
//
// Two loops over the block, the membrane then the currents, rather than
// one: the rows are often a multiple of 4 KiB apart (the allocator rounds
// them to pages), so that the same element of every row falls in the same
// set of the 8-way L1, and one loop over all ten rows evicted its own
// lines (a fifth slower). The membrane loop touches seven rows, the
// currents loop eight. Each loop reads an element's inputs before it stores
// anything: a load after a store to the same offset in another row waits on
// it (4K aliasing; that ordering alone saved a third).
//
// k holds the constants in alphaParams order, each broadcast to eight lanes
// here, once a call. A factor must be VMULPS's first source, a register, to
// keep the a·x order; I_e, the one constant the membrane loop has no
// register for, is a memory operand (a second source) on the stack.
// Registers: DI v, SI iex, DX iin, R8 diex, R9 diin, R10 ref, R11 cur, R12
// exIn, R13 inIn, BX curIn, R14 k, R15 the mask byte, AX
// the element index, CX the threshold mask.

#define K_P30 0
#define K_P31EX 4
#define K_P32EX 8
#define K_P31IN 12
#define K_P32IN 16
#define K_EM1 20
#define K_P21EX 24
#define K_P11EX 28
#define K_PSCEX 32
#define K_P21IN 36
#define K_P11IN 40
#define K_PSCIN 44
#define K_IE 48
#define K_VMIN 52
#define K_VTH 56
#define K_VRESET 60
#define K_REFSTEPS 64
#define K_ONE 68
#define K_ZERO 72

// func iafPscAlphaAVX(k *alphaParams, mask []uint8, v, iex, iin, diex, diin, ref, cur, exIn, inIn, curIn []float32)
TEXT ·iafPscAlphaAVX(SB), NOSPLIT, $32-272
	MOVQ k+0(FP), R14
	MOVQ mask_base+8(FP), R15
	MOVQ v_base+32(FP), DI
	MOVQ iex_base+56(FP), SI
	MOVQ iin_base+80(FP), DX
	MOVQ diex_base+104(FP), R8
	MOVQ diin_base+128(FP), R9
	MOVQ ref_base+152(FP), R10
	MOVQ cur_base+176(FP), R11
	MOVQ exIn_base+200(FP), R12
	MOVQ inIn_base+224(FP), R13
	MOVQ curIn_base+248(FP), BX
	CMPQ v_len+40(FP), $0
	JEQ  done

	VBROADCASTSS K_IE(R14), Y12
	VMOVUPS      Y12, ie-32(SP) // the loop's one constant without a register
	VBROADCASTSS K_P30(R14), Y0
	VBROADCASTSS K_P31EX(R14), Y1
	VBROADCASTSS K_P32EX(R14), Y2
	VBROADCASTSS K_P31IN(R14), Y3
	VBROADCASTSS K_P32IN(R14), Y4
	VBROADCASTSS K_EM1(R14), Y5
	VBROADCASTSS K_VMIN(R14), Y6
	VBROADCASTSS K_ZERO(R14), Y7
	VBROADCASTSS K_ONE(R14), Y8
	VBROADCASTSS K_VTH(R14), Y9
	VBROADCASTSS K_VRESET(R14), Y10
	VBROADCASTSS K_REFSTEPS(R14), Y11
	XORQ    AX, AX

membrane:
	// From this step's old currents: x = p30·(cur + I_e), x += p31ex·diex,
	// p32ex·iex, p31in·diin, p32in·iin, expm1·v; x + v.
	VMOVUPS (R11)(AX*4), Y12
	VADDPS  ie-32(SP), Y12, Y12 // cur + ie
	VMULPS  Y12, Y0, Y12        // p30·(cur + ie)
	VMULPS  (R8)(AX*4), Y1, Y13 // p31ex·diex
	VADDPS  Y13, Y12, Y12
	VMULPS  (SI)(AX*4), Y2, Y13 // p32ex·iex
	VADDPS  Y13, Y12, Y12
	VMULPS  (R9)(AX*4), Y3, Y13 // p31in·diin
	VADDPS  Y13, Y12, Y12
	VMULPS  (DX)(AX*4), Y4, Y13 // p32in·iin
	VADDPS  Y13, Y12, Y12
	VMOVUPS (DI)(AX*4), Y14     // v
	VMULPS  Y14, Y5, Y13        // expm1·v
	VADDPS  Y13, Y12, Y12
	VADDPS  Y14, Y12, Y12       // x + v

	// MAXPS returns its second source unless the first is greater:
	// max(vmin, x) is the scalar "if x < vmin { x = vmin }", NaNs included.
	VMAXPS Y12, Y6, Y12

	// v takes the new value where ref == 0 (EQ_OQ: false for a NaN, as in
	// Go); elsewhere ref counts down: ref - 1 where ref != 0 (NEQ_UQ, the
	// exact negation: true for a NaN), else ref - 0.
	VMOVUPS   (R10)(AX*4), Y15  // ref
	VCMPPS    $0, Y7, Y15, Y13  // ref == 0
	VBLENDVPS Y13, Y12, Y14, Y14 // v = x where ref == 0
	VANDNPS   Y8, Y13, Y13      // 1 where ref != 0, else +0
	VSUBPS    Y13, Y15, Y15

	// v >= vth (GE_OQ: false for a NaN, as in Go), on the new v, refractory
	// or not: V_reset and t_ref there, and the lanes' bits for the caller,
	// which appends the spikes.
	VCMPPS    $13, Y9, Y14, Y13
	VMOVMSKPS Y13, CX
	VBLENDVPS Y13, Y10, Y14, Y14
	VBLENDVPS Y13, Y11, Y15, Y15
	VMOVUPS   Y14, (DI)(AX*4)
	VMOVUPS   Y15, (R10)(AX*4)
	MOVB      CX, (R15)

	INCQ R15
	ADDQ $8, AX
	CMPQ AX, v_len+40(FP)
	JNE  membrane

	VBROADCASTSS K_P21EX(R14), Y0
	VBROADCASTSS K_P11EX(R14), Y1
	VBROADCASTSS K_PSCEX(R14), Y2
	VBROADCASTSS K_P21IN(R14), Y3
	VBROADCASTSS K_P11IN(R14), Y4
	VBROADCASTSS K_PSCIN(R14), Y5
	XORQ    AX, AX

currents:
	// Each from the old values: iex = p21ex·diex + p11ex·iex, diex =
	// p11ex·diex + pscEx·exIn, the same for in; then cur = this step's
	// input current.
	VMOVUPS (R8)(AX*4), Y6
	VMULPS  Y6, Y0, Y7           // p21ex·diex
	VMULPS  (SI)(AX*4), Y1, Y8   // p11ex·iex
	VADDPS  Y8, Y7, Y7
	VMULPS  Y6, Y1, Y6           // p11ex·diex
	VMULPS  (R12)(AX*4), Y2, Y8  // pscEx·exIn
	VADDPS  Y8, Y6, Y6
	VMOVUPS (R9)(AX*4), Y9
	VMULPS  Y9, Y3, Y10          // p21in·diin
	VMULPS  (DX)(AX*4), Y4, Y8   // p11in·iin
	VADDPS  Y8, Y10, Y10
	VMULPS  Y9, Y4, Y9           // p11in·diin
	VMULPS  (R13)(AX*4), Y5, Y8  // pscIn·inIn
	VADDPS  Y8, Y9, Y9
	VMOVUPS (BX)(AX*4), Y11
	VMOVUPS Y7, (SI)(AX*4)
	VMOVUPS Y6, (R8)(AX*4)
	VMOVUPS Y10, (DX)(AX*4)
	VMOVUPS Y9, (R9)(AX*4)
	VMOVUPS Y11, (R11)(AX*4)

	ADDQ $8, AX
	CMPQ AX, v_len+40(FP)
	JNE  currents

done:
	VZEROUPPER
	RET
