// ode.cuh: package ode's adaptive RKF45 stepper and models/gap.go's gap
// polynomial, operation for operation (the PTX is built without fused
// multiply-add, the powers use snn_exp and snn_log), so that an ODE model
// gets the same bits on the CPU and the GPU. A model gives its right-hand
// side as a functor with derivs(t, y, dydt); N is its dimension.
#ifndef ODE_CUH
#define ODE_CUH

#include "snn.cuh"

template <int N>
struct Rkf45 {
    double k1[N], k2[N], k3[N], k4[N], k5[N], k6[N], y0[N], tmp[N], yerr[N];
    double tol;
    const double* scale; // RKF45.Scale: per-variable error weights, nullptr for none
};

// rkf45_trial is RKF45.trial: the fifth-order step of size h from t into y,
// its error estimate into yerr.
template <int N, class F>
__device__ __forceinline__ void rkf45_trial(Rkf45<N>* s, F* f, double t, double h, double* y) {
    const double b21 = 1.0 / 4, b31 = 3.0 / 32, b32 = 9.0 / 32;
    const double b41 = 1932.0 / 2197, b42 = -7200.0 / 2197, b43 = 7296.0 / 2197;
    const double b51 = 439.0 / 216, b52 = -8.0, b53 = 3680.0 / 513, b54 = -845.0 / 4104;
    const double b61 = -8.0 / 27, b62 = 2.0, b63 = -3544.0 / 2565, b64 = 1859.0 / 4104, b65 = -11.0 / 40;
    const double c1 = 16.0 / 135, c3 = 6656.0 / 12825, c4 = 28561.0 / 56430, c5 = -9.0 / 50, c6 = 2.0 / 55;
    const double e1 = 1.0 / 360, e3 = -128.0 / 4275, e4 = -2197.0 / 75240, e5 = 1.0 / 50, e6 = 2.0 / 55;
    for (int i = 0; i < N; i++) s->tmp[i] = s->y0[i] + h * (b21 * s->k1[i]);
    f->derivs(t + (1.0 / 4) * h, s->tmp, s->k2);
    for (int i = 0; i < N; i++) s->tmp[i] = s->y0[i] + h * (b31 * s->k1[i] + b32 * s->k2[i]);
    f->derivs(t + (3.0 / 8) * h, s->tmp, s->k3);
    for (int i = 0; i < N; i++) s->tmp[i] = s->y0[i] + h * (b41 * s->k1[i] + b42 * s->k2[i] + b43 * s->k3[i]);
    f->derivs(t + (12.0 / 13) * h, s->tmp, s->k4);
    for (int i = 0; i < N; i++)
        s->tmp[i] = s->y0[i] + h * (b51 * s->k1[i] + b52 * s->k2[i] + b53 * s->k3[i] + b54 * s->k4[i]);
    f->derivs(t + 1.0 * h, s->tmp, s->k5);
    for (int i = 0; i < N; i++)
        s->tmp[i] = s->y0[i] + h * (b61 * s->k1[i] + b62 * s->k2[i] + b63 * s->k3[i] + b64 * s->k4[i] + b65 * s->k5[i]);
    f->derivs(t + (1.0 / 2) * h, s->tmp, s->k6);
    for (int i = 0; i < N; i++) {
        double d = c1 * s->k1[i] + c3 * s->k3[i] + c4 * s->k4[i] + c5 * s->k5[i] + c6 * s->k6[i];
        y[i] = s->y0[i] + h * d;
        double e = e1 * s->k1[i] + e3 * s->k3[i] + e4 * s->k4[i] + e5 * s->k5[i] + e6 * s->k6[i];
        s->yerr[i] = h * e;
    }
}

// rkf45_adjust is RKF45.adjust: the step size the last error asks for;
// *shrink says whether the step must be repeated.
template <int N>
__device__ __forceinline__ double rkf45_adjust(const Rkf45<N>* s, double h, int* shrink) {
    double r = 0.0;
    for (int i = 0; i < N; i++) {
        double x = s->scale ? fabs(s->yerr[i]) * s->scale[i] / s->tol : fabs(s->yerr[i]) / s->tol;
        if (x > r) r = x;
    }
    *shrink = 0;
    if (r > 1.1) {
        double g = 0.9 / snn_exp(snn_log(r) / 5);
        *shrink = 1;
        return h * (g > 0.2 ? g : 0.2);
    }
    if (r < 0.5) {
        double g = 5.0;
        if (r > 0) {
            g = 0.9 / snn_exp(snn_log(r) / 6);
            g = g < 1 ? 1 : g;
            g = g > 5 ? 5 : g;
        }
        return h * g;
    }
    return h;
}

// rkf45_evolve is RKF45.Evolve: y over [0, span] from the step size h (0:
// span); returns the step size for the next call.
template <int N, class F>
__device__ __forceinline__ double rkf45_evolve(Rkf45<N>* s, F* f, double* y, double span, double h) {
    if (!(h > 0)) h = span;
    double t = 0.0;
    while (t < span) {
        for (int i = 0; i < N; i++) s->y0[i] = y[i];
        f->derivs(t, y, s->k1);
        for (;;) {
            int final = h > span - t;
            double step = final ? span - t : h;
            rkf45_trial<N, F>(s, f, t, step, y);
            double next = final ? span : t + step;
            int shrink;
            double nh = rkf45_adjust<N>(s, step, &shrink);
            if (shrink && nh < step && next + nh != next) {
                for (int i = 0; i < N; i++) y[i] = s->y0[i];
                h = nh;
                continue;
            }
            if (shrink) nh = step;
            t = next;
            h = nh;
            break;
        }
    }
    return h;
}

// gap_polynomial is models.GapPolynomial: a potential over one step in
// normalized time, of interpolation order 0, 1 or 3, into c[0..3].
__device__ __forceinline__ void gap_polynomial(int order, double v0, double v1, double d0, double d1, double* c) {
    c[0] = v0;
    c[1] = c[2] = c[3] = 0;
    if (order == 1) {
        c[1] = v1 - v0;
    } else if (order == 3) {
        c[1] = d0;
        c[2] = ((-3 * v0 + 3 * v1) - 2 * d0) - d1;
        c[3] = ((2 * v0 - 2 * v1) + d0) + d1;
    }
}

// gap_current is models' gapCurrent: -g·v + Σ c_k τ^k.
__device__ __forceinline__ double gap_current(double g, const double* c, double tau, double v) {
    double p = (c[3] * tau + c[2]) * tau + c[1];
    p = p * tau + c[0];
    return p - g * v;
}

// wide_get and wide_set are models' wideGet and wideSet: a double held as
// a float pair (the value rounded to float, and the rest).
__device__ __forceinline__ double wide_get(float hi, float lo) { return (double)hi + (double)lo; }
__device__ __forceinline__ void wide_set(double x, float* hi, float* lo) {
    float h = (float)x;
    *hi = h;
    *lo = (float)(x - (double)h);
}

#endif
