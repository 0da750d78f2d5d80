package cpu_test

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
)

// BenchmarkBrunelFiniteCheck runs configs/brunel.toml (12,500 neurons,
// 1 s, all cores) with and without the scans for non-finite state, to
// measure what they cost (bench/RESULTS.md):
//
//	go test -run XXX -bench BrunelFiniteCheck -benchtime 1x -count 10 ./cpu/ | benchstat -col /check -
func BenchmarkBrunelFiniteCheck(b *testing.B) {
	for _, c := range []struct {
		name string
		be   *cpu.Backend
	}{{"check=on", &cpu.Backend{}}, {"check=off", cpu.Unchecked(0)}} {
		b.Run(c.name, func(b *testing.B) { backendtest.BenchBrunel(b, c.be, backendtest.BenchOptions{}) })
	}
}
