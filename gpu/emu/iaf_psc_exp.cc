// Host build of kernels/iaf_psc_exp.cu.
#include "../../kernels/iaf_psc_exp.cu"
