package parallel

import (
	"sync/atomic"
	"testing"
)

func TestRunVisitsEveryItemOnce(t *testing.T) {
	for _, threads := range []int{1, 2, 7} {
		p := NewPool(threads)
		for _, items := range []int{0, 1, 5, 1000} {
			seen := make([]atomic.Int32, items)
			var badWorker atomic.Bool
			p.Run(items, func(w, i int) {
				if w < 0 || w >= p.Workers() {
					badWorker.Store(true)
				}
				seen[i].Add(1)
			})
			for i := range seen {
				if n := seen[i].Load(); n != 1 {
					t.Fatalf("threads %d items %d: item %d ran %d times", threads, items, i, n)
				}
			}
			if badWorker.Load() {
				t.Fatalf("threads %d: worker index out of range", threads)
			}
		}
		p.Close()
	}
}
