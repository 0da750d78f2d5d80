package gpu

// Unchecked leaves check_finite out of b's runs, so that a benchmark can
// measure what it costs.
func Unchecked(b *Backend) *Backend { b.unchecked = true; return b }
