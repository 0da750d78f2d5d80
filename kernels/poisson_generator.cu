// emit_poisson_generator: models/poissongenerator.go, one thread per
// synapse and batch member: a Poisson count per synapse and step, drawn as
// the CPU does (word j&3 of the Philox block j>>2, inverted through the
// threshold table), times the weight, into the target's ring.
#include "snn.cuh"

enum { WMIN, WMAX, LAMBDA, THRESHOLDS };

extern "C" __global__ void emit_poisson_generator(const EmitArgs* args) {
    const EmitArgs* a = args + blockIdx.z; // one launch serves every projection of the device model
    int64_t j = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (j >= a->nnz) return;
    const double* c = a->consts + m * a->nconst;
    int64_t step = *a->clock;
    if (!(c[LAMBDA] > 0 && device_active(c, step))) return;
    Philox4 b = philox((uint32_t)a->seed, (uint32_t)a->points[m], (uint32_t)(j >> 2), (uint32_t)step, 0,
                       word3(SNN_PURPOSE_POISSON, (uint32_t)a->object));
    // Means >= rng.PoissonSmall have no table: the GPU backend refuses them.
    uint32_t k = poisson_from_thresholds(b.v[j & 3], c + THRESHOLDS);
    if (k == 0) return;
    emit_add(a, m, j, step, (float)k);
}
SNN_KERNEL(emit_poisson_generator, EmitArgs)
