package thetaplanes

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/snn-gpu/snn-gpu/output"
)

// Measured is the rates of a ThetaPlanes sweep: per population (brain
// state), in the order of the output, one Point per sweep point.
type Measured struct {
	States []string
	Points map[string][]Point
}

// Measure reads an output folder of configs/ca_adex_thetaplanes.toml (or
// any sweep over a somatic and a distal current): the swept names soma
// and distal from summary.parquet, and each population's rate over the
// stimulus, the spikes at times in (0, stimMs] of spikes.parquet per
// neuron and second.
func Measure(dir, soma, distal string, stimMs float64) (*Measured, error) {
	swept, rows, err := output.ReadSummary(filepath.Join(dir, "summary.parquet"))
	if err != nil {
		return nil, err
	}
	is, id := index(swept, soma), index(swept, distal)
	if is < 0 || id < 0 {
		return nil, fmt.Errorf("%s: the sweep is over %s; expected %s and %s (--soma, --distal)", dir, strings.Join(swept, ", "), soma, distal)
	}
	spikes, err := output.ReadSpikes(filepath.Join(dir, "spikes.parquet"))
	if err != nil {
		return nil, err
	}
	type key struct {
		point int
		pop   string
	}
	count := map[key]int{}
	for _, s := range spikes {
		if s.TimeMs > 0 && s.TimeMs <= stimMs {
			count[key{s.Point, s.Population}]++
		}
	}
	m := &Measured{Points: map[string][]Point{}}
	for _, r := range rows {
		if !slices.Contains(m.States, r.Population) {
			m.States = append(m.States, r.Population)
		}
		rate := float64(count[key{r.Point, r.Population}]) / (float64(r.N) * stimMs / 1000)
		m.Points[r.Population] = append(m.Points[r.Population], Point{Is: r.Values[is], Id: r.Values[id], Rate: rate})
	}
	if len(m.States) == 0 {
		return nil, fmt.Errorf("%s: no points", dir)
	}
	return m, nil
}

func index(names []string, name string) int {
	for i, n := range names {
		if strings.EqualFold(n, name) {
			return i
		}
	}
	return -1
}
