// snn.cuh: what every kernel of snn-gpu shares: the host-emulation shims,
// the argument structs (the ABI with gpu/abi.go), Philox4x32-10 and small
// helpers. Compiled by nvcc to PTX, and by g++ for the host (gpu/emu), so
// that every kernel also runs, and is tested, on machines without a GPU.
//
// ABI: every kernel is extern "C" __global__ void name(const NameArgs* a),
// its one argument a pointer to a struct in device memory whose fields are
// all 8 bytes wide (pointers, int64_t, double), so that Go can mirror it
// without padding questions. The update and emit kernels take an array of
// such structs, one per population or projection of their model, indexed
// by blockIdx.z: one launch per model and step. Kernels read the step from
// a device-side clock, so a step's launches are the same every step.
#ifndef SNN_CUH
#define SNN_CUH

#include <stdint.h>

#ifndef __CUDACC__
// ---- host emulation -------------------------------------------------------
#include <math.h>
#include <string.h>
struct snn_dim3 { unsigned int x, y, z; };
extern thread_local snn_dim3 threadIdx, blockIdx, blockDim, gridDim;
#define __global__
#define __device__
#define __forceinline__ inline
#define __restrict__ __restrict
static inline float atomicAdd(float* p, float v) {
    // The emulator runs one thread at a time: a plain add is atomic.
    float old = *p;
    *p = old + v;
    return old;
}
static inline unsigned int atomicAdd(unsigned int* p, unsigned int v) {
    unsigned int old = *p;
    *p = old + v;
    return old;
}
static inline unsigned long long atomicMin(unsigned long long* p, unsigned long long v) {
    unsigned long long old = *p;
    if (v < old) *p = v;
    return old;
}
static inline unsigned int __umulhi(unsigned int a, unsigned int b) {
    return (unsigned int)(((uint64_t)a * (uint64_t)b) >> 32);
}
// SNN_KERNEL registers a kernel with the emulator (gpu/emu).
typedef void (*snn_kernel_fn)(const void*);
void snn_register(const char* name, snn_kernel_fn fn);
#define SNN_KERNEL(name, Args)                                                      \
    static void name##_entry(const void* a) { name((const Args*)a); }              \
    static struct name##_reg { name##_reg() { snn_register(#name, name##_entry); } } \
        name##_reg_instance;
#else
#define SNN_KERNEL(name, Args)
#endif

// ---- arguments (mirrored in gpu/abi.go; keep every field 8 bytes) ---------

// PopArgs: one population's update. State variable v of neuron i of member
// m is state[(v*B + m)*n + i]; input port p's ring slot s of member m is
// ring[((p*B + m)*slots + s)*n + i]; constants of member m start at
// consts[m*nconst]; the k-th per-neuron parameter of the model
// (models.Param.PerNeuron, in declaration order) of neuron i of member m is
// params[(k*B + m)*n + i] (null for a model without any).
struct PopArgs {
    int64_t n, B, slots, nconst;
    float* state;
    float* ring;
    const double* consts;
    const float* params;
    uint32_t* spikes;     // [B][spike_cap]: this step's spikes, in arbitrary order
    uint32_t* counts;     // [B]
    uint32_t* rec;        // [B][rec_cap][2]: (step, neuron) of every spike
    uint32_t* rec_count;  // [B]
    int64_t rec_cap;
    const int64_t* clock; // the current step
    int64_t seed;         // rng key word 0
    const int64_t* points;// [B]: rng key word 1 of each member
    int64_t object;       // population number (rng streams)
    int64_t spike_cap;    // spikes per member and step: n × the model's multiplicity
    // Gap junctions (models.Neuron.Gap; null where the population has no
    // gap_junction connections). A waveform-relaxation window has
    // gap_window steps, step k of it is clock % gap_window.
    const double* gap_g;  // [B][n]: total gap conductance of each neuron
    const double* gap_in; // [B][n][window][4]: Σ g_ij × neighbour's polynomial coefficients (models.GapStep)
    double* gap_out;      // [B][n][window][4]: the neuron's own polynomial of each step
    double* gap_end;      // [B][n][window]: V_m at the end of each step
    int64_t gap_window, gap_order;
    const int64_t* gap_mode; // [B]: GAP_FINAL, GAP_TRIAL or GAP_IDLE (null: all final)
};

// Modes of a member's update under waveform relaxation: the real update
// (spikes emitted, input consumed), a trial pass (neither; the backend
// restores the state after it) and idle (a converged member sits out the
// trial passes of the others).
enum { GAP_FINAL = 0, GAP_TRIAL = 1, GAP_IDLE = 2 };

// EmitArgs: one device projection: the device's spikes or currents into the
// target's ring. Synapse j of row (device node) r is at offsets[r] <= j <
// offsets[r+1].
struct EmitArgs {
    int64_t nodes, nnz, nt, B, slots, nconst;
    const int64_t* offsets;
    const uint32_t* targets;
    const float* weights;  // null: every synapse has scale[m]
    const uint16_t* delays;// null: every synapse has delay
    int64_t delay;
    const float* scale;    // [B]
    float* ring;           // the target port's ring: [B][slots][nt]
    float* ring_neg;       // where negative amounts go (ring unless the model routes by sign)
    const double* consts;  // [B][nconst]
    const int64_t* clock;
    int64_t seed;
    const int64_t* points;
    int64_t object;        // projection number (rng streams)
    int64_t device;        // device number (rng streams of per-node draws)
};

// Projection: one population projection, for propagate.
struct Projection {
    int64_t ns, nt;
    const int64_t* offsets;
    const uint32_t* targets;
    const float* weights;
    const uint16_t* delays;
    int64_t delay;
    const float* scale;         // [B]
    const uint32_t* spikes;     // source population's [B][spike_cap]
    const uint32_t* counts;     // source population's [B]
    float* ring;                // target port's [B][slots][nt]
    float* ring_neg;            // for negative weights (ring unless the model routes by sign)
    int64_t spike_cap;          // the source's spikes per member and step
    int64_t offsets_stride;     // member m's row offsets start at m*offsets_stride (0: one CSR for all members)
    int64_t weights_stride;     // member m's weights start at m*weights_stride (0: shared; spike-timing-dependent weights)
};

struct PropagateArgs {
    int64_t nproj, B, slots;
    const Projection* proj;
    const int64_t* clock;
};

// FinishArgs: end of a step: clear the spike counts and advance the clock.
struct FinishArgs {
    int64_t ncounts;
    uint32_t* const* counts; // [ncounts] pointers to [B] counters
    int64_t B;
    int64_t* clock;
};

// SampleArgs: one multimeter: values of the chosen state variables of the
// chosen neurons, absolute (offset added), into out[m][sample][v][k].
struct SampleArgs {
    int64_t n, B, nvars, nrec, cap;
    const float* state;        // the population's state block
    const int64_t* vars;       // [nvars] state variable numbers
    const double* offsets;     // [B][nvars] E_L and the like
    const uint32_t* neurons;   // [nrec]
    float* out;                // [B][cap][nvars][nrec]
    const int64_t* clock;
    int64_t interval, base;    // sample s = stamp/interval - 1 - base
};

// FiniteArgs: the check for non-finite state of one population
// (check_finite).
struct FiniteArgs {
    int64_t n, B, nvars;       // nvars: the model's named state variables
    const float* state;        // the population's state block
    unsigned long long* first; // [B]: the least neuron*nvars + variable found non-finite; all ones while none
};

// GapProj: one gap projection into a population, as its mirror (network's
// Mirror: row t lists the sources of target t), with the source
// population's polynomials.
struct GapProj {
    const int64_t* offsets;
    const uint32_t* targets;
    const float* weights; // null: every synapse has scale[m]
    const float* scale;   // [B]
    const double* out;    // the source population's [B][ns][window][4]
    int64_t ns;
};

// GapArgs: the waveform-relaxation kernels of one population with gap
// junctions (gap.cu); blockIdx.z picks the population.
struct GapArgs {
    int64_t n, B, window, steps, nproj;
    const GapProj* proj;   // [nproj], in projection order
    double* in;            // [B][n][window][4]
    double* out;
    double* end;           // [B][n][window]
    double* prev;
    const int64_t* mode;   // [B]
    uint32_t* unconverged; // [B]: neurons that moved by more than tol
    double tol;
    int64_t last;          // gap_extrapolate: the window's last step
};

// CopyArgs: gap_copy's n floats from src to dst.
struct CopyArgs {
    int64_t n;
    const float* src;
    float* dst;
};

// ---- Philox4x32-10 (rng/philox.go) ----------------------------------------
struct Philox4 { uint32_t v[4]; };

__device__ __forceinline__ Philox4 philox(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3) {
    for (int r = 0; r < 10; r++) {
        uint32_t hi0 = __umulhi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
        uint32_t hi1 = __umulhi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
        uint32_t n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
        c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    Philox4 out = {{c0, c1, c2, c3}};
    return out;
}

// Purposes of rng/purpose.go (never renumbered).
#define SNN_PURPOSE_POISSON 2u
#define SNN_PURPOSE_NEURON 5u
#define SNN_PURPOSE_NOISE 6u
#define SNN_PURPOSE_PATTERN 14u
#define SNN_POINT_NETWORK 0xFFFFFFFFu // rng.Network: keys draws shared by every point

__device__ __forceinline__ uint32_t word3(uint32_t purpose, uint32_t object) {
    return purpose << 24 | (object & 0xFFFFFFu);
}

// Stream is rng.Stream: the words of consecutive Philox blocks of the
// counter (index, step, block, purpose<<24 | object), block counting up
// from 0.
struct Stream {
    uint32_t k0, k1, index, step, block, w3;
    uint32_t buf[4];
    int pos;
};

__device__ __forceinline__ Stream stream_new(uint32_t k0, uint32_t k1, uint32_t purpose, uint32_t object, uint32_t index, uint32_t step) {
    Stream s;
    s.k0 = k0; s.k1 = k1; s.index = index; s.step = step; s.block = 0; s.w3 = word3(purpose, object);
    s.pos = 4;
    return s;
}

__device__ __forceinline__ uint32_t stream_u32(Stream* s) {
    if (s->pos == 4) {
        Philox4 b = philox(s->k0, s->k1, s->index, s->step, s->block, s->w3);
        s->block++;
        for (int i = 0; i < 4; i++) s->buf[i] = b.v[i];
        s->pos = 0;
    }
    return s->buf[s->pos++];
}

// stream_float64 is Stream.Float64: 53 random bits from two words, in [0, 1).
__device__ __forceinline__ double stream_float64(Stream* s) {
    uint64_t hi = (uint64_t)stream_u32(s) >> 5;
    uint64_t lo = (uint64_t)stream_u32(s) >> 6;
    return (double)(hi << 26 | lo) * (1.0 / 9007199254740992.0);
}

// snn_log is rng.Log, operation for operation (rng/portable.go): IEEE
// +, -, *, / and the exact frexp only, so that both sides get the same bits.
__device__ __forceinline__ double snn_log(double x) {
    if (x == 0) return -INFINITY;
    if (!(x > 0)) return NAN;
    if (isinf(x)) return x;
    int e;
    double m = frexp(x, &e);
    if (m < 0.70710678118654757) {
        m = m * 2;
        e--;
    }
    double f = m - 1;
    double s = f / (2 + f);
    double z = s * s;
    double p = 0.043478260869565216;
    p = p * z + 0.047619047619047616;
    p = p * z + 0.052631578947368418;
    p = p * z + 0.058823529411764705;
    p = p * z + 0.066666666666666666;
    p = p * z + 0.076923076923076927;
    p = p * z + 0.090909090909090912;
    p = p * z + 0.1111111111111111;
    p = p * z + 0.14285714285714285;
    p = p * z + 0.20000000000000001;
    p = p * z + 0.33333333333333331;
    p = p * z + 1.0;
    double r = (2 * s) * p;
    double fe = (double)e;
    return fe * 6.93147180369123816490e-01 + (r + fe * 1.90821492927058770002e-10);
}

// snn_exp is rng.Exp, operation for operation: k = round(x/ln 2), the
// remainder in two parts, a Taylor series to r^13 by Estrin's scheme, times
// 2^k from its bits.
__device__ __forceinline__ double snn_exp(double x) {
    if (x != x) return x;
    if (x > 709) return INFINITY;
    if (x < -708) return 0;
    double k = round(x * 1.4426950408889634);
    double r = (x - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10;
    double r2 = r * r;
    double r4 = r2 * r2;
    double r8 = r4 * r4;
    double q0 = 1.0 + 1.0 * r;
    double q1 = 0.5 + 0.16666666666666666 * r;
    double q2 = 0.041666666666666664 + 0.0083333333333333332 * r;
    double q3 = 0.0013888888888888889 + 0.00019841269841269841 * r;
    double q4 = 2.4801587301587302e-05 + 2.7557319223985893e-06 * r;
    double q5 = 2.7557319223985888e-07 + 2.505210838544172e-08 * r;
    double q6 = 2.08767569878681e-09 + 1.6059043836821613e-10 * r;
    double s0 = q0 + q1 * r2;
    double s1 = q2 + q3 * r2;
    double s2 = q4 + q5 * r2;
    double p = (s0 + s1 * r4) + (s2 + q6 * r4) * r8;
    uint64_t bits = (uint64_t)((int64_t)k + 1023) << 52;
    double scale;
#ifdef __CUDACC__
    scale = __longlong_as_double((long long)bits);
#else
    memcpy(&scale, &bits, sizeof scale);
#endif
    return p * scale;
}

// snn_pow is rng.Pow: Exp(y·Log(x)), exact for y = 0, y = 1 and the
// signed integer powers of a negative base.
__device__ __forceinline__ double snn_pow(double x, double y) {
    if (y == 0) return 1;
    if (y == 1) return x;
    if (x < 0 && y == trunc(y)) {
        double r = snn_pow(-x, y);
        double h = y / 2;
        return h != trunc(h) ? -r : r;
    }
    return snn_exp(y * snn_log(x));
}

// snn_sin_turns is rng.SinTurns: sin(2*pi*t).
__device__ __forceinline__ double snn_sin_poly(double a, double a2) {
    double p = 2.8114572543455206e-15;
    p = p * a2 + -7.6471637318198164e-13;
    p = p * a2 + 1.6059043836821613e-10;
    p = p * a2 + -2.505210838544172e-08;
    p = p * a2 + 2.7557319223985893e-06;
    p = p * a2 + -0.00019841269841269841;
    p = p * a2 + 0.0083333333333333332;
    p = p * a2 + -0.16666666666666666;
    p = p * a2 + 1.0;
    return a * p;
}

__device__ __forceinline__ double snn_cos_poly(double a2) {
    double p = -1.5619206968586225e-16;
    p = p * a2 + 4.7794773323873853e-14;
    p = p * a2 + -1.1470745597729725e-11;
    p = p * a2 + 2.08767569878681e-09;
    p = p * a2 + -2.7557319223985888e-07;
    p = p * a2 + 2.4801587301587302e-05;
    p = p * a2 + -0.0013888888888888889;
    p = p * a2 + 0.041666666666666664;
    p = p * a2 + -0.5;
    p = p * a2 + 1.0;
    return p;
}

__device__ __forceinline__ double snn_sin_turns(double t) {
    double r = t - round(t);
    double q = round(4 * r);
    double x = r - q / 4;
    double a = x * 6.2831853071795862;
    double a2 = a * a;
    switch ((int)q & 3) {
    case 0: return snn_sin_poly(a, a2);
    case 1: return snn_cos_poly(a2);
    case 2: return -snn_sin_poly(a, a2);
    default: return -snn_cos_poly(a2);
    }
}

// stream_normal is Stream.PortableNormal: Marsaglia's polar method.
__device__ __forceinline__ double stream_normal(Stream* s) {
    for (;;) {
        double u = 2 * stream_float64(s) - 1;
        double v = 2 * stream_float64(s) - 1;
        double q = u * u + v * v;
        if (q > 0 && q < 1) return u * sqrt(-2 * snn_log(q) / q);
    }
}

// poisson_from_thresholds is rng.PoissonFromThresholds: the smallest k with
// w < t[k] (the table ends above every word).
__device__ __forceinline__ uint32_t poisson_from_thresholds(uint32_t w, const double* t) {
    double x = (double)w;
    uint32_t k = 0;
    while (x >= t[k]) k++;
    return k;
}

// The ring slot that step + delay falls in.
__device__ __forceinline__ int64_t slot_after(int64_t step, int64_t delay, int64_t slots) {
    return (step + delay) % slots;
}

// device_active is models' window.active, NEST's is_active: t_min < s <=
// t_max, with the window in steps as the first two constants of every
// device (s is the step for spike generators, step + 2 for currents).
__device__ __forceinline__ int device_active(const double* c, int64_t s) {
    double f = (double)s;
    return c[0] < f && f <= c[1];
}

// pop_var returns state variable v of member m, its n neurons (v counts
// the model's named variables, then its history slots).
__device__ __forceinline__ float* pop_var(const PopArgs* a, int64_t v, int64_t m) {
    return a->state + (v * a->B + m) * a->n;
}

// gap_mode returns member m's waveform-relaxation mode.
__device__ __forceinline__ int gap_mode(const PopArgs* a, int64_t m) {
    return a->gap_mode ? (int)a->gap_mode[m] : GAP_FINAL;
}

// pop_param returns per-neuron parameter k of member m.
__device__ __forceinline__ const float* pop_param(const PopArgs* a, int64_t k, int64_t m) {
    return a->params + (k * a->B + m) * a->n;
}

// pop_input returns the input of port p of member m due in this step: its
// ring slot step % slots, which the update clears once read.
__device__ __forceinline__ float* pop_input(const PopArgs* a, int64_t p, int64_t m, int64_t step) {
    return a->ring + ((p * a->B + m) * a->slots + step % a->slots) * a->n;
}

// emit_spikes records that neuron i of member m emitted count spikes during
// this step (more than one only for models with a multiplicity): count
// entries of i in the step's list and in the recording.
__device__ __forceinline__ void emit_spikes(const PopArgs* a, int64_t m, int64_t i, int64_t step, uint32_t count) {
    uint32_t k = atomicAdd(&a->counts[m], count);
    uint32_t r = atomicAdd(&a->rec_count[m], count);
    for (uint32_t j = 0; j < count; j++) {
        a->spikes[m * a->spike_cap + k + j] = (uint32_t)i;
        if ((int64_t)(r + j) < a->rec_cap) {
            uint32_t* e = a->rec + (m * a->rec_cap + r + j) * 2;
            e[0] = (uint32_t)step;
            e[1] = (uint32_t)i;
        }
    }
}

// emit_spike records that neuron i of member m spiked during this step.
__device__ __forceinline__ void emit_spike(const PopArgs* a, int64_t m, int64_t i, int64_t step) {
    emit_spikes(a, m, i, step, 1u);
}

// emit_add adds amount × synapse j's weight (the member's scale, times the
// synapse's own weight if any) into its target's ring (or ring_neg for a
// negative amount), at its delay.
__device__ __forceinline__ void emit_add(const EmitArgs* a, int64_t m, int64_t j, int64_t step, float amount) {
    float w = a->scale[m];
    if (a->weights) w = a->weights[j] * w;
    int64_t d = a->delays ? (int64_t)a->delays[j] : a->delay;
    float x = amount * w;
    float* buf = (x < 0 ? a->ring_neg : a->ring) + (m * a->slots + slot_after(step, d, a->slots)) * a->nt;
    atomicAdd(&buf[a->targets[j]], x);
}

#endif
