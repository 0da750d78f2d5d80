// Host build of kernels/dc_generator.cu.
#include "../../kernels/dc_generator.cu"
