package analysis

import (
	"math"
	"testing"
)

// Mean and SD count every value after t_start; Final is the last sample's
// mean; SettleMs is the first sample after the last one farther than 10 %
// of the peak from Final.
func TestRateSummary(t *testing.T) {
	r := NewRate(1)
	samples := []struct {
		t  float64
		vs []float32
	}{
		{1, []float32{100, -100}}, // at t_start: left out of Mean and SD
		{2, []float32{2, 4}},      // mean 3: 7 from the final 10, outside 0.1·10
		{3, []float32{8, 10}},     // mean 9: inside
		{4, []float32{12, 8}},     // mean 10
	}
	for _, s := range samples {
		r.Add(s.t, s.vs)
	}
	got := r.Summary()
	xs := []float64{2, 4, 8, 10, 12, 8}
	var m, v float64
	for _, x := range xs {
		m += x / 6
	}
	for _, x := range xs {
		v += (x - m) * (x - m) / 6
	}
	if math.Abs(got.Mean-m) > 1e-12 || math.Abs(got.SD-math.Sqrt(v)) > 1e-12 || got.Final != 10 || got.SettleMs != 3 {
		t.Errorf("got %+v, want mean %g, sd %g, final 10, settle 3", got, m, math.Sqrt(v))
	}
	if e := NewRate(0).Summary(); !math.IsNaN(e.Mean) || !math.IsNaN(e.Final) || !math.IsNaN(e.SettleMs) {
		t.Errorf("no samples: %+v, want NaN", e)
	}
}
