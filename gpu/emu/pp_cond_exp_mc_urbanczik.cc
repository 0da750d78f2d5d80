// Host build of kernels/pp_cond_exp_mc_urbanczik.cu.
#include "../../kernels/pp_cond_exp_mc_urbanczik.cu"
