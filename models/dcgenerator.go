package models

const (
	dcMin = iota
	dcMax
	dcAmplitude
)

// DCGenerator is NEST's dc_generator: a constant current sent every step
// while active, scaled by the connection weight.
var DCGenerator = &Device{
	Name: "dc_generator",
	Doc: `Constant current (NEST's dc_generator): sends amplitude·weight (pA) each step while active.
As in NEST, a current generator counts as active at step s when start < (s+2)·dt <= stop, so that
with the minimal delay the current acts on the neuron from start + dt.`,
	Params: append([]Param{
		{Name: "amplitude", Unit: "pA", Default: 0, Doc: "current amplitude"},
	}, windowParams...),
	Output: CurrentOutput,
	Check:  func(p Values, _ Lists, _ float64) error { return checkWindow(p) },
	Derive: func(p Values, _ Lists, dt float64) []float64 {
		w := deriveWindow(p, dt)
		return []float64{w.min, w.max, p["amplitude"]}
	},
	Source: func(c []float64, s int64) float32 {
		if !(window{c[dcMin], c[dcMax]}).active(s + 2) {
			return 0
		}
		return float32(c[dcAmplitude])
	},
}

func init() { RegisterDevice(DCGenerator) }
