package sweep

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/spec"
)

// structured returns points of the given structures (a population size
// each: equal sizes share a key), labelled by structure and rank, with a
// cost of the size per point.
func structured(sizes ...int) []configs.Point {
	seen := map[int]int{}
	var pts []configs.Point
	for i, n := range sizes {
		net := spec.Network{Populations: []spec.Population{{Name: "E", Model: "iaf_psc_delta", N: n}}}
		pts = append(pts, configs.Point{Index: i, Label: fmt.Sprintf("%d.%d", n, seen[n]), Net: net})
		seen[n]++
	}
	return pts
}

func sizeCost(p configs.Point) float64 { return float64(p.Net.Populations[0].N) }

func TestShardsByCost(t *testing.T) {
	cases := []struct {
		name  string
		sizes []int
		n     int
		want  [][]string
	}{
		{"one shard", []int{1, 1, 1, 1}, 1, [][]string{{"1.0", "1.1", "1.2", "1.3"}}},
		{"halves", []int{1, 1, 1, 1}, 2, [][]string{{"1.0", "1.1"}, {"1.2", "1.3"}}},
		{"thirds", []int{1, 1, 1, 1}, 3, [][]string{{"1.0"}, {"1.1", "1.2"}, {"1.3"}}},
		{"a point each", []int{1, 1, 1, 1}, 4, [][]string{{"1.0"}, {"1.1"}, {"1.2"}, {"1.3"}}},
		{"more shards than points", []int{1, 1, 1, 1}, 7, [][]string{{"1.0"}, {"1.1"}, {"1.2"}, {"1.3"}, nil, nil, nil}},
		// Groups are laid out together: the interleaved sweep is cut
		// between its two structures, not in the middle of both.
		{"structures kept whole", []int{2, 3, 2, 3, 2, 3}, 2, [][]string{{"2.0", "2.1", "2.2"}, {"3.0", "3.1", "3.2"}}},
		// By cost, not count: one point of 6 weighs as much as six of 1.
		{"by cost", []int{1, 1, 1, 1, 1, 1, 6}, 2, [][]string{{"1.0", "1.1", "1.2", "1.3", "1.4", "1.5"}, {"6.0"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Shards(structured(c.sizes...), c.n, sizeCost)
			if l := labels(got); !reflect.DeepEqual(l, c.want) {
				t.Errorf("Shards(%d) = %v, want %v", c.n, l, c.want)
			}
		})
	}
}

// Whatever the costs, every point is in exactly one shard, the shards are
// balanced to within the costliest point, and at most n-1 structures are
// split.
func TestShardsCoverAndBalance(t *testing.T) {
	sizes := []int{5, 1, 1, 9, 5, 1, 2, 2, 9, 1, 5, 3, 1, 1, 2}
	pts := structured(sizes...)
	var total, most float64
	for _, p := range pts {
		total += sizeCost(p)
		most = max(most, sizeCost(p))
	}
	for n := 1; n <= len(pts)+2; n++ {
		shards := Shards(pts, n, sizeCost)
		if len(shards) != n {
			t.Fatalf("n=%d: %d shards", n, len(shards))
		}
		seen := map[int]int{}
		cuts := 0
		shardOf := map[int]int{} // structure -> the last shard holding one
		for k, s := range shards {
			var c float64
			for _, p := range s {
				seen[p.Index]++
				c += sizeCost(p)
				n0 := p.Net.Populations[0].N
				if last, ok := shardOf[n0]; ok && last != k {
					cuts++
				}
				shardOf[n0] = k
			}
			if n <= len(pts) && (len(s) == 0 || c > total/float64(n)+most) {
				t.Errorf("n=%d: shard %d has %d points of cost %g; the ideal is %g", n, k, len(s), c, total/float64(n))
			}
		}
		for _, p := range pts {
			if seen[p.Index] != 1 {
				t.Errorf("n=%d: point %d in %d shards", n, p.Index, seen[p.Index])
			}
		}
		if cuts > n-1 {
			t.Errorf("n=%d: %d structures split across shards, at most %d may be", n, cuts, n-1)
		}
	}
}
