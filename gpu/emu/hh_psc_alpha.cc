// Host build of kernels/hh_psc_alpha.cu.
#include "../../kernels/hh_psc_alpha.cu"
