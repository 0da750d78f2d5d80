package vec

// Each primitive hands the whole multiples of eight elements to its
// assembly when vector is set and finishes the rest (or all, without AVX)
// in Go. The explicit float32 conversions round every product on its own:
// Go may otherwise fuse a multiply and an add (it does on arm64).

// AddMul sets y[i] = y[i] + a·x[i]. x must be at least as long as y.
func AddMul(y []float32, a float32, x []float32) {
	x = x[:len(y)]
	i := 0
	if vector {
		i = len(y) &^ 7
		addMulAVX(y[:i], a, x)
	}
	for ; i < len(y); i++ {
		y[i] = y[i] + float32(a*x[i])
	}
}

// Mul2Sum sets dst[i] = a·x[i] + b·y[i]. x and y must be at least as long
// as dst; dst may be x or y (each element is read before it is written).
func Mul2Sum(dst []float32, a float32, x []float32, b float32, y []float32) {
	x, y = x[:len(dst)], y[:len(dst)]
	i := 0
	if vector {
		i = len(dst) &^ 7
		mul2SumAVX(dst[:i], a, x, b, y)
	}
	for ; i < len(dst); i++ {
		dst[i] = float32(a*x[i]) + float32(b*y[i])
	}
}

// MulOfSum sets dst[i] = a·(x[i] + b). x must be at least as long as dst;
// dst may be x.
func MulOfSum(dst []float32, a float32, x []float32, b float32) {
	x = x[:len(dst)]
	i := 0
	if vector {
		i = len(dst) &^ 7
		mulOfSumAVX(dst[:i], a, x, b)
	}
	for ; i < len(dst); i++ {
		dst[i] = a * float32(x[i]+b)
	}
}

// Add sets dst[i] = x[i] + y[i]. x and y must be at least as long as dst;
// dst may be x or y.
func Add(dst, x, y []float32) {
	x, y = x[:len(dst)], y[:len(dst)]
	i := 0
	if vector {
		i = len(dst) &^ 7
		addAVX(dst[:i], x, y)
	}
	for ; i < len(dst); i++ {
		dst[i] = x[i] + y[i]
	}
}

// ClampBelow raises every x[i] below lo to lo, as NEST clamps V_m at V_min:
// a NaN x[i] stays, and so does everything when lo is NaN; -0 stays -0
// against lo = +0 (it is not below).
func ClampBelow(x []float32, lo float32) {
	i := 0
	if vector {
		i = len(x) &^ 7
		clampBelowAVX(x[:i], lo)
	}
	for ; i < len(x); i++ {
		if x[i] < lo {
			x[i] = lo
		}
	}
}

// CopyWhereZero sets dst[i] = x[i] where c[i] == 0 (either zero; not a
// NaN) and leaves dst[i] elsewhere: a select without a branch, for rows
// where the condition changes from element to element. x and c must be at
// least as long as dst.
func CopyWhereZero(dst, x, c []float32) {
	x, c = x[:len(dst)], c[:len(dst)]
	i := 0
	if vector {
		i = len(dst) &^ 7
		copyWhereZeroAVX(dst[:i], x, c)
	}
	for ; i < len(dst); i++ {
		if c[i] == 0 {
			dst[i] = x[i]
		}
	}
}

// CountDown subtracts one from every x[i] that is not zero (a NaN is not
// zero): counters of steps left, such as the refractory ones.
func CountDown(x []float32) {
	i := 0
	if vector {
		i = len(x) &^ 7
		countDownAVX(x[:i])
	}
	for ; i < len(x); i++ {
		if x[i] != 0 {
			x[i]--
		}
	}
}

// FirstAtLeast returns the index of the first x[i] >= t (a NaN is not), or
// len(x) where there is none: a scan for the rare elements over a
// threshold, eight compares at a time.
func FirstAtLeast(x []float32, t float32) int {
	i := 0
	if vector {
		m := len(x) &^ 7
		if i = firstAtLeastAVX(x[:m], t); i < m {
			return i
		}
	}
	for ; i < len(x); i++ {
		if x[i] >= t {
			return i
		}
	}
	return len(x)
}
