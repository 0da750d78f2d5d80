package models

import (
	"fmt"
	"math"
)

// windowParams are the activity window of every NEST device.
var windowParams = []Param{
	{Name: "start", Unit: "ms", Default: 0, Doc: "activation time, relative to origin"},
	{Name: "stop", Unit: "ms", Default: math.Inf(1), Doc: "deactivation time, relative to origin"},
	{Name: "origin", Unit: "ms", Default: 0, Doc: "origin of the device's time axis"},
}

// window is a device's activity window in steps: NEST's t_min = origin+start
// and t_max = origin+stop.
type window struct{ min, max float64 }

func checkWindow(p Values) error {
	if !(p["stop"] >= p["start"]) {
		return fmt.Errorf("stop must be >= start (got start %g, stop %g)", p["start"], p["stop"])
	}
	return nil
}

func deriveWindow(p Values, dt float64) window {
	return window{float64(Steps(p["origin"]+p["start"], dt)), float64(Steps(p["origin"]+p["stop"], dt))}
}

// active is NEST's StimulationDevice::is_active: t_min < s <= t_max, where s
// is the step for spike generators and the step + 2 for current generators
// (so that a current switched on at start reaches a neuron over the minimal
// delay at the same time as NEST's).
func (w window) active(s int64) bool {
	f := float64(s)
	return w.min < f && f <= w.max
}
