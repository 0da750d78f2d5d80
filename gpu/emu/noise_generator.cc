// Host build of kernels/noise_generator.cu.
#include "../../kernels/noise_generator.cu"
