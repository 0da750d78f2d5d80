package sweep

import (
	"math"

	"github.com/snn-gpu/snn-gpu/configs"
)

// Shards splits points into n shards of about equal cost, each a list of
// points in the order Batches would run them. Points are laid out group by
// group (Key, in order of first appearance) and the list is cut into n
// consecutive runs at the cumulative costs nearest to k/n of the total,
// so that a structure is split only where a shard boundary falls inside
// it: at most n-1 groups are cut, and every shard's points of one
// structure can still run as one batch. Every shard gets a point while
// there are at least as many points as shards; the rest are empty. The
// result depends on the points and costs alone, so every process of a
// sharded sweep computes the same split.
func Shards(points []configs.Point, n int, cost func(configs.Point) float64) [][]configs.Point {
	var order []configs.Point
	var bound []bool // bound[i]: a structure ends before order[i]
	for _, g := range Batches(points, 0) {
		bound = append(bound, true)
		bound = append(bound, make([]bool, len(g)-1)...)
		order = append(order, g...)
	}
	bound = append(bound, true)
	cum := make([]float64, len(order)+1) // cum[i]: the cost of order[:i]
	for i, p := range order {
		cum[i+1] = cum[i] + max(cost(p), 0)
	}
	total := cum[len(order)]
	out := make([][]configs.Point, n)
	if len(order) <= n { // a point per shard, and empty shards after them
		for i := range order {
			out[i] = order[i : i+1 : i+1]
		}
		return out
	}
	start := 0
	for k := range n {
		end := len(order)
		if k < n-1 {
			end = cut(cum, bound, total*float64(k+1)/float64(n), start, len(order)-(n-1-k))
		}
		out[k] = order[start:end:end]
		start = end
	}
	return out
}

// cut returns the end of a shard that starts at start: the index i whose
// cumulative cost is nearest to target, a structure's end where two are
// as near, taking at least one point and leaving at least one for each
// shard after it (start < i <= most).
func cut(cum []float64, bound []bool, target float64, start, most int) int {
	best := start + 1
	for i := best + 1; i <= most && cum[i-1] <= target; i++ {
		d, db := math.Abs(cum[i]-target), math.Abs(cum[best]-target)
		if d < db || d == db && bound[i] && !bound[best] {
			best = i
		}
	}
	return best
}
