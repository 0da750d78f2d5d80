// The emulator's kernel registry and launcher (and the argument structs' layouts).
#include <map>
#include <string>
#include "../../kernels/snn.cuh"

thread_local snn_dim3 threadIdx, blockIdx, blockDim, gridDim;

static std::map<std::string, snn_kernel_fn>& registry() {
    static std::map<std::string, snn_kernel_fn> r;
    return r;
}

void snn_register(const char* name, snn_kernel_fn fn) { registry()[name] = fn; }

extern "C" int snn_emu_launch(const char* name, int gx, int gy, int gz, int bx, const void* args) {
    auto it = registry().find(name);
    if (it == registry().end()) return -1;
    snn_kernel_fn fn = it->second;
    gridDim = {(unsigned)gx, (unsigned)gy, (unsigned)gz};
    blockDim = {(unsigned)bx, 1, 1};
    // Blocks and threads run one at a time, in order: kernels must not
    // synchronise threads within a block (none does).
    for (int z = 0; z < gz; z++)
        for (int y = 0; y < gy; y++)
            for (int x = 0; x < gx; x++) {
                blockIdx = {(unsigned)x, (unsigned)y, (unsigned)z};
                for (int t = 0; t < bx; t++) {
                    threadIdx = {(unsigned)t, 0, 0};
                    fn(args);
                }
            }
    return 0;
}

extern "C" int snn_emu_has(const char* name) { return registry().count(name) ? 1 : 0; }

// Layouts of the argument structs, for gpu/emu's test against gpu/abi.go:
// the size, then the offset of every field, in declaration order.
#include <cstddef>
#define SNN_FIELDS_POP(X) X(PopArgs, n) X(PopArgs, B) X(PopArgs, slots) X(PopArgs, nconst) X(PopArgs, state) \
    X(PopArgs, ring) X(PopArgs, consts) X(PopArgs, params) X(PopArgs, spikes) X(PopArgs, counts) X(PopArgs, rec) \
    X(PopArgs, rec_count) X(PopArgs, rec_cap) X(PopArgs, clock) X(PopArgs, seed) X(PopArgs, points) X(PopArgs, object) \
    X(PopArgs, spike_cap) X(PopArgs, gap_g) X(PopArgs, gap_in) X(PopArgs, gap_out) X(PopArgs, gap_end) \
    X(PopArgs, gap_window) X(PopArgs, gap_order) X(PopArgs, gap_mode)
#define SNN_FIELDS_EMIT(X) X(EmitArgs, nodes) X(EmitArgs, nnz) X(EmitArgs, nt) X(EmitArgs, B) X(EmitArgs, slots) \
    X(EmitArgs, nconst) X(EmitArgs, offsets) X(EmitArgs, targets) X(EmitArgs, weights) X(EmitArgs, delays) \
    X(EmitArgs, delay) X(EmitArgs, scale) X(EmitArgs, ring) X(EmitArgs, ring_neg) X(EmitArgs, consts) X(EmitArgs, clock) \
    X(EmitArgs, seed) X(EmitArgs, points) X(EmitArgs, object) X(EmitArgs, device)
#define SNN_FIELDS_PROJ(X) X(Projection, ns) X(Projection, nt) X(Projection, offsets) X(Projection, targets) \
    X(Projection, weights) X(Projection, delays) X(Projection, delay) X(Projection, scale) X(Projection, spikes) \
    X(Projection, counts) X(Projection, ring) X(Projection, ring_neg) X(Projection, spike_cap) X(Projection, offsets_stride) \
    X(Projection, weights_stride)
#define SNN_FIELDS_PROP(X) X(PropagateArgs, nproj) X(PropagateArgs, B) X(PropagateArgs, slots) \
    X(PropagateArgs, proj) X(PropagateArgs, clock)
#define SNN_FIELDS_FINISH(X) X(FinishArgs, ncounts) X(FinishArgs, counts) X(FinishArgs, B) X(FinishArgs, clock)
#define SNN_FIELDS_SAMPLE(X) X(SampleArgs, n) X(SampleArgs, B) X(SampleArgs, nvars) X(SampleArgs, nrec) \
    X(SampleArgs, cap) X(SampleArgs, state) X(SampleArgs, vars) X(SampleArgs, offsets) X(SampleArgs, neurons) \
    X(SampleArgs, out) X(SampleArgs, clock) X(SampleArgs, interval) X(SampleArgs, base)
#define SNN_FIELDS_FINITE(X) X(FiniteArgs, n) X(FiniteArgs, B) X(FiniteArgs, nvars) X(FiniteArgs, state) \
    X(FiniteArgs, first)
#define SNN_FIELDS_GAPPROJ(X) X(GapProj, offsets) X(GapProj, targets) X(GapProj, weights) X(GapProj, scale) \
    X(GapProj, out) X(GapProj, ns)
#define SNN_FIELDS_GAP(X) X(GapArgs, n) X(GapArgs, B) X(GapArgs, window) X(GapArgs, steps) X(GapArgs, nproj) \
    X(GapArgs, proj) X(GapArgs, in) X(GapArgs, out) X(GapArgs, end) X(GapArgs, prev) X(GapArgs, mode) \
    X(GapArgs, unconverged) X(GapArgs, tol) X(GapArgs, last)
#define SNN_FIELDS_COPY(X) X(CopyArgs, n) X(CopyArgs, src) X(CopyArgs, dst)
#include "../../kernels/rate.cuh"
#define SNN_FIELDS_RATEPROJ(X) X(RateProj, offsets) X(RateProj, sources) X(RateProj, weights) X(RateProj, delays) \
    X(RateProj, delay) X(RateProj, scale) X(RateProj, src) X(RateProj, src_stride) X(RateProj, src_mstride) \
    X(RateProj, ring) X(RateProj, ring_neg) X(RateProj, term) X(RateProj, nterm)
#define SNN_FIELDS_RATE(X) X(RateArgs, nt) X(RateArgs, B) X(RateArgs, slots) X(RateArgs, nproj) X(RateArgs, proj) \
    X(RateArgs, clock)
#include "../../kernels/stdp.cuh"
#define SNN_FIELDS_HIST(X) X(History, n) X(History, B) X(History, cap) X(History, stamp) X(History, kminus) \
    X(History, total) X(History, tau_minus) X(History, dt) X(History, spikes) X(History, counts) X(History, spike_cap)
#define SNN_FIELDS_STDPPROJ(X) X(StdpProj, ns) X(StdpProj, rule) X(StdpProj, nparam) X(StdpProj, params) \
    X(StdpProj, offsets) X(StdpProj, targets) X(StdpProj, delays) X(StdpProj, delay) X(StdpProj, weights) \
    X(StdpProj, nnz) X(StdpProj, spikes) X(StdpProj, counts) X(StdpProj, spike_cap) X(StdpProj, kplus) \
    X(StdpProj, tlast) X(StdpProj, hist) X(StdpProj, dt) X(StdpProj, vars) X(StdpProj, nvars) X(StdpProj, dpi)
#define SNN_FIELDS_STDP(X) X(StdpArgs, nproj) X(StdpArgs, nhist) X(StdpArgs, B) X(StdpArgs, proj) X(StdpArgs, hist) \
    X(StdpArgs, clock) X(StdpArgs, ndpi) X(StdpArgs, dpi) X(StdpArgs, overflow)
#define SNN_FIELDS_DPI(X) X(DpiHistory, n) X(DpiHistory, B) X(DpiHistory, cap) X(DpiHistory, values) \
    X(DpiHistory, state) X(DpiHistory, dt)
#define SNN_OFFSET(T, f) (long)offsetof(T, f),

extern "C" int snn_emu_layout(const char* name, long* out, int max) {
    std::string n(name);
    long v[64];
    int k = 0;
    auto put = [&](std::initializer_list<long> xs, long size) {
        v[k++] = size;
        for (long x : xs) v[k++] = x;
    };
    if (n == "PopArgs") put({SNN_FIELDS_POP(SNN_OFFSET)}, sizeof(PopArgs));
    else if (n == "EmitArgs") put({SNN_FIELDS_EMIT(SNN_OFFSET)}, sizeof(EmitArgs));
    else if (n == "Projection") put({SNN_FIELDS_PROJ(SNN_OFFSET)}, sizeof(Projection));
    else if (n == "PropagateArgs") put({SNN_FIELDS_PROP(SNN_OFFSET)}, sizeof(PropagateArgs));
    else if (n == "FinishArgs") put({SNN_FIELDS_FINISH(SNN_OFFSET)}, sizeof(FinishArgs));
    else if (n == "SampleArgs") put({SNN_FIELDS_SAMPLE(SNN_OFFSET)}, sizeof(SampleArgs));
    else if (n == "FiniteArgs") put({SNN_FIELDS_FINITE(SNN_OFFSET)}, sizeof(FiniteArgs));
    else if (n == "GapProj") put({SNN_FIELDS_GAPPROJ(SNN_OFFSET)}, sizeof(GapProj));
    else if (n == "GapArgs") put({SNN_FIELDS_GAP(SNN_OFFSET)}, sizeof(GapArgs));
    else if (n == "CopyArgs") put({SNN_FIELDS_COPY(SNN_OFFSET)}, sizeof(CopyArgs));
    else if (n == "RateProj") put({SNN_FIELDS_RATEPROJ(SNN_OFFSET)}, sizeof(RateProj));
    else if (n == "RateArgs") put({SNN_FIELDS_RATE(SNN_OFFSET)}, sizeof(RateArgs));
    else if (n == "History") put({SNN_FIELDS_HIST(SNN_OFFSET)}, sizeof(History));
    else if (n == "StdpProj") put({SNN_FIELDS_STDPPROJ(SNN_OFFSET)}, sizeof(StdpProj));
    else if (n == "StdpArgs") put({SNN_FIELDS_STDP(SNN_OFFSET)}, sizeof(StdpArgs));
    else if (n == "DpiHistory") put({SNN_FIELDS_DPI(SNN_OFFSET)}, sizeof(DpiHistory));
    else return -1;
    if (k > max) return -1;
    for (int i = 0; i < k; i++) out[i] = v[i];
    return k;
}
