package gpu

import (
	"unsafe"

	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/structural"
)

// setup lays out the per-member CSR on the device: offsets for every
// member (a fixed size), targets with room to grow.
func (pp *plasticProj) setup(s *sim) error {
	if pp.pr.Weights != nil || pp.pr.Delays != nil {
		panic("gpu: per-member synapses with per-synapse weights or delays") // structural plasticity makes neither
	}
	ns := pp.args.NS
	pp.offsets = make([]int64, s.B*(ns+1))
	var err error
	if pp.args.Offsets, err = s.alloc(int64(len(pp.offsets)) * 8); err != nil {
		return err
	}
	pp.args.Targets, pp.args.OffsetsStride = 0, ns+1
	return pp.refresh(s)
}

// refresh uploads the members' synapses as they are now: the offsets in
// place, the targets in place while they fit, else into a new array (twice
// the size) whose address then replaces the old in propagate's table.
func (pp *plasticProj) refresh(s *sim) error {
	ns := pp.args.NS
	pp.targets = pp.targets[:0]
	for m := range s.B {
		c := pp.pr.Of(int(m))
		base := int64(len(pp.targets))
		for i := range ns + 1 {
			pp.offsets[m*(ns+1)+i] = base + c.Offsets[i]
		}
		pp.targets = append(pp.targets, c.Targets...)
	}
	if err := s.dev.HtoD(pp.args.Offsets, unsafe.Pointer(&pp.offsets[0]), int64(len(pp.offsets))*8); err != nil {
		return err
	}
	n := int64(len(pp.targets))
	if n > pp.cap {
		pp.cap = max(2*n, 1024)
		p, err := s.alloc(pp.cap * 4)
		if err != nil {
			return err
		}
		pp.args.Targets = p
		if s.table != 0 {
			a := pp.args // a copy: cgo refuses a pointer into a struct that holds Go pointers
			if err := s.dev.HtoD(s.table+Ptr(int64(pp.entry)*int64(unsafe.Sizeof(a))), unsafe.Pointer(&a), int64(unsafe.Sizeof(a))); err != nil {
				return err
			}
		}
	}
	if n == 0 {
		return nil
	}
	return s.dev.HtoD(pp.args.Targets, unsafe.Pointer(&pp.targets[0]), n*4)
}

// rewire runs structural plasticity before step (engine.Rewire) and
// uploads the plastic projections when they changed.
func (s *sim) rewire(sp *structural.Plasticity, sink engine.Sink, step int64) error {
	if !engine.Rewire(sp, s.watch, sink, step, s.net.Steps) {
		return nil
	}
	for _, pp := range s.plastic {
		if err := pp.refresh(s); err != nil {
			return err
		}
	}
	return nil
}
