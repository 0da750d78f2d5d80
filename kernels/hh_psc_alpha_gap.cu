// update_hh_psc_alpha_gap: models/hh.go's update of hh_psc_alpha_gap, one thread per neuron and
// batch member (grid.x over neurons, grid.y over members).
#include "hh.cuh"

extern "C" __global__ void update_hh_psc_alpha_gap(const PopArgs* args) {
    const PopArgs* a = args + blockIdx.z; // one launch serves every population of the model
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    hh_update<9, HHMancilla>(a, m, i);
}
SNN_KERNEL(update_hh_psc_alpha_gap, PopArgs)
