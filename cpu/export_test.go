package cpu

// Unchecked returns the backend without its scans for non-finite state, so
// that a benchmark can measure what they cost.
func Unchecked(threads int) *Backend { return &Backend{Threads: threads, unchecked: true} }
