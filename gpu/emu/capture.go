package emu

import "github.com/snn-gpu/snn-gpu/gpu"

// call is one recorded launch.
type call struct {
	kernel string
	grid   [3]int
	block  int
	args   gpu.Ptr
}

// Capture implements gpu.Capturer the way a CUDA graph behaves: the
// launches record makes are kept, not run, and Run replays them in order.
func (d *Device) Capture(record func() error) (gpu.Replay, error) {
	d.recording = &[]call{}
	err := record()
	calls := *d.recording
	d.recording = nil
	if err != nil {
		return nil, err
	}
	return &replay{d: d, calls: calls}, nil
}

type replay struct {
	d     *Device
	calls []call
}

func (r *replay) Run() error {
	for _, c := range r.calls {
		if err := r.d.Launch(c.kernel, c.grid, c.block, c.args); err != nil {
			return err
		}
	}
	return nil
}

func (r *replay) Close() error { r.calls = nil; return nil }
