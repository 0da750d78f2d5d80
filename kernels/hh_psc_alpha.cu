// update_hh_psc_alpha: models/hh.go's update of hh_psc_alpha, one thread per neuron and
// batch member (grid.x over neurons, grid.y over members).
#include "hh.cuh"

extern "C" __global__ void update_hh_psc_alpha(const PopArgs* args) {
    const PopArgs* a = args + blockIdx.z; // one launch serves every population of the model
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    hh_update<8, HHClassic>(a, m, i);
}
SNN_KERNEL(update_hh_psc_alpha, PopArgs)
