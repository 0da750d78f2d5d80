// update_pp_cond_exp_mc_urbanczik: models/urbanczik.go's update, one thread per neuron and batch member (grid.x
// over neurons, grid.y over members), operation for operation, with the RKF45 stepper of ode.cuh.
#include "ode.cuh"

// The ODE vector, the named state variables after it, the constants and the ports, in models/urbanczik.go's order.
enum { U_VS, U_GEX, U_GIN, U_VP, U_IEX, U_IIN, U_DIM };
enum { U_REF = U_DIM, U_STIMS, U_DPI, U_NAMED };
enum { C_CS, C_GLS, C_ELS, C_EEXS, C_EINS, C_TAUEXS, C_TAUINS, C_IES, C_CP, C_GLP, C_ELP, C_TAUEXP, C_TAUINP, C_GSP,
       C_GPS, C_PHIMAX, C_K, C_BETA, C_THETA, C_REFSTEPS, C_POISSON, C_MAXCOUNT, C_DT };
enum { P_SOMA_EXC, P_SOMA_INH, P_DEND_EXC, P_DEND_INH, P_SOMA_CURR, P_DEND_CURR, P_COUNT };

#define URB_TOL 1e-3 // models' urbTol

// UrbSystem is models' urbSystem.
struct UrbSystem {
    const double* c;
    double istS;
    __device__ void derivs(double, const double* y, double* dy) {
        double vs = y[U_VS], vp = y[U_VP];
        double iL = c[C_GLS] * (vs - c[C_ELS]);
        double iEx = y[U_GEX] * (vs - c[C_EEXS]);
        double iIn = y[U_GIN] * (vs - c[C_EINS]);
        double iC = c[C_GSP] * (vs - vp);
        dy[U_VS] = ((((-iL - iEx) - iIn) - iC) + istS) / c[C_CS];
        dy[U_GEX] = -y[U_GEX] / c[C_TAUEXS];
        dy[U_GIN] = -y[U_GIN] / c[C_TAUINS];
        iL = c[C_GLP] * (vp - c[C_ELP]);
        iC = c[C_GPS] * (vp - vs);
        dy[U_VP] = (((-iL + y[U_IEX]) + y[U_IIN]) - iC) / c[C_CP];
        dy[U_IEX] = -y[U_IEX] / c[C_TAUEXP];
        dy[U_IIN] = -y[U_IIN] / c[C_TAUINP];
    }
};

// urb_phi is urbPhi, urb_h urbH, urb_dpi urbDPI.
__device__ __forceinline__ double urb_phi(const double* c, double u) {
    return c[C_PHIMAX] / (1 + c[C_K] * snn_exp(c[C_BETA] * (c[C_THETA] - u)));
}

__device__ __forceinline__ double urb_h(const double* c, double u) {
    return (15 * c[C_BETA]) / (1 + snn_exp(-(c[C_BETA] * (c[C_THETA] - u))) / c[C_K]);
}

__device__ __forceinline__ double urb_dpi(const double* c, uint32_t n, double vp) {
    double vw = (c[C_GLS] * c[C_ELS] + c[C_GSP] * vp) / (c[C_GLS] + c[C_GSP]);
    return ((double)n - urb_phi(c, vw) * c[C_DT]) * urb_h(c, vw);
}

// urb_poisson is rng.PoissonInversion.
__device__ __forceinline__ uint32_t urb_poisson(uint32_t w, double lambda, double expMinusLambda) {
    double u = (double)w * (1.0 / 4294967296.0);
    double p = expMinusLambda, f = p;
    uint32_t k = 0;
    while (u >= f) {
        k++;
        p = p * lambda / (double)k;
        f += p;
        if (p == 0) break;
    }
    return k;
}

// urb_spikes is urbSpikes.
__device__ __forceinline__ uint32_t urb_spikes(const PopArgs* a, const double* c, int64_t m, int64_t i, int64_t step, double vs) {
    double lambda = urb_phi(c, vs) * c[C_DT];
    if (!(lambda > 0)) return 0;
    Stream s = stream_new((uint32_t)a->seed, (uint32_t)a->points[m], SNN_PURPOSE_NEURON, (uint32_t)a->object,
                          (uint32_t)i, (uint32_t)step);
    if (c[C_POISSON] == 0) return stream_float64(&s) <= 1 - snn_exp(-lambda) ? 1u : 0u;
    uint32_t n = urb_poisson(stream_u32(&s), lambda, snn_exp(-lambda));
    uint32_t most = (uint32_t)c[C_MAXCOUNT];
    return n < most ? n : most;
}

extern "C" __global__ void update_pp_cond_exp_mc_urbanczik(const PopArgs* args) {
    const PopArgs* a = args + blockIdx.z; // one launch serves every population of the model
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    const double* c = a->consts + m * a->nconst;
    const int lows = U_NAMED; // history: the ODE's low halves, then the step size's pair
    int64_t step = *a->clock;
    Rkf45<U_DIM> st;
    st.tol = URB_TOL;
    st.scale = nullptr;
    UrbSystem f;
    f.c = c;
    double y[U_DIM];
    for (int j = 0; j < U_DIM; j++) y[j] = wide_get(pop_var(a, j, m)[i], pop_var(a, lows + j, m)[i]);
    float* hHi = pop_var(a, lows + U_DIM, m) + i;
    float* hLo = pop_var(a, lows + U_DIM + 1, m) + i;
    double h = wide_get(*hHi, *hLo);
    float* ref = pop_var(a, U_REF, m) + i;
    float* stimS = pop_var(a, U_STIMS, m) + i;
    f.istS = (double)*stimS + c[C_IES];
    h = rkf45_evolve<U_DIM, UrbSystem>(&st, &f, y, c[C_DT], h);
    float* in[P_COUNT];
    for (int p = 0; p < P_COUNT; p++) in[p] = pop_input(a, p, m, step) + i;
    y[U_GEX] += (double)*in[P_SOMA_EXC];
    y[U_GIN] += (double)*in[P_SOMA_INH];
    y[U_IEX] += (double)*in[P_DEND_EXC];
    y[U_IIN] -= (double)*in[P_DEND_INH];
    uint32_t n = 0;
    if (*ref > 0) {
        *ref -= 1;
    } else if ((n = urb_spikes(a, c, m, i, step, y[U_VS])) > 0) {
        *ref = (float)c[C_REFSTEPS];
        emit_spikes(a, m, i, step, n);
    }
    *(pop_var(a, U_DPI, m) + i) = (float)urb_dpi(c, n, y[U_VP]);
    *stimS = *in[P_SOMA_CURR];
    for (int p = 0; p < P_COUNT; p++) *in[p] = 0; // the slots are read: clear them for step + slots
    for (int j = 0; j < U_DIM; j++) wide_set(y[j], pop_var(a, j, m) + i, pop_var(a, lows + j, m) + i);
    wide_set(h, hHi, hLo);
}
SNN_KERNEL(update_pp_cond_exp_mc_urbanczik, PopArgs)
