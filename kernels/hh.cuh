// hh.cuh: what update_hh_psc_alpha and update_hh_psc_alpha_gap share,
// mirroring models/hh.go operation for operation: the constants, the rate
// functions, the right-hand sides and the update of one neuron over one
// step with the RKF45 stepper of ode.cuh.
#ifndef HH_CUH
#define HH_CUH

#include "ode.cuh"

// Constants, in models/hh.go's order.
enum { HH_CM, HH_IE, HH_TAU_EX, HH_TAU_IN, HH_PSC_EX, HH_PSC_IN, HH_REF_STEPS, HH_DT, HH_GNA, HH_GK1, HH_GK2, HH_GL,
       HH_ENA, HH_EK, HH_EL };

#define HH_TOL 1e-6 // models' hhTol

__device__ __forceinline__ double lin_exp(double a, double x, double s) {
    if (x == 0) return a * s;
    return a * x / (1 - snn_exp(-x / s));
}

__device__ __forceinline__ double hh_gate(double alpha, double beta, double x) { return alpha * (1 - x) - beta * x; }

// HHInput is models' hhInput.
struct HHInput {
    const double* c;
    double istim, g, coef[4], h;
};

template <int N>
__device__ __forceinline__ void hh_synapses(const HHInput* in, const double* y, double* dy) {
    double tex = in->c[HH_TAU_EX], tin = in->c[HH_TAU_IN];
    dy[N - 2] = -y[N - 2] / tex;
    dy[N - 4] = y[N - 2] - y[N - 4] / tex;
    dy[N - 1] = -y[N - 1] / tin;
    dy[N - 3] = y[N - 1] - y[N - 3] / tin;
}

template <int N>
__device__ __forceinline__ double hh_vdot(const HHInput* in, double t, const double* y, double ionic) {
    double i = (in->istim - ionic) + y[N - 4] + y[N - 3];
    if (in->g != 0) i += gap_current(in->g, in->coef, t / in->h, y[0]);
    return i / in->c[HH_CM];
}

// HHClassic is hh_psc_alpha's right-hand side.
struct HHClassic {
    HHInput in;
    __device__ void derivs(double t, const double* y, double* dy) {
        const double* c = in.c;
        double v = y[0], m = y[1], h = y[2], n = y[3];
        double am = lin_exp(0.1, v + 40, 10);
        double bm = 4 * snn_exp(-(v + 65) / 18);
        double ah = 0.07 * snn_exp(-(v + 65) / 20);
        double bh = 1 / (1 + snn_exp(-(v + 35) / 10));
        double an = lin_exp(0.01, v + 55, 10);
        double bn = 0.125 * snn_exp(-(v + 65) / 80);
        double n2 = n * n;
        double ina = c[HH_GNA] * m * m * m * h * (v - c[HH_ENA]);
        double ik = c[HH_GK1] * n2 * n2 * (v - c[HH_EK]);
        double il = c[HH_GL] * (v - c[HH_EL]);
        dy[0] = hh_vdot<8>(&in, t, y, (ina + ik) + il);
        dy[1] = hh_gate(am, bm, m);
        dy[2] = hh_gate(ah, bh, h);
        dy[3] = hh_gate(an, bn, n);
        hh_synapses<8>(&in, y, dy);
    }
};

// HHMancilla is hh_psc_alpha_gap's right-hand side.
struct HHMancilla {
    HHInput in;
    __device__ void derivs(double t, const double* y, double* dy) {
        const double* c = in.c;
        double v = y[0], m = y[1], h = y[2], n = y[3], p = y[4];
        double am = lin_exp(40, v - 75.5, 13.5);
        double bm = 1.2262 * snn_exp(-v / 42.248);
        double ah = 0.0035 * snn_exp(-v / 24.186);
        double bh = lin_exp(0.017, v + 51.25, 5.2);
        double an = lin_exp(0.014, v + 44, 2.3);
        double bn = 0.0043 * snn_exp(-(v + 44) / 34);
        double ap = lin_exp(1, v - 95, 11.8);
        double bp = 0.025 * snn_exp(-v / 22.222);
        double n2 = n * n;
        double ina = c[HH_GNA] * m * m * m * h * (v - c[HH_ENA]);
        double ik = (c[HH_GK1] * n2 * n2 + c[HH_GK2] * p * p) * (v - c[HH_EK]);
        double il = c[HH_GL] * (v - c[HH_EL]);
        dy[0] = hh_vdot<9>(&in, t, y, (ina + ik) + il);
        dy[1] = hh_gate(am, bm, m);
        dy[2] = hh_gate(ah, bh, h);
        dy[3] = hh_gate(an, bn, n);
        dy[4] = hh_gate(ap, bp, p);
        hh_synapses<9>(&in, y, dy);
    }
};

// hh_update is models' updateHH for neuron i of member m: N ODE variables,
// then refractory_steps and I_stim, then the history slots (the ODE's low
// halves, the step size's pair). With gap junctions (a->gap_in) it reads
// the coupling of the step and writes its polynomial; in a trial pass of
// waveform relaxation it emits nothing and keeps its input.
template <int N, class F>
__device__ __forceinline__ void hh_update(const PopArgs* a, int64_t m, int64_t i) {
    int mode = gap_mode(a, m);
    if (mode == GAP_IDLE) return;
    const double* c = a->consts + m * a->nconst;
    const int named = N + 2;
    int64_t step = *a->clock;
    double dt = c[HH_DT];
    F f;
    f.in.c = c;
    f.in.h = dt;
    f.in.g = 0;
    for (int k = 0; k < 4; k++) f.in.coef[k] = 0;
    Rkf45<N> st;
    st.tol = HH_TOL;
    st.scale = nullptr;
    double y[N], dy[N];
    for (int j = 0; j < N; j++) y[j] = wide_get(pop_var(a, j, m)[i], pop_var(a, named + j, m)[i]);
    float* hHi = pop_var(a, named + N, m) + i;
    float* hLo = pop_var(a, named + N + 1, m) + i;
    double h = wide_get(*hHi, *hLo);
    float* ref = pop_var(a, N, m) + i;
    float* cur = pop_var(a, N + 1, m) + i;
    float* spkEx = pop_input(a, 0, m, step) + i;
    float* spkIn = pop_input(a, 1, m, step) + i;
    float* inCur = pop_input(a, 2, m, step) + i;
    f.in.istim = (double)*cur + c[HH_IE];
    double v0 = y[0], d0 = 0.0;
    int64_t k = 0, base = 0;
    if (a->gap_in) {
        k = step % a->gap_window;
        base = ((m * a->n + i) * a->gap_window + k) * 4;
        f.in.g = a->gap_g[m * a->n + i];
        for (int q = 0; q < 4; q++) f.in.coef[q] = a->gap_in[base + q];
        f.derivs(0, y, dy);
        d0 = dt * dy[0];
    }
    h = rkf45_evolve<N, F>(&st, &f, y, dt, h);
    y[N - 2] += c[HH_PSC_EX] * (double)*spkEx;
    y[N - 1] += c[HH_PSC_IN] * (double)*spkIn;
    if (a->gap_in) {
        f.derivs(dt, y, dy);
        double p[4];
        gap_polynomial((int)a->gap_order, v0, y[0], d0, dt * dy[0], p);
        for (int q = 0; q < 4; q++) a->gap_out[base + q] = p[q];
        a->gap_end[(m * a->n + i) * a->gap_window + k] = y[0];
    }
    if (*ref > 0) {
        *ref -= 1;
    } else if (y[0] >= 0 && v0 > y[0]) {
        *ref = (float)c[HH_REF_STEPS];
        if (mode == GAP_FINAL) emit_spike(a, m, i, step);
    }
    *cur = *inCur;
    if (mode == GAP_FINAL) {
        *spkEx = 0; // the slot is read: clear it for step + slots
        *spkIn = 0;
        *inCur = 0;
    }
    for (int j = 0; j < N; j++) wide_set(y[j], pop_var(a, j, m) + i, pop_var(a, named + j, m) + i);
    wide_set(h, hHi, hLo);
}

#endif
