// emit_spike_generator: models/spikegenerator.go: a spike stamped step + 1
// (a given spike time, reduced into the first period when the times
// repeat, or a node's frozen Poisson count there) goes through every
// synapse with its factor (weight × multiplicity, summed over equal times,
// times the weight function of the stamp).
#include "snn.cuh"

enum { WMIN, WMAX, PERIOD, LAMBDA, OFFSET, AMPLITUDE, TURNS, PHASE, WSTART, WSTOP, COUNT, STAMPS };

extern "C" __global__ void emit_spike_generator(const EmitArgs* args) {
    const EmitArgs* a = args + blockIdx.z; // one launch serves every projection of the device model
    int64_t j = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (j >= a->nnz) return;
    const double* c = a->consts + m * a->nconst;
    int64_t step = *a->clock;
    int64_t stamp = step + 1;
    if (!device_active(c, stamp)) return;
    int64_t k = stamp;
    int64_t period = (int64_t)c[PERIOD];
    if (period > 0) k = (stamp - 1) % period + 1;
    int64_t n = (int64_t)c[COUNT];
    double f;
    if (c[LAMBDA] > 0) {
        int64_t lo = 0, hi = a->nodes; // the node: the last row with offsets[row] <= j
        while (hi - lo > 1) {
            int64_t mid = (lo + hi) / 2;
            if (a->offsets[mid] <= j) lo = mid; else hi = mid;
        }
        Philox4 b = philox((uint32_t)a->seed, SNN_POINT_NETWORK, (uint32_t)lo, (uint32_t)k, 0,
                           word3(SNN_PURPOSE_PATTERN, (uint32_t)a->device));
        f = (double)poisson_from_thresholds(b.v[0], c + STAMPS + 2 * n);
    } else {
        const double* stamps = c + STAMPS;
        int64_t lo = 0, hi = n; // first stamp >= k
        while (lo < hi) {
            int64_t mid = (lo + hi) / 2;
            if (stamps[mid] < (double)k) lo = mid + 1; else hi = mid;
        }
        if (lo == n || stamps[lo] != (double)k) return;
        f = stamps[n + lo];
    }
    if (f == 0) return;
    double t = (double)stamp;
    if (t < c[WSTART] || t >= c[WSTOP]) return;
    double g = c[OFFSET];
    if (c[AMPLITUDE] != 0) g += c[AMPLITUDE] * snn_sin_turns(c[TURNS] * t + c[PHASE]);
    emit_add(a, m, j, step, (float)(f * g));
}
SNN_KERNEL(emit_spike_generator, EmitArgs)
