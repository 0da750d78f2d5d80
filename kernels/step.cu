// The kernels every step runs whatever the models: propagate (spikes
// through the CSR into the rings), sample (multimeters) and finish_step;
// and check_finite, once per window of steps.
#include "snn.cuh"

// propagate: grid.y over members; blocks take the step's spikes of each
// projection in turn (grid-stride), threads stride over the spike's row.
extern "C" __global__ void propagate(const PropagateArgs* a) {
    int64_t m = blockIdx.y;
    int64_t step = *a->clock;
    for (int64_t p = 0; p < a->nproj; p++) {
        const Projection* pr = &a->proj[p];
        uint32_t count = pr->counts[m];
        float scale = pr->scale[m];
        for (int64_t k = blockIdx.x; k < count; k += gridDim.x) {
            uint32_t src = pr->spikes[m * pr->spike_cap + k];
            const int64_t* off = pr->offsets + m * pr->offsets_stride;
            const float* wts = pr->weights ? pr->weights + m * pr->weights_stride : 0;
            int64_t lo = off[src], hi = off[src + 1];
            for (int64_t j = lo + threadIdx.x; j < hi; j += blockDim.x) {
                float w = wts ? wts[j] * scale : scale;
                int64_t d = pr->delays ? (int64_t)pr->delays[j] : pr->delay;
                float* buf = (w < 0 ? pr->ring_neg : pr->ring) + (m * a->slots + slot_after(step, d, a->slots)) * pr->nt;
                atomicAdd(&buf[pr->targets[j]], w);
            }
        }
    }
}
SNN_KERNEL(propagate, PropagateArgs)

// sample: one thread per (recorded neuron, variable), grid.y over members.
extern "C" __global__ void sample(const SampleArgs* a) {
    int64_t t = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (t >= a->nvars * a->nrec) return;
    int64_t v = t / a->nrec, k = t % a->nrec;
    int64_t s = (*a->clock + 1) / a->interval - 1 - a->base;
    if (s < 0 || s >= a->cap) return;
    const float* x = a->state + (a->vars[v] * a->B + m) * a->n;
    float off = (float)a->offsets[m * a->nvars + v];
    a->out[((m * a->cap + s) * a->nvars + v) * a->nrec + k] = x[a->neurons[k]] + off;
}
SNN_KERNEL(sample, SampleArgs)

// finish_step: one block; clears the spike counters and advances the clock.
extern "C" __global__ void finish_step(const FinishArgs* a) {
    for (int64_t t = threadIdx.x; t < a->ncounts * a->B; t += blockDim.x) {
        a->counts[t / a->B][t % a->B] = 0;
    }
    if (threadIdx.x == 0) *a->clock += 1;
}
SNN_KERNEL(finish_step, FinishArgs)

// check_finite: grid.z over populations, grid.y over members, threads
// stride over the neurons of each named state variable. The member's first
// non-finite value (lowest neuron, then variable: the CPU backend's choice)
// ends up in first[m]; only that word per member crosses to the host.
extern "C" __global__ void check_finite(const FiniteArgs* args) {
    const FiniteArgs* a = args + blockIdx.z;
    int64_t m = blockIdx.y;
    int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t v = 0; v < a->nvars; v++) {
        const float* x = a->state + (v * a->B + m) * a->n;
        for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < a->n; i += stride) {
            if (!isfinite(x[i])) atomicMin(&a->first[m], (unsigned long long)(i * a->nvars + v));
        }
    }
}
SNN_KERNEL(check_finite, FiniteArgs)
