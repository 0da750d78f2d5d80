package validation

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
)

// The cortical microcircuit (Potjans & Diesmann 2014, configs/microcircuit.toml) at a tenth of its
// neurons and in-degrees, with the DC current that makes up for the missing synapses. The published
// full-scale rates (Hz) and what the scaled-down network must keep of them: every rate within 40 %
// (or 0.5 Hz) of the published one, L2/3e below 1 Hz, the inhibitory population of L2/3, L4 and L6
// faster than its excitatory one (at this scale L5i, 9.1 Hz published, comes out a little below
// L5e), and asynchronous irregular firing: a mean CV of the intervals between 0.4 and 1.2 (near
// 0.8–1 at full scale; a scaled-down network fires more regularly) and a population count without
// strong synchrony (Fano factor of 1 ms bins below 5). The DC background gives rates of the same
// order (within 50 %).
func TestMicrocircuitScaledDown(t *testing.T) {
	if testing.Short() {
		t.Skip("whole-network validation: skipped with -short")
	}
	published := map[string]float64{"L23E": 0.971, "L23I": 2.868, "L4E": 4.746, "L4I": 5.396,
		"L5E": 8.142, "L5I": 9.078, "L6E": 0.991, "L6I": 7.523}
	rows, _ := run(t, "microcircuit", configs.Options{Sets: []string{"scale=0.1"}})
	for _, label := range []string{"poisson", "dc"} {
		tol := 0.4
		if label == "dc" {
			tol = 0.5
		}
		for pop, want := range published {
			r := rows[label][pop]
			within(t, label+" "+pop+" rate (Hz)", r.RateHz, want, max(tol*want, 0.5))
		}
	}
	p := rows["poisson"]
	if p["L23E"].RateHz >= 1 {
		t.Errorf("L2/3e fires at %.2f Hz, want below 1 Hz", p["L23E"].RateHz)
	}
	for _, layer := range []string{"L23", "L4", "L6"} {
		if e, i := p[layer+"E"].RateHz, p[layer+"I"].RateHz; i <= e {
			t.Errorf("%s: inhibitory %.2f Hz not above excitatory %.2f Hz", layer, i, e)
		}
	}
	for pop, r := range p {
		within(t, pop+" ISI CV", r.CVISI, 0.8, 0.4)
		if r.Fano >= 5 {
			t.Errorf("%s: Fano factor %.2f of the population count: synchronous, want asynchronous (< 5)", pop, r.Fano)
		}
	}
	if len(p) != 8 {
		t.Errorf("%d populations in the summary, want 8", len(p))
	}
}
