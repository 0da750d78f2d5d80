package vec

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
