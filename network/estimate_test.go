package network_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/internal/memory"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// The shape planned from a spec matches the network built from it: the
// same projections in the same order, each CSR's bytes within a few
// per cent where the rule fixes the count or draws it (an expectation from
// a sample) and above it where a spatial probability decides (a bound by
// the pairs the mask lets through), and a ring at least as long.
func TestPlanMatchesBuild(t *testing.T) {
	for _, c := range []struct {
		config string
		sets   []string
	}{
		{"connectivity_concepts", nil},
		{"brunel", []string{"order=500"}},
		{"gif_population", nil},
		{"izhikevich2003", nil},
		{"gif_pop_vs_network", nil},
		{"izhikevich_two_populations", nil},
		{"ca_adex_single", nil},
		{"ca_adex_dc", nil},
		{"ca_adex_thetaplanes", nil},
	} {
		f, err := configs.Load(c.config, configs.Options{Sets: c.sets})
		if err != nil {
			t.Fatal(err)
		}
		s := f.Points[0].Net
		sh, err := network.Plan([]spec.Network{s}, 2)
		if err != nil {
			t.Fatalf("%s: %v", c.config, err)
		}
		net, err := network.Build([]spec.Network{s}, []int{0}, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(sh.Projections) != len(net.Projections) {
			t.Fatalf("%s: %d projections planned, %d built", c.config, len(sh.Projections), len(net.Projections))
		}
		if sh.MaxDelay < net.MaxDelay || sh.MaxDelay > 2*net.MaxDelay {
			t.Errorf("%s: max delay %d planned, %d built", c.config, sh.MaxDelay, net.MaxDelay)
		}
		for i, pr := range net.Projections {
			planned, built := sh.Projections[i].Bytes(), float64(pr.Bytes())
			hi := 1.1*built + 64
			if s.Connections[pr.Connection].Mask != nil {
				hi = 10 * built
			}
			if planned < 0.9*built || planned > hi {
				t.Errorf("%s: %s: %.0f bytes planned, %.0f built", c.config, pr.Name, planned, built)
			}
		}
	}
}

// Plans of absurd sizes give absurd numbers, not overflows or panics; the
// sizes no memory can index, and step counts no int64 holds, are refused
// with the field.
func TestPlanAbsurdSizes(t *testing.T) {
	base := func() spec.Network {
		return spec.Network{
			Simulation:  spec.Simulation{Dt: 0.1, TSim: 1000, Seed: 1},
			Populations: []spec.Population{{Name: "E", Model: "iaf_psc_delta", N: 1e12}},
			Connections: []spec.Connection{{Source: "E", Target: "E",
				Rule: spec.Rule{Name: "fixed_indegree", Params: map[string]spec.Value{"indegree": spec.Constant(1e9)}, AllowAutapses: true, AllowMultapses: true},
				Syn:  spec.Synapse{Weight: spec.Constant(0.1), Delay: spec.Param("1 + 1e9*random.uniform()")}}},
			Analysis: spec.Analysis{BinMs: 1},
		}
	}
	sh, err := network.Plan([]spec.Network{base()}, 2)
	if err != nil {
		t.Fatal(err)
	}
	var e memory.Estimate
	sh.Memory(&e)
	if b := e.Bytes(1); !(b > 1e21) || math.IsInf(b, 0) {
		t.Errorf("10¹² neurons × 10⁹ synapses: %g bytes", b)
	}
	if sh.MaxDelay != math.MaxUint16 {
		t.Errorf("a delay of up to 10⁹ ms plans %d steps, want the most a delay can have (%d)", sh.MaxDelay, math.MaxUint16)
	}
	if err := sh.Representable(); err == nil || !strings.Contains(err.Error(), "population[0].n: E has 1000000000000 neurons; at most 2147483647") {
		t.Errorf("10¹² neurons: %v", err)
	}
	s := base()
	s.Populations[0].N = 1e6
	sh, err = network.Plan([]spec.Network{s}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := sh.Representable(); err == nil || !strings.Contains(err.Error(), "E->E: about 1e+15 synapses; at most 4294967294 fit one projection") {
		t.Errorf("10¹⁵ synapses: %v", err)
	}
	for _, dt := range []float64{1e-300, 5e-324} {
		s := base()
		s.Simulation.Dt = dt
		if _, err := network.Plan([]spec.Network{s}, 2); err == nil || !strings.Contains(err.Error(), "simulation.dt: t_sim = 1000 ms in steps of dt") ||
			!strings.Contains(err.Error(), "at most 4611686018427387904 can be counted") {
			t.Errorf("dt = %g: %v", dt, err)
		}
	}
}

// A plastic projection's members each keep their weights and the rule's
// variables: urbanczik_synapse's 200 synapses (configs/urbanczik.toml)
// hold 4 B of weight and their float64 variables, read off the built
// network's Plastic.Vars.
func TestPlasticWeightsEstimate(t *testing.T) {
	f, err := configs.Load("urbanczik", configs.Options{Sets: []string{"t_total=10"}})
	if err != nil {
		t.Fatal(err)
	}
	pt := f.Points[0].Net
	sh, err := network.Plan([]spec.Network{pt}, 1)
	if err != nil {
		t.Fatal(err)
	}
	var e memory.Estimate
	sh.Memory(&e)
	net, err := network.Build([]spec.Network{pt}, []int{0}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var want float64
	for _, pr := range net.Projections {
		if pr.Plastic != nil {
			want += 4*float64(pr.Synapses()) + 8*float64(len(pr.Plastic.Vars[0]))
		}
	}
	if want == 0 || want == 4*200 {
		t.Fatalf("%g B of plastic state built: the test would prove nothing", want)
	}
	got := math.NaN()
	for _, term := range e.Terms {
		if term.Name == "plastic weights" {
			got = term.Member
		}
	}
	if got != want {
		t.Errorf("estimate %g B per member, built %g B", got, want)
	}
}

// Structural plasticity's bound: per member the calcium and elements of
// every neuron with elements, and the synapses the scarcer side's elements
// could make in t_sim (gaussian curves grow at most at growth_rate; a linear
// one faster as the calcium rises), the most over the points.
func TestPlanStructuralBound(t *testing.T) {
	const dt, tsim = 0.1, 1000.0
	net := func(nu float64) spec.Network {
		return spec.Network{
			Simulation: spec.Simulation{Dt: dt, TSim: tsim},
			Populations: []spec.Population{
				{Name: "A", Model: "iaf_psc_alpha", N: 10, Elements: []spec.Element{
					{Name: "Axon", Curve: "gaussian", Z: 2, GrowthRate: nu, Eps: 0.05},
					{Name: "Den", Curve: "linear", GrowthRate: 0.002, Eps: 0.5},
				}},
				{Name: "B", Model: "iaf_psc_alpha", N: 5, Elements: []spec.Element{
					{Name: "Den", Curve: "gaussian", Z: 1, GrowthRate: 0.001, Eps: 0.05},
				}},
				{Name: "C", Model: "iaf_psc_alpha", N: 7},
			},
			Structural: &spec.Structural{UpdateInterval: 100, Synapses: []spec.SPSynapse{{Name: "s", Pre: "Axon", Post: "Den"}}},
		}
	}
	caMax := 0.001 / -math.Expm1(-dt/10000) // NEST's default beta_Ca and tau_Ca, a spike every step
	want := func(nu float64) float64 {
		axons := 10 * (2 + nu*tsim)
		dens := 10*(0.002*(1+caMax/0.5)*tsim) + 5*(1+0.001*tsim)
		return 10*(16+2*12) + 5*(16+12) + // A's and B's calcium, stamps and elements; C has none
			2*(8+4)*min(axons, dens) + // edges and CSR targets, with room to grow
			8*11*2 // the offsets of A→A and A→B
	}
	for _, c := range []struct {
		points []spec.Network
		want   float64
	}{
		{[]spec.Network{net(0.001)}, want(0.001)},
		{[]spec.Network{net(0.001), net(0.004)}, want(0.004)}, // the larger member
	} {
		sh, err := network.Plan(c.points, 1)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(sh.Structural-c.want) > 1e-9*c.want {
			t.Errorf("%d points: %.6g bytes planned, want %.6g", len(c.points), sh.Structural, c.want)
		}
		var e memory.Estimate
		sh.Memory(&e)
		if i := slices.IndexFunc(e.Terms, func(t memory.Term) bool { return strings.HasPrefix(t.Name, "structural plasticity") }); i < 0 || e.Terms[i].Member != sh.Structural {
			t.Errorf("the estimate's terms leave structural plasticity out: %+v", e.Terms)
		}
	}
}
