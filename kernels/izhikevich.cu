// update_izhikevich: models/izhikevich.go's Update, one thread per neuron
// and batch member (grid.x over neurons, grid.y over members). The float
// operations and their order are the CPU's, so that with -fmad=false both
// give the same numbers. a, b, c, d come per neuron (PopArgs.params).
#include "snn.cuh"

// Constants, state variables and per-neuron parameters, in
// models/izhikevich.go's order.
enum { H, HALF_H, VTH, VMIN, IE, CONSISTENT };
enum { VM, UM, ISTIM };
enum { PA, PB, PC, PD };

// izh_f is 0.04·V² + 5·V + 140 - U + I + I_e in NEST's order (izhF).
__device__ __forceinline__ float izh_f(float v, float u, float i, float ie) {
    return (float)((float)(0.04f * v) * v) + (float)(5.0f * v) + 140.0f - u + i + ie;
}

extern "C" __global__ void update_izhikevich(const PopArgs* args) {
    const PopArgs* a = args + blockIdx.z; // one launch serves every population of the model
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    const double* c = a->consts + m * a->nconst;
    float h = (float)c[H], hh = (float)c[HALF_H];
    float vth = (float)c[VTH], vmin = (float)c[VMIN], ie = (float)c[IE];
    float* v = pop_var(a, VM, m);
    float* u = pop_var(a, UM, m);
    float* cur = pop_var(a, ISTIM, m);
    const float* pa = pop_param(a, PA, m);
    const float* pb = pop_param(a, PB, m);
    const float* pc = pop_param(a, PC, m);
    const float* pd = pop_param(a, PD, m);
    int64_t step = *a->clock;
    float* spk = pop_input(a, 0, m, step);
    float* inCur = pop_input(a, 1, m, step);

    float vi = v[i], ui = u[i];
    float ha = (float)(h * pa[i]);
    if (c[CONSISTENT] != 0) {
        float vn = vi + ((float)(h * izh_f(vi, ui, cur[i], ie)) + spk[i]); // NEST: v += h·f + W
        ui = ui + (float)(ha * (float)((float)(pb[i] * vi) - ui));
        vi = vn;
    } else {
        float syn = spk[i];
        vi = vi + (float)(hh * (izh_f(vi, ui, cur[i], ie) + syn));
        vi = vi + (float)(hh * (izh_f(vi, ui, cur[i], ie) + syn));
        ui = ui + (float)(ha * (float)((float)(pb[i] * vi) - ui));
    }
    if (vi < vmin) vi = vmin;
    if (vi >= vth) {
        vi = pc[i];
        ui = ui + pd[i];
        emit_spike(a, m, i, step);
    }
    v[i] = vi;
    u[i] = ui;
    cur[i] = inCur[i];
    spk[i] = 0; // the slot is read: clear it for step + slots
    inCur[i] = 0;
}
SNN_KERNEL(update_izhikevich, PopArgs)
