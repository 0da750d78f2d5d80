package emu

/*
#include <stdlib.h>
int snn_emu_layout(const char* name, long* out, int max);
*/
import "C"

import (
	"unsafe"
)

// Layout returns the C size of argument struct name and the offsets of its
// fields, in declaration order (nil for an unknown name).
func Layout(name string) []int64 {
	n := C.CString(name)
	defer C.free(unsafe.Pointer(n))
	var out [64]C.long
	k := C.snn_emu_layout(n, &out[0], 64)
	if k < 0 {
		return nil
	}
	r := make([]int64, k)
	for i := range r {
		r[i] = int64(out[i])
	}
	return r
}
