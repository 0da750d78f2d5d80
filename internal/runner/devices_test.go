package runner

import (
	"testing"

	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/gpu"
	"github.com/snn-gpu/snn-gpu/gpu/emu"
)

// emulatedFitting returns an emulated device with room for n points of
// f's first structure in one batch (gpu.Backend.Fit's arithmetic).
func emulatedFitting(t *testing.T, n int) *emu.Device {
	t.Helper()
	net, err := buildNetwork(loadCSV(t).Points[:1], 2)
	if err != nil {
		t.Fatal(err)
	}
	shared, member := gpu.Estimate(net, 100)
	return emu.New(int64((float64(shared) + (float64(n)+0.5)*float64(member)) / 0.9))
}

// Several emulated devices run the sweep's batches at once, each batch
// sized to its device, and write what one device writes, byte for byte.
func TestDevicesGiveTheOneDeviceOutputs(t *testing.T) {
	f := loadCSV(t)
	one := runSweep(t, f, Options{Use: emu.NewBackend(1 << 30), Threads: 2, Batch: -1, Point: AllPoints})
	small, large := emulatedFitting(t, 1), emulatedFitting(t, 2)
	multi := runSweep(t, f, Options{Devices: []engine.Backend{emu.NewBackendOn(small), emu.NewBackendOn(large)}, Threads: 2, Batch: -1, Point: AllPoints})
	same(t, "two devices vs one", one, multi)
	if small.Launches() == 0 || large.Launches() == 0 {
		t.Errorf("launches %d and %d: a device did nothing", small.Launches(), large.Launches())
	}
	sizes := batchSizes(multi.res)
	// Device order first: the small device takes point 0 alone, the
	// large one points 1 and 2; point 3 goes to whichever is free first.
	if sizes[0] != 1 || sizes[1] != 2 || sizes[2] != 2 || sizes[3] > 2 {
		t.Errorf("batch sizes %v, want point 0 alone, 1 and 2 together", sizes)
	}
}

// With several devices the host holds a batch per device at once: the
// estimate of a structure counts as many.
func TestDevicesMultiplyTheHostEstimate(t *testing.T) {
	f := load(t)
	backend := emu.NewBackend(1 << 30)
	var bytes []float64
	for _, devices := range []int{1, 3} {
		plan, err := checkMemory(f, f.Points, backend, 2, 2, false, 0, devices)
		if err != nil {
			t.Fatal(err)
		}
		bytes = append(bytes, plan.check.groups[0].Bytes(2))
	}
	if bytes[1] != 3*bytes[0] {
		t.Errorf("a structure's estimate is %g for 3 devices, %g for one: want 3 times", bytes[1], bytes[0])
	}
}
