package configs

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/param"
	"github.com/snn-gpu/snn-gpu/spec"
)

// checkValue compares a Value with a constant (want is a float64) or with
// the source of a parameter (want is a string), which must compile without
// the config's vars.
func checkValue(t *testing.T, what string, got spec.Value, want any) {
	t.Helper()
	switch w := want.(type) {
	case float64:
		if !got.IsConst() || !near(got.Const, w) {
			t.Errorf("%s = %+v, want the constant %v", what, got, w)
		}
	case string:
		if got != spec.Param(w) {
			t.Errorf("%s = %+v, want %q", what, got, w)
			return
		}
		if _, err := param.Compile(got.Expr, nil); err != nil {
			t.Errorf("%s: %q does not compile on its own: %v", what, got.Expr, err)
		}
	}
}

// TestParams: expressions over vars are constants; NEST's parameters are
// stored with the vars inlined, keyword arguments made positional and
// units applied to the whole expression.
func TestParams(t *testing.T) {
	p := mustLoad(t, "testdata/params.toml", Options{}).Points[0]
	n := &p.Net
	if !near(p.Vars["two_pi"], 2*math.Pi) {
		t.Errorf("two_pi = %v", p.Vars["two_pi"])
	}
	if n.Populations[3].Params["I_e"] != 100 {
		t.Errorf("I_e = %v", n.Populations[3].Params["I_e"])
	}
	c := n.Connections
	cases := []struct {
		what string
		got  spec.Value
		want any
	}{
		{"A init (random)", n.Populations[0].Init["V_m"], "-70 + 20*random.uniform()"},
		{"B init (a var; mV is the unit of V_m)", n.Populations[1].Init["V_m"], "random.normal(-65, 0.25)"},
		{"C init (V scales the whole expression)", n.Populations[2].Init["V_m"], "random.uniform(-0.07, -0.05) * 1000"},
		{"D init (a constant param expression)", n.Populations[3].Init["V_m"], -20 * math.Pi},
		{"0 weight (redraw)", c[0].Syn.Weight, "math.redraw(random.normal(0.1, 0.2*0.1), 0, 2*0.1)"},
		{"0 delay (steps equally likely)", c[0].Syn.Delay, "1 + 0.1*random.uniform_int(11)"},
		{"1 weight (a negative var in parentheses)", c[1].Syn.Weight, "(-2)**2 * random.uniform()"},
		{"1 delay (s)", c[1].Syn.Delay, "random.uniform(1, 2) * 1000"},
		{"2 p (any parameter)", c[2].Rule.Params["p"], "random.normal(0.5, 0.1)"},
		{"2 weight (constant)", c[2].Syn.Weight, -0.5},
		{"2 delay (normal table)", c[2].Syn.Delay, "random.normal(1.5, 0.5)"},
		{"3 indegree (keyword)", c[3].Rule.Params["indegree"], "1 + random.uniform_int(3)"},
		{"3 weight (keywords)", c[3].Syn.Weight, "random.uniform(-0.1, 0.1)"},
		{"3 delay (a var with a unit, keyword, a unit symbol in an argument)", c[3].Syn.Delay, "1 + random.exponential(0.5*1)"},
		{"4 pairwise_avg_num_conns", c[4].Rule.Params["pairwise_avg_num_conns"], "2*random.uniform()"},
		{"4 weight (conditional)", c[4].Syn.Weight, "logic.conditional(random.uniform() < 0.8, 0.1, -5*0.1)"},
		{"4 delay (default std)", c[4].Syn.Delay, "1 + random.lognormal(0.5)"},
	}
	for _, x := range cases {
		checkValue(t, x.what, x.got, x.want)
	}
}

func TestSpatial(t *testing.T) {
	n := &mustLoad(t, "testdata/spatial_ok.toml", Options{}).Points[0].Net
	pops := []struct {
		n  int
		sp spec.Spatial
	}{
		{80, spec.Spatial{Shape: []int{10, 8}, Extent: []float64{2, 1.6}, Center: []float64{0, 0}, EdgeWrap: true}},
		{120, spec.Spatial{Shape: []int{4, 5, 6}, Extent: []float64{1, 1, 1}, Center: []float64{0, 0, 0}}},
		{3, spec.Spatial{Positions: [][]float64{{0.1, 0.2}, {-0.3, 0.4}, {0, -0.45}}}},
		{2, spec.Spatial{Positions: [][]float64{{0.25, 0.5}, {-0.5, 0.25}}, Extent: []float64{1, 1}, Center: []float64{-0.125, 0.375}}},
		{50, spec.Spatial{Pos: []spec.Value{spec.Param("random.uniform(-0.5, 0.5)"), spec.Param("random.uniform(-0.5, 0.5)")}, Extent: []float64{1, 1}, EdgeWrap: true}},
		{20, spec.Spatial{Pos: []spec.Value{spec.Param("random.uniform(-1, 1)"), spec.Param("random.normal(0, 0.2)"), spec.Param("random.uniform(0, 1)")}}},
		{10, spec.Spatial{Pos: []spec.Value{spec.Param("random.uniform(-0.5, 0.5)"), spec.Param("random.uniform(-0.5, 0.5)"), spec.Param("random.uniform(-0.5, 0.5)")},
			Extent: []float64{1, 1, 1}, Center: []float64{0, 0, 0}}},
	}
	for i, w := range pops {
		p := n.Populations[i]
		if p.N != w.n || p.Spatial == nil || !reflect.DeepEqual(*p.Spatial, w.sp) {
			t.Errorf("population %s: n %d spatial %+v, want %d %+v", p.Name, p.N, p.Spatial, w.n, w.sp)
		}
	}
	c := n.Connections
	masks := []*spec.Mask{
		{Shape: "circular", Radius: 0.5},
		{Shape: "rectangular", LowerLeft: []float64{-0.5, -0.4}, UpperRight: []float64{0.5, 0.4}, AzimuthAngle: 30, Anchor: []float64{0.1, 0}},
		{Shape: "doughnut", InnerRadius: 0.1, OuterRadius: 0.3, Anchor: []float64{0, 0.1}},
		{Shape: "elliptical", MajorAxis: 0.6, MinorAxis: 0.3, AzimuthAngle: 45},
		{Shape: "circular", Radius: 1.5},
		{Shape: "box", LowerLeft: []float64{-0.2, -0.2, -0.2}, UpperRight: []float64{0.2, 0.2, 0.2}, AzimuthAngle: 10, PolarAngle: 20},
		{Shape: "spherical", Radius: 0.4, Anchor: []float64{0, 0, 0.1}},
		{Shape: "ellipsoidal", MajorAxis: 0.5, MinorAxis: 0.3, PolarAxis: 0.2, PolarAngle: 10},
		nil,
	}
	for i, m := range masks {
		if !reflect.DeepEqual(c[i].Mask, m) {
			t.Errorf("connection %d: mask %+v, want %+v", i, c[i].Mask, m)
		}
	}
	checkValue(t, "0 p", c[0].Rule.Params["p"], "spatial_distributions.gaussian(spatial.distance, 0, 0.2)")
	checkValue(t, "0 weight", c[0].Syn.Weight, "0.5*spatial_distributions.exponential(spatial.distance, 0.3)")
	checkValue(t, "0 delay", c[0].Syn.Delay, "1 + 2*spatial.distance")
	checkValue(t, "1 p (kernel of fixed_indegree)", c[1].Rule.Params["p"], "spatial_distributions.exponential(spatial.distance, 0.5)")
	checkValue(t, "1 indegree", c[1].Rule.Params["indegree"], 5.0)
	checkValue(t, "4 pairwise_avg_num_conns", c[4].Rule.Params["pairwise_avg_num_conns"], "0.2*spatial_distributions.gaussian(spatial.distance, 0, 0.3)")
	checkValue(t, "6 weight", c[6].Syn.Weight, "spatial.distance.z")
	if !c[2].Rule.UseOnSource || c[0].Rule.UseOnSource {
		t.Errorf("use_on_source: %v, %v", c[2].Rule.UseOnSource, c[0].Rule.UseOnSource)
	}
	if !c[4].Rule.AllowOversizedMask || c[0].Rule.AllowOversizedMask {
		t.Errorf("allow_oversized_mask: %v, %v", c[4].Rule.AllowOversizedMask, c[0].Rule.AllowOversizedMask)
	}
}

func TestThirdFactor(t *testing.T) {
	n := &mustLoad(t, "testdata/third_ok.toml", Options{}).Points[0].Net
	def := spec.Synapse{Model: "static_synapse", Weight: spec.Constant(1), Delay: spec.Constant(1)}
	want := []*spec.ThirdFactor{
		{Population: "A", P: 0.5, PoolType: "block", PoolSize: 1,
			SynIn:  spec.Synapse{Model: "static_synapse", Weight: spec.Constant(2), Delay: spec.Constant(2)},
			SynOut: spec.Synapse{Model: "static_synapse", Weight: spec.Param("random.uniform(0.5, 1)"), Delay: spec.Constant(1)}},
		// NEST's defaults: p 1, random pools of the whole third population.
		{Population: "A1", P: 1, PoolType: "random", PoolSize: 5, SynIn: def, SynOut: def},
		{Population: "A", P: 1, PoolType: "block", PoolSize: 2, SynIn: def, SynOut: def},
	}
	for i, w := range want {
		if got := n.Connections[i].Third; !reflect.DeepEqual(got, w) {
			t.Errorf("connection %d: third %+v, want %+v", i, got, w)
		}
	}
}

// TestConnectivityConcepts: the example loads (embedded and from disk), uses
// every rule, the third factor, masks and parameters, and keeps t_sim short.
func TestConnectivityConcepts(t *testing.T) {
	f := mustLoad(t, "connectivity_concepts", Options{})
	if f.Path != "embedded:connectivity_concepts.toml" || len(f.Points) != 1 {
		t.Fatalf("path %q, %d points", f.Path, len(f.Points))
	}
	if disk := mustLoad(t, "connectivity_concepts.toml", Options{}); disk.Hash != f.Hash {
		t.Errorf("the embedded copy differs from configs/connectivity_concepts.toml")
	}
	n := &f.Points[0].Net
	if n.Simulation.TSim > 100 {
		t.Errorf("t_sim = %v ms: keep the example quick", n.Simulation.TSim)
	}
	used := map[string]bool{}
	var third, mask, spatialP, spatialW, randomW, randomD, randomDegree bool
	for _, c := range n.Connections {
		used[c.Rule.Name] = true
		third = third || c.Third != nil
		mask = mask || c.Mask != nil
		spatialP = spatialP || isSpatial(c.Rule.Params["p"])
		spatialW = spatialW || isSpatial(c.Syn.Weight)
		randomW = randomW || !c.Syn.Weight.IsConst() && strings.Contains(c.Syn.Weight.Expr, "random.")
		randomD = randomD || !c.Syn.Delay.IsConst() && strings.Contains(c.Syn.Delay.Expr, "random.")
		randomDegree = randomDegree || !c.Rule.Params["indegree"].IsConst()
	}
	for _, r := range ruleNames() {
		if !used[r] {
			t.Errorf("rule %s has no example", r)
		}
	}
	if !third || !mask || !spatialP || !spatialW || !randomW || !randomD || !randomDegree {
		t.Errorf("third %v, mask %v, spatial p %v, spatial weight %v, random weight %v, random delay %v, random degree %v",
			third, mask, spatialP, spatialW, randomW, randomD, randomDegree)
	}
	var grid, free, periodic bool
	for _, p := range n.Populations {
		if p.Spatial != nil {
			grid = grid || p.Spatial.Shape != nil
			free = free || p.Spatial.Shape == nil
			periodic = periodic || p.Spatial.EdgeWrap
		}
	}
	if !grid || !free || !periodic {
		t.Errorf("grid %v, free %v, periodic %v", grid, free, periodic)
	}
}
