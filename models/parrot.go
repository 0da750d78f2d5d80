package models

// ParrotRepeats is the most spikes a parrot_neuron repeats in one step:
// the engines size their spike buffers by it (Neuron.Multiplicity).
const ParrotRepeats = 16

// ParrotNeuron is NEST's parrot_neuron: it repeats every spike it receives,
// at the time it arrives, with its multiplicity, and has no dynamics.
var ParrotNeuron = &Neuron{
	Name: "parrot_neuron",
	Doc: `Repeats each incoming spike (NEST's parrot_neuron): a spike that arrives at t (sent at t - delay) leaves
the parrot at t, through the parrot's own connections, as many times as its multiplicity. No state, no
parameters. NEST ignores the weight of a connection into a parrot; here the input is the sum of
weight × multiplicity, rounded to a count, so connections into a parrot must keep weight 1 (the default)
and a spike_generator's spike_weights count as multiplicities. At most 16 spikes per step and parrot
(NEST: unbounded); negative input counts as none.`,
	Ports:      []Port{{Name: "spikes", Kind: SpikePort}},
	WeightUnit: weightIn("spikes"), // a count
	Check:      func(Values, Lists, float64) error { return nil },
	// The one constant is the cap on repeats per step (the kernel reads it).
	Derive:       func(Values, Lists, float64) []float64 { return []float64{ParrotRepeats} },
	Update:       updateParrot,
	Multiplicity: func(Values) int { return ParrotRepeats },
	Relay:        true,
}

func init() { RegisterNeuron(ParrotNeuron) }

// parrotCount is the number of spikes an input of x stands for (x is a sum
// of whole multiplicities with weight 1; rounding absorbs float32 sums).
func parrotCount(x float32, limit int) int {
	n := int(x + 0.5)
	return max(0, min(n, limit))
}

func updateParrot(u *Update) {
	in, limit := u.In[0], int(u.Const[0])
	for i := u.Lo; i < u.Hi; i++ {
		for range parrotCount(in[i], limit) {
			u.Spikes = append(u.Spikes, uint32(i))
		}
	}
}
