package models

import "fmt"

// TauMinus is NEST's tau_minus, a parameter of every spiking neuron (NEST's
// ArchivingNode): the decay time of the postsynaptic trace K_- that the
// STDP synapses onto the neuron read. RegisterNeuron gives it to every
// model that can be a plastic target (Archiving).
var TauMinus = Param{Name: "tau_minus", Unit: "ms", Default: 20,
	Doc: "decay time of the postsynaptic trace that STDP synapses onto the neuron read"}

// Archiving reports whether the model keeps the spike history plastic
// synapses read: every spiking model whose node is one neuron (a
// population node such as gif_pop_psc_exp is not, as in NEST).
func (m *Neuron) Archiving() bool { return m.Rate == nil && (m.Multiplicity == nil || m.Relay) }

// archiving adds tau_minus to an archiving model's parameters and its
// check to the model's.
func archiving(m *Neuron) {
	if !m.Archiving() {
		return
	}
	if _, ok := FindParam(m.Params, TauMinus.Name); !ok {
		m.Params = append(m.Params, TauMinus)
	}
	check := m.Check
	m.Check = func(p Values, l Lists, dt float64) error {
		if v, ok := p[TauMinus.Name]; ok && !(v > 0) {
			return fmt.Errorf("tau_minus = %g ms, expected > 0", v)
		}
		if check == nil {
			return nil
		}
		return check(p, l, dt)
	}
}
