package output

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// grid turns steps into times: time_ms = step·dt to the decimals of dt.
//
// dt's shortest decimal representation (the one strconv and JSON print:
// "0.1" for the float64 nearest 0.1) is M·10^−D with M and D whole;
// time_ms is the float64 nearest to step·M/10^D. That is the value the
// decimal step·M/10^D reads as, so times compare equal to what users type:
// 137 steps of 0.1 ms are 13.7, where 137·dt in float64 is
// 13.700000000000001. While step·M < 2^53 and D <= 22 both factors are
// exact float64 values and one IEEE division rounds once, correctly;
// beyond that the quotient is rounded from exact rationals. Either way the
// result is the same function of step.
type grid struct {
	m, pow *big.Int // M and 10^D
	// The fast path: mf = M and powf = 10^D as exact float64 values, and
	// steps up to maxStep keep step·M below 2^53.
	mf, powf float64
	maxStep  int64
}

func newGrid(dt float64) grid {
	// FormatFloat 'e' gives d.ddddde±x: M is the digits, D = (digits after
	// the point) − x.
	s := strconv.FormatFloat(dt, 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	x, _ := strconv.Atoi(exp)
	_, frac, _ := strings.Cut(mant, ".")
	digits := strings.Replace(mant, ".", "", 1)
	m, _ := new(big.Int).SetString(digits, 10)
	d := len(frac) - x
	if d < 0 { // dt >= 10^len(digits): a whole number
		m.Mul(m, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-d)), nil))
		d = 0
	}
	g := grid{m: m, pow: new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d)), nil)}
	const exact = 1 << 53
	if m.IsInt64() && m.Int64() > 0 && m.Int64() <= exact && d <= 22 {
		g.mf, g.powf = float64(m.Int64()), math.Pow10(d)
		g.maxStep = exact / m.Int64()
	}
	return g
}

// time returns step's time in ms.
func (g grid) time(step int64) float64 {
	if g.maxStep > 0 && -g.maxStep <= step && step <= g.maxStep {
		return float64(step) * g.mf / g.powf // step·M is exact: one rounding
	}
	return g.exact(step)
}

// exact is time through rationals.
func (g grid) exact(step int64) float64 {
	r := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(step), g.m), g.pow)
	f, _ := r.Float64()
	return f
}
