// Host build of kernels/step.cu.
#include "../../kernels/step.cu"
