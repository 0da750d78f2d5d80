// Host build of kernels/ca_adex.cu.
#include "../../kernels/ca_adex.cu"
