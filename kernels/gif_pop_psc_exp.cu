// update_gif_pop_psc_exp: models/gifpop.go's updateGifPop, one thread per
// population node and batch member (grid.x over nodes, grid.y over
// members); the thread walks the node's ring of cohorts in order. The
// double operations and their order are the CPU's, so that with -fmad=false
// both give the same numbers; exponentials and logarithms are the portable
// ones and the spike count draws the same Philox words.
#include "snn.cuh"

#define GP_MAX 4 // models.GifMaxComponents

// Named state variables, then the cohorts' fields, in models/gifpop.go's order.
enum { GP_VM, GP_NEVENTS, GP_ESFA, GP_MEAN, GP_SYN_EX, GP_SYN_IN, GP_ISTIM, GP_X, GP_Z, GP_LAMBDA_FREE, GP_K0,
       GP_INIT, GP_G, GP_STATE_COUNT = GP_G + GP_MAX };
enum { GP_HN, GP_HM, GP_HV, GP_HU, GP_HLAMBDA, GP_FIELDS };

// Constants, in models/gifpop.go's order.
enum {
    GP_N, GP_K, GP_KREF, GP_NSFA, GP_Q30, GP_GIN = GP_Q30 + GP_MAX, GP_Q30K = GP_GIN + GP_MAX, GP_EL = GP_Q30K + GP_MAX,
    GP_VTSTAR, GP_VRESET, GP_IE, GP_P22, GP_P20, GP_LAMBDA0, GP_DELTAV, GP_HALFH, GP_TEXH, GP_TINH, GP_KAEX, GP_KYEX,
    GP_KAIN, GP_KYIN, GP_P11EX, GP_P11IN, GP_BINO, GP_THETA
};

// gp_saturate32 is saturate32: a rate in float32, the largest float32
// rather than +Inf beyond its range (NaN stays NaN).
__device__ __forceinline__ float gp_saturate32(double x) {
    return x > 3.4028234663852886e38 ? 3.4028234663852886e38f : (float)x;
}

// gp_binomial is gifPopBinomial: successes among n trials, counted by
// geometric skips.
__device__ __forceinline__ int gp_binomial(Stream* st, int n, double p) {
    if (p >= 1) return n;
    if (!(p > 0)) return 0;
    int flip = p > 0.5;
    if (flip) p = 1 - p;
    int k = 0;
    double lq = snn_log(1 - p);
    if (lq < 0) {
        double pos = 0.0;
        while (k < n) {
            pos = pos + (floor(snn_log(1 - stream_float64(st)) / lq) + 1);
            if (!(pos <= (double)n)) break;
            k++;
        }
    }
    return flip ? n - k : k;
}

// gp_poisson is gifPopPoisson: exponential arrivals up to mean, clipped to n.
__device__ __forceinline__ int gp_poisson(Stream* st, int n, double mean) {
    if (mean > (double)n) return n;
    int k = 0;
    double t = 0.0;
    while (k < n) {
        t = t - snn_log(1 - stream_float64(st));
        if (!(t <= mean)) break;
        k++;
    }
    return k;
}

extern "C" __global__ void update_gif_pop_psc_exp(const PopArgs* args) {
    const PopArgs* a = args + blockIdx.z; // one launch serves every population of the model
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    const double* c = a->consts + m * a->nconst;
    int N = (int)c[GP_N];
    double nf = c[GP_N];
    int K = (int)c[GP_K], kref = (int)c[GP_KREF], nsfa = (int)c[GP_NSFA];
    const double* theta = c + GP_THETA;
    const double* thetaTld = c + GP_THETA + K;
    double el = c[GP_EL], p22 = c[GP_P22], lambda0 = c[GP_LAMBDA0], dv = c[GP_DELTAV], halfH = c[GP_HALFH];
    int64_t step = *a->clock;
    float* spkEx = pop_input(a, 0, m, step);
    float* spkIn = pop_input(a, 1, m, step);
    float* inCur = pop_input(a, 2, m, step);
#define S(v) pop_var(a, (v), m)[i]
#define H(k, f) pop_var(a, GP_STATE_COUNT + (int64_t)GP_FIELDS * (k) + (f), m)[i]

    if (S(GP_INIT) == 0) {
        H(K - 1, GP_HN) = (float)nf;
        H(K - 1, GP_HM) = (float)nf;
        S(GP_INIT) = 1;
    }
    double aEx = (double)spkEx[i] * c[GP_TEXH];
    double aIn = (double)spkIn[i] * c[GP_TINH];
    double iEx = (double)S(GP_SYN_EX), iIn = (double)S(GP_SYN_IN);
    double hTot = (c[GP_IE] + (double)S(GP_ISTIM)) * c[GP_P20] + el;
    hTot = hTot + (c[GP_KAEX] * aEx + c[GP_KYEX] * iEx);
    hTot = hTot + (c[GP_KAIN] * aIn + c[GP_KYIN] * iIn);
    S(GP_SYN_EX) = (float)(aEx + (iEx - aEx) * c[GP_P11EX]);
    S(GP_SYN_IN) = (float)(aIn + (iIn - aIn) * c[GP_P11IN]);
    S(GP_ISTIM) = inCur[i];

    double v = ((double)S(GP_VM) - el) * p22 + hTot;
    int k0 = (int)S(GP_K0);
    double nOld = (double)H(k0, GP_HN);
    double thHat = c[GP_VTSTAR];
    for (int j = 0; j < nsfa; j++) {
        double g = (double)S(GP_G + j) * c[GP_Q30 + j] + c[GP_GIN + j] * nOld;
        S(GP_G + j) = (float)g;
        thHat = thHat + c[GP_Q30K + j] * g;
    }
    double lt = snn_exp((v - thHat) / dv) * lambda0;
    double pFree = 1 - snn_exp(-(halfH * ((double)S(GP_LAMBDA_FREE) + lt)));
    S(GP_LAMBDA_FREE) = gp_saturate32(lt);
    thHat = thHat - (double)H(0, GP_HN) * thetaTld[0];

    double sumM = 0.0;
    for (int k = 0; k < K; k++) sumM = sumM + (double)H(k, GP_HM);
    double w = 0.0, y = 0.0, z = 0.0;
    double th = thHat;
    for (int km = 0; km < K - kref; km++) {
        int k = k0 + km;
        if (k >= K) k -= K;
        double thK = theta[km] + th;
        th = th + (double)H(k, GP_HN) * thetaTld[km];
        double uk = ((double)H(k, GP_HU) - el) * p22 + hTot;
        H(k, GP_HU) = (float)uk;
        double lk = snn_exp((uk - thK) / dv) * lambda0;
        double pk = halfH * (lk + (double)H(k, GP_HLAMBDA));
        if (pk > 0.01) pk = 1 - snn_exp(-pk);
        H(k, GP_HLAMBDA) = (float)lk;
        double vk = (double)H(k, GP_HV), mk = (double)H(k, GP_HM);
        y = y + pk * vk;
        z = z + vk;
        w = w + pk * mk;
        double o = 1 - pk;
        H(k, GP_HV) = (float)((o * o) * vk + pk * mk);
        H(k, GP_HM) = (float)(o * mk);
    }
    double x = (double)S(GP_X), zf = (double)S(GP_Z);
    double pLambda = 0.0;
    if (z + zf > 0) pLambda = (y + pFree * zf) / (z + zf);
    double mean = (w + pFree * x) + pLambda * ((nf - sumM) - x);
    Stream st = stream_new((uint32_t)a->seed, (uint32_t)a->points[m], SNN_PURPOSE_NEURON, (uint32_t)a->object,
                           (uint32_t)i, (uint32_t)step);
    int spikes = c[GP_BINO] != 0 ? gp_binomial(&st, N, mean / nf) : gp_poisson(&st, N, mean);

    double o = 1 - pFree;
    S(GP_Z) = (float)(((o * o) * zf + x * pFree) + (double)H(k0, GP_HV));
    S(GP_X) = (float)(x * o + (double)H(k0, GP_HM));
    H(k0, GP_HN) = (float)spikes;
    H(k0, GP_HM) = (float)spikes;
    H(k0, GP_HV) = 0;
    H(k0, GP_HU) = (float)c[GP_VRESET];
    H(k0, GP_HLAMBDA) = 0;
    if (++k0 == K) k0 = 0;
    S(GP_K0) = (float)k0;
    S(GP_VM) = (float)v;
    S(GP_NEVENTS) = (float)spikes;
    S(GP_ESFA) = (float)thHat;
    S(GP_MEAN) = (float)mean;
    if (spikes > 0) emit_spikes(a, m, i, step, (uint32_t)spikes);
#undef S
#undef H
    spkEx[i] = 0; // the slot is read: clear it for step + slots
    spkIn[i] = 0;
    inCur[i] = 0;
}
SNN_KERNEL(update_gif_pop_psc_exp, PopArgs)
