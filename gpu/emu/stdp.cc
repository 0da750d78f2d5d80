// Host build of kernels/stdp.cu (and stdp.cuh: a source silent since the
// start counts the spikes its target forgot by number).
#include "../../kernels/stdp.cu"
