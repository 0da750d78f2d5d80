package network

import (
	"fmt"
	"math"

	"github.com/snn-gpu/snn-gpu/rng"
	"github.com/snn-gpu/snn-gpu/spec"
)

// Draw returns one value of v: v.Const for a constant, else one draw of
// NEST's random parameter of that name from st.
func Draw(v spec.Value, st *rng.Stream) (float64, error) {
	a := v.Args
	switch v.Dist {
	case "":
		return v.Const, nil
	case "uniform":
		return a["min"] + st.Float64()*(a["max"]-a["min"]), nil
	case "normal":
		return a["mean"] + a["std"]*st.Normal(), nil
	case "lognormal":
		return math.Exp(a["mean"] + a["std"]*st.Normal()), nil
	case "exponential":
		return a["beta"] * st.Exponential(), nil
	case "uniform_int":
		n := a["max"]
		if !(n >= 1 && n < 1<<32) {
			return 0, fmt.Errorf("uniform_int: max must be in [1, 2^32) (got %g)", n)
		}
		return float64(st.Intn(uint32(n))), nil
	}
	return 0, fmt.Errorf("unknown distribution %q", v.Dist)
}
