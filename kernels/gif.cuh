// gif.cuh: what update_gif_psc_exp and update_gif_cond_exp share, mirroring
// models/gif.go operation for operation: the layout of their constants and
// state, the stc/sfa components (decay, sums, jumps) and the escape-noise
// test with the portable logarithm.
#ifndef GIF_CUH
#define GIF_CUH

#include "snn.cuh"

#define GIF_MAX 4 // models.GifMaxComponents

// Common constants, in models/gif.go's order.
enum {
    GIF_NSTC, GIF_NSFA,
    GIF_PSTC, GIF_QSTC = GIF_PSTC + GIF_MAX, GIF_PSFA = GIF_QSTC + GIF_MAX, GIF_QSFA = GIF_PSFA + GIF_MAX,
    GIF_VTSTAR = GIF_QSFA + GIF_MAX, GIF_VRESET, GIF_IE, GIF_REF_STEPS, GIF_DELTA_V, GIF_LOG_LAM_H,
    GIF_CONST_COMMON
};

// State variables, in models/gif.go's order.
enum { GIF_VM, GIF_SYN_EX, GIF_SYN_IN, GIF_ISTC, GIF_ESFA, GIF_REF, GIF_ISTIM, GIF_STC, GIF_SFA = GIF_STC + GIF_MAX };

// gif_adapt is gifAdapt: the stc sum and E_sfa from the start-of-step
// components, in component order, then their decay.
__device__ __forceinline__ void gif_adapt(const PopArgs* a, const double* c, int64_t m, int64_t i, float* stc, float* sfa) {
    int nstc = (int)c[GIF_NSTC], nsfa = (int)c[GIF_NSFA];
    float s = 0.0f;
    for (int k = 0; k < nstc; k++) {
        float* x = pop_var(a, GIF_STC + k, m) + i;
        float xv = *x;
        s = s + xv;
        *x = xv * (float)c[GIF_PSTC + k];
    }
    float t = (float)c[GIF_VTSTAR];
    for (int k = 0; k < nsfa; k++) {
        float* x = pop_var(a, GIF_SFA + k, m) + i;
        float xv = *x;
        t = t + xv;
        *x = xv * (float)c[GIF_PSFA + k];
    }
    *stc = s;
    *sfa = t;
}

// gif_jump is gifJump: the jumps of a neuron that fired.
__device__ __forceinline__ void gif_jump(const PopArgs* a, const double* c, int64_t m, int64_t i) {
    int nstc = (int)c[GIF_NSTC], nsfa = (int)c[GIF_NSFA];
    for (int k = 0; k < nstc; k++) {
        float* x = pop_var(a, GIF_STC + k, m) + i;
        *x = *x + (float)c[GIF_QSTC + k];
    }
    for (int k = 0; k < nsfa; k++) {
        float* x = pop_var(a, GIF_SFA + k, m) + i;
        *x = *x + (float)c[GIF_QSFA + k];
    }
}

// gif_fire is gifFire: log(-log(1 - u)) - log(lambda_0·h) < (V - E_sfa)/Delta_V
// with u the first stream_float64 of (neuron, step), purpose 5, decided
// without logarithms when u >= 2^(ceil(y·log2 e)+2) >= 4·lambda·h.
__device__ __forceinline__ int gif_fire(const PopArgs* a, const double* c, int64_t m, int64_t i, int64_t step, float v, float sfa) {
    Stream s = stream_new((uint32_t)a->seed, (uint32_t)a->points[m], SNN_PURPOSE_NEURON, (uint32_t)a->object,
                          (uint32_t)i, (uint32_t)step);
    double x = ((double)v - (double)sfa) / c[GIF_DELTA_V];
    double r = stream_float64(&s);
    double y = x + c[GIF_LOG_LAM_H];
    if (r > 0 && y < 0 && (y < -1000 || r >= ldexp(1.0, (int)ceil(y * 1.4426950408889634) + 2))) return 0;
    double e = -snn_log(1 - r);
    return snn_log(e) - c[GIF_LOG_LAM_H] < x;
}

// gif_finish is gifFinish: the hazard test (or the refractory count and
// V_reset), then V, the recordables and the next step's current stored,
// and the step's ring slot cleared for step + slots.
__device__ __forceinline__ void gif_finish(const PopArgs* a, const double* c, int64_t m, int64_t i, int64_t step, float vi,
                                           float stc, float sfa) {
    float* ref = pop_var(a, GIF_REF, m);
    if (ref[i] == 0) {
        if (gif_fire(a, c, m, i, step, vi, sfa)) {
            gif_jump(a, c, m, i);
            ref[i] = (float)c[GIF_REF_STEPS];
            emit_spike(a, m, i, step);
        }
    } else {
        ref[i] -= 1;
        vi = (float)c[GIF_VRESET];
    }
    float* inCur = pop_input(a, 2, m, step);
    pop_var(a, GIF_VM, m)[i] = vi;
    pop_var(a, GIF_ISTC, m)[i] = stc;
    pop_var(a, GIF_ESFA, m)[i] = sfa;
    pop_var(a, GIF_ISTIM, m)[i] = inCur[i];
    pop_input(a, 0, m, step)[i] = 0;
    pop_input(a, 1, m, step)[i] = 0;
    inCur[i] = 0;
}

#endif
