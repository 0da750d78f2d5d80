// Host build of kernels/gif_cond_exp.cu.
#include "../../kernels/gif_cond_exp.cu"
