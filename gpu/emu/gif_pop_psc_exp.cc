// Host build of kernels/gif_pop_psc_exp.cu.
#include "../../kernels/gif_pop_psc_exp.cu"
