package runner

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/output"
	"github.com/snn-gpu/snn-gpu/spec"
)

// inspect's tables hold what the network holds: one row per projection with
// its counts and degree moments, and every synapse in edges.parquet.
func TestInspectTables(t *testing.T) {
	f := load(t)
	dir := t.TempDir()
	var out bytes.Buffer
	if err := Inspect(&out, f, InspectOptions{Point: 1, OutDir: dir, Edges: true, Threads: 2}); err != nil {
		t.Fatal(err)
	}
	net, err := network.Build([]spec.Network{f.Points[1].Net}, []int{1}, 1)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := output.ReadConnectivity(filepath.Join(dir, "connectivity.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	edges, err := output.ReadEdges(filepath.Join(dir, "edges.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(net.Projections) {
		t.Fatalf("%d rows for %d projections", len(rows), len(net.Projections))
	}
	perProj := map[string]int64{}
	for _, e := range edges {
		perProj[e.Projection]++
	}
	var total int64
	for i, pr := range net.Projections {
		st := net.Stats(pr, 0)
		r := rows[i]
		if r.Projection != pr.Name || r.Synapses != st.Synapses || r.Autapses != st.Autapses || r.Multapses != st.Multapses ||
			r.IndegreeMean != st.In.Mean || r.OutdegreeSD != st.Out.SD || r.Rule != pr.Rule {
			t.Errorf("row %d = %+v, projection %s has %+v", i, r, pr.Name, st)
		}
		if perProj[pr.Name] != st.Synapses {
			t.Errorf("%s: %d edges written, %d synapses", pr.Name, perProj[pr.Name], st.Synapses)
		}
		total += st.Synapses
	}
	// The first edges are the first row of the first projection, in order.
	pr := net.Projections[0]
	for j := pr.Offsets[0]; j < pr.Offsets[1]; j++ {
		e := edges[j]
		if e.Source != 0 || e.Target != int32(pr.Targets[j]) || e.Weight != pr.Weight[0] || e.DelayMs != float64(pr.Delay)/10 {
			t.Fatalf("edge %d = %+v, want 0 -> %d weight %g delay %g", j, e, pr.Targets[j], pr.Weight[0], float64(pr.Delay)/10)
		}
	}
	if int64(len(edges)) != total {
		t.Errorf("%d edges, %d synapses", len(edges), total)
	}
	// Both tables carry the config's hash, the seed and the point, like a
	// run's tables; weights are the target's spike input, mV for iaf_psc_delta.
	for _, name := range []string{"connectivity.parquet", "edges.parquet"} {
		meta, err := output.ReadMetadata(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if meta["snn.hash"] != f.Hash || meta["snn.seed"] != "5" || meta["snn.point"] != "1" {
			t.Errorf("%s: metadata %v, want the config's hash, seed 5 and point 1", name, meta)
		}
		if name == "edges.parquet" && !strings.Contains(meta["units"], `"weight":"mV"`) {
			t.Errorf("%s: units %s", name, meta["units"])
		}
	}
	for _, r := range rows {
		if r.WeightUnit != "mV" {
			t.Errorf("%s: weights in %q, want mV", r.Projection, r.WeightUnit)
		}
	}
}
