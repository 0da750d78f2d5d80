// stdp.cuh: spike-timing-dependent projections on the device (gpu/stdp.go
// lays them out, kernels/stdp.cu runs them): the argument structs (the ABI
// with gpu/abi.go) and the rules, each the twin of package plasticity's,
// operation for operation (every product rounded on its own, rng's
// portable exp and pow), so that the weights have the CPU's bits.
#ifndef STDP_CUH
#define STDP_CUH

#include "snn.cuh"

// History: one population's own spikes, per neuron and member, for the
// plastic synapses onto it (plasticity.Archive): a ring of the last cap
// spikes with K_- just after each. A synapse that needs an older spike
// than the ring keeps reports it (StdpArgs.overflow) rather than read a
// wrong one.
struct History {
    int64_t n, B, cap;
    uint32_t* stamp;         // [B][n][cap]: step + 1 of each spike (its time is stamp·dt, as the CPU computes it)
    double* kminus;          // [B][n][cap]
    uint32_t* total;         // [B][n]: spikes so far; spike e is at e % cap
    double tau_minus, dt;
    const uint32_t* spikes;  // the population's [B][spike_cap]
    const uint32_t* counts;  // the population's [B]
    int64_t spike_cap;
};

// DpiHistory: one population's state variable dPI at the end of every step,
// per neuron and member, for the urbanczik_synapses onto it
// (plasticity.History): a ring of the last cap steps, the entry of step s
// at s % cap (its time (s + 1)·dt, as the CPU stamps it). A synapse that
// needs an older entry reports it (StdpArgs.overflow).
struct DpiHistory {
    int64_t n, B, cap;
    double* values;      // [B][n][cap]
    const float* state;  // the population's dPI, [B][n]
    double dt;
};

// StdpProj: one plastic projection. Offsets, targets and delays are the
// members' common CSR; each member has its own weights and rule
// parameters, and its own presynaptic trace per source.
struct StdpProj {
    int64_t ns, rule, nparam;
    const double* params;     // [B][nparam]: the member's rule (gpu/stdp.go: ruleParams)
    const int64_t* offsets;
    const uint32_t* targets;
    const uint16_t* delays;   // null: every synapse has delay
    int64_t delay;
    float* weights;           // [B][nnz]
    int64_t nnz;
    const uint32_t* spikes;   // the source's [B][spike_cap]
    const uint32_t* counts;   // the source's [B]
    int64_t spike_cap;
    double* kplus;            // [B][ns]: K_+ just after the source's last spike
    double* tlast;            // [B][ns]: that spike's time (0 before the first)
    const History* hist;      // the target's spikes (null where no rule reads them)
    double dt;
    double* vars;             // [B][nnz][nvars]: the rule's variables per synapse (Plastic.Vars)
    int64_t nvars;
    const DpiHistory* dpi;    // the target's dPI (null where no rule reads it)
};

// StdpArgs: stdp_transmit and stdp_after, every plastic projection and
// every history of a step.
struct StdpArgs {
    int64_t nproj, nhist, B;
    const StdpProj* proj;
    History* hist;
    const int64_t* clock;
    int64_t ndpi;
    DpiHistory* dpi;
    unsigned long long* overflow; // [B]: the least step·nproj + projection whose synapse missed a spike; all ones while none
};

// The rules (gpu/stdp.go's rule numbers). A rule is its weight update at a
// transmission; the pair-based ones share stdp_pair_transmit and differ in
// facilitate and depress. A further rule is one more struct and one more
// case in stdp_rule_transmit.
enum { STDP_RULE_STDP = 0, STDP_RULE_POWER_LAW = 1, STDP_RULE_URBANCZIK = 2 };

// RuleSTDP is plasticity.STDP: params tau_plus, lambda, alpha, mu_plus,
// mu_minus, Wmax.
struct RuleSTDP {
    static __device__ __forceinline__ double facilitate(const double* p, double w, double k) {
        double n = w / p[5] + (p[1] * snn_pow(1 - w / p[5], p[3])) * k;
        return n < 1 ? n * p[5] : p[5];
    }
    static __device__ __forceinline__ double depress(const double* p, double w, double k) {
        double n = w / p[5] - ((p[2] * p[1]) * snn_pow(w / p[5], p[4])) * k;
        return n > 0 ? n * p[5] : 0;
    }
};

// RulePowerLaw is plasticity.PowerLaw: params tau_plus, lambda, alpha, mu.
struct RulePowerLaw {
    static __device__ __forceinline__ double facilitate(const double* p, double w, double k) {
        return w + (p[1] * snn_pow(w, p[3])) * k;
    }
    static __device__ __forceinline__ double depress(const double* p, double w, double k) {
        double r = w - ((p[1] * p[2]) * w) * k;
        return r != r ? r : (r > 0 ? r : 0); // Go's max(r, 0): NaN stays, -0 becomes 0
    }
};

// hist_time is the time of spike e of a ring.
__device__ __forceinline__ double hist_time(const History* h, const uint32_t* stamp, uint32_t e) {
    return (double)stamp[e % h->cap] * h->dt;
}

// stdp_pair_transmit is plasticity.Transmit for target i of member m:
// potentiation by the target's spikes in (t_last - d, t_pre - d], then
// depression by K_- just before t_pre - d (tau_plus is p[0] in every
// pair rule). *ok becomes 0 where the ring no longer holds a spike the
// answer needs. A source that never spiked (K_+ = 0) facilitates by
// exactly 0 whatever the spike's time, so the spikes the ring forgot
// count by their number alone (they lie in the window when K_-'s spike,
// which is younger, is still kept).
template <class R>
__device__ double stdp_pair_transmit(const double* p, double w, double kplus, double tlast, double t_pre, double d,
                                     const History* h, int64_t m, int64_t i, int* ok) {
    const uint32_t* stamp = h->stamp + (m * h->n + i) * h->cap;
    const double* km = h->kminus + (m * h->n + i) * h->cap;
    uint32_t total = h->total[m * h->n + i];
    uint32_t oldest = total > (uint32_t)h->cap ? total - (uint32_t)h->cap : 0;
    double t1 = tlast - d, t2 = t_pre - d;
    // first: the first spike after t1 (the ring must reach back to it).
    uint32_t first = total;
    while (first > oldest && hist_time(h, stamp, first - 1) > t1) first--;
    if (first == oldest && oldest > 0) {
        if (kplus == 0) {
            for (uint32_t e = 0; e < oldest; e++) w = R::facilitate(p, w, 0.0);
        } else {
            *ok = 0;
        }
    }
    for (uint32_t e = first; e < total; e++) {
        double tp = hist_time(h, stamp, e);
        if (tp > t2) break;
        w = R::facilitate(p, w, kplus * snn_exp((tlast - (tp + d)) / p[0]));
    }
    // K_-(t2) from the last spike strictly before t2.
    uint32_t last = total;
    while (last > oldest && !(hist_time(h, stamp, last - 1) < t2)) last--;
    double k = 0;
    if (last > oldest) {
        uint32_t e = last - 1;
        k = km[e % h->cap] * snn_exp((hist_time(h, stamp, e) - t2) / h->tau_minus);
    } else if (oldest > 0) {
        *ok = 0;
    }
    return R::depress(p, w, k);
}

// go_max and go_min are Go's max and min of two: NaN wins, and -0 is
// below +0.
__device__ __forceinline__ double go_max(double a, double b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == b) return signbit(a) ? b : a;
    return a > b ? a : b;
}
__device__ __forceinline__ double go_min(double a, double b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == b) return signbit(a) ? a : b;
    return a < b ? a : b;
}

// URB_HISTORY_EPS is plasticity's historyEps and URB_ANCHOR its
// anchorEntries.
#define URB_HISTORY_EPS 1e-6
#define URB_ANCHOR 256

// dpi_time is the time of step e's entry.
__device__ __forceinline__ double dpi_time(const DpiHistory* h, int64_t e) { return (double)(e + 1) * h->dt; }

// dpi_first is the first entry e >= from whose time - eps reaches t
// (History.Between's bound), at most total.
__device__ __forceinline__ int64_t dpi_first(const DpiHistory* h, int64_t total, double t) {
    int64_t e = (int64_t)floor(t / h->dt) - 2; // below the bound: its time is about t - dt
    if (e < 0) e = 0;
    while (e < total && !(dpi_time(h, e) - URB_HISTORY_EPS >= t)) e++;
    return e;
}

// urbanczik_transmit is plasticity.Urbanczik.Send for a synapse with
// variables v (W_0, PI_int, PI_exp_int, the traces with tau_L and tau_s)
// onto target i of member m, operation for operation: params 0 (no
// K_+), eta, tau_Delta, Wmin, Wmax, C_m_p, g_L_p, tau_syn_ex_p,
// tau_syn_in_p. The step's own entry is not yet in the ring: step entries
// 0 .. step - 1 are. *ok becomes 0 where the ring no longer holds an entry
// the synapse reads.
__device__ inline double urbanczik_transmit(const double* p, double w, double* v, double tlast, double t_pre, double d,
                                            const DpiHistory* h, int64_t step, int64_t m, int64_t i, int* ok) {
    double tau_l = p[5] / p[6], tau_s = p[8];
    if (w > 0) tau_s = p[7];
    const double* vals = h->values + (m * h->n + i) * h->cap;
    int64_t total = step, oldest = total > h->cap ? total - h->cap : 0;
    int64_t lo = dpi_first(h, total, tlast - d), hi = dpi_first(h, total, t_pre - d);
    if (hi < lo) hi = lo;
    if (lo < oldest && lo < hi) *ok = 0;
    double eL = 0, eS = 0, eD = 0, fL = 0, fS = 0, fD = 0, gap = 0, dexp = 0;
    for (int64_t e = lo; e < hi; e++) {
        int64_t k = e - lo;
        double t = dpi_time(h, e), u = t + d;
        if (k % URB_ANCHOR != 0 && fabs(t - dpi_time(h, e - 1) - gap) < URB_HISTORY_EPS) {
            eL = eL * fL;
            eS = eS * fS;
            eD = eD * fD;
        } else {
            eL = snn_exp((tlast - u) / tau_l);
            eS = snn_exp((tlast - u) / tau_s);
            eD = snn_exp((u - t_pre) / p[2]);
            if (e + 1 < hi) {
                gap = dpi_time(h, e + 1) - t;
                fL = snn_exp(-gap / tau_l);
                fS = snn_exp(-gap / tau_s);
                fD = snn_exp(gap / p[2]);
            }
        }
        double a = v[3] * eL, b = v[4] * eS;
        double pi = (a - b) * vals[e % h->cap];
        v[1] += pi;
        double c = eD * pi;
        dexp += c;
    }
    double x = snn_exp((tlast - t_pre) / p[2]) * v[2];
    v[2] = x + dexp;
    double num = (v[1] - v[2]) * 15;
    num = num * p[5];
    num = num * tau_s;
    num = num * p[1];
    double den = p[6] * (tau_l - tau_s);
    w = v[0] + num / den;
    double yl = v[3] * snn_exp((tlast - t_pre) / tau_l), ys = v[4] * snn_exp((tlast - t_pre) / tau_s);
    v[3] = yl + 1;
    v[4] = ys + 1;
    return go_min(go_max(w, p[3]), p[4]);
}

// stdp_rule_transmit picks the rule's transmission; v is the synapse's
// variables of the rules that keep them.
__device__ __forceinline__ double stdp_rule_transmit(int64_t rule, const double* p, double w, double* v, double kplus, double tlast,
                                                     double t_pre, double d, const History* h, const DpiHistory* dh, int64_t step,
                                                     int64_t m, int64_t i, int* ok) {
    switch (rule) {
    case STDP_RULE_STDP: return stdp_pair_transmit<RuleSTDP>(p, w, kplus, tlast, t_pre, d, h, m, i, ok);
    case STDP_RULE_POWER_LAW: return stdp_pair_transmit<RulePowerLaw>(p, w, kplus, tlast, t_pre, d, h, m, i, ok);
    case STDP_RULE_URBANCZIK: return urbanczik_transmit(p, w, v, tlast, t_pre, d, dh, step, m, i, ok);
    }
    *ok = 0;
    return w;
}

// first_of_run: a source that emitted several spikes in a step holds
// consecutive entries of the list (emit_spikes); its synapses change once.
__device__ __forceinline__ int first_of_run(const uint32_t* sp, uint32_t k) {
    return k == 0 || sp[k - 1] != sp[k];
}

#endif
