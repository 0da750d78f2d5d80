// update_ca_adex: models/caadex.go's update of ca_adex, one thread per neuron and batch member (grid.x over
// neurons, grid.y over members), operation for operation, with the RKF45 stepper of ode.cuh.
#include "ode.cuh"

// The ODE vector, the named state variables after it, the constants and the ports, in models/caadex.go's order.
enum { CA_VS, CA_W, CA_VD, CA_CA, CA_MCA, CA_HCA, CA_MK, CA_GES, CA_DGES, CA_GIS, CA_DGIS, CA_GED, CA_DGED, CA_GID,
       CA_DGID, CA_AMPAR, CA_AMPAD, CA_BETAR, CA_BETAD, CA_ANR, CA_AND, CA_NMR, CA_NMD, CA_DIM };
enum { CA_REF = CA_DIM, CA_STIMS, CA_STIMD, CA_ECA, CA_ICA, CA_IK, CA_GAMPA, CA_GBETA, CA_GAN, CA_GNMDA, CA_NAMED };
enum { C_CS, C_CD, C_GLS, C_GLD, C_ELS, C_ELD, C_GC, C_GW, C_GCA, C_GK, C_EK, C_A, C_B, C_DELTAT, C_TAUW, C_VT, C_VTH,
       C_VMAX, C_VRESET, C_REFSTEPS, C_EEXCS, C_EINHS, C_EEXCD, C_EINHD, C_TAUEXCS, C_TAUINHS, C_TAUEXCD, C_TAUINHD,
       C_PSCEXCS, C_PSCINHS, C_PSCEXCD, C_PSCINHD, C_PHI, C_CATH, C_CA0, C_TAUCA, C_MSLOPE, C_MHALF, C_TAUM, C_HSLOPE,
       C_HHALF, C_TAUH, C_EXPK, C_TAUMK, C_NERNST, C_CAO, C_IES, C_IED, C_TAURAMPA, C_TAUDAMPA, C_EAMPA, C_NORMAMPA,
       C_TAURBETA, C_TAUDBETA, C_EBETA, C_NORMBETA, C_TAURNMDA, C_TAUDNMDA, C_EAN, C_NMDARATIO, C_NORMNMDA, C_TOL,
       C_CLIP, C_DT };
enum { P_EXCS, P_INHS, P_EXCD, P_INHD, P_AMPA, P_BETA, P_AN, P_STIMS, P_STIMD };

#define CA_SCALE_CA 1e4 // models' caScaleCa

__device__ __forceinline__ double ca_gate(double slope, double half, double v) {
    return 1 / (1 + snn_exp(slope * (v - half)));
}

// CaSystem is models' caSystem.
struct CaSystem {
    const double* c;
    double istS, istD;
    int frozen;
    double eCa, iCa, iK;
    __device__ void derivs(double, const double* y, double* dy) {
        double vs = y[CA_VS], w = y[CA_W], vd = y[CA_VD], ca = y[CA_CA];
        double vsb = vs < c[C_VMAX] ? vs : c[C_VMAX], vdb = vd < c[C_VMAX] ? vd : c[C_VMAX];
        double iSynS = y[CA_GES] * (vsb - c[C_EEXCS]) + y[CA_GIS] * (vsb - c[C_EINHS]);
        double iSpike = (c[C_GLS] * c[C_DELTAT]) * snn_exp((vsb - c[C_VT]) / c[C_DELTAT]);
        double iCs = c[C_GC] * (vs - vd);
        if (frozen) {
            dy[CA_VS] = 0;
        } else {
            double i = ((((-(c[C_GLS] * (vsb - c[C_ELS])) + iSpike) - iSynS) - c[C_GW] * w) + istS) - iCs;
            dy[CA_VS] = i / c[C_CS];
        }
        dy[CA_W] = (c[C_A] * (vsb - c[C_ELS]) - w) / c[C_TAUW];

        double iSynD = y[CA_GED] * (vdb - c[C_EEXCD]) + y[CA_GID] * (vdb - c[C_EINHD]);
        double iAmpa = (y[CA_AMPAD] - y[CA_AMPAR]) * (c[C_EAMPA] - vd);
        double iBeta = (y[CA_BETAD] - y[CA_BETAR]) * (c[C_EBETA] - vd);
        double mg = 1 + 0.3 * snn_exp(-0.1 * vd);
        double iAN = (y[CA_AND] - y[CA_ANR]) * (c[C_EAN] - vd) + ((c[C_NMDARATIO] * (y[CA_NMD] - y[CA_NMR])) * (c[C_EAN] - vd)) / mg;
        double m = y[CA_MCA], h = y[CA_HCA];
        eCa = c[C_NERNST] * snn_log(c[C_CAO] / ca);
        iCa = ((c[C_GCA] * m) * h) * (eCa - vd);
        iK = (c[C_GK] * y[CA_MK]) * (c[C_EK] - vd);
        double iCd = c[C_GC] * (vd - vs);
        double i = (((((((-(c[C_GLD] * (vdb - c[C_ELD])) - iSynD) + iAmpa) + iBeta) + iAN) + iCa) + iK) + istD) - iCd;
        dy[CA_VD] = i / c[C_CD];
        dy[CA_MCA] = (ca_gate(c[C_MSLOPE], c[C_MHALF], vd) - m) / c[C_TAUM];
        dy[CA_HCA] = (ca_gate(c[C_HSLOPE], c[C_HHALF], vd) - h) / c[C_TAUH];
        double influx = iCa;
        if (c[C_CLIP] != 0 && influx < 0) influx = 0;
        dy[CA_CA] = c[C_PHI] * influx + (c[C_CA0] - ca) / c[C_TAUCA];
        dy[CA_MK] = (1 / (1 + snn_exp(c[C_EXPK] * snn_log(c[C_CATH] / ca))) - y[CA_MK]) / c[C_TAUMK];

        const int alphas[4][2] = {{CA_GES, C_TAUEXCS}, {CA_GIS, C_TAUINHS}, {CA_GED, C_TAUEXCD}, {CA_GID, C_TAUINHD}};
        for (int k = 0; k < 4; k++) {
            int g = alphas[k][0];
            double tau = c[alphas[k][1]];
            dy[g + 1] = -y[g + 1] / tau;
            dy[g] = y[g + 1] - y[g] / tau;
        }
        const int exps[4][3] = {{CA_AMPAR, C_TAURAMPA, C_TAUDAMPA}, {CA_BETAR, C_TAURBETA, C_TAUDBETA},
                                {CA_ANR, C_TAURAMPA, C_TAUDAMPA}, {CA_NMR, C_TAURNMDA, C_TAUDNMDA}};
        for (int k = 0; k < 4; k++) {
            int r = exps[k][0];
            dy[r] = -y[r] / c[exps[k][1]];
            dy[r + 1] = -y[r + 1] / c[exps[k][2]];
        }
    }
};

extern "C" __global__ void update_ca_adex(const PopArgs* args) {
    const PopArgs* a = args + blockIdx.z; // one launch serves every population of the model
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    int64_t m = blockIdx.y;
    if (i >= a->n) return;
    const double* c = a->consts + m * a->nconst;
    const int lows = CA_NAMED; // history: the ODE's low halves, then the step size's pair
    int64_t step = *a->clock;
    double scale[CA_DIM];
    for (int j = 0; j < CA_DIM; j++) scale[j] = 1;
    scale[CA_CA] = CA_SCALE_CA;
    Rkf45<CA_DIM> st;
    st.tol = c[C_TOL];
    st.scale = scale;
    CaSystem f;
    f.c = c;
    double y[CA_DIM], dy[CA_DIM];
    for (int j = 0; j < CA_DIM; j++) y[j] = wide_get(pop_var(a, j, m)[i], pop_var(a, lows + j, m)[i]);
    float* hHi = pop_var(a, lows + CA_DIM, m) + i;
    float* hLo = pop_var(a, lows + CA_DIM + 1, m) + i;
    double h = wide_get(*hHi, *hLo);
    float* ref = pop_var(a, CA_REF, m) + i;
    float* stimS = pop_var(a, CA_STIMS, m) + i;
    float* stimD = pop_var(a, CA_STIMD, m) + i;
    f.istS = (double)*stimS + c[C_IES];
    f.istD = (double)*stimD + c[C_IED];
    f.frozen = *ref > 0;
    h = rkf45_evolve<CA_DIM, CaSystem>(&st, &f, y, c[C_DT], h);
    float* in[9];
    for (int p = 0; p < 9; p++) in[p] = pop_input(a, p, m, step) + i;
    y[CA_DGES] += c[C_PSCEXCS] * (double)*in[P_EXCS];
    y[CA_DGIS] += c[C_PSCINHS] * (double)*in[P_INHS];
    y[CA_DGED] += c[C_PSCEXCD] * (double)*in[P_EXCD];
    y[CA_DGID] += c[C_PSCINHD] * (double)*in[P_INHD];
    double x = c[C_NORMAMPA] * (double)*in[P_AMPA];
    y[CA_AMPAR] += x;
    y[CA_AMPAD] += x;
    x = c[C_NORMBETA] * (double)*in[P_BETA];
    y[CA_BETAR] += x;
    y[CA_BETAD] += x;
    double an = (double)*in[P_AN];
    x = c[C_NORMAMPA] * an;
    y[CA_ANR] += x;
    y[CA_AND] += x;
    x = c[C_NORMNMDA] * an;
    y[CA_NMR] += x;
    y[CA_NMD] += x;
    if (*ref > 0) *ref -= 1;
    if (*ref <= 0 && y[CA_VS] >= c[C_VTH]) {
        y[CA_VS] = c[C_VRESET];
        y[CA_W] += c[C_B];
        *ref = (float)c[C_REFSTEPS];
        emit_spike(a, m, i, step);
    }
    *stimS = *in[P_STIMS];
    *stimD = *in[P_STIMD];
    for (int p = 0; p < 9; p++) *in[p] = 0; // the slots are read: clear them for step + slots
    f.derivs(c[C_DT], y, dy); // the step's e_Ca, I_Ca, I_K at its end state
    *(pop_var(a, CA_ECA, m) + i) = (float)f.eCa;
    *(pop_var(a, CA_ICA, m) + i) = (float)f.iCa;
    *(pop_var(a, CA_IK, m) + i) = (float)f.iK;
    *(pop_var(a, CA_GAMPA, m) + i) = (float)(y[CA_AMPAD] - y[CA_AMPAR]);
    *(pop_var(a, CA_GBETA, m) + i) = (float)(y[CA_BETAD] - y[CA_BETAR]);
    *(pop_var(a, CA_GAN, m) + i) = (float)(y[CA_AND] - y[CA_ANR]);
    *(pop_var(a, CA_GNMDA, m) + i) = (float)(c[C_NMDARATIO] * (y[CA_NMD] - y[CA_NMR]));
    for (int j = 0; j < CA_DIM; j++) wide_set(y[j], pop_var(a, j, m) + i, pop_var(a, lows + j, m) + i);
    wide_set(h, hHi, hLo);
}
SNN_KERNEL(update_ca_adex, PopArgs)
