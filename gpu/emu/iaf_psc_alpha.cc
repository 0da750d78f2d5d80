// Host build of kernels/iaf_psc_alpha.cu.
#include "../../kernels/iaf_psc_alpha.cu"
