// update_iaf_psc_exp: models/iafpscexp.go's Update, one thread per neuron
// and batch member (grid.x over neurons, grid.y over members). The float
// operations and their order are the CPU's, so that with -fmad=false both
// give the same numbers; the escape noise draws the same Philox words and
// decides with the same portable logarithm.
#include "snn.cuh"

// Constants and state variables, in models/iafpscexp.go's order.
enum { P22, P21EX, P21IN, P20, P11EX, P11IN, VTH, VRESET, IE, REF_STEPS, STOCHASTIC, DELTA, LOG_RHO_H };
enum { VM, IEX, IIN, REF, ISTIM };

extern "C" __global__ void update_iaf_psc_exp(const PopArgs* args) {
    const PopArgs* a = args + blockIdx.z; // one launch serves every population of the model
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    const double* c = a->consts + m * a->nconst;
    float p22 = (float)c[P22], p21ex = (float)c[P21EX], p21in = (float)c[P21IN], p20 = (float)c[P20];
    float p11ex = (float)c[P11EX], p11in = (float)c[P11IN];
    float vth = (float)c[VTH], vreset = (float)c[VRESET], ie = (float)c[IE], refSteps = (float)c[REF_STEPS];
    float* v = pop_var(a, VM, m);
    float* iex = pop_var(a, IEX, m);
    float* iin = pop_var(a, IIN, m);
    float* ref = pop_var(a, REF, m);
    float* cur = pop_var(a, ISTIM, m);
    int64_t step = *a->clock;
    float* spkEx = pop_input(a, 0, m, step);
    float* spkIn = pop_input(a, 1, m, step);
    float* inCur = pop_input(a, 2, m, step);

    float vi = v[i];
    if (ref[i] == 0) {
        vi = (float)((float)((float)(p22 * vi) + (float)(p21ex * iex[i])) + (float)(p21in * iin[i])) + (float)(p20 * (float)(ie + cur[i]));
    } else {
        ref[i] -= 1;
    }
    iex[i] = (float)(iex[i] * p11ex) + spkEx[i];
    iin[i] = (float)(iin[i] * p11in) + spkIn[i];
    int fire;
    if (c[STOCHASTIC] != 0) {
        Stream s = stream_new((uint32_t)a->seed, (uint32_t)a->points[m], SNN_PURPOSE_NEURON, (uint32_t)a->object,
                              (uint32_t)i, (uint32_t)step);
        fire = snn_log(stream_float64(&s)) - c[LOG_RHO_H] < ((double)vi - c[VTH]) / c[DELTA];
    } else {
        fire = vi >= vth;
    }
    if (fire) {
        ref[i] = refSteps;
        vi = vreset;
        emit_spike(a, m, i, step);
    }
    v[i] = vi;
    cur[i] = inCur[i];
    spkEx[i] = 0; // the slot is read: clear it for step + slots
    spkIn[i] = 0;
    inCur[i] = 0;
}
SNN_KERNEL(update_iaf_psc_exp, PopArgs)
