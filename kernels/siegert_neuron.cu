// update_siegert_neuron: models/siegert.go's siegertUpdate, one thread per
// neuron and batch member: the rate relaxes to mean + Phi(mu, sigma) by
// exponential Euler, Phi from siegert.cuh in double, rounded once.
#include "siegert.cuh"

// Constants in models/siegert.go's order; the state is the rate alone.
enum { SG_P1, SG_P2, SG_MEAN, SG_TAU_M, SG_TAU_SYN, SG_T_REF, SG_THETA, SG_V_RESET };

extern "C" __global__ void update_siegert_neuron(const PopArgs* args) {
    const PopArgs* a = args + blockIdx.z; // one launch serves every population of the model
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    const double* c = a->consts + m * a->nconst;
    int64_t step = *a->clock;
    float* r = pop_var(a, 0, m);
    float* drift = pop_input(a, 0, m, step);
    float* diffusion = pop_input(a, 1, m, step);
    SiegertNeuron p = {c[SG_TAU_M], c[SG_TAU_SYN], c[SG_T_REF], c[SG_THETA], c[SG_V_RESET]};
    double phi = siegert_rate(&p, (double)drift[i], sqrt((double)diffusion[i]));
    r[i] = (float)(c[SG_P1] * (double)r[i] + c[SG_P2] * (c[SG_MEAN] + phi));
    drift[i] = 0; // the slots are read: clear them for step + slots
    diffusion[i] = 0;
}
SNN_KERNEL(update_siegert_neuron, PopArgs)
