// Host build of kernels/poisson_generator.cu.
#include "../../kernels/poisson_generator.cu"
