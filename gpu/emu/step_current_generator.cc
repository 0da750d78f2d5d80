// Host build of kernels/step_current_generator.cu.
#include "../../kernels/step_current_generator.cu"
