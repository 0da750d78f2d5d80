// rate.cuh: the rate models' nonlinearity and the argument structs of the
// rate connections (models/rate.go's Phi and Tanh, operation for operation;
// gpu/rate.go mirrors the structs, every field 8 bytes).
#ifndef SNN_RATE_CUH
#define SNN_RATE_CUH
#include "snn.cuh"

// Constants of the rate models, in models/rate.go's Const order.
enum {
    RATE_FORM, RATE_NONLIN, RATE_P1, RATE_P2, RATE_NOISE, RATE_MU, RATE_SIGMA, RATE_RECTIFY, RATE_RECT_RATE,
    RATE_LINSUM, RATE_MULT, RATE_G_EX, RATE_G_IN, RATE_THETA_EX, RATE_THETA_IN, RATE_G, RATE_THETA, RATE_ALPHA,
    RATE_BETA, RATE_NL_MU, RATE_NL_INV2S2
};
enum { FORM_IPN, FORM_OPN, FORM_TRANSFORMER };
enum { NL_LIN, NL_TANH, NL_THRESHOLD_LIN, NL_SIGMOID, NL_SIGMOID_GG_1998, NL_GAUSS };
enum { RATE_X, RATE_NOISE_VAR, RATE_NOISY };

// rate_tanh is models.Tanh.
__device__ __forceinline__ double rate_tanh(double y) {
    double a = fabs(y);
    if (a < 1e-3) {
        double y2 = y * y;
        return y * (1 - y2 * (1.0 / 3 - y2 * (2.0 / 15 - y2 * (17.0 / 315))));
    }
    double e = snn_exp(-2 * a);
    double t = (1 - e) / (1 + e);
    return y < 0 ? -t : t;
}

// rate_phi is models.Phi: the nonlinearity named by c[RATE_NONLIN].
__device__ __forceinline__ float rate_phi(const double* c, float h) {
    double x = (double)h, g = c[RATE_G];
    switch ((int)c[RATE_NONLIN]) {
    case NL_LIN: return (float)(g * x);
    case NL_TANH: return (float)rate_tanh(g * (x - c[RATE_THETA]));
    case NL_THRESHOLD_LIN: return (float)fmin(fmax(g * (x - c[RATE_THETA]), 0.0), c[RATE_ALPHA]);
    case NL_SIGMOID: return (float)(g / (1 + snn_exp(-c[RATE_BETA] * (x - c[RATE_THETA]))));
    case NL_SIGMOID_GG_1998: {
        double y = g * x;
        double y4 = y * y * y * y;
        return (float)(y4 / (0.1 * 0.1 * 0.1 * 0.1 + y4));
    }
    default: {
        double d = x - c[RATE_NL_MU];
        return (float)(g * snn_exp(-d * d * c[RATE_NL_INV2S2]));
    }
    }
}

// RateProj: one rate projection into a population, by target: the synapses
// of target t are offsets[t] <= k < offsets[t+1], sources ascending (the
// CPU's order of additions).
struct RateProj {
    const int64_t* offsets;
    const uint32_t* sources;
    const float* weights;   // null: every synapse has scale[m]
    const uint16_t* delays; // null: every synapse has delay
    int64_t delay;
    const float* scale;     // [B]
    const float* src;       // what the sources send: src[m*src_mstride + source*src_stride]
    int64_t src_stride, src_mstride;
    float* ring;            // the target's rate ports: [B][slots][nt]
    float* ring_neg;        // for negative weights
    const double* term;     // the target's constants [B][nterm] when it applies φ to each input; null: none
    int64_t nterm;
};

// RateArgs: the rate input of one target population (rate_deliver).
struct RateArgs {
    int64_t nt, B, slots, nproj;
    const RateProj* proj;
    const int64_t* clock;
};
#endif
