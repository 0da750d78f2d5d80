// Host build of kernels/stdp.cu (and stdp.cuh: a source silent since the
// start counts the spikes its target forgot by number; urbanczik_synapse).
// The go command does not see changes to the included kernels: edit this
// file with them, or the build reuses a stale object.
#include "../../kernels/stdp.cu"
