// Host build of kernels/spike_generator.cu.
#include "../../kernels/spike_generator.cu"
