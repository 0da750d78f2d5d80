#include "textflag.h"

// Philox4x32-10 on sixteen blocks: Y0..Y3 hold words 0..3 of blocks 0..7
// (lane i = block i), Y4..Y7 those of blocks 8..15; Y8/Y9 the keys, Y14/Y15
// the multipliers, Y10..Y13 scratch. Two independent chains of rounds keep
// the multipliers busy while each waits on its products (twice the blocks
// of one chain in about the same time).

// The key increments (eight lanes each), the lane numbers 0..15, then
// scalars: the multipliers, the sign bit and 4.
DATA philox<>+0(SB)/4, $0x9E3779B9
DATA philox<>+4(SB)/4, $0x9E3779B9
DATA philox<>+8(SB)/4, $0x9E3779B9
DATA philox<>+12(SB)/4, $0x9E3779B9
DATA philox<>+16(SB)/4, $0x9E3779B9
DATA philox<>+20(SB)/4, $0x9E3779B9
DATA philox<>+24(SB)/4, $0x9E3779B9
DATA philox<>+28(SB)/4, $0x9E3779B9
DATA philox<>+32(SB)/4, $0xBB67AE85
DATA philox<>+36(SB)/4, $0xBB67AE85
DATA philox<>+40(SB)/4, $0xBB67AE85
DATA philox<>+44(SB)/4, $0xBB67AE85
DATA philox<>+48(SB)/4, $0xBB67AE85
DATA philox<>+52(SB)/4, $0xBB67AE85
DATA philox<>+56(SB)/4, $0xBB67AE85
DATA philox<>+60(SB)/4, $0xBB67AE85
DATA philox<>+64(SB)/4, $0
DATA philox<>+68(SB)/4, $1
DATA philox<>+72(SB)/4, $2
DATA philox<>+76(SB)/4, $3
DATA philox<>+80(SB)/4, $4
DATA philox<>+84(SB)/4, $5
DATA philox<>+88(SB)/4, $6
DATA philox<>+92(SB)/4, $7
DATA philox<>+96(SB)/4, $8
DATA philox<>+100(SB)/4, $9
DATA philox<>+104(SB)/4, $10
DATA philox<>+108(SB)/4, $11
DATA philox<>+112(SB)/4, $12
DATA philox<>+116(SB)/4, $13
DATA philox<>+120(SB)/4, $14
DATA philox<>+124(SB)/4, $15
DATA philox<>+128(SB)/4, $0xD2511F53
DATA philox<>+132(SB)/4, $0xCD9E8D57
DATA philox<>+136(SB)/4, $0x80000000
DATA philox<>+140(SB)/4, $4
GLOBL philox<>(SB), RODATA|NOPTR, $144

// PHILOX_SETUP loads the key at (AX) and the multipliers.
#define PHILOX_SETUP \
	VPBROADCASTD 0(AX), Y8; \
	VPBROADCASTD 4(AX), Y9; \
	VPBROADCASTD philox<>+128(SB), Y14; \
	VPBROADCASTD philox<>+132(SB), Y15

// ROUND is one round on words x0..x3 of eight blocks, leaving the new words
// 0..3 in x1, x2, x3, x0 (renaming instead of moving). The high halves of
// the products come from VPMULUDQ, which multiplies the even lanes to 64
// bits, so the odd lanes are shifted down and multiplied apart and VPBLENDD
// joins the two; the low halves are VPMULLD.
#define ROUND(x0, x1, x2, x3) \
	VPSRLQ $32, x0, Y10; \
	VPSRLQ $32, x2, Y11; \
	VPMULUDQ Y14, x0, Y12; \
	VPMULUDQ Y14, Y10, Y10; \
	VPMULUDQ Y15, x2, Y13; \
	VPMULUDQ Y15, Y11, Y11; \
	VPSRLQ $32, Y12, Y12; \
	VPBLENDD $0xAA, Y10, Y12, Y12; \
	VPSRLQ $32, Y13, Y13; \
	VPBLENDD $0xAA, Y11, Y13, Y13; \
	VPXOR Y8, x1, x1; \
	VPXOR Y9, x3, x3; \
	VPXOR Y13, x1, x1; \
	VPXOR Y12, x3, x3; \
	VPMULLD Y14, x0, x0; \
	VPMULLD Y15, x2, x2

// ROUND2 is one round on both chains, then the key update.
#define ROUND2(a0, a1, a2, a3, b0, b1, b2, b3) \
	ROUND(a0, a1, a2, a3); \
	ROUND(b0, b1, b2, b3); \
	VPADDD philox<>+0(SB), Y8, Y8; \
	VPADDD philox<>+32(SB), Y9, Y9

// PHILOX_ROUNDS runs the ten rounds and leaves words 0..3 in Y2, Y3, Y0,
// Y1 and Y6, Y7, Y4, Y5.
#define PHILOX_ROUNDS \
	ROUND2(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7); \
	ROUND2(Y1, Y2, Y3, Y0, Y5, Y6, Y7, Y4); \
	ROUND2(Y2, Y3, Y0, Y1, Y6, Y7, Y4, Y5); \
	ROUND2(Y3, Y0, Y1, Y2, Y7, Y4, Y5, Y6); \
	ROUND2(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7); \
	ROUND2(Y1, Y2, Y3, Y0, Y5, Y6, Y7, Y4); \
	ROUND2(Y2, Y3, Y0, Y1, Y6, Y7, Y4, Y5); \
	ROUND2(Y3, Y0, Y1, Y2, Y7, Y4, Y5, Y6); \
	ROUND2(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7); \
	ROUND2(Y1, Y2, Y3, Y0, Y5, Y6, Y7, Y4)

// STORE_WORDS writes the words left by PHILOX_ROUNDS to r as [4][16]uint32.
#define STORE_WORDS(r) \
	VMOVDQU Y2, 0(r); \
	VMOVDQU Y6, 32(r); \
	VMOVDQU Y3, 64(r); \
	VMOVDQU Y7, 96(r); \
	VMOVDQU Y0, 128(r); \
	VMOVDQU Y4, 160(r); \
	VMOVDQU Y1, 192(r); \
	VMOVDQU Y5, 224(r)

// func philox16AVX2(k *Key, c *[4][16]uint32, w *[4][16]uint32)
TEXT ·philox16AVX2(SB), NOSPLIT, $0-24
	MOVQ k+0(FP), AX
	MOVQ c+8(FP), SI
	MOVQ w+16(FP), DI
	PHILOX_SETUP
	VMOVDQU 0(SI), Y0
	VMOVDQU 32(SI), Y4
	VMOVDQU 64(SI), Y1
	VMOVDQU 96(SI), Y5
	VMOVDQU 128(SI), Y2
	VMOVDQU 160(SI), Y6
	VMOVDQU 192(SI), Y3
	VMOVDQU 224(SI), Y7
	PHILOX_ROUNDS
	STORE_WORDS(DI)
	VZEROUPPER
	RET

// COUNT replaces the words in x by the number of thresholds Y8, Y9, Y14,
// Y15 they exceed. Y10 holds the sign bit: flipping it in words and
// thresholds turns the unsigned compare into VPCMPGTD's signed one, whose
// -1s are summed and the sum's sign dropped.
#define COUNT(x) \
	VPXOR Y10, x, x; \
	VPCMPGTD Y8, x, Y11; \
	VPCMPGTD Y9, x, Y12; \
	VPADDD Y12, Y11, Y11; \
	VPCMPGTD Y14, x, Y12; \
	VPADDD Y12, Y11, Y11; \
	VPCMPGTD Y15, x, Y12; \
	VPADDD Y12, Y11, Y11; \
	VPABSD Y11, x

// TRANSPOSE turns the counts of words 0..3 of eight blocks (x0..x3) into
// x0..x3 = blocks 0-1, 2-3, 4-5, 6-7, four counts each.
#define TRANSPOSE(x0, x1, x2, x3) \
	VPUNPCKLDQ x1, x0, Y11; \
	VPUNPCKHDQ x1, x0, Y12; \
	VPUNPCKLDQ x3, x2, Y13; \
	VPUNPCKHDQ x3, x2, x3; \
	VPUNPCKLQDQ Y13, Y11, x0; \
	VPUNPCKHQDQ Y13, Y11, x1; \
	VPUNPCKLQDQ x3, Y12, x2; \
	VPUNPCKHQDQ x3, Y12, x3; \
	VPERM2I128 $0x20, x1, x0, Y11; \
	VPERM2I128 $0x31, x1, x0, Y13; \
	VPERM2I128 $0x20, x3, x2, x1; \
	VPERM2I128 $0x31, x3, x2, x3; \
	VMOVDQA Y11, x0; \
	VMOVDQA Y13, x2

// STORE writes the counts in x as float32 to out[n:n+8] (DI) and sets
// their bits n.. in AX where they are 4 (Y10).
#define STORE(x, n) \
	VPCMPEQD Y10, x, Y11; \
	VMOVMSKPS Y11, BX; \
	SHLQ $n, BX; \
	ORQ BX, AX; \
	VCVTDQ2PS x, x; \
	VMOVUPS x, (4*n)(DI)

// func poisson64AVX2(k *Key, c *Counter, h *Thresholds4, w *[4][16]uint32, out *[64]float32) uint64
TEXT ·poisson64AVX2(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), AX
	MOVQ c+8(FP), SI
	MOVQ h+16(FP), BX
	MOVQ w+24(FP), DX
	MOVQ out+32(FP), DI
	PHILOX_SETUP
	VPBROADCASTD 0(SI), Y0
	VPADDD philox<>+96(SB), Y0, Y4
	VPADDD philox<>+64(SB), Y0, Y0
	VPBROADCASTD 4(SI), Y1
	VPBROADCASTD 8(SI), Y2
	VPBROADCASTD 12(SI), Y3
	VMOVDQA Y1, Y5
	VMOVDQA Y2, Y6
	VMOVDQA Y3, Y7
	PHILOX_ROUNDS
	STORE_WORDS(DX)

	VPBROADCASTD philox<>+136(SB), Y10
	VPBROADCASTD 0(BX), Y8
	VPBROADCASTD 4(BX), Y9
	VPBROADCASTD 8(BX), Y14
	VPBROADCASTD 12(BX), Y15
	VPXOR Y10, Y8, Y8
	VPXOR Y10, Y9, Y9
	VPXOR Y10, Y14, Y14
	VPXOR Y10, Y15, Y15
	COUNT(Y0)
	COUNT(Y1)
	COUNT(Y2)
	COUNT(Y3)
	COUNT(Y4)
	COUNT(Y5)
	COUNT(Y6)
	COUNT(Y7)
	TRANSPOSE(Y2, Y3, Y0, Y1)
	TRANSPOSE(Y6, Y7, Y4, Y5)

	VPBROADCASTD philox<>+140(SB), Y10
	XORQ AX, AX
	STORE(Y2, 0)
	STORE(Y3, 8)
	STORE(Y0, 16)
	STORE(Y1, 24)
	STORE(Y6, 32)
	STORE(Y7, 40)
	STORE(Y4, 48)
	STORE(Y5, 56)
	MOVQ AX, ret+40(FP)
	VZEROUPPER
	RET
