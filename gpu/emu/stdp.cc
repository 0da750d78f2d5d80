// Host build of kernels/stdp.cu (STDP rules and urbanczik_synapse). The go
// command does not see changes to the included kernels: edit this file
// with them, or the build reuses a stale object.
#include "../../kernels/stdp.cu"
