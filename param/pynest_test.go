package param

import (
	"strings"
	"testing"
)

func TestPyNEST(t *testing.T) {
	tests := []struct {
		src, want string
		vars      []string
	}{
		{src: "2*0.5 + 1", want: "2"},
		{src: "random.uniform(0, 20)", want: "nest.random.uniform(0, 20)"},
		{src: "math.redraw(random.normal(0.1, 0.2*0.1), 0.5*0.1, 1.5*0.1)", want: "nest.math.redraw(nest.random.normal(0.1, 0.020000000000000004), 0.05, 0.15000000000000002)"},
		{src: "1 + 0.1*random.uniform_int(11)", want: "(1 + (0.1 * nest.random.uniform_int(11)))"},
		{src: "0.1*spatial_distributions.exponential(spatial.distance, 0.2)", want: "(0.1 * nest.spatial_distributions.exponential(nest.spatial.distance, 0.2))"},
		{src: "-1*random.uniform()", want: "((-1) * nest.random.uniform())"},
		{src: "exp(-spatial.distance.x)", want: "nest.math.exp((-nest.spatial.distance.x))"},
		{src: "spatial.distance < 0.5 ? 1 : random.uniform()", want: "nest.logic.conditional((nest.spatial.distance < 0.5), 1, nest.random.uniform())"},
		{src: "-65 + 15*r**2", vars: []string{"r"}, want: "((-65) + (15 * (r ** 2)))"},
		{src: "sqrt(R) ^ 2", vars: []string{"r"}, want: "(np.sqrt(r) ** 2)"},
		{src: "pow(random.uniform(), 2)", want: "(nest.random.uniform() ** 2)"},
	}
	for _, tc := range tests {
		got, err := PyNEST(tc.src, tc.vars...)
		if err != nil || got != tc.want {
			t.Errorf("PyNEST(%q) = %q, %v; want %q", tc.src, got, err, tc.want)
		}
	}
}

func TestPyNESTRefuses(t *testing.T) {
	tests := []struct {
		src, why string
		vars     []string
	}{
		{src: "log(random.uniform())", why: "no log"},
		{src: "random.uniform_int(10) % 3", why: `no "%"`},
		{src: "r * random.uniform()", vars: []string{"r"}, why: "cannot combine"},
		{src: "random.uniform() > 0.5 and spatial.distance < 1", why: `no "and"`},
	}
	for _, tc := range tests {
		got, err := PyNEST(tc.src, tc.vars...)
		if err == nil || !strings.Contains(err.Error(), tc.why) {
			t.Errorf("PyNEST(%q) = %q, %v; want an error with %q", tc.src, got, err, tc.why)
		}
	}
}
