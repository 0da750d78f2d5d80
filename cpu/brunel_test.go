package cpu_test

import (
	"reflect"
	"runtime"
	"testing"

	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/spec"
)

// The same seed gives the same spike trains whatever the thread count, and
// with the count automatic (0), where the first steps try each count with
// its own cut of the work (threads.go: 5,000 steps are enough to try 2 and 1
// workers and go on with the faster).
func TestBrunelSameSpikesForAnyThreadCount(t *testing.T) {
	pt := testnet.Brunel(250, 5, 2, 10, 500, 3)
	one := run(t, 1, pt)
	if len(one.Spiked) < 1000 {
		t.Fatalf("only %d spikes: the network is not active enough to test anything", len(one.Spiked))
	}
	if runtime.GOMAXPROCS(0) < 2 {
		t.Log("one core: the automatic thread count has nothing to choose")
	}
	for _, threads := range []int{0, 2, 3} {
		if other := run(t, threads, pt); !reflect.DeepEqual(one.Spiked, other.Spiked) {
			t.Errorf("%d threads: %d spikes differ from 1 thread's %d", threads, len(other.Spiked), len(one.Spiked))
		}
	}
}

// A batch of points gives each point the spikes it gets when run alone.
func TestBrunelBatchEqualsPointsAlone(t *testing.T) {
	points := []spec.Network{
		testnet.Brunel(250, 3, 2, 10, 150, 3),
		testnet.Brunel(250, 6, 4, 10, 150, 3),
		testnet.Brunel(250, 5, 2, 10, 150, 3),
		testnet.Brunel(250, 4.5, 0.9, 10, 150, 3),
	}
	batch := run(t, 2, points...)
	for i := range points {
		idx := []int{i}
		alone := runAt(t, 2, idx, points[i])
		got := batch.Member(i)
		if len(got) == 0 {
			t.Fatalf("point %d: no spikes", i)
		}
		if !reflect.DeepEqual(got, alone.Spiked) {
			t.Errorf("point %d: batch gives %d spikes, alone %d, or they differ", i, len(got), len(alone.Spiked))
		}
	}
}
