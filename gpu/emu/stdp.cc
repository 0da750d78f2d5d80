// Host build of kernels/stdp.cu.
#include "../../kernels/stdp.cu"
