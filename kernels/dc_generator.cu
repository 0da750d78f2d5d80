// emit_dc_generator: models/dcgenerator.go: while active (NEST's window
// tested at step + 2), every synapse adds amplitude × weight (pA) to its
// target's current port.
#include "snn.cuh"

enum { WMIN, WMAX, AMPLITUDE };

extern "C" __global__ void emit_dc_generator(const EmitArgs* args) {
    const EmitArgs* a = args + blockIdx.z; // one launch serves every projection of the device model
    int64_t j = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (j >= a->nnz) return;
    const double* c = a->consts + m * a->nconst;
    int64_t step = *a->clock;
    if (!device_active(c, step + 2)) return;
    float f = (float)c[AMPLITUDE];
    if (f == 0) return;
    emit_add(a, m, j, step, f);
}
SNN_KERNEL(emit_dc_generator, EmitArgs)
