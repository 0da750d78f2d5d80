// Host build of kernels/siegert_neuron.cu.
#include "../../kernels/siegert_neuron.cu"
