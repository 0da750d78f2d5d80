package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/spec"
)

// Key returns a string that is equal for two points iff they can run in
// one batch: everything equal except population Params, Lists, Init, Draws
// and PerNeuron (values kept per batch member; a model's list parameters
// become per-member constants of a fixed layout), device Params (not
// Lists), and connection Syn.Weight when both are constants.
func Key(n *spec.Network) string {
	// fmt prints maps sorted by key and floats exactly (shortest form that
	// reads back the same), so equal structures give equal text; pointers
	// are printed by what they point to, not by address.
	var b strings.Builder
	c := *n
	if w := c.Simulation.WFR; w != nil {
		fmt.Fprintf(&b, "wfr %+v\n", *w)
		c.Simulation.WFR = nil
	}
	c.Populations = make([]spec.Population, len(n.Populations))
	for i, p := range n.Populations {
		p.Params, p.Lists, p.Init, p.Draws, p.PerNeuron = nil, nil, nil, nil, nil
		if p.Spatial != nil {
			fmt.Fprintf(&b, "population %d spatial %+v\n", i, *p.Spatial)
			p.Spatial = nil
		}
		// Element parameters and calcium are per member; the names are
		// structure (which projections structural plasticity makes).
		for _, e := range p.Elements {
			fmt.Fprintf(&b, "population %d element %q\n", i, e.Name)
		}
		p.Elements, p.Calcium = nil, nil
		c.Populations[i] = p
	}
	c.Devices = make([]spec.Device, len(n.Devices))
	for i, d := range n.Devices {
		d.Params = nil
		c.Devices[i] = d
	}
	c.Connections = make([]spec.Connection, len(n.Connections))
	for i, k := range n.Connections {
		if k.Syn.Weight.IsConst() {
			k.Syn.Weight.Const = 0
		}
		k.Syn.Params = nil // a plastic synapse's rule is per member
		if k.Mask != nil {
			fmt.Fprintf(&b, "connection %d mask %+v\n", i, *k.Mask)
			k.Mask = nil
		}
		if k.Third != nil {
			fmt.Fprintf(&b, "connection %d third %+v\n", i, *k.Third)
			k.Third = nil
		}
		if w := k.Syn.WeightRecorder; w != nil {
			fmt.Fprintf(&b, "connection %d weight_recorder %+v\n", i, *w)
			k.Syn.WeightRecorder = nil
		}
		c.Connections[i] = k
	}
	if sp := c.Structural; sp != nil {
		fmt.Fprintf(&b, "structural_plasticity %g %g\n", sp.UpdateInterval, sp.RecordInterval)
		for _, t := range sp.Synapses {
			t.Weight = 0 // per member
			fmt.Fprintf(&b, "structural synapse %+v\n", t)
		}
		c.Structural = nil
	}
	fmt.Fprintf(&b, "%+v", c)
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// Batches groups points by Key, keeping the order in which groups first
// appear and the order of points within a group, and cuts each group into
// batches of at most max points (max <= 0: no limit).
func Batches(points []configs.Point, max int) [][]configs.Point {
	var order []string
	groups := map[string][]configs.Point{}
	for _, p := range points {
		k := Key(&p.Net)
		if _, seen := groups[k]; !seen {
			order = append(order, k)
		}
		groups[k] = append(groups[k], p)
	}
	var out [][]configs.Point
	for _, k := range order {
		g := groups[k]
		for len(g) > 0 {
			n := len(g)
			if max > 0 && n > max {
				n = max
			}
			out = append(out, g[:n:n])
			g = g[n:]
		}
	}
	return out
}
