// siegert.cuh: package siegert's transfer function (siegert/siegert.go),
// operation for operation, for kernels: Phi(mu, sigma) of a LIF neuron in
// 1/s, NEST's siegert_neuron with Fourcaud and Brunel's shifted threshold.
// Go and this header use their own libraries' erfc, exp, log, log1p and
// expm1, so the two agree to a few ulps, not bit for bit (gpu/emu's
// TestSiegertMatchesGo states the bound).
#ifndef SIEGERT_CUH
#define SIEGERT_CUH

#include "snn.cuh"

// SiegertNeuron: siegert.Neuron (ms, mV relative to rest).
struct SiegertNeuron {
    double tau_m, tau_syn, t_ref, theta, V_reset;
};

#define SIEGERT_CUTOFF 6.0
#define SIEGERT_SHIFT_FACTOR 1.0326265761156086
#define SIEGERT_SQRT_PI 1.7724538509055160
#define SIEGERT_ASYM_FROM 10.0
#define SIEGERT_ASYM_TERMS 12
#define SIEGERT_SERIES_MAX 400

// The quadrature is called from three places: kept out of line on the
// device, or every call would inline 50 erfc and exp (the PTX grew 3×).
#ifdef __CUDACC__
#define SIEGERT_NOINLINE __noinline__
#else
#define SIEGERT_NOINLINE inline
#endif

// siegert_erfcx is siegert.Erfcx: e^{x²} erfc(x), x² split exactly.
__device__ __forceinline__ double siegert_erfcx(double x) {
    double x2 = x * x;
    double e = fma(x, x, -x2);
    double ex = exp(x2);
    return (ex + ex * e) * erfc(x);
}

// siegert_gauss is gaussErfcx: 10-point Gauss–Legendre on [lo, hi].
__device__ SIEGERT_NOINLINE double siegert_gauss(double lo, double hi) {
    const double node[5] = {0.14887433898163121088, 0.4333953941292471908, 0.67940956829902440623,
                            0.86506336668898451073, 0.97390652851717172008};
    const double weight[5] = {0.29552422471475287017, 0.26926671930999635509, 0.219086362515982044,
                              0.14945134915058059315, 0.066671344308688137594};
    double c = 0.5 * (lo + hi), h = 0.5 * (hi - lo);
    double s = 0.0;
    for (int i = 0; i < 5; i++) {
        double d = h * node[i];
        s += weight[i] * (siegert_erfcx(c - d) + siegert_erfcx(c + d));
    }
    return h * s;
}

// siegert_tail is erfcxTail: ∫_a^b erfcx for a >= 10 given L = ln(b/a).
__device__ inline double siegert_tail(double a, double L) {
    double inv = 1 / (a * a);
    double pw = 1.0, coef = 1.0, sum = 0.0, sign = -1.0;
    for (int k = 1; k <= SIEGERT_ASYM_TERMS; k++) {
        pw *= inv;
        coef *= (double)(2 * k - 1) / 2;
        sum += sign * coef / (double)(2 * k) * pw * -expm1(-(double)(2 * k) * L);
        sign = -sign;
    }
    return (L + sum) / SIEGERT_SQRT_PI;
}

// siegert_int_erfcx is erfcxIntegral: ∫_a^b erfcx, 0 <= a <= b.
__device__ SIEGERT_NOINLINE double siegert_int_erfcx(double a, double b) {
    const double panels[6] = {0, 1, 2, 4, 7, SIEGERT_ASYM_FROM};
    double sum = 0.0;
    if (a < SIEGERT_ASYM_FROM) {
        double top = fmin(b, SIEGERT_ASYM_FROM);
        for (int i = 0; i + 1 < 6; i++) {
            double lo = fmax(a, panels[i]), hi = fmin(top, panels[i + 1]);
            if (lo < hi) sum += siegert_gauss(lo, hi);
        }
    }
    if (b > SIEGERT_ASYM_FROM) {
        double lo = fmax(a, SIEGERT_ASYM_FROM);
        sum += siegert_tail(lo, log(b / lo));
    }
    return sum;
}

// siegert_int_expsq is expSqIntegral: ∫_0^x e^{t²} dt, x >= 0.
__device__ inline double siegert_int_expsq(double x) {
    if (x < SIEGERT_ASYM_FROM) {
        double x2 = x * x;
        double t = x, sum = x;
        for (int n = 1; n < SIEGERT_SERIES_MAX; n++) {
            t *= x2 / (double)n;
            double d = t / (double)(2 * n + 1);
            sum += d;
            if (d <= sum * 1e-17) break;
        }
        return sum;
    }
    double inv = 1 / (2 * x * x);
    double term = 1.0, sum = 1.0;
    for (int k = 1; k <= SIEGERT_ASYM_TERMS; k++) {
        term *= (double)(2 * k - 1) * inv;
        sum += term;
    }
    double x2 = x * x;
    double e = fma(x, x, -x2);
    double ex = exp(x2);
    return (ex + ex * e) * sum / (2 * x);
}

// siegert_rate is Neuron.Rate: Phi(mu, sigma) in 1/s.
__device__ inline double siegert_rate(const SiegertNeuron* p, double mu, double sigma) {
    if (p->theta - mu > SIEGERT_CUTOFF * sigma) return 0;
    if (sigma == 0) {
        if (mu == p->theta) return 0;
        return 1e3 / (p->t_ref + p->tau_m * log1p((p->theta - p->V_reset) / (mu - p->theta)));
    }
    double a = SIEGERT_SHIFT_FACTOR * sqrt(p->tau_syn / p->tau_m);
    double yth = (p->theta - mu) / sigma + a;
    double yr = (p->V_reset - mu) / sigma + a;
    double integral;
    if (yth <= 0) {
        double lo = -yth, hi = -yr;
        if (lo >= SIEGERT_ASYM_FROM) {
            integral = siegert_tail(lo, log1p((p->theta - p->V_reset) / (mu - p->theta - a * sigma)));
        } else {
            integral = siegert_int_erfcx(lo, hi);
        }
    } else if (yr < 0) {
        double lo = yth, hi = -yr;
        double e = hi < lo ? -siegert_int_erfcx(hi, lo) : siegert_int_erfcx(lo, hi);
        integral = 2 * siegert_int_expsq(yth) + e;
    } else {
        integral = 2 * (siegert_int_expsq(yth) - siegert_int_expsq(yr)) - siegert_int_erfcx(yr, yth);
    }
    if (integral > 1.7976931348623157e308) return 0;
    return 1e3 / (p->t_ref + p->tau_m * SIEGERT_SQRT_PI * integral);
}

#endif
