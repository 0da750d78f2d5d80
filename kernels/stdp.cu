// The kernels of spike-timing-dependent projections (stdp.cuh): a step
// launches stdp_transmit after the neurons' update and before propagate,
// which then carries the new weights like a static projection's, and
// stdp_after after propagate (cpu/plastic.go's order).
#include "stdp.cuh"

// stdp_transmit: grid.y over members; blocks take the step's spikes of
// each plastic projection in turn (grid-stride), threads stride over the
// source's synapses: each synapse's weight becomes the one its spike
// carries (plasticity.Transmit), before the source's trace moves.
extern "C" __global__ void stdp_transmit(const StdpArgs* a) {
    int64_t m = blockIdx.y;
    int64_t step = *a->clock;
    for (int64_t p = 0; p < a->nproj; p++) {
        const StdpProj* pr = &a->proj[p];
        const uint32_t* sp = pr->spikes + m * pr->spike_cap;
        const double* par = pr->params + m * pr->nparam;
        double t_pre = (double)(step + 1) * pr->dt;
        uint32_t count = pr->counts[m];
        for (int64_t k = blockIdx.x; k < count; k += gridDim.x) {
            if (!first_of_run(sp, (uint32_t)k)) continue;
            uint32_t src = sp[k];
            double kplus = pr->kplus[m * pr->ns + src], tlast = pr->tlast[m * pr->ns + src];
            float* w = pr->weights + m * pr->nnz;
            double* vars = pr->vars ? pr->vars + m * pr->nnz * pr->nvars : 0;
            for (int64_t j = pr->offsets[src] + threadIdx.x; j < pr->offsets[src + 1]; j += blockDim.x) {
                double d = (double)(pr->delays ? (int64_t)pr->delays[j] : pr->delay) * pr->dt;
                int ok = 1;
                w[j] = (float)stdp_rule_transmit(pr->rule, par, (double)w[j], vars ? vars + j * pr->nvars : 0, kplus, tlast, t_pre, d,
                                                 pr->hist, pr->dpi, step, m, pr->targets[j], &ok);
                if (!ok) atomicMin(&a->overflow[m], (unsigned long long)(step * a->nproj + p));
            }
        }
    }
}
SNN_KERNEL(stdp_transmit, StdpArgs)

// stdp_after: grid.y over members, threads over the step's spikes: each
// spiking source's trace of every plastic projection moves (Pre.Spike),
// each spiking neuron with a history archives the spike (Archive.Add),
// once per step however many spikes it emitted; then threads over neurons
// append dPI to its histories.
extern "C" __global__ void stdp_after(const StdpArgs* a) {
    int64_t m = blockIdx.y;
    int64_t step = *a->clock;
    int64_t stride = (int64_t)gridDim.x * blockDim.x;
    int64_t first = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    for (int64_t p = 0; p < a->nproj; p++) {
        const StdpProj* pr = &a->proj[p];
        const uint32_t* sp = pr->spikes + m * pr->spike_cap;
        double t = (double)(step + 1) * pr->dt;
        double tau = pr->params[m * pr->nparam];
        for (int64_t k = first; k < pr->counts[m]; k += stride) {
            if (!first_of_run(sp, (uint32_t)k)) continue;
            int64_t s = m * pr->ns + sp[k];
            if (tau > 0) pr->kplus[s] = pr->kplus[s] * snn_exp((pr->tlast[s] - t) / tau) + 1; // Pre.Spike
            pr->tlast[s] = t;
        }
    }
    for (int64_t q = 0; q < a->nhist; q++) {
        History* h = &a->hist[q];
        const uint32_t* sp = h->spikes + m * h->spike_cap;
        uint32_t stamp = (uint32_t)(step + 1);
        double t = (double)stamp * h->dt;
        for (int64_t k = first; k < h->counts[m]; k += stride) {
            if (!first_of_run(sp, (uint32_t)k)) continue;
            int64_t i = m * h->n + sp[k];
            uint32_t* st = h->stamp + i * h->cap;
            double* km = h->kminus + i * h->cap;
            uint32_t e = h->total[i];
            double kk = 1;
            if (e > 0) kk += km[(e - 1) % h->cap] * snn_exp((hist_time(h, st, e - 1) - t) / h->tau_minus);
            st[e % h->cap] = stamp;
            km[e % h->cap] = kk;
            h->total[i] = e + 1;
        }
    }
    // Each history of dPI takes the step's value (the neurons' update of
    // this step wrote it), after stdp_transmit has read the earlier ones.
    for (int64_t q = 0; q < a->ndpi; q++) {
        DpiHistory* h = &a->dpi[q];
        for (int64_t i = first; i < h->n; i += stride) {
            h->values[(m * h->n + i) * h->cap + step % h->cap] = (double)h->state[m * h->n + i];
        }
    }
}
SNN_KERNEL(stdp_after, StdpArgs)

