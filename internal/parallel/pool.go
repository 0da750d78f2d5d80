package parallel

import (
	"runtime"
	"sync/atomic"
	"time"
)

// Pool is a set of persistent workers for the many short parallel phases of
// a simulation step (a few hundred microseconds each). Idle workers spin
// for a moment before they sleep, because waking a sleeping goroutine costs
// tens of microseconds, a large part of such a phase.
type Pool struct {
	workers  int
	wake     []chan struct{}
	gen      atomic.Uint64 // bumped by Run to start a phase
	finished atomic.Int64  // helpers done with the current phase
	next     atomic.Int64
	items    int64
	fn       func(worker, item int)
	closed   atomic.Bool
}

// spinFor is how long an idle worker spins before it sleeps.
const spinFor = 100 * time.Microsecond

// Threads resolves a requested thread count: n <= 0 means all cores.
func Threads(n int) int {
	if n <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return n
}

// NewPool starts a pool of Threads(threads) workers (the caller's goroutine
// counts as one).
func NewPool(threads int) *Pool {
	p := &Pool{workers: Threads(threads)}
	for w := 1; w < p.workers; w++ {
		ch := make(chan struct{}, 1)
		p.wake = append(p.wake, ch)
		go p.helper(w, ch)
	}
	return p
}

func (p *Pool) helper(w int, wake chan struct{}) {
	seen := uint64(0)
	for {
		start := time.Now()
		for spins := 0; p.gen.Load() == seen; spins++ {
			if p.closed.Load() {
				return
			}
			if spins&63 == 63 {
				// Let the garbage collector and other goroutines have the
				// processor: a tight spin makes stop-the-world pauses long.
				runtime.Gosched()
				if time.Since(start) > spinFor {
					<-wake // sleep until Run or Close sends a token
					start = time.Now()
				}
			}
		}
		if p.closed.Load() {
			return
		}
		seen = p.gen.Load()
		p.work(w)
		p.finished.Add(1)
	}
}

// Workers returns the number of workers.
func (p *Pool) Workers() int { return p.workers }

func (p *Pool) work(w int) {
	for {
		i := p.next.Add(1) - 1
		if i >= p.items {
			return
		}
		p.fn(w, int(i))
	}
}

// Run calls fn(worker, item) for every item in [0, items) and returns when
// all are done. worker is in [0, Workers()) and identifies per-worker
// scratch space. Run must not be called concurrently.
func (p *Pool) Run(items int, fn func(worker, item int)) {
	if items <= 0 {
		return
	}
	if items == 1 || p.workers == 1 {
		for i := 0; i < items; i++ {
			fn(0, i)
		}
		return
	}
	p.fn, p.items = fn, int64(items)
	p.next.Store(0)
	p.finished.Store(0)
	p.gen.Add(1)
	for _, ch := range p.wake {
		select {
		case ch <- struct{}{}:
		default: // a token is already waiting
		}
	}
	p.work(0)
	for spins := 0; p.finished.Load() < int64(len(p.wake)); spins++ {
		if spins&63 == 63 {
			runtime.Gosched()
		}
	}
	p.fn = nil
}

// Close stops the workers.
func (p *Pool) Close() {
	if p.closed.Swap(true) {
		return
	}
	for _, ch := range p.wake {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// For runs fn over [0, items) on a temporary pool of threads workers.
func For(threads, items int, fn func(worker, item int)) {
	p := NewPool(min(Threads(threads), max(items, 1)))
	defer p.Close()
	p.Run(items, fn)
}
