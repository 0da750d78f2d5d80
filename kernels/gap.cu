// The kernels of waveform relaxation (cpu/gap.go's steps, in its order of
// additions): gap_exchange, gap_converge, gap_extrapolate, and gap_copy,
// which saves and restores the state around a trial pass. Grids: x over
// neurons, y over members, z over the populations with gap junctions.
#include "snn.cuh"

// gap_exchange: neuron i of member m gets Σ_j g_ij·p_j over the window,
// projection by projection, its sources ascending (the CPU's scatter order),
// for members not idle.
extern "C" __global__ void gap_exchange(const GapArgs* args) {
    const GapArgs* a = args + blockIdx.z;
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n || a->mode[m] == GAP_IDLE) return;
    int64_t L = a->window * 4;
    double* in = a->in + (m * a->n + i) * L;
    for (int64_t c = 0; c < L; c++) in[c] = 0;
    for (int64_t p = 0; p < a->nproj; p++) {
        const GapProj* pr = &a->proj[p];
        float scale = pr->scale[m];
        for (int64_t j = pr->offsets[i]; j < pr->offsets[i + 1]; j++) {
            float wf = pr->weights ? pr->weights[j] * scale : scale;
            double w = (double)wf;
            const double* o = pr->out + (m * pr->ns + pr->targets[j]) * L;
            for (int64_t c = 0; c < L; c++) in[c] += w * o[c];
        }
    }
}
SNN_KERNEL(gap_exchange, GapArgs)

// gap_converge: for members in a trial pass, counts the neurons whose end
// values moved by more than tol since the last pass, and keeps them.
extern "C" __global__ void gap_converge(const GapArgs* args) {
    const GapArgs* a = args + blockIdx.z;
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n || a->mode[m] != GAP_TRIAL) return;
    double* end = a->end + (m * a->n + i) * a->window;
    double* prev = a->prev + (m * a->n + i) * a->window;
    int ok = 1;
    for (int64_t k = 0; k < a->steps; k++) {
        double d = end[k] - prev[k];
        if (d < 0) d = -d;
        if (!(d <= a->tol)) ok = 0;
        prev[k] = end[k];
    }
    if (!ok) atomicAdd(&a->unconverged[m], 1u);
}
SNN_KERNEL(gap_converge, GapArgs)

// gap_extrapolate: each neuron's potential at step last of the window, as a
// constant over every step of the next.
extern "C" __global__ void gap_extrapolate(const GapArgs* args) {
    const GapArgs* a = args + blockIdx.z;
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    double v = a->end[(m * a->n + i) * a->window + a->last];
    double* out = a->out + (m * a->n + i) * a->window * 4;
    for (int64_t k = 0; k < a->window; k++) {
        out[k * 4] = v;
        out[k * 4 + 1] = out[k * 4 + 2] = out[k * 4 + 3] = 0;
    }
}
SNN_KERNEL(gap_extrapolate, GapArgs)

// gap_copy: grid-stride copy of n floats.
extern "C" __global__ void gap_copy(const CopyArgs* a) {
    int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < a->n; i += stride) a->dst[i] = a->src[i];
}
SNN_KERNEL(gap_copy, CopyArgs)
