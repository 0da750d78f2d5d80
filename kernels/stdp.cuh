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
    const History* hist;      // the target's
    double dt;
};

// StdpArgs: stdp_transmit and stdp_after, every plastic projection and
// every history of a step.
struct StdpArgs {
    int64_t nproj, nhist, B;
    const StdpProj* proj;
    History* hist;
    const int64_t* clock;
    unsigned long long* overflow; // [B]: the least step·nproj + projection whose synapse missed a spike; all ones while none
};

// The rules (gpu/stdp.go's rule numbers). A rule is its weight update at a
// transmission; the pair-based ones share stdp_pair_transmit and differ in
// facilitate and depress. A further rule is one more struct and one more
// case in stdp_rule_transmit.
enum { STDP_RULE_STDP = 0, STDP_RULE_POWER_LAW = 1 };

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

// stdp_rule_transmit picks the rule's transmission.
__device__ __forceinline__ double stdp_rule_transmit(int64_t rule, const double* p, double w, double kplus, double tlast,
                                                     double t_pre, double d, const History* h, int64_t m, int64_t i, int* ok) {
    switch (rule) {
    case STDP_RULE_STDP: return stdp_pair_transmit<RuleSTDP>(p, w, kplus, tlast, t_pre, d, h, m, i, ok);
    case STDP_RULE_POWER_LAW: return stdp_pair_transmit<RulePowerLaw>(p, w, kplus, tlast, t_pre, d, h, m, i, ok);
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
