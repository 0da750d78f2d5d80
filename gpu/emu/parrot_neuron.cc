// Host build of kernels/parrot_neuron.cu.
#include "../../kernels/parrot_neuron.cu"
