// Host build of kernels/izhikevich.cu.
#include "../../kernels/izhikevich.cu"
