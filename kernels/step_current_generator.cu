// emit_step_current_generator: models/stepcurrentgenerator.go: while active
// (NEST's window tested at step + 2), every synapse adds the amplitude of
// the last change stamped <= step + 1, times the weight (pA), to its
// target's current port.
#include "snn.cuh"

enum { WMIN, WMAX, COUNT, STAMPS };

extern "C" __global__ void emit_step_current_generator(const EmitArgs* args) {
    const EmitArgs* a = args + blockIdx.z; // one launch serves every projection of the device model
    int64_t j = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (j >= a->nnz) return;
    const double* c = a->consts + m * a->nconst;
    int64_t step = *a->clock;
    if (!device_active(c, step + 2)) return;
    int64_t n = (int64_t)c[COUNT];
    const double* stamps = c + STAMPS;
    int64_t lo = 0, hi = n; // first stamp > step + 1
    while (lo < hi) {
        int64_t mid = (lo + hi) / 2;
        if (stamps[mid] <= (double)(step + 1)) lo = mid + 1; else hi = mid;
    }
    if (lo == 0) return;
    float f = (float)stamps[n + lo - 1];
    if (f == 0) return;
    emit_add(a, m, j, step, f);
}
SNN_KERNEL(emit_step_current_generator, EmitArgs)
