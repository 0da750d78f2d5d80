// update_gif_psc_exp: models/gif.go's updateGifPscExp, one thread per
// neuron and batch member (grid.x over neurons, grid.y over members). The
// float operations and their order are the CPU's, so that with -fmad=false
// both give the same numbers; the escape noise draws the same Philox words
// and decides with the same portable logarithm (gif.cuh).
#include "gif.cuh"

// Constants after the common ones, in models/gif.go's order.
enum { P33 = GIF_CONST_COMMON, P30, P31EL, P21EX, P21IN, P11EX, P11IN };

extern "C" __global__ void update_gif_psc_exp(const PopArgs* args) {
    const PopArgs* a = args + blockIdx.z; // one launch serves every population of the model
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    const double* c = a->consts + m * a->nconst;
    int64_t step = *a->clock;
    float* iex = pop_var(a, GIF_SYN_EX, m);
    float* iin = pop_var(a, GIF_SYN_IN, m);

    float stc, sfa;
    gif_adapt(a, c, m, i, &stc, &sfa);
    iex[i] = (float)(iex[i] * (float)c[P11EX]) + pop_input(a, 0, m, step)[i];
    iin[i] = (float)(iin[i] * (float)c[P11IN]) + pop_input(a, 1, m, step)[i];
    float vi = pop_var(a, GIF_VM, m)[i];
    if (pop_var(a, GIF_REF, m)[i] == 0) {
        float p33 = (float)c[P33], p30 = (float)c[P30], p31el = (float)c[P31EL];
        float p21ex = (float)c[P21EX], p21in = (float)c[P21IN];
        float i0 = (float)(pop_var(a, GIF_ISTIM, m)[i] + (float)c[GIF_IE]);
        vi = (float)((float)((float)((float)(p30 * (float)(i0 - stc)) + (float)(p33 * vi)) + p31el) +
                     (float)(iex[i] * p21ex)) + (float)(iin[i] * p21in);
    }
    gif_finish(a, c, m, i, step, vi, stc, sfa);
}
SNN_KERNEL(update_gif_psc_exp, PopArgs)
