package gpu_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"unsafe"

	"github.com/snn-gpu/snn-gpu/gpu"
	"github.com/snn-gpu/snn-gpu/gpu/emu"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
)

// csrDevice wraps a device and reads back, just before the backend frees
// them, the device buffers that were uploaded with a projection's CSR
// arrays: after a whole run, each must still hold exactly what the host
// built. It uses only the exported gpu.Device interface, so it checks the
// emulated and the real device alike.
type csrDevice struct {
	gpu.Device
	want    []csrArray
	held    map[gpu.Ptr][]int // device buffer → the arrays of want it holds
	checked []int             // read-backs that matched, per array
	errs    []string
}

type csrArray struct {
	name string
	data []byte
}

func asBytes[T any](xs []T) []byte {
	if len(xs) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&xs[0])), len(xs)*int(unsafe.Sizeof(xs[0])))
}

func newCSRDevice(d gpu.Device, net *network.Network) *csrDevice {
	c := &csrDevice{Device: d, held: map[gpu.Ptr][]int{}}
	for _, pr := range net.Projections {
		for _, a := range []csrArray{
			{pr.Name + " offsets", asBytes(pr.Offsets)}, {pr.Name + " targets", asBytes(pr.Targets)},
			{pr.Name + " weights", asBytes(pr.Weights)}, {pr.Name + " delays", asBytes(pr.Delays)},
		} {
			if len(a.data) > 0 {
				c.want = append(c.want, csrArray{a.name, bytes.Clone(a.data)})
			}
		}
	}
	c.checked = make([]int, len(c.want))
	return c
}

func (c *csrDevice) HtoD(dst gpu.Ptr, src unsafe.Pointer, n int64) error {
	if err := c.Device.HtoD(dst, src, n); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	up := unsafe.Slice((*byte)(src), n)
	for i, w := range c.want { // equal arrays of two projections: one upload may be either
		if int64(len(w.data)) == n && bytes.Equal(w.data, up) {
			c.held[dst] = append(c.held[dst], i)
		}
	}
	return nil
}

func (c *csrDevice) Free(p gpu.Ptr) {
	if is, ok := c.held[p]; ok {
		w := c.want[is[0]]
		back := make([]byte, len(w.data))
		if err := c.Device.DtoH(unsafe.Pointer(&back[0]), p, int64(len(back))); err != nil {
			c.errs = append(c.errs, fmt.Sprintf("%s: reading back: %v", w.name, err))
		} else if !bytes.Equal(back, w.data) {
			k := 0
			for k < len(back) && back[k] == w.data[k] {
				k++
			}
			c.errs = append(c.errs, fmt.Sprintf("%s: the device holds other bytes after the run (first at byte %d of %d)", w.name, k, len(back)))
		} else {
			for _, i := range is {
				c.checked[i]++
			}
		}
		delete(c.held, p)
	}
	c.Device.Free(p)
}

// csrNetwork is a small Brunel network whose recurrent projections draw a
// weight and a delay per synapse, so that every CSR array (offsets,
// targets, weights, delays) goes to the device.
func csrNetwork() spec.Network {
	n := testnet.Brunel(250, 5, 2, 10, 100, 1)
	for i := range n.Connections {
		c := &n.Connections[i]
		if c.Source == "noise" {
			continue
		}
		w := c.Syn.Weight.Const
		c.Syn.Weight = spec.Param(fmt.Sprintf("random.normal(%g, %g)", w, 0.1*w))
		c.Syn.Delay = spec.Param("random.uniform(0.5, 3)")
	}
	return n
}

// checkCSROnDevice runs csrNetwork on dev through the GPU backend and checks
// that every CSR array was uploaded and is intact on the device at the end.
func checkCSROnDevice(t *testing.T, dev gpu.Device, name string) {
	t.Helper()
	net, err := network.Build([]spec.Network{csrNetwork(), csrNetwork()}, []int{0, 1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var perSynapse bool
	for _, pr := range net.Projections {
		perSynapse = perSynapse || (pr.Weights != nil && pr.Delays != nil)
	}
	if !perSynapse {
		t.Fatal("the test network has no per-synapse weights and delays")
	}
	c := newCSRDevice(dev, net)
	before := dev.Launches()
	col := &testnet.Collector{}
	if err := gpu.NewBackend(c, name).Run(context.Background(), net, col, nil); err != nil {
		t.Fatal(err)
	}
	if dev.Launches() == before {
		t.Fatal("the device launched nothing")
	}
	if len(col.Spiked) == 0 {
		t.Fatal("the network did not spike: the CSR was never used")
	}
	for _, e := range c.errs {
		t.Error(e)
	}
	for i, w := range c.want {
		if c.checked[i] == 0 {
			t.Errorf("%s (%d bytes): never found on the device", w.name, len(w.data))
		}
	}
	if len(c.held) != 0 {
		t.Errorf("%d CSR buffers were not freed", len(c.held))
	}
}

// The emulated device holds the host's CSR, byte for byte, after a run.
func TestCSRReadBackEmulated(t *testing.T) {
	checkCSROnDevice(t, emu.New(1<<30), "gpu-emulated")
}
