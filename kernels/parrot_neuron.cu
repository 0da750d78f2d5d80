// update_parrot_neuron: models/parrot.go's Update, one thread per neuron and
// batch member: the spikes due in this step leave again, as many as their
// count (weight 1 × multiplicity, rounded), at most the cap in the constants (models.ParrotRepeats).
#include "snn.cuh"

extern "C" __global__ void update_parrot_neuron(const PopArgs* args) {
    const PopArgs* a = args + blockIdx.z; // one launch serves every population of the model
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    int64_t step = *a->clock;
    int limit = (int)a->consts[m * a->nconst];
    float* spk = pop_input(a, 0, m, step);
    int n = (int)(spk[i] + 0.5f);
    if (n > limit) n = limit;
    if (n > 0) emit_spikes(a, m, i, step, (uint32_t)n);
    spk[i] = 0; // the slot is read: clear it for step + slots
}
SNN_KERNEL(update_parrot_neuron, PopArgs)
