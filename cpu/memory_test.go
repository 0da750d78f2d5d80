package cpu

import (
	"testing"
	"unsafe"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/internal/memory"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// term returns the per-member bytes of the estimate's term of that name.
func term(e *memory.Estimate, name string) float64 {
	for _, t := range e.Terms {
		if t.Name == name {
			return t.Member
		}
	}
	return -1
}

// Memory's per-member state is what newSim allocates, byte for byte
// (history slots of gif_pop_psc_exp included); its ring buffers are those
// of every port, which bound newSim's (it leaves out the ports nothing sends
// to), and its work items bound newSim's.
func TestMemoryMatchesSim(t *testing.T) {
	const batch = 3
	for _, c := range []struct {
		config string
		sets   []string
	}{
		{"brunel", []string{"order=200"}},
		{"gif_pop_vs_network", nil},
		{"izhikevich2003", nil},
	} {
		f, err := configs.Load(c.config, configs.Options{Sets: c.sets})
		if err != nil {
			t.Fatal(err)
		}
		specs := []spec.Network{f.Points[0].Net, f.Points[0].Net, f.Points[0].Net}
		net, err := network.Build(specs, []int{0, 1, 2}, 2)
		if err != nil {
			t.Fatal(err)
		}
		sh, err := network.Plan(specs, 2)
		if err != nil {
			t.Fatal(err)
		}
		b := &Backend{Threads: 2}
		var e memory.Estimate
		b.Memory(sh, &e)
		s := newSim(net, b.Threads, true)
		s.pool.Close()
		var state, ring, full, items float64
		for _, p := range s.pops {
			for _, v := range p.state {
				state += float64(v.DataSize() * 4)
			}
			for _, r := range p.ring {
				ring += float64(len(r) * 4)
			}
			full += float64(len(p.ring) * batch * s.slots * p.N * 4)
		}
		for _, u := range s.updates {
			items += float64(unsafe.Sizeof(u)) + float64(len(u.u.State)+len(u.u.In)+len(u.u.PerNeuron))*float64(unsafe.Sizeof([]float32{}))
		}
		items += float64(len(s.deliver)) * float64(unsafe.Sizeof(deliverItem{}))
		if got := batch * term(&e, "state"); got != state {
			t.Errorf("%s: state %g bytes estimated, %g allocated", c.config, got, state)
		}
		if got := batch * term(&e, "ring buffers"); got != full || ring > full {
			t.Errorf("%s: ring buffers %g bytes estimated, %g allocated, %g for every port", c.config, got, ring, full)
		}
		if c.config == "brunel" && ring >= full {
			t.Errorf("brunel: %g bytes of rings allocated, although nothing sends to its current port", ring)
		}
		if got := batch * term(&e, "work items"); got < items {
			t.Errorf("%s: work items %g bytes estimated, %g allocated", c.config, got, items)
		}
	}
}
