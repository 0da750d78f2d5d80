package models

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/rng"
)

// BenchmarkUpdate times one model's Update alone, one core, over 10,000
// neurons with NEST's defaults and a drive that keeps them firing: input
// in every port every step (about 10 % of the neurons get a spike each
// step, excitatory and inhibitory, and a constant current); izhikevich in
// both integration modes; the gif models with Mensi et al.'s two stc and
// two sfa components. Reported:
// neuron updates per second.
func BenchmarkUpdate(b *testing.B) {
	mensi := Lists{"tau_stc": {57.8, 218.2}, "q_stc": {56.7, -6.9}, "tau_sfa": {53.8, 640}, "q_sfa": {11.7, 1.8}}
	for _, name := range []string{"iaf_psc_delta", "iaf_psc_exp", "iaf_psc_alpha", "iaf_psc_exp escape noise", "izhikevich", "izhikevich published",
		"gif_psc_exp", "gif_cond_exp"} {
		model, params, lists := name, Values(nil), Lists(nil)
		switch name {
		case "iaf_psc_exp escape noise":
			model, params = "iaf_psc_exp", Values{"delta": 2, "rho": 100}
		case "izhikevich published":
			model, params = "izhikevich", Values{"consistent_integration": 0}
		case "gif_psc_exp", "gif_cond_exp":
			lists = mensi
		}
		m, _ := LookupNeuron(model)
		b.Run(name, func(b *testing.B) { benchUpdate(b, m, params, lists) })
	}
}

func benchUpdate(b *testing.B, m *Neuron, over Values, lists Lists) {
	const n = 10000
	p := Defaults(m.Params)
	for k, v := range over {
		p[k] = v
	}
	u := &Update{Lo: 0, Hi: n, Const: m.Derive(p, lists, 0.1), Key: rng.NewKey(1, 0)}
	for _, s := range m.State {
		x := make([]float32, n)
		if s.Relative == "" {
			v := s.Default
			if s.DefaultParam != "" {
				v = p[s.DefaultParam]
			}
			for i := range x {
				x[i] = float32(v)
			}
		}
		u.State = append(u.State, x)
	}
	for _, k := range m.PerNeuronParams() {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(p[m.Params[k].Name])
		}
		u.PerNeuron = append(u.PerNeuron, x)
	}
	// The drive: 450 pA and 40-pA spikes for the LIF models (NEST's units),
	// 10 and 2-mV spikes for izhikevich (the paper's), 200 pA and 20-pA
	// (gif_psc_exp) or 2-nS (gif_cond_exp) spikes for the gif models.
	current, spike := float32(450), float32(40)
	switch m {
	case Izhikevich:
		current, spike = 10, 2
	case GifPscExp:
		current, spike = 200, 20
	case GifCondExp:
		current, spike = 200, 2
	}
	in := make([][][]float32, 16) // 16 steps of input, cycled
	st := rng.NewStream(u.Key, rng.PurposeSelection, 0, 0, 0)
	for s := range in {
		for _, port := range m.Ports {
			x := make([]float32, n)
			for i := range x {
				switch {
				case port.Kind == CurrentPort:
					x[i] = current
				case st.Intn(10) == 0 && port.Sign >= 0:
					x[i] = spike // pA (mV for iaf_psc_delta: rarely below threshold, still an update)
				case st.Intn(20) == 0 && port.Sign < 0:
					x[i] = -spike
				}
			}
			in[s] = append(in[s], x)
		}
	}
	b.ResetTimer()
	for k := 0; k < b.N; k++ {
		u.Step = int64(k)
		u.In = in[k%len(in)]
		u.Spikes = u.Spikes[:0]
		m.Update(u)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "updates/s")
}
