// emit_noise_generator: models/noisegenerator.go, one thread per synapse
// and batch member: while active (NEST's window tested at step + 2), the
// synapse's current mean + sd·z, z the portable normal of the stream
// (noise purpose, projection, synapse, draw step), times the weight, into
// the target's current port.
#include "snn.cuh"

enum { WMIN, WMAX, MEAN, STD, STD_MOD, DT_STEPS, FIRST, TURNS_STEP, PHASE_TURNS };

extern "C" __global__ void emit_noise_generator(const EmitArgs* args) {
    const EmitArgs* a = args + blockIdx.z; // one launch serves every projection of the device model
    int64_t j = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (j >= a->nnz) return;
    const double* c = a->consts + m * a->nconst;
    int64_t step = *a->clock;
    if (!((c[MEAN] != 0 || c[STD] != 0) && device_active(c, step + 2))) return;
    int64_t first = (int64_t)c[FIRST], every = (int64_t)c[DT_STEPS];
    int64_t d = first + (step - first) / every * every;
    double mean = c[MEAN], sd = c[STD];
    if (c[STD_MOD] != 0) {
        double y = snn_sin_turns(c[PHASE_TURNS] + c[TURNS_STEP] * (double)(d - first + 1));
        sd = sqrt(sd * sd + (y * c[STD_MOD]) * c[STD_MOD]);
    }
    float amount;
    if (sd == 0) {
        amount = (float)mean;
    } else {
        Stream st = stream_new((uint32_t)a->seed, (uint32_t)a->points[m], SNN_PURPOSE_NOISE, (uint32_t)a->object,
                               (uint32_t)j, (uint32_t)d);
        amount = (float)(mean + sd * stream_normal(&st));
    }
    emit_add(a, m, j, step, amount);
}
SNN_KERNEL(emit_noise_generator, EmitArgs)
