package rng

// Purpose says what a stream's numbers are for; it is the top byte of the
// counter's last word, so streams of different purposes never overlap.
// The values are part of the numerical contract shared with the CUDA
// kernels (kernels/rng.cuh): never renumber them.
type Purpose uint8

const (
	PurposeInit        Purpose = 1  // initial state drawn per neuron (object = population, step = state variable)
	PurposePoisson     Purpose = 2  // poisson_generator counts (object = projection, index = synapse/4)
	PurposeConnect     Purpose = 3  // connection rule draws (object = projection, index = row)
	PurposeSynParam    Purpose = 4  // random weights and delays (object = projection, index = row)
	PurposeNeuron      Purpose = 5  // stochastic neuron dynamics (object = population, index = neuron, step = step): iaf_psc_exp's escape noise
	PurposeNoise       Purpose = 6  // noise_generator (object = projection, index = synapse, step = the draw's step)
	PurposeSelection   Purpose = 7  // recorder neuron selection and similar one-off choices
	PurposeParamDraws  Purpose = 8  // a population's draws (object = population, index = neuron, step = the draw's place in name order)
	PurposePosition    Purpose = 9  // free-layer positions (object = population, index = neuron, step = dimension)
	PurposeQuota       Purpose = 10 // fixed_total_number: synapses per block and per target (object = projection)
	PurposeThird       Purpose = 11 // third-factor pairing and pools (object = projection, index = target)
	PurposeNeuronParam Purpose = 12 // random calls in per-neuron parameters (object = population, index = neuron, step = the parameter's place in the model)
	PurposeStructural  Purpose = 13 // structural plasticity (object = synapse type, index = update, step = phase: 0 deletion by pre, 1 by post, 2 creation)
	PurposePattern     Purpose = 14 // spike_generator's frozen Poisson pattern (key: the network's; object = device, index = node, step = stamp within the period)
)

// Word3 packs purpose and object into the counter's last word.
// object must be below 1<<24.
func Word3(p Purpose, object uint32) uint32 { return uint32(p)<<24 | object&0xFFFFFF }
