package emu

import (
	"context"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/plasticity"
	"github.com/snn-gpu/snn-gpu/spec"
)

// Until the GPU has plastic weights it refuses a plastic projection with a
// message, rather than run it as a static one.
func TestPlasticRefused(t *testing.T) {
	pt := spec.Network{
		Simulation:  spec.Simulation{Dt: 0.1, TSim: 10, Seed: 1},
		Populations: []spec.Population{{Name: "a", Model: "parrot_neuron", N: 2}, {Name: "b", Model: "iaf_psc_delta", N: 2}},
		Connections: []spec.Connection{{Source: "a", Target: "b",
			Rule: spec.Rule{Name: "all_to_all", AllowAutapses: true, AllowMultapses: true},
			Syn:  spec.Synapse{Model: "static_synapse", Weight: spec.Constant(1), Delay: spec.Constant(1)}}},
		Analysis: spec.Analysis{BinMs: 1},
	}
	net, err := network.Build([]spec.Network{pt}, []int{0}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.Projections[0].MakePlastic([]plasticity.Rule{plasticity.DefaultSTDP}); err != nil {
		t.Fatal(err)
	}
	err = NewBackend(1<<30).Run(context.Background(), net, &testnet.Collector{}, nil)
	if err == nil || !strings.Contains(err.Error(), "CPU backend only") {
		t.Errorf("got %v, want a refusal of the plastic projection", err)
	}
}
