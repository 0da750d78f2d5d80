package emu

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/gpu"
)

// The Go mirrors of the kernel argument structs have the C layout.
func TestArgumentLayouts(t *testing.T) {
	for name, v := range gpu.Layouts {
		c := Layout(name)
		if c == nil {
			t.Fatalf("%s: no C layout", name)
		}
		typ := reflect.TypeOf(v)
		if int64(typ.Size()) != c[0] {
			t.Errorf("%s: Go size %d, C size %d", name, typ.Size(), c[0])
		}
		if typ.NumField() != len(c)-1 {
			t.Fatalf("%s: %d Go fields, %d C fields", name, typ.NumField(), len(c)-1)
		}
		for i := 0; i < typ.NumField(); i++ {
			if off := int64(typ.Field(i).Offset); off != c[i+1] {
				t.Errorf("%s.%s: Go offset %d, C offset %d", name, typ.Field(i).Name, off, c[i+1])
			}
		}
	}
}

// Every kernel source has its host build here, and every kernel it
// defines is registered.
func TestEveryKernelIsBuilt(t *testing.T) {
	srcs, err := filepath.Glob("../../kernels/*.cu")
	if err != nil || len(srcs) == 0 {
		t.Fatalf("no kernel sources: %v", err)
	}
	d := New(1 << 20)
	for _, src := range srcs {
		base := strings.TrimSuffix(filepath.Base(src), ".cu")
		if _, err := os.Stat(base + ".cc"); err != nil {
			t.Errorf("kernels/%s.cu has no gpu/emu/%s.cc including it", base, base)
		}
		text, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(text), "\n") {
			if strings.HasPrefix(line, "SNN_KERNEL(") {
				name := strings.TrimPrefix(strings.SplitN(line, ",", 2)[0], "SNN_KERNEL(")
				if !d.Has(name) {
					t.Errorf("kernel %s of %s is not registered", name, src)
				}
			}
		}
	}
}

// Memory is accounted, and refused beyond the device's size.
func TestMemory(t *testing.T) {
	d := New(1000)
	p, err := d.Alloc(600)
	if err != nil {
		t.Fatal(err)
	}
	if free, total, _ := d.MemInfo(); free != 400 || total != 1000 {
		t.Errorf("MemInfo = %d free of %d, want 400 of 1000", free, total)
	}
	if _, err := d.Alloc(500); err == nil || !strings.Contains(err.Error(), "out of memory") {
		t.Errorf("over-allocation: error %v", err)
	}
	data := []byte("snn-gpu!")
	if err := d.HtoD(p+8, unsafePtr(data), 8); err != nil {
		t.Fatal(err)
	}
	back := make([]byte, 16)
	if err := d.DtoH(unsafePtr(back), p, 16); err != nil {
		t.Fatal(err)
	}
	if string(back[8:]) != "snn-gpu!" || back[0] != 0 {
		t.Errorf("round trip gave %q", back)
	}
	d.Free(p)
	if free, _, _ := d.MemInfo(); free != 1000 {
		t.Errorf("after Free: %d free", free)
	}
	if err := d.Launch("no_such_kernel", [3]int{1, 1, 1}, 1, 0); err == nil {
		t.Error("launching an unknown kernel succeeded")
	}
}
