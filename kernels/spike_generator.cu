// emit_spike_generator: models/spikegenerator.go: a spike stamped step + 1
// (a given spike time) goes through every synapse with its factor
// (weight × multiplicity, summed over equal times).
#include "snn.cuh"

enum { WMIN, WMAX, COUNT, STAMPS };

extern "C" __global__ void emit_spike_generator(const EmitArgs* args) {
    const EmitArgs* a = args + blockIdx.z; // one launch serves every projection of the device model
    int64_t j = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (j >= a->nnz) return;
    const double* c = a->consts + m * a->nconst;
    int64_t step = *a->clock;
    if (!device_active(c, step + 1)) return;
    double stamp = (double)(step + 1);
    int64_t n = (int64_t)c[COUNT];
    const double* stamps = c + STAMPS;
    int64_t lo = 0, hi = n; // first stamp >= stamp
    while (lo < hi) {
        int64_t mid = (lo + hi) / 2;
        if (stamps[mid] < stamp) lo = mid + 1; else hi = mid;
    }
    if (lo == n || stamps[lo] != stamp) return;
    float f = (float)stamps[n + lo];
    emit_add(a, m, j, step, f);
}
SNN_KERNEL(emit_spike_generator, EmitArgs)
