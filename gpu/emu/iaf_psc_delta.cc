// Host build of kernels/iaf_psc_delta.cu.
#include "../../kernels/iaf_psc_delta.cu"
