//go:build cuda

package gpu

// The driver calls cu v0.9.6 lacks (stream capture and graph launch) come
// straight from cuda.h.

/*
#cgo LDFLAGS: -lcuda
#include <cuda.h>
*/
import "C"

import (
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"unsafe"

	"gorgonia.org/cu"

	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/kernels"
)

// Available reports whether this binary was built with CUDA support.
const Available = true

// New opens CUDA device opt.Device and returns the GPU backend on it.
// SNN_GPU_SYNC=1 in the environment sets SyncEachLaunch.
func New(opt Options) (engine.Backend, error) {
	if os.Getenv("SNN_GPU_SYNC") == "1" {
		opt.SyncEachLaunch = true
	}
	d, err := OpenCUDA(opt)
	if err != nil {
		return nil, err
	}
	b := NewBackend(d, "gpu")
	b.NoGraphs = opt.SyncEachLaunch // a captured launch cannot be waited for
	return b, nil
}

// DeviceCount returns the number of CUDA devices visible
// (CUDA_VISIBLE_DEVICES applies).
func DeviceCount() (int, error) {
	n, err := cu.NumDevices()
	if err != nil {
		return 0, fmt.Errorf("cuda: %w", err)
	}
	return n, nil
}

// cudaDevice is a CUDA GPU through gorgonia.org/cu. A CUDA context is
// current per OS thread, so every call locks its goroutine to its thread
// and makes the context current there (cuCtxSetCurrent is cheap), rather
// than sending each call to one thread through channels as cu.Ctx does:
// that round trip would cost more than a kernel launch.
type cudaDevice struct {
	cuctx    cu.CUContext
	stream   cu.Stream // every launch, so that it can be captured
	name     string
	opt      Options
	mods     []cu.Module
	funcs    map[string]cu.Function
	launches atomic.Int64
}

// OpenCUDA opens a CUDA device and loads the embedded PTX.
func OpenCUDA(opt Options) (d Device, err error) {
	n, err := cu.NumDevices()
	if err != nil {
		return nil, fmt.Errorf("cuda: %w", err)
	}
	if opt.Device < 0 || opt.Device >= n {
		return nil, fmt.Errorf("cuda: device %d asked, %d present", opt.Device, n)
	}
	dev, err := cu.GetDevice(opt.Device)
	if err != nil {
		return nil, fmt.Errorf("cuda: device %d: %w", opt.Device, err)
	}
	name, _ := dev.Name()
	runtime.LockOSThread()
	cuctx, err := dev.MakeContext(cu.SchedBlockingSync)
	runtime.UnlockOSThread()
	if err != nil {
		return nil, fmt.Errorf("cuda: context on %s: %w", name, err)
	}
	cd := &cudaDevice{cuctx: cuctx, name: name, opt: opt, funcs: map[string]cu.Function{}}
	if err := cd.do(func() (err error) { cd.stream, err = cu.MakeStream(cu.DefaultStream); return err }); err != nil {
		cd.Close()
		return nil, fmt.Errorf("cuda: stream on %s: %w", name, err)
	}
	err = fs.WalkDir(kernels.PTX, "ptx", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		ptx, err := kernels.PTX.ReadFile(path)
		if err != nil {
			return err
		}
		return cd.do(func() error {
			m, err := cu.LoadData(string(ptx))
			if err != nil {
				return fmt.Errorf("cuda: loading %s on %s: %w", path, name, err)
			}
			cd.mods = append(cd.mods, m)
			return nil
		})
	})
	if err != nil {
		cd.Close()
		return nil, err
	}
	return cd, nil
}

// do runs f with the device's context current on the calling thread.
func (d *cudaDevice) do(f func() error) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := cu.SetCurrentContext(d.cuctx); err != nil {
		return fmt.Errorf("cuda: making the context of %s current: %w", d.name, err)
	}
	return f()
}

func (d *cudaDevice) Name() string { return d.name }

func (d *cudaDevice) Alloc(bytes int64) (Ptr, error) {
	var p cu.DevicePtr
	err := d.do(func() error {
		var err error
		if p, err = cu.MemAlloc(max(bytes, 1)); err != nil {
			return err
		}
		return cu.MemsetD8(p, 0, max(bytes, 1))
	})
	if err != nil {
		return 0, fmt.Errorf("cuda: allocating %d bytes on %s: %w", bytes, d.name, err)
	}
	return Ptr(p), nil
}

func (d *cudaDevice) Free(p Ptr) { _ = d.do(func() error { return cu.MemFree(cu.DevicePtr(p)) }) }

func (d *cudaDevice) HtoD(dst Ptr, src unsafe.Pointer, bytes int64) error {
	if bytes == 0 {
		return nil
	}
	return d.do(func() error { return cu.MemcpyHtoD(cu.DevicePtr(dst), src, bytes) })
}

func (d *cudaDevice) DtoH(dst unsafe.Pointer, src Ptr, bytes int64) error {
	if bytes == 0 {
		return nil
	}
	return d.do(func() error { return cu.MemcpyDtoH(dst, cu.DevicePtr(src), bytes) })
}

func (d *cudaDevice) Zero(dst Ptr, bytes int64) error {
	if bytes == 0 {
		return nil
	}
	return d.do(func() error { return cu.MemsetD8(cu.DevicePtr(dst), 0, bytes) })
}

func (d *cudaDevice) function(name string) (cu.Function, error) {
	if f, ok := d.funcs[name]; ok {
		return f, nil
	}
	for _, m := range d.mods {
		var f cu.Function
		if err := d.do(func() (err error) { f, err = m.Function(name); return err }); err == nil {
			d.funcs[name] = f
			return f, nil
		}
	}
	return cu.Function{}, fmt.Errorf("no kernel %q in the embedded PTX", name)
}

// Has reports whether the embedded PTX has the kernel.
func (d *cudaDevice) Has(kernel string) bool {
	_, err := d.function(kernel)
	return err == nil
}

// Launch passes the argument struct's address in an 8-byte slot: cu reads
// 8 bytes behind every kernel-argument pointer.
func (d *cudaDevice) Launch(kernel string, grid [3]int, block int, args Ptr) error {
	f, err := d.function(kernel)
	if err != nil {
		return err
	}
	d.launches.Add(1)
	slot := uint64(args)
	params := []unsafe.Pointer{unsafe.Pointer(&slot)}
	return d.do(func() error {
		if err := f.Launch(grid[0], grid[1], grid[2], block, 1, 1, 0, d.stream, params); err != nil {
			return err
		}
		if d.opt.SyncEachLaunch {
			return cu.Synchronize()
		}
		return nil
	})
}

func (d *cudaDevice) Sync() error { return d.do(cu.Synchronize) }

// rawStream is the driver's handle of the device's stream (cu's Stream
// holds just that pointer, and its C method gives it in cu's own C type).
func (d *cudaDevice) rawStream() C.CUstream {
	h := d.stream.C()
	return *(*C.CUstream)(unsafe.Pointer(&h))
}

func curesult(rc C.CUresult, what string) error {
	if rc == C.CUDA_SUCCESS {
		return nil
	}
	var name *C.char
	C.cuGetErrorName(rc, &name)
	return fmt.Errorf("%s: %s (%d)", what, C.GoString(name), int(rc))
}

// Capture implements Capturer with CUDA stream capture: record's launches go
// into a graph, instantiated once and launched with one call per replay.
func (d *cudaDevice) Capture(record func() error) (Replay, error) {
	var r *cudaReplay
	err := d.do(func() error {
		st := d.rawStream()
		if err := curesult(C.cuStreamBeginCapture(st, C.CU_STREAM_CAPTURE_MODE_RELAXED), "cuStreamBeginCapture"); err != nil {
			return err
		}
		before := d.launches.Load()
		rerr := record()
		var g C.CUgraph
		eerr := curesult(C.cuStreamEndCapture(st, &g), "cuStreamEndCapture")
		if g != nil {
			defer C.cuGraphDestroy(g)
		}
		if rerr != nil {
			return rerr
		}
		if eerr != nil {
			return eerr
		}
		var exec C.CUgraphExec
		if err := curesult(C.cuGraphInstantiateWithFlags(&exec, g, 0), "cuGraphInstantiateWithFlags"); err != nil {
			return err
		}
		r = &cudaReplay{d: d, exec: exec, launches: d.launches.Load() - before}
		return nil
	})
	return r, err
}

type cudaReplay struct {
	d        *cudaDevice
	exec     C.CUgraphExec
	launches int64
}

func (r *cudaReplay) Run() error {
	r.d.launches.Add(r.launches)
	return r.d.do(func() error { return curesult(C.cuGraphLaunch(r.exec, r.d.rawStream()), "cuGraphLaunch") })
}

func (r *cudaReplay) Close() error {
	return r.d.do(func() error { return curesult(C.cuGraphExecDestroy(r.exec), "cuGraphExecDestroy") })
}

func (d *cudaDevice) MemInfo() (free, total int64, err error) {
	err = d.do(func() error {
		var err error
		free, total, err = cu.MemInfo()
		return err
	})
	return free, total, err
}

func (d *cudaDevice) Launches() int64 { return d.launches.Load() }

func (d *cudaDevice) Close() error {
	var errs []string
	for _, m := range d.mods {
		if err := d.do(m.Unload); err != nil {
			errs = append(errs, err.Error())
		}
	}
	d.mods = nil
	if d.stream != (cu.Stream{}) {
		if err := d.do(d.stream.Destroy); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if err := d.do(d.cuctx.Destroy); err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		return fmt.Errorf("cuda: closing %s: %s", d.name, strings.Join(errs, "; "))
	}
	return nil
}
