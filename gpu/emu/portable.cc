// The portable functions of kernels/snn.cuh on the host, for the test that
// they give rng's bits.
#include "../../kernels/snn.cuh"

extern "C" double snn_emu_exp(double x) { return snn_exp(x); }
extern "C" double snn_emu_log(double x) { return snn_log(x); }
extern "C" double snn_emu_pow(double x, double y) { return snn_pow(x, y); }
