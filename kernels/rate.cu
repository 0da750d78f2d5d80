// The rate models (models/rate.go): update_<model> for every rate model,
// one body (rate_update) for all of them, one thread per neuron and batch
// member; rate_emit (the output-noise models' noisy rate of the step, before
// the sends); rate_deliver (every rate connection's w·X into its target's
// rate port, one thread per target and member, in the CPU's order); and
// emit_step_rate_generator (the generator's rate of the step, into the
// buffer rate_deliver reads). Float operations in the CPU's order.
#include "rate.cuh"

__device__ __forceinline__ float rate_draw(const PopArgs* a, int64_t m, int64_t i, int64_t step) {
    Stream s = stream_new((uint32_t)a->seed, (uint32_t)a->points[m], SNN_PURPOSE_NEURON, (uint32_t)a->object, (uint32_t)i, (uint32_t)step);
    return (float)stream_normal(&s);
}

// rate_input is models/rate.go's input: the coupling term at rate y.
__device__ __forceinline__ float rate_input(const double* c, float e, float n, float y) {
    int linsum = c[RATE_LINSUM] != 0;
    if (c[RATE_MULT] == 0) {
        float h = e + n;
        return linsum ? rate_phi(c, h) : h;
    }
    if (linsum) {
        e = rate_phi(c, e);
        n = rate_phi(c, n);
    }
    if ((int)c[RATE_NONLIN] == NL_LIN) {
        e = (float)((float)((float)c[RATE_G_EX] * (float)((float)c[RATE_THETA_EX] - y)) * e);
        n = (float)((float)((float)c[RATE_G_IN] * (float)((float)c[RATE_THETA_IN] + y)) * n);
    }
    return e + n;
}

__device__ __forceinline__ void rate_update(const PopArgs* args) {
    const PopArgs* a = args + blockIdx.z;
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    const double* c = a->consts + m * a->nconst;
    int64_t step = *a->clock;
    float* x = pop_var(a, RATE_X, m);
    float* ex = pop_input(a, 0, m, step);
    float* in = pop_input(a, 1, m, step);
    float e = ex[i], n = in[i];
    ex[i] = 0; // the slots are read: clear them for step + slots
    in[i] = 0;
    int form = (int)c[RATE_FORM];
    if (form == FORM_TRANSFORMER) {
        float h = e + n;
        x[i] = c[RATE_LINSUM] != 0 ? rate_phi(c, h) : h;
        return;
    }
    float p1 = (float)c[RATE_P1], p2 = (float)c[RATE_P2], mu = (float)c[RATE_MU];
    if (form == FORM_OPN) {
        float noisy = pop_var(a, RATE_NOISY, m)[i];
        x[i] = (float)((float)(p1 * x[i]) + (float)(p2 * mu)) + (float)(p2 * rate_input(c, e, n, noisy));
        return;
    }
    float* noise = pop_var(a, RATE_NOISE_VAR, m);
    float z = (float)((float)c[RATE_SIGMA] * rate_draw(a, m, i, step));
    noise[i] = z;
    float old = x[i];
    float y = (float)((float)(p1 * old) + (float)(p2 * mu)) + (float)((float)c[RATE_NOISE] * z);
    y = y + (float)(p2 * rate_input(c, e, n, old));
    if (c[RATE_RECTIFY] != 0 && y < (float)c[RATE_RECT_RATE]) y = (float)c[RATE_RECT_RATE];
    x[i] = y;
}

#define RATE_MODEL(name)                                                  \
    extern "C" __global__ void update_##name(const PopArgs* args) { rate_update(args); } \
    SNN_KERNEL(update_##name, PopArgs)
RATE_MODEL(lin_rate_ipn)
RATE_MODEL(lin_rate_opn)
RATE_MODEL(rate_transformer_lin)
RATE_MODEL(tanh_rate_ipn)
RATE_MODEL(tanh_rate_opn)
RATE_MODEL(rate_transformer_tanh)
RATE_MODEL(threshold_lin_rate_ipn)
RATE_MODEL(threshold_lin_rate_opn)
RATE_MODEL(rate_transformer_threshold_lin)
RATE_MODEL(sigmoid_rate_ipn)
RATE_MODEL(rate_transformer_sigmoid)
RATE_MODEL(sigmoid_rate_gg_1998_ipn)
RATE_MODEL(rate_transformer_sigmoid_gg_1998)
RATE_MODEL(gauss_rate_ipn)
RATE_MODEL(rate_transformer_gauss)

// rate_emit: an output-noise population's noise and noisy rate of the step.
extern "C" __global__ void rate_emit(const PopArgs* args) {
    const PopArgs* a = args + blockIdx.z;
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    const double* c = a->consts + m * a->nconst;
    int64_t step = *a->clock;
    float z = (float)((float)c[RATE_SIGMA] * rate_draw(a, m, i, step));
    pop_var(a, RATE_NOISE_VAR, m)[i] = z;
    pop_var(a, RATE_NOISY, m)[i] = pop_var(a, RATE_X, m)[i] + (float)((float)c[RATE_NOISE] * z);
}
SNN_KERNEL(rate_emit, PopArgs)

// rate_deliver: cpu/rate.go's sendRange for one target and member.
extern "C" __global__ void rate_deliver(const RateArgs* args) {
    const RateArgs* a = args + blockIdx.z;
    int64_t t = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (t >= a->nt) return;
    int64_t step = *a->clock;
    for (int64_t p = 0; p < a->nproj; p++) {
        const RateProj* r = a->proj + p;
        const double* term = r->term ? r->term + m * r->nterm : 0;
        if (term && term[RATE_LINSUM] != 0) term = 0;
        float scale = r->scale[m];
        for (int64_t k = r->offsets[t]; k < r->offsets[t + 1]; k++) {
            float x = r->src[m * r->src_mstride + (int64_t)r->sources[k] * r->src_stride];
            if (term) x = rate_phi(term, x);
            float w = scale;
            if (r->weights) w = r->weights[k] * scale;
            int64_t d = r->delays ? (int64_t)r->delays[k] : r->delay;
            float* ring = w < 0 ? r->ring_neg : r->ring;
            ring[(m * a->slots + slot_after(step, d, a->slots)) * a->nt + t] += (float)(w * x);
        }
    }
}
SNN_KERNEL(rate_deliver, RateArgs)

// emit_step_rate_generator: models.StepRateGenerator's Source (active at
// the step itself, the last change stamped <= step) into ring[m], which
// rate_deliver reads as the generator's rate.
extern "C" __global__ void emit_step_rate_generator(const EmitArgs* args) {
    const EmitArgs* a = args + blockIdx.z;
    int64_t j = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (j > 0) return;
    const double* c = a->consts + m * a->nconst;
    int64_t step = *a->clock;
    float f = 0;
    if (device_active(c, step)) {
        int64_t n = (int64_t)c[2];
        const double* stamps = c + 3;
        int64_t lo = 0, hi = n; // first stamp > step
        while (lo < hi) {
            int64_t mid = (lo + hi) / 2;
            if (stamps[mid] <= (double)step) lo = mid + 1; else hi = mid;
        }
        if (lo > 0) f = (float)stamps[n + lo - 1];
    }
    a->ring[m] = f;
}
SNN_KERNEL(emit_step_rate_generator, EmitArgs)
