#include "textflag.h"

// Philox4x32-10 on eight blocks: Y0..Y3 hold words 0..3 of the eight
// counters (lane i = block i), Y4/Y5 the keys, Y6/Y7 the multipliers,
// Y8/Y9 the key increments; Y10..Y15 are scratch.

DATA philoxConst<>+0(SB)/4, $0xD2511F53
DATA philoxConst<>+4(SB)/4, $0xCD9E8D57
DATA philoxConst<>+8(SB)/4, $0x9E3779B9
DATA philoxConst<>+12(SB)/4, $0xBB67AE85
DATA philoxConst<>+16(SB)/4, $0x80000000
DATA philoxConst<>+20(SB)/4, $4
GLOBL philoxConst<>(SB), RODATA|NOPTR, $24

DATA lanes<>+0(SB)/4, $0
DATA lanes<>+4(SB)/4, $1
DATA lanes<>+8(SB)/4, $2
DATA lanes<>+12(SB)/4, $3
DATA lanes<>+16(SB)/4, $4
DATA lanes<>+20(SB)/4, $5
DATA lanes<>+24(SB)/4, $6
DATA lanes<>+28(SB)/4, $7
GLOBL lanes<>(SB), RODATA|NOPTR, $32

// PHILOX_SETUP loads the key at (AX) and the constants.
#define PHILOX_SETUP \
	VPBROADCASTD 0(AX), Y4; \
	VPBROADCASTD 4(AX), Y5; \
	VPBROADCASTD philoxConst<>+0(SB), Y6; \
	VPBROADCASTD philoxConst<>+4(SB), Y7; \
	VPBROADCASTD philoxConst<>+8(SB), Y8; \
	VPBROADCASTD philoxConst<>+12(SB), Y9

// ROUND is one round on words x0..x3, leaving the new words 0..3 in x1,
// x2, x3, x0 (renaming instead of moving). The high halves of the products
// come from VPMULUDQ, which multiplies the even lanes to 64 bits, so the
// odd lanes are shifted down and multiplied apart and VPBLENDD joins the
// two; the low halves are VPMULLD.
#define ROUND(x0, x1, x2, x3) \
	VPSRLQ $32, x0, Y10; \
	VPSRLQ $32, x2, Y11; \
	VPMULUDQ Y6, x0, Y12; \
	VPMULUDQ Y6, Y10, Y10; \
	VPMULUDQ Y7, x2, Y13; \
	VPMULUDQ Y7, Y11, Y11; \
	VPSRLQ $32, Y12, Y12; \
	VPBLENDD $0xAA, Y10, Y12, Y12; \
	VPSRLQ $32, Y13, Y13; \
	VPBLENDD $0xAA, Y11, Y13, Y13; \
	VPXOR Y4, x1, x1; \
	VPXOR Y5, x3, x3; \
	VPXOR Y13, x1, x1; \
	VPXOR Y12, x3, x3; \
	VPMULLD Y6, x0, x0; \
	VPMULLD Y7, x2, x2; \
	VPADDD Y8, Y4, Y4; \
	VPADDD Y9, Y5, Y5

// PHILOX_ROUNDS runs the ten rounds on Y0..Y3 and leaves words 0..3 in Y2,
// Y3, Y0, Y1.
#define PHILOX_ROUNDS \
	ROUND(Y0, Y1, Y2, Y3); \
	ROUND(Y1, Y2, Y3, Y0); \
	ROUND(Y2, Y3, Y0, Y1); \
	ROUND(Y3, Y0, Y1, Y2); \
	ROUND(Y0, Y1, Y2, Y3); \
	ROUND(Y1, Y2, Y3, Y0); \
	ROUND(Y2, Y3, Y0, Y1); \
	ROUND(Y3, Y0, Y1, Y2); \
	ROUND(Y0, Y1, Y2, Y3); \
	ROUND(Y1, Y2, Y3, Y0)

// func philox8AVX2(k *Key, c *[4][8]uint32, w *[4][8]uint32)
TEXT ·philox8AVX2(SB), NOSPLIT, $0-24
	MOVQ k+0(FP), AX
	MOVQ c+8(FP), SI
	MOVQ w+16(FP), DI
	PHILOX_SETUP
	VMOVDQU 0(SI), Y0
	VMOVDQU 32(SI), Y1
	VMOVDQU 64(SI), Y2
	VMOVDQU 96(SI), Y3
	PHILOX_ROUNDS
	VMOVDQU Y2, 0(DI)
	VMOVDQU Y3, 32(DI)
	VMOVDQU Y0, 64(DI)
	VMOVDQU Y1, 96(DI)
	VZEROUPPER
	RET

// COUNT replaces the words in x by the number of thresholds Y6..Y9 they
// exceed. Y10 holds the sign bit: flipping it in words and thresholds turns
// the unsigned compare into VPCMPGTD's signed one, whose -1 is subtracted.
#define COUNT(x) \
	VPXOR Y10, x, x; \
	VPCMPGTD Y6, x, Y11; \
	VPCMPGTD Y7, x, Y12; \
	VPCMPGTD Y8, x, Y13; \
	VPCMPGTD Y9, x, x; \
	VPADDD Y12, Y11, Y11; \
	VPADDD Y13, x, x; \
	VPADDD Y11, x, x; \
	VPSUBD x, Y15, x

// STORE writes the counts in x as float32 to off(DI) and their mask of
// fours (Y10) to r.
#define STORE(x, off, r) \
	VPCMPEQD Y10, x, Y11; \
	VMOVMSKPS Y11, r; \
	VCVTDQ2PS x, x; \
	VMOVUPS x, off(DI)

// func poisson32AVX2(k *Key, c *Counter, h *Thresholds4, w *[4][8]uint32, out *[32]float32) uint32
TEXT ·poisson32AVX2(SB), NOSPLIT, $0-44
	MOVQ k+0(FP), AX
	MOVQ c+8(FP), SI
	MOVQ h+16(FP), BX
	MOVQ w+24(FP), DX
	MOVQ out+32(FP), DI
	PHILOX_SETUP
	VPBROADCASTD 0(SI), Y0
	VPADDD lanes<>(SB), Y0, Y0
	VPBROADCASTD 4(SI), Y1
	VPBROADCASTD 8(SI), Y2
	VPBROADCASTD 12(SI), Y3
	PHILOX_ROUNDS
	VMOVDQU Y2, 0(DX)
	VMOVDQU Y3, 32(DX)
	VMOVDQU Y0, 64(DX)
	VMOVDQU Y1, 96(DX)

	VPBROADCASTD philoxConst<>+16(SB), Y10
	VPBROADCASTD 0(BX), Y6
	VPBROADCASTD 4(BX), Y7
	VPBROADCASTD 8(BX), Y8
	VPBROADCASTD 12(BX), Y9
	VPXOR Y10, Y6, Y6
	VPXOR Y10, Y7, Y7
	VPXOR Y10, Y8, Y8
	VPXOR Y10, Y9, Y9
	VPXOR Y15, Y15, Y15
	COUNT(Y0)
	COUNT(Y1)
	COUNT(Y2)
	COUNT(Y3)

	// Transpose to out[4i+j] = count of word j of block i (word j in
	// Y2, Y3, Y0, Y1).
	VPUNPCKLDQ Y3, Y2, Y11
	VPUNPCKHDQ Y3, Y2, Y12
	VPUNPCKLDQ Y1, Y0, Y13
	VPUNPCKHDQ Y1, Y0, Y14
	VPUNPCKLQDQ Y13, Y11, Y0
	VPUNPCKHQDQ Y13, Y11, Y1
	VPUNPCKLQDQ Y14, Y12, Y2
	VPUNPCKHQDQ Y14, Y12, Y3
	VPERM2I128 $0x20, Y1, Y0, Y4
	VPERM2I128 $0x20, Y3, Y2, Y5
	VPERM2I128 $0x31, Y1, Y0, Y6
	VPERM2I128 $0x31, Y3, Y2, Y7

	VPBROADCASTD philoxConst<>+20(SB), Y10
	STORE(Y4, 0, AX)
	STORE(Y5, 32, BX)
	STORE(Y6, 64, CX)
	STORE(Y7, 96, DX)
	SHLL $8, BX
	SHLL $16, CX
	SHLL $24, DX
	ORL BX, AX
	ORL CX, AX
	ORL DX, AX
	MOVL AX, ret+40(FP)
	VZEROUPPER
	RET
