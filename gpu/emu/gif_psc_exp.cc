// Host build of kernels/gif_psc_exp.cu.
#include "../../kernels/gif_psc_exp.cu"
