// Host build of kernels/gap.cu.
#include "../../kernels/gap.cu"
