// update_gif_cond_exp: models/gif.go's updateGifCondExp, one thread per
// neuron and batch member (grid.x over neurons, grid.y over members): RK4
// with 2^k substeps for V (k per neuron and step, gifCondLevel), exact decay
// of the conductances, the escape noise of gif.cuh. Float operations in the
// CPU's order, so that with -fmad=false both give the same numbers.
#include "gif.cuh"

// Constants after the common ones, in models/gif.go's order, and the
// per-level block (GCE_LEVEL + k*GCE_LW).
enum { GL = GIF_CONST_COMMON, EL, EEX, EIN, H_OVER_C, P11EX, P11IN, LEVEL_EX, LEVEL_IN, GCE_LEVEL };
enum { LBOUND, LHALF_SC, LSC, LSIXTH_SC, LEX_HALF, LEX_FULL, LIN_HALF, LIN_FULL, GCE_LW };
#define GCE_MAX_LEVEL 10 // models.GifRK4MaxLevel

// gif_cond_f is gifCondF: C_m·dV/dt.
__device__ __forceinline__ float gif_cond_f(float v, float ge, float gi, float i0, float gl, float el, float eex, float ein) {
    return (float)((float)(i0 - (float)(gl * (float)(v - el))) - (float)(ge * (float)(v - eex))) - (float)(gi * (float)(v - ein));
}

// gif_cond_rk4 is gifCondRK4.
__device__ __forceinline__ float gif_cond_rk4(const double* c, float v, float gex, float gin, float i0) {
    float gl = (float)c[GL], el = (float)c[EL], eex = (float)c[EEX], ein = (float)c[EIN];
    float x = (float)((float)((float)(gl + gex) + gin) * (float)c[H_OVER_C]);
    int k = 0;
    if (gex != 0) k = k > (int)c[LEVEL_EX] ? k : (int)c[LEVEL_EX];
    if (gin != 0) k = k > (int)c[LEVEL_IN] ? k : (int)c[LEVEL_IN];
    while (k < GCE_MAX_LEVEL && x > (float)c[GCE_LEVEL + k * GCE_LW + LBOUND]) k++;
    const double* b = c + GCE_LEVEL + k * GCE_LW;
    float hsc = (float)b[LHALF_SC], sc = (float)b[LSC], ssc = (float)b[LSIXTH_SC];
    float exH = (float)b[LEX_HALF], exF = (float)b[LEX_FULL], inH = (float)b[LIN_HALF], inF = (float)b[LIN_FULL];
    int nsub = 1 << k;
    for (int j = 0; j < nsub; j++) {
        float geM = (float)(gex * exH), giM = (float)(gin * inH);
        float geB = (float)(gex * exF), giB = (float)(gin * inF);
        float f1 = gif_cond_f(v, gex, gin, i0, gl, el, eex, ein);
        float f2 = gif_cond_f(v + (float)(hsc * f1), geM, giM, i0, gl, el, eex, ein);
        float f3 = gif_cond_f(v + (float)(hsc * f2), geM, giM, i0, gl, el, eex, ein);
        float f4 = gif_cond_f(v + (float)(sc * f3), geB, giB, i0, gl, el, eex, ein);
        v = v + (float)(ssc * (float)((float)((float)(f1 + (float)(2 * f2)) + (float)(2 * f3)) + f4));
        gex = geB;
        gin = giB;
    }
    return v;
}

extern "C" __global__ void update_gif_cond_exp(const PopArgs* args) {
    const PopArgs* a = args + blockIdx.z; // one launch serves every population of the model
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    const double* c = a->consts + m * a->nconst;
    int64_t step = *a->clock;
    float* gex = pop_var(a, GIF_SYN_EX, m);
    float* gin = pop_var(a, GIF_SYN_IN, m);
    int refractory = pop_var(a, GIF_REF, m)[i] != 0;

    float stc, sfa;
    gif_adapt(a, c, m, i, &stc, &sfa);
    float vi = pop_var(a, GIF_VM, m)[i];
    if (!refractory) {
        float i0 = (float)((float)(pop_var(a, GIF_ISTIM, m)[i] + (float)c[GIF_IE]) - stc);
        vi = gif_cond_rk4(c, vi, gex[i], gin[i], i0);
    }
    gex[i] = (float)(gex[i] * (float)c[P11EX]) + pop_input(a, 0, m, step)[i];
    gin[i] = (float)(gin[i] * (float)c[P11IN]) - pop_input(a, 1, m, step)[i]; // the in port holds negative weights: g_in takes |w|
    gif_finish(a, c, m, i, step, vi, stc, sfa);
}
SNN_KERNEL(update_gif_cond_exp, PopArgs)
