package models

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The update, with its AVX pass and with the Go loop, is the scalar one,
// bit for bit: every state variable and the spikes, step after step, over
// random states (refractory or not, near threshold, below V_min, some
// refractory ones over threshold, NaNs in one case), inputs and chunks
// whose bounds are not multiples of eight or of the block.
func TestIafPscAlphaIsTheScalarOne(t *testing.T) {
	saved := alphaAVX
	defer func() { alphaAVX = saved }()
	for _, avx := range []bool{false, true} {
		if avx && !saved {
			continue
		}
		alphaAVX = avx
		t.Run(map[bool]string{false: "go", true: "avx"}[avx], testIafPscAlphaIsTheScalarOne)
	}
}

func testIafPscAlphaIsTheScalarOne(t *testing.T) {
	const n = 2*alphaBlock + 100
	for _, tc := range []struct {
		name   string
		params Values
		lo, hi int
		nans   bool
	}{
		{"defaults", nil, 0, 1000, false},
		{"empty chunk", nil, 5, 5, false},
		{"short chunk", nil, 3, 10, false},
		{"shorter than eight", nil, 9, 16, false},
		{"one block and a tail", nil, 7, 7 + alphaBlock + 13, false},
		{"two blocks and more", nil, 1, n, false},
		{"V_min, I_e", Values{"V_min": -72, "I_e": 180}, 1, 999, false},
		{"tau_syn = tau_m", Values{"tau_syn_ex": 10, "tau_syn_in": 10, "t_ref": 0.5}, 250, 777, false},
		{"NaNs", Values{"V_min": -72}, 2, 1003, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Defaults(IafPscAlpha.Params)
			for k, v := range tc.params {
				p[k] = v
			}
			r := rand.New(rand.NewPCG(3, uint64(tc.lo)))
			// nan is, in the NaN case, one value in 50 a NaN of some
			// payload and sign, else x.
			nan := func(x float32) float32 {
				if tc.nans && r.IntN(50) == 0 {
					return math.Float32frombits(0x7fc00000 | r.Uint32()&0x803fffff)
				}
				return x
			}
			u := &Update{Lo: tc.lo, Hi: tc.hi, Const: IafPscAlpha.Derive(p, nil, 0.1), Spikes: []uint32{12345}}
			refSteps := int(u.Const[alphaRefSteps])
			for k := 0; k < alphaStateCount; k++ {
				x := make([]float32, n)
				for i := range x {
					switch k {
					case alphaVm:
						x[i] = float32(r.Float64()*25 - 5) // 15 is the threshold, -2 V_min where set
					case alphaRef:
						if r.IntN(3) == 0 {
							x[i] = float32(r.IntN(refSteps + 1))
						}
					default:
						x[i] = float32(r.NormFloat64() * 300)
					}
					x[i] = nan(x[i])
				}
				u.State = append(u.State, x)
			}
			want := &Update{Lo: u.Lo, Hi: u.Hi, Const: u.Const, Spikes: slices.Clone(u.Spikes)}
			for _, x := range u.State {
				want.State = append(want.State, slices.Clone(x))
			}
			refractoryFired := 0
			for step := 0; step < 30; step++ {
				u.In, want.In = nil, nil
				for port := 0; port < 3; port++ {
					x := make([]float32, n)
					for i := range x {
						if port == 2 || r.IntN(5) == 0 {
							x[i] = nan(float32(r.NormFloat64() * 200))
						}
					}
					u.In, want.In = append(u.In, x), append(want.In, x)
				}
				for i := tc.lo; i < tc.hi; i++ {
					if s := u.State; s[alphaRef][i] != 0 && s[alphaVm][i] >= float32(u.Const[alphaVth]) {
						refractoryFired++
					}
				}
				updateIafPscAlpha(u)
				updateIafPscAlphaScalar(want)
				for k := range u.State {
					for i := range u.State[k] {
						g, w := u.State[k][i], want.State[k][i]
						// Where two NaNs meet, which one comes out is the
						// compiler's choice of operands for the scalar Go
						// (it differs from function to function): only
						// NaN-ness is compared then. (The AVX routine gave
						// the payloads of the row primitives it replaced.)
						if math.Float32bits(g) != math.Float32bits(w) && !(tc.nans && g != g && w != w) {
							t.Fatalf("step %d: %s of neuron %d = %g (%#x), want %g (%#x)", step, IafPscAlpha.State[k].Name, i, g, math.Float32bits(g), w, math.Float32bits(w))
						}
					}
				}
				if !slices.Equal(u.Spikes, want.Spikes) {
					t.Fatalf("step %d: spikes %v, want %v", step, u.Spikes, want.Spikes)
				}
			}
			if tc.hi-tc.lo >= 100 && refractoryFired == 0 {
				t.Errorf("no refractory neuron over threshold: that path is untested")
			}
			if len(u.Spikes) < (tc.hi-tc.lo)/10 {
				t.Errorf("only %d spikes: the threshold path is hardly tested", len(u.Spikes))
			}
		})
	}
}

// updateIafPscAlphaScalar is updateIafPscAlpha as it was before the vector
// rows, one neuron at a time: the reference the vector version must equal.
func updateIafPscAlphaScalar(u *Update) {
	c := u.Const
	em1, p30 := float32(c[alphaExpm1]), float32(c[alphaP30])
	p31ex, p32ex, p31in, p32in := float32(c[alphaP31ex]), float32(c[alphaP32ex]), float32(c[alphaP31in]), float32(c[alphaP32in])
	p11ex, p21ex, p11in, p21in := float32(c[alphaP11ex]), float32(c[alphaP21ex]), float32(c[alphaP11in]), float32(c[alphaP21in])
	pscEx, pscIn := float32(c[alphaPSCex]), float32(c[alphaPSCin])
	vth, vreset, vmin := float32(c[alphaVth]), float32(c[alphaVreset]), float32(c[alphaVmin])
	ie, refSteps := float32(c[alphaIe]), float32(c[alphaRefSteps])
	// Every slice cut to the chunk and to one length, so that the loops run
	// without bounds checks, and the membrane and the currents in separate
	// loops (the membrane reads the currents before this step's update), so
	// that each loop's constants and slices fit the registers.
	lo := u.Lo
	v := u.State[alphaVm][lo:u.Hi]
	n := len(v)
	iex, iin := u.State[alphaIex][lo:][:n], u.State[alphaIin][lo:][:n]
	diex, diin := u.State[alphaDIex][lo:][:n], u.State[alphaDIin][lo:][:n]
	ref, cur := u.State[alphaRef][lo:][:n], u.State[alphaI][lo:][:n]
	spkEx, spkIn, inCur := u.In[0][lo:][:n], u.In[1][lo:][:n], u.In[2][lo:][:n]
	spikes := u.Spikes
	for i := range v {
		vi := v[i]
		if ref[i] == 0 {
			x := float32(p30 * float32(cur[i]+ie))
			x = x + float32(p31ex*diex[i])
			x = x + float32(p32ex*iex[i])
			x = x + float32(p31in*diin[i])
			x = x + float32(p32in*iin[i])
			x = x + float32(em1*vi)
			vi = x + vi
			if vi < vmin {
				vi = vmin
			}
		} else {
			ref[i]--
		}
		if vi >= vth {
			ref[i] = refSteps
			vi = vreset
			spikes = append(spikes, uint32(lo+i))
		}
		v[i] = vi
		cur[i] = inCur[i]
	}
	u.Spikes = spikes
	for i := range iex {
		iex[i] = float32(p21ex*diex[i]) + float32(p11ex*iex[i])
		diex[i] = float32(diex[i]*p11ex) + float32(pscEx*spkEx[i])
		iin[i] = float32(p21in*diin[i]) + float32(p11in*iin[i])
		diin[i] = float32(diin[i]*p11in) + float32(pscIn*spkIn[i])
	}
}
