// Host build of kernels/hh_psc_alpha_gap.cu.
#include "../../kernels/hh_psc_alpha_gap.cu"
