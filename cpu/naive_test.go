package cpu_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// naiveBrunel simulates a built Brunel network with the plainest loop that
// follows NEST's semantics (reference section 1.3): an input emitted during
// step s with delay d is read in step s+d; a refractory neuron drops it.
// It shares with the engine only the network, the Poisson counts and the
// float32 formula of the update, so it checks the engine's buffers, delays,
// ordering and threading, not the model (tested against analytic results).
func naiveBrunel(t *testing.T, net *network.Network) []testnet.Spike {
	t.Helper()
	type popState struct {
		v, ref []float32
		due    map[int64][]float32 // input by the step it is read in
	}
	pops := make([]*popState, len(net.Pops))
	for i, p := range net.Pops {
		pops[i] = &popState{v: append([]float32(nil), p.Init[0]...), ref: make([]float32, p.N), due: map[int64][]float32{}}
	}
	add := func(p *popState, step int64, tgt uint32, x float32) {
		if p.due[step] == nil {
			p.due[step] = make([]float32, len(p.v))
		}
		p.due[step][tgt] += x
	}
	var out []testnet.Spike
	spiked := make([][]uint32, len(net.Pops))
	for s := int64(0); s < net.Steps; s++ {
		for i, p := range net.Pops {
			c := p.Const[0]
			p33, vth, vreset, refSteps := float32(c[0]), float32(c[2]), float32(c[3]), float32(c[6])
			if p.Params[0]["I_e"] != 0 {
				t.Fatal("naive loop handles no currents")
			}
			st := pops[i]
			in := st.due[s]
			delete(st.due, s)
			spiked[i] = spiked[i][:0]
			for n := range st.v {
				x := float32(0)
				if in != nil {
					x = in[n]
				}
				if st.ref[n] == 0 {
					st.v[n] = float32(0+float32(p33*st.v[n])) + x
				} else {
					st.ref[n]--
				}
				if st.v[n] >= vth {
					st.ref[n], st.v[n] = refSteps, vreset
					spiked[i] = append(spiked[i], uint32(n))
					out = append(out, testnet.Spike{Pop: i, Step: s, Neuron: uint32(n)})
				}
			}
		}
		for _, pr := range net.Projections {
			tgt := pops[pr.Target]
			w := pr.Weight[0]
			if pr.Source.Device {
				d := net.Devices[pr.Source.Index]
				if !d.Model.Active(d.Const[0], s) {
					continue
				}
				counts := make([]float32, len(pr.Targets))
				d.Model.Synapse(d.Const[0], s, net.Key(0), uint32(pr.Index), 0, counts)
				for j, tg := range pr.Targets {
					add(tgt, s+int64(pr.Delay), tg, counts[j]*w)
				}
				continue
			}
			for _, src := range spiked[pr.Source.Index] {
				for _, tg := range pr.Targets[pr.Offsets[src]:pr.Offsets[src+1]] {
					add(tgt, s+int64(pr.Delay), tg, w)
				}
			}
		}
	}
	return out
}

func TestEngineMatchesNaiveLoop(t *testing.T) {
	for _, c := range []struct{ g, eta, vReset float64 }{{5, 2, 10}, {6, 4, 10}, {3, 2, 0}} {
		pt := testnet.Brunel(100, c.g, c.eta, c.vReset, 300, 11)
		net, err := network.Build([]spec.Network{pt}, []int{0}, 2)
		if err != nil {
			t.Fatal(err)
		}
		if models.IafPscDelta.Derive(net.Pops[0].Params[0], nil, 0.1)[0] != math.Exp(-0.1/20) {
			t.Fatal("constant layout changed: update the naive loop")
		}
		want := naiveBrunel(t, net)
		if len(want) < 500 {
			t.Fatalf("g=%g eta=%g: only %d spikes", c.g, c.eta, len(want))
		}
		for _, threads := range []int{1, 3} {
			got := run(t, threads, pt)
			if !reflect.DeepEqual(got.Spiked, want) {
				n := min(len(got.Spiked), len(want))
				first := n
				for i := 0; i < n; i++ {
					if got.Spiked[i] != want[i] {
						first = i
						break
					}
				}
				t.Errorf("g=%g eta=%g, %d threads: %d spikes, naive loop %d; first difference at %d", c.g, c.eta, threads, len(got.Spiked), len(want), first)
			}
		}
	}
}
