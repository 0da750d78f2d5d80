// The Siegert transfer function of kernels/siegert.cuh on the host, for the
// test that it gives package siegert's rates.
#include "../../kernels/siegert.cuh"

extern "C" double snn_emu_siegert(double tau_m, double tau_syn, double t_ref, double theta, double V_reset,
                                  double mu, double sigma) {
    SiegertNeuron p = {tau_m, tau_syn, t_ref, theta, V_reset};
    return siegert_rate(&p, mu, sigma);
}
