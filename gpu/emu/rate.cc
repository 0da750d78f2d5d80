// Host build of kernels/rate.cu.
#include "../../kernels/rate.cu"
