package emu

/*
// No -march: without FMA instructions g++ cannot fuse a*b+c, which keeps
// the float results those of the CPU backend and of PTX built -fmad=false.
#cgo CXXFLAGS: -O2 -std=c++17
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
int snn_emu_launch(const char* name, int gx, int gy, int gz, int bx, const void* args);
int snn_emu_has(const char* name);
// Device addresses are host addresses held as integers on the Go side.
static uintptr_t snn_alloc(size_t n) { return (uintptr_t)calloc(1, n); }
static void snn_free(uintptr_t p) { free((void*)p); }
static void snn_to(uintptr_t dst, const void* src, size_t n) { memcpy((void*)dst, src, n); }
static void snn_from(void* dst, uintptr_t src, size_t n) { memcpy(dst, (const void*)src, n); }
static void snn_zero(uintptr_t dst, size_t n) { memset((void*)dst, 0, n); }
static int snn_launch(const char* name, int gx, int gy, int gz, int bx, uintptr_t args) {
	return snn_emu_launch(name, gx, gy, gz, bx, (const void*)args);
}
*/
import "C"

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/snn-gpu/snn-gpu/gpu"
)

// Device is the emulated GPU. Its memory is host memory from C's allocator
// (so that Go's collector never moves it), its kernels the host build of
// kernels/*.cu.
type Device struct {
	mu        sync.Mutex
	total     int64
	used      int64
	sizes     map[gpu.Ptr]int64
	launches  int64
	recording *[]call // launches being captured (Capture)
}

// New returns an emulated device that reports total bytes of memory.
func New(total int64) *Device { return &Device{total: total, sizes: map[gpu.Ptr]int64{}} }

// Name implements gpu.Device.
func (*Device) Name() string { return "emulated" }

// Alloc implements gpu.Device.
func (d *Device) Alloc(bytes int64) (gpu.Ptr, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.used+bytes > d.total {
		return 0, fmt.Errorf("emulated device: out of memory (%d bytes asked, %d of %d used)", bytes, d.used, d.total)
	}
	p := C.snn_alloc(C.size_t(max(bytes, 1)))
	if p == 0 {
		return 0, fmt.Errorf("emulated device: host out of memory for %d bytes", bytes)
	}
	ptr := gpu.Ptr(p)
	d.sizes[ptr] = bytes
	d.used += bytes
	return ptr, nil
}

// Free implements gpu.Device.
func (d *Device) Free(p gpu.Ptr) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if n, ok := d.sizes[p]; ok {
		d.used -= n
		delete(d.sizes, p)
		C.snn_free(C.uintptr_t(p))
	}
}

// HtoD implements gpu.Device.
func (d *Device) HtoD(dst gpu.Ptr, src unsafe.Pointer, bytes int64) error {
	if bytes > 0 {
		C.snn_to(C.uintptr_t(dst), src, C.size_t(bytes))
	}
	return nil
}

// DtoH implements gpu.Device.
func (d *Device) DtoH(dst unsafe.Pointer, src gpu.Ptr, bytes int64) error {
	if bytes > 0 {
		C.snn_from(dst, C.uintptr_t(src), C.size_t(bytes))
	}
	return nil
}

// Zero implements gpu.Device.
func (d *Device) Zero(dst gpu.Ptr, bytes int64) error {
	if bytes > 0 {
		C.snn_zero(C.uintptr_t(dst), C.size_t(bytes))
	}
	return nil
}

// Launch implements gpu.Device.
func (d *Device) Launch(kernel string, grid [3]int, block int, args gpu.Ptr) error {
	if d.recording != nil {
		*d.recording = append(*d.recording, call{kernel, grid, block, args})
		return nil
	}
	name := C.CString(kernel)
	defer C.free(unsafe.Pointer(name))
	d.launches++
	launches.Add(1)
	if rc := C.snn_launch(name, C.int(grid[0]), C.int(grid[1]), C.int(grid[2]), C.int(block), C.uintptr_t(args)); rc != 0 {
		return fmt.Errorf("emulated device: no kernel %q", kernel)
	}
	return nil
}

// Has reports whether the emulator has a kernel.
func (d *Device) Has(kernel string) bool {
	name := C.CString(kernel)
	defer C.free(unsafe.Pointer(name))
	return C.snn_emu_has(name) != 0
}

// Sync implements gpu.Device (the emulator is synchronous).
func (*Device) Sync() error { return nil }

// MemInfo implements gpu.Device.
func (d *Device) MemInfo() (int64, int64, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.total - d.used, d.total, nil
}

// Launches implements gpu.Device.
func (d *Device) Launches() int64 { return d.launches }

// Close implements gpu.Device: it frees everything still allocated.
func (d *Device) Close() error {
	for p := range d.sizes {
		d.Free(p)
	}
	return nil
}
