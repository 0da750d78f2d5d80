// update_iaf_psc_delta: models/iafpscdelta.go's Update, one thread per
// neuron and batch member (grid.x over neurons, grid.y over members). The
// float operations and their order are the CPU's, so that with -fmad=false
// both give the same numbers.
#include "snn.cuh"

// Constants and state variables, in models/iafpscdelta.go's order.
enum { P33, P30, VTH, VRESET, VMIN, IE, REF_STEPS, REF_INPUT, H_OVER_TAU };
enum { VM, REF, ISTIM, HELD };

extern "C" __global__ void update_iaf_psc_delta(const PopArgs* args) {
    const PopArgs* a = args + blockIdx.z; // one launch serves every population of the model
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    const double* c = a->consts + m * a->nconst;
    float p33 = (float)c[P33], p30 = (float)c[P30];
    float vth = (float)c[VTH], vreset = (float)c[VRESET], vmin = (float)c[VMIN];
    float ie = (float)c[IE], refSteps = (float)c[REF_STEPS];
    int holdInput = c[REF_INPUT] != 0;
    float* v = pop_var(a, VM, m);
    float* ref = pop_var(a, REF, m);
    float* cur = pop_var(a, ISTIM, m);
    float* held = pop_var(a, HELD, m);
    int64_t step = *a->clock;
    float* spk = pop_input(a, 0, m, step);
    float* inCur = pop_input(a, 1, m, step);

    float vi = v[i];
    if (ref[i] == 0) {
        vi = (float)((float)(p30 * (float)(cur[i] + ie)) + (float)(p33 * vi)) + spk[i];
        if (holdInput && held[i] != 0) {
            vi += held[i];
            held[i] = 0;
        }
        if (vi < vmin) vi = vmin;
    } else {
        if (holdInput) {
            held[i] += spk[i] * (float)exp(-(double)ref[i] * c[H_OVER_TAU]);
        }
        ref[i] -= 1;
    }
    if (vi >= vth) {
        ref[i] = refSteps;
        vi = vreset;
        emit_spike(a, m, i, step);
    }
    v[i] = vi;
    cur[i] = inCur[i];
    spk[i] = 0; // the slot is read: clear it for step + slots
    inCur[i] = 0;
}
SNN_KERNEL(update_iaf_psc_delta, PopArgs)
