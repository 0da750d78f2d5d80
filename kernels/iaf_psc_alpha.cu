// update_iaf_psc_alpha: models/iafpscalpha.go's Update, one thread per
// neuron and batch member (grid.x over neurons, grid.y over members). The
// float operations and their order are the CPU's, so that with -fmad=false
// both give the same numbers.
#include "snn.cuh"

// Constants and state variables, in models/iafpscalpha.go's order.
enum { EXPM1, P30, P31EX, P32EX, P31IN, P32IN, P11EX, P21EX, P11IN, P21IN, PSCEX, PSCIN, VTH, VRESET, VMIN, IE, REF_STEPS };
enum { VM, IEX, IIN, DIEX, DIIN, REF, ISTIM };

extern "C" __global__ void update_iaf_psc_alpha(const PopArgs* args) {
    const PopArgs* a = args + blockIdx.z; // one launch serves every population of the model
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    const double* c = a->consts + m * a->nconst;
    float em1 = (float)c[EXPM1], p30 = (float)c[P30];
    float p31ex = (float)c[P31EX], p32ex = (float)c[P32EX], p31in = (float)c[P31IN], p32in = (float)c[P32IN];
    float p11ex = (float)c[P11EX], p21ex = (float)c[P21EX], p11in = (float)c[P11IN], p21in = (float)c[P21IN];
    float pscEx = (float)c[PSCEX], pscIn = (float)c[PSCIN];
    float vth = (float)c[VTH], vreset = (float)c[VRESET], vmin = (float)c[VMIN];
    float ie = (float)c[IE], refSteps = (float)c[REF_STEPS];
    float* v = pop_var(a, VM, m);
    float* iex = pop_var(a, IEX, m);
    float* iin = pop_var(a, IIN, m);
    float* diex = pop_var(a, DIEX, m);
    float* diin = pop_var(a, DIIN, m);
    float* ref = pop_var(a, REF, m);
    float* cur = pop_var(a, ISTIM, m);
    int64_t step = *a->clock;
    float* spkEx = pop_input(a, 0, m, step);
    float* spkIn = pop_input(a, 1, m, step);
    float* inCur = pop_input(a, 2, m, step);

    float vi = v[i];
    if (ref[i] == 0) {
        float x = (float)(p30 * (float)(cur[i] + ie));
        x = x + (float)(p31ex * diex[i]);
        x = x + (float)(p32ex * iex[i]);
        x = x + (float)(p31in * diin[i]);
        x = x + (float)(p32in * iin[i]);
        x = x + (float)(em1 * vi);
        vi = x + vi;
        if (vi < vmin) vi = vmin;
    } else {
        ref[i] -= 1;
    }
    iex[i] = (float)(p21ex * diex[i]) + (float)(p11ex * iex[i]);
    diex[i] = (float)(diex[i] * p11ex) + (float)(pscEx * spkEx[i]);
    iin[i] = (float)(p21in * diin[i]) + (float)(p11in * iin[i]);
    diin[i] = (float)(diin[i] * p11in) + (float)(pscIn * spkIn[i]);
    if (vi >= vth) {
        ref[i] = refSteps;
        vi = vreset;
        emit_spike(a, m, i, step);
    }
    v[i] = vi;
    cur[i] = inCur[i];
    spkEx[i] = 0; // the slot is read: clear it for step + slots
    spkIn[i] = 0;
    inCur[i] = 0;
}
SNN_KERNEL(update_iaf_psc_alpha, PopArgs)
