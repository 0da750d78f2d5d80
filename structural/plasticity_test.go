package structural

import (
	"slices"
	"testing"

	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// build makes a network of populations of sizes ns (A, B, …), one member
// per calcium/element set given, with the plastic projections of types,
// as network.Build lays them out.
func build(t *testing.T, ns []int, elems [][]spec.Element, ca spec.Calcium, dt float64, types ...spec.SPSynapse) *Plasticity {
	t.Helper()
	net := &network.Network{Dt: dt, Seed: 3, Points: []int{0}}
	st := &network.Structural{Interval: 1000}
	for i, n := range ns {
		net.Pops = append(net.Pops, &network.Population{Name: string(rune('A' + i)), Index: i, N: n})
		st.Calcium = append(st.Calcium, []spec.Calcium{ca})
		st.Elements = append(st.Elements, [][]spec.Element{elems[i]})
	}
	has := func(p int, name string) bool {
		return slices.ContainsFunc(elems[p], func(e spec.Element) bool { return e.Name == name })
	}
	for _, ty := range types {
		typ := network.StructuralType{SPSynapse: ty}
		for a := range ns {
			for b := range ns {
				if has(a, ty.Pre) && has(b, ty.Post) {
					pr := &network.Projection{Source: network.Endpoint{Index: a}, Target: b, Index: len(net.Projections),
						PerMember: []network.CSR{{Offsets: make([]int64, ns[a]+1)}}}
					net.Projections = append(net.Projections, pr)
					typ.Projections = append(typ.Projections, pr)
				}
			}
		}
		st.Types = append(st.Types, typ)
	}
	net.Structural = st
	p, err := New(net)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// single is one neuron with elements es.
func single(t *testing.T, es []spec.Element, ca spec.Calcium, dt float64) *Plasticity {
	return build(t, []int{1}, [][]spec.Element{es}, ca, dt)
}

// still is an element that does not grow (nu = 0).
func still(name string) spec.Element {
	return spec.Element{Name: name, Curve: "linear", Eps: 0.7, TauVacant: 0.1}
}

func edges(p *Plasticity) []Edge {
	e := slices.Clone(p.Edges(0, 0))
	slices.SortFunc(e, func(a, b Edge) int {
		if a.Pre != b.Pre {
			return int(a.Pre) - int(b.Pre)
		}
		return int(a.Post) - int(b.Post)
	})
	return e
}

func setZ(p *Plasticity, pop int, name string, z ...float64) { copy(p.Element(0, pop, name).Z, z) }

// The update cycle on hand-made cases: exact creations and deletions,
// z_connected on both sides, autapses and multapses, vacant decay.
func TestUpdateCycle(t *testing.T) {
	ex := spec.SPSynapse{Name: "ex", Pre: "Axon", Post: "Den", AllowAutapses: true, AllowMultapses: true}
	three := func(ty spec.SPSynapse) *Plasticity {
		p := build(t, []int{3}, [][]spec.Element{{still("Axon"), still("Den")}}, spec.DefaultCalcium(), 0.1, ty)
		setZ(p, 0, "Axon", 2, 0, 1.5) // vacancies 2, 0, 1: pre list [0 0 2]
		setZ(p, 0, "Den", 0, 3, 0)    // vacancies 0, 3, 0: post list [1 1 1]
		return p
	}

	t.Run("creation with multapses", func(t *testing.T) {
		p := three(ex)
		p.Update(0, 0)
		if got, want := edges(p), []Edge{{0, 1}, {0, 1}, {2, 1}}; !slices.Equal(got, want) {
			t.Fatalf("edges %v, want %v", got, want)
		}
		if got := p.Element(0, 0, "Axon").Connected; !slices.Equal(got, []int32{2, 0, 1}) {
			t.Errorf("Axon z_connected %v, want [2 0 1]", got)
		}
		if got := p.Element(0, 0, "Den").Connected; !slices.Equal(got, []int32{0, 3, 0}) {
			t.Errorf("Den z_connected %v, want [0 3 0]", got)
		}
		// Nothing vacant: no decay (neuron 2's Axon keeps its fraction).
		if got := p.Element(0, 0, "Axon").Z; !slices.Equal(got, []float64{2, 0, 1.5}) {
			t.Errorf("Axon z %v", got)
		}
		// The CSR of the member.
		c := p.net.Projections[0].PerMember[0]
		if !slices.Equal(c.Offsets, []int64{0, 2, 2, 3}) || !slices.Equal(c.Targets, []uint32{1, 1, 1}) {
			t.Errorf("CSR %v %v", c.Offsets, c.Targets)
		}
	})

	t.Run("multapses refused", func(t *testing.T) {
		ty := ex
		ty.AllowMultapses = false
		p := three(ty)
		p.Update(0, 0)
		if got, want := edges(p), []Edge{{0, 1}, {2, 1}}; !slices.Equal(got, want) {
			t.Fatalf("edges %v, want %v", got, want)
		}
		// The skipped pair's elements stay vacant and decay by tau_vacant.
		if got := p.Element(0, 0, "Axon").Z; !slices.Equal(got, []float64{1.9, 0, 1.5}) {
			t.Errorf("Axon z %v, want [1.9 0 1.5]", got)
		}
		if got := p.Element(0, 0, "Den").Z; !slices.Equal(got, []float64{0, 2.9, 0}) {
			t.Errorf("Den z %v, want [0 2.9 0]", got)
		}
	})

	t.Run("autapses", func(t *testing.T) {
		for _, allow := range []bool{true, false} {
			ty := ex
			ty.AllowAutapses = allow
			p := build(t, []int{1}, [][]spec.Element{{still("Axon"), still("Den")}}, spec.DefaultCalcium(), 0.1, ty)
			setZ(p, 0, "Axon", 1)
			setZ(p, 0, "Den", 1)
			p.Update(0, 0)
			want, z := []Edge{{0, 0}}, 1.0
			if !allow {
				want, z = nil, 0.9
			}
			if got := edges(p); !slices.Equal(got, want) {
				t.Errorf("allow_autapses %v: edges %v, want %v", allow, got, want)
			}
			if got := p.Element(0, 0, "Axon").Z[0]; got != z {
				t.Errorf("allow_autapses %v: Axon z %g, want %g", allow, got, z)
			}
		}
	})

	t.Run("deletion by pre then post", func(t *testing.T) {
		p := three(ex)
		p.Update(0, 0)                  // edges (0,1) (0,1) (2,1)
		setZ(p, 0, "Axon", 0.5, 0, 1.5) // neuron 0: floor 0, 2 connected: both go
		setZ(p, 0, "Den", 0, 3.2, 0)
		p.Update(0, 1000)
		if got, want := edges(p), []Edge{{2, 1}}; !slices.Equal(got, want) {
			t.Fatalf("after deletion by pre: edges %v, want %v", got, want)
		}
		if got := p.Element(0, 0, "Den").Connected; !slices.Equal(got, []int32{0, 1, 0}) {
			t.Errorf("Den z_connected %v, want [0 1 0]", got)
		}
		// Den of neuron 1 had 3 elements and 1 synapse: 2 vacant, and no
		// Axon vacancy to pair with; they decay by 10 %.
		if got := p.Element(0, 0, "Den").Z[1]; got != 3.2-0.2 {
			t.Errorf("Den z %g, want 3.0", got)
		}
		setZ(p, 0, "Den", 0, 0.7, 0) // by post now: its one synapse goes
		p.Update(0, 2000)
		if got := edges(p); len(got) != 0 {
			t.Fatalf("after deletion by post: edges %v, want none", got)
		}
		if a, d := p.Element(0, 0, "Axon").Connected, p.Element(0, 0, "Den").Connected; !slices.Equal(a, []int32{0, 0, 0}) || !slices.Equal(d, []int32{0, 0, 0}) {
			t.Errorf("z_connected Axon %v Den %v, want zeros", a, d)
		}
	})

	t.Run("partial deletion keeps counts on both sides", func(t *testing.T) {
		// One hub with 5 Den and 5 senders; the hub drops to 2 Den: 3 of
		// its 5 synapses are deleted at random, each sender losing its one.
		p := build(t, []int{6}, [][]spec.Element{{still("Axon"), still("Den")}}, spec.DefaultCalcium(), 0.1, ex)
		setZ(p, 0, "Axon", 0, 1, 1, 1, 1, 1)
		setZ(p, 0, "Den", 5, 0, 0, 0, 0, 0)
		p.Update(0, 0)
		setZ(p, 0, "Den", 2.5, 0, 0, 0, 0, 0)
		p.Update(0, 1000)
		e := edges(p)
		if len(e) != 2 {
			t.Fatalf("%d synapses left, want 2", len(e))
		}
		ax := p.Element(0, 0, "Axon").Connected
		sum := int32(0)
		for i, c := range ax {
			sum += c
			if c != 0 && !slices.Contains(e, Edge{uint32(i), 0}) {
				t.Errorf("neuron %d counts %d connected Axons without a synapse", i, c)
			}
		}
		if sum != 2 || p.Element(0, 0, "Den").Connected[0] != 2 {
			t.Errorf("z_connected: Axon sum %d, Den %d; want 2 and 2", sum, p.Element(0, 0, "Den").Connected[0])
		}
	})
}

// Creation pairs vacancies across populations; the same seed gives the
// same synapses.
func TestCreationAcrossPopulationsReproducible(t *testing.T) {
	ty := spec.SPSynapse{Name: "ex", Pre: "Axon", Post: "Den", AllowAutapses: true, AllowMultapses: true}
	mk := func() *Plasticity {
		p := build(t, []int{40, 10}, [][]spec.Element{{still("Axon"), still("Den")}, {still("Den")}}, spec.DefaultCalcium(), 0.1, ty)
		for i := range 40 {
			p.Element(0, 0, "Axon").Z[i] = float64(i % 3)
			p.Element(0, 0, "Den").Z[i] = float64(i % 2)
		}
		for i := range 10 {
			p.Element(0, 1, "Den").Z[i] = 2
		}
		return p
	}
	a, b := mk(), mk()
	a.Update(0, 0)
	b.Update(0, 0)
	// 39 Axon vacancies (13·1 + 13·2), 20 + 20 Den vacancies: all 39
	// Axons pair.
	if got := len(a.Edges(0, 0)); got != 39 {
		t.Errorf("%d synapses, want 39", got)
	}
	if !slices.Equal(edges(a), edges(b)) {
		t.Errorf("same seed, different synapses")
	}
	// The CSRs of A->A and A->B hold them all, by source then target.
	total := int64(0)
	for _, pr := range a.net.Projections {
		c := pr.PerMember[0]
		total += c.Synapses()
		for s := 0; s+1 < len(c.Offsets); s++ {
			if !slices.IsSorted(c.Targets[c.Offsets[s]:c.Offsets[s+1]]) {
				t.Errorf("row %d not sorted", s)
			}
		}
	}
	if total != 39 {
		t.Errorf("CSRs hold %d synapses, want 39", total)
	}
}
