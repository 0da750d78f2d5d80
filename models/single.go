package models

import (
	"fmt"
	"math"
)

// The engines keep state and inputs in float32 and round every derived
// constant once to it (docs/architecture.md, numerical contract), so values
// fine in float64 can be unusable there: a capacitance of 1e-45 pF is a
// subnormal float32 (40 % off) and makes the current's propagator
// overflow. RegisterNeuron and RegisterDevice end every model's Check with
// these checks, so that configs refuse such values, with their path,
// before anything runs.

// smallestNormal32 is the smallest normal float32 (2^-126): below it a
// float32 keeps fewer significant bits, down to none at 0.
const smallestNormal32 = 0x1p-126

// singlePrecision returns check followed by the float32 checks of every
// real and integer parameter of params and of every constant derive
// computes from them.
func singlePrecision(model string, params []Param, check func(Values, Lists, float64) error, derive func(Values, Lists, float64) []float64) func(Values, Lists, float64) error {
	return func(p Values, l Lists, dt float64) error {
		if err := check(p, l, dt); err != nil {
			return err
		}
		for _, q := range params {
			if q.Kind != Real && q.Kind != Integer {
				continue
			}
			x := p[q.Name]
			unit := ""
			if q.Unit != "" {
				unit = " " + q.Unit
			}
			switch a := math.Abs(x); {
			case math.IsNaN(x):
				return fmt.Errorf("%s is NaN", q.Name)
			case a > math.MaxFloat32 && !math.IsInf(x, 0):
				return fmt.Errorf("%s = %g%s overflows single precision (float32, up to %.3g), in which the simulation computes",
					q.Name, x, unit, math.MaxFloat32)
			case a > 0 && a < smallestNormal32:
				return fmt.Errorf("%s = %g%s is below the smallest normal single-precision number (%.3g): float32, in which the simulation computes, %s",
					q.Name, x, unit, smallestNormal32, subnormal(x))
			}
		}
		for k, x := range derive(p, l, dt) {
			if math.IsNaN(x) || !math.IsInf(x, 0) && math.Abs(x) > math.MaxFloat32 {
				return fmt.Errorf("with these parameters and dt = %g ms, %s's derived constant #%d is %g, which single precision (float32, up to %.3g), in which the simulation computes, cannot hold",
					dt, model, k, x, math.MaxFloat32)
			}
		}
		return nil
	}
}

// subnormal says what float32 makes of x, below the smallest normal float32.
func subnormal(x float64) string {
	y := math.Abs(float64(float32(x)))
	if y == 0 {
		return "rounds it to 0"
	}
	bits := int(math.Log2(y/0x1p-149)) + 1 // y is a multiple of 2^-149
	return fmt.Sprintf("holds it as %.3g, with %d of its 24 significant bits", y, bits)
}
