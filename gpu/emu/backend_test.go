package emu

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/gpu"
	"github.com/snn-gpu/snn-gpu/internal/backendtest"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

func build(t *testing.T, points ...spec.Network) *network.Network {
	t.Helper()
	idx := make([]int, len(points))
	for i := range idx {
		idx[i] = i
	}
	net, err := network.Build(points, idx, 2)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// Fit reports the estimate and sizes the batch from the device's free
// memory; the estimate covers what the backend really allocates.
func TestFitMatchesAllocations(t *testing.T) {
	net := build(t, testnet.Brunel(100, 5, 2, 10, 20, 1))
	shared, member := gpu.Estimate(net, 100)
	dev := New(shared + 3*member + member/2) // room for 3 members, not 4
	b := NewBackendOn(dev)
	fit, report, err := b.Fit(net)
	if err != nil {
		t.Fatal(err)
	}
	// Fit keeps 10 % of the free memory in reserve.
	if want := int((0.9*float64(shared+3*member+member/2) - float64(shared)) / float64(member)); fit != want || fit < 1 {
		t.Errorf("fit %d, want %d", fit, want)
	}
	for _, s := range []string{"shared (connectivity)", "per point", "free of", "points per batch"} {
		if !strings.Contains(report, s) {
			t.Errorf("report %q lacks %q", report, s)
		}
	}
	// A batch of the estimate's size runs within it (the estimate is not
	// below what is allocated).
	pts := []spec.Network{}
	for i := 0; i < 3; i++ {
		pts = append(pts, testnet.Brunel(100, 5, 2, 10, 20, 1))
	}
	big := build(t, pts...)
	exact := New(shared + 3*member)
	if err := NewBackendOn(exact).Run(context.Background(), big, &testnet.Collector{}, nil); err != nil {
		t.Errorf("a batch of 3 within the estimate of 3: %v", err)
	}
	// And it is exact: a byte less does not do.
	if err := NewBackendOn(New(shared+3*member-1)).Run(context.Background(), big, &testnet.Collector{}, nil); err == nil {
		t.Error("a batch of 3 ran in a byte less than its estimate: the estimate is too high")
	}
	if _, _, err := NewBackendOn(New(shared)).Fit(net); err == nil || !strings.Contains(err.Error(), "one point does not fit") {
		t.Errorf("a device with room for the connectivity only: error %v", err)
	}
}

// failing makes one kernel fail, as a faulting kernel would.
type failing struct {
	*Device
	kernel string
}

func (f failing) Launch(k string, grid [3]int, block int, args gpu.Ptr) error {
	if k == f.kernel {
		return errors.New("illegal address")
	}
	return f.Device.Launch(k, grid, block, args)
}

// An error names the backend, the device, the kernel and its launch shape.
func TestLaunchErrorsNameTheKernel(t *testing.T) {
	net := build(t, testnet.Brunel(50, 5, 2, 10, 5, 1))
	b := gpu.NewBackend(failing{New(1 << 30), "propagate"}, "gpu-emulated")
	err := b.Run(context.Background(), net, &testnet.Collector{}, nil)
	if err == nil || !strings.Contains(err.Error(), "launch of propagate (grid") || !strings.Contains(err.Error(), "illegal address") {
		t.Errorf("error %v, want one naming the launch of propagate", err)
	}
}

// Networks the kernels cannot run are refused before anything is allocated.
func TestUnsupportedNetworksAreRefused(t *testing.T) {
	fast := testnet.Brunel(50, 5, 2, 10, 5, 1)
	fast.Devices[0].Params["rate"] = 200_000 // 20 per step: no inversion table
	dev := New(1 << 30)
	err := NewBackendOn(dev).Run(context.Background(), build(t, fast), &testnet.Collector{}, nil)
	if err == nil || !strings.Contains(err.Error(), "--backend cpu") || !strings.Contains(err.Error(), "noise") {
		t.Errorf("a Poisson mean of 20 per step: error %v", err)
	}
	if free, total, _ := dev.MemInfo(); free != total {
		t.Errorf("%d bytes allocated before the refusal", total-free)
	}
}

// capturing counts the windows the backend captures.
type capturing struct {
	*Device
	captures int
}

func (c *capturing) Capture(record func() error) (gpu.Replay, error) {
	c.captures++
	return c.Device.Capture(record)
}

// Windows of steps are captured once per shape (length and the multimeter
// samples due) and replayed, with exactly the results of launching every
// kernel on its own.
func TestGraphsReplayWindows(t *testing.T) {
	pt := testnet.Brunel(50, 5, 2, 10, 100, 1)
	pt.Recorders = []spec.Recorder{{Model: "multimeter", Source: "E", Neurons: []int{0, 3}, RecordFrom: []string{"V_m"},
		Interval: 0.3, Stop: testnet.Forever}}
	net := build(t, pt)
	plain := &testnet.Collector{}
	nb := NewBackend(1 << 30)
	nb.NoGraphs = true
	if err := nb.Run(context.Background(), net, plain, nil); err != nil {
		t.Fatal(err)
	}
	dev := &capturing{Device: New(1 << 30)}
	got := &testnet.Collector{}
	if err := gpu.NewBackend(dev, "gpu-emulated").Run(context.Background(), net, got, nil); err != nil {
		t.Fatal(err)
	}
	// 1000 steps in windows of 100; samples every 3 steps: the windows
	// start at phases 0, 1, 2 of the interval, so three shapes.
	if dev.captures != 3 {
		t.Errorf("%d captures for 10 windows of 3 shapes", dev.captures)
	}
	if len(plain.Spiked) == 0 || len(plain.Sampled) != 333*1 {
		t.Fatalf("plain run: %d spikes, %d samples", len(plain.Spiked), len(plain.Sampled))
	}
	if !reflect.DeepEqual(got.Spiked, plain.Spiked) || !reflect.DeepEqual(got.Sampled, plain.Sampled) {
		t.Error("replayed windows differ from launching step by step")
	}
}

// The estimate covers the per-neuron parameters (izhikevich's a, b, c, d):
// exactly what a batch allocates.
func TestFitCountsPerNeuronParameters(t *testing.T) {
	pts := []spec.Network{testnet.Izhikevich2003(40, 10, 20, 1), testnet.Izhikevich2003(40, 10, 20, 1)}
	big := build(t, pts...)
	shared, member := gpu.Estimate(build(t, pts[0]), 100)
	if s2, m2 := gpu.Estimate(big, 100); s2 != shared || m2 != member {
		t.Fatalf("estimate of a batch of 2: %d + %d per member, of one: %d + %d", s2, m2, shared, member)
	}
	if err := NewBackendOn(New(shared+2*member)).Run(context.Background(), big, &testnet.Collector{}, nil); err != nil {
		t.Errorf("a batch of 2 within the estimate of 2: %v", err)
	}
	if err := NewBackendOn(New(shared+2*member-1)).Run(context.Background(), big, &testnet.Collector{}, nil); err == nil {
		t.Error("a batch of 2 ran in a byte less than its estimate")
	}
}

// With gap junctions the estimate is still what the backend allocates.
func TestFitMatchesAllocationsWithGapJunctions(t *testing.T) {
	w := spec.DefaultWFR()
	net := build(t, backendtest.GapNetwork(30, 200, 0.3, w, 2), backendtest.GapNetwork(30, 200, 0.5, w, 2))
	shared, member := gpu.Estimate(net, 100)
	if err := NewBackendOn(New(shared+2*member)).Run(context.Background(), net, &testnet.Collector{}, nil); err != nil {
		t.Errorf("two members within the estimate of two: %v", err)
	}
	if err := NewBackendOn(New(shared+2*member-1)).Run(context.Background(), net, &testnet.Collector{}, nil); err == nil {
		t.Error("two members ran in a byte less than their estimate: the estimate is too high")
	}
}
