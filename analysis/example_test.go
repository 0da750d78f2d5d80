package analysis_test

import (
	"fmt"

	"github.com/snn-gpu/snn-gpu/analysis"
)

// Two neurons firing regularly at 20 Hz, half a period apart, for 1 s at
// dt = 0.1 ms; the first 100 ms are a transient.
func ExamplePopulation() {
	const dt, steps = 0.1, 10000
	p := analysis.NewPopulation(2, dt, steps, 100, 5)
	for step := int64(0); step < steps; step++ {
		switch (step + 1) % 500 {
		case 100:
			p.Add(step, []uint32{0})
		case 350:
			p.Add(step, []uint32{1})
		}
	}
	s := p.Summary()
	fmt.Printf("spikes %d, rate %.1f Hz, CV %.2f, Fano %.2f, peak %.0f Hz\n", s.Spikes, s.RateHz, s.CVISI, s.Fano, s.PeakHz)
	// Output:
	// spikes 36, rate 20.0 Hz, CV 0.00, Fano 0.80, peak 40 Hz
}
