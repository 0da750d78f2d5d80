package output

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// Key-value metadata of the Parquet files (docs/outputs.md lists them).
// Values are JSON texts, but snn.hash's, a plain hex string.
const (
	metaHash   = "snn.hash"  // the run's hash (inspect: the config's)
	metaSwept  = "snn.swept" // the swept names, in column order (summary)
	metaSeed   = "snn.seed"
	metaPoint  = "snn.point" // the point inspect built
	metaDt     = "dt"        // ms
	metaTSim   = "t_sim"     // ms
	metaTStart = "t_start"   // ms
	metaBinMs  = "bin_ms"    // ms (summary)
	metaUnits  = "units"     // {column: unit}, as the fields' metadata say
	// metaRecorder prefixes the keys of one recorder: population, n_rec,
	// neurons (ranges), start and stop (ms), and for multimeters interval
	// (ms) and record_from.
	metaRecorder = "recorder."
	// metaProjection prefixes a projection's weight_unit (edges).
	metaProjection = "projection."
)

// unitKey is the key of a column's unit in its Arrow field metadata.
const unitKey = "unit"

// withUnit gives f the unit in its metadata ("" gives none).
func withUnit(f arrow.Field, unit string) arrow.Field {
	if unit != "" {
		f.Metadata = arrow.NewMetadata([]string{unitKey}, []string{unit})
	}
	return f
}

// unitsOf is the metaUnits value of a schema: its columns' units as a JSON
// object, for readers that see the Parquet key-value metadata but not the
// Arrow schema stored with it.
func unitsOf(schema *arrow.Schema) string {
	units := map[string]string{}
	for _, f := range schema.Fields() {
		if i := f.Metadata.FindKey(unitKey); i >= 0 {
			units[f.Name] = f.Metadata.Values()[i]
		}
	}
	b, _ := json.Marshal(units)
	return string(b)
}

// pointMeta collects metadata values point by point and writes each key
// once: the value, when every point of the table has the same one, or else
// a JSON object from point (as a string) to value, for the points that
// have one. Keys keep the order in which they were first added.
type pointMeta struct {
	keys   []string
	vals   map[string][]pointValue
	points []int // every point of the table, ascending
}

type pointValue struct {
	point int
	json  string
}

func newPointMeta() *pointMeta { return &pointMeta{vals: map[string][]pointValue{}} }

// add records point's value of key; points come in ascending order.
func (m *pointMeta) add(point int, key string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("output: metadata " + key + ": " + err.Error()) // only finite numbers, strings and lists come here
	}
	if _, ok := m.vals[key]; !ok {
		m.keys = append(m.keys, key)
	}
	m.vals[key] = append(m.vals[key], pointValue{point, string(b)})
	if n := len(m.points); n == 0 || m.points[n-1] != point {
		m.points = append(m.points, point)
	}
}

// addLayout adds what a layout says of point: its seed and grid, and the
// recorders of model ("" for none).
func (m *pointMeta) addLayout(point int, l *Layout, model string) {
	m.add(point, metaSeed, l.Seed)
	m.add(point, metaDt, l.Dt)
	m.add(point, metaTSim, l.TSim)
	m.add(point, metaTStart, l.TStart)
	if model == "" {
		m.add(point, metaBinMs, l.BinMs)
	}
	g := newGrid(l.Dt)
	for _, r := range l.Recorders {
		if r.Model != model {
			continue
		}
		key := metaRecorder + r.Name + "."
		m.add(point, key+"population", r.Population)
		m.add(point, key+"n_rec", len(r.Neurons))
		m.add(point, key+"neurons", r.Neurons)
		m.add(point, key+"start", g.time(r.Start))
		m.add(point, key+"stop", g.time(r.Stop))
		if r.Model == Multimeter {
			m.add(point, key+"interval", g.time(r.Interval))
			names := make([]string, len(r.Vars))
			for i, v := range r.Vars {
				names[i] = v.Name
			}
			m.add(point, key+"record_from", names)
		}
	}
}

// pairs returns the keys and values, alternating.
func (m *pointMeta) pairs() []string {
	var kv []string
	for _, key := range m.keys {
		vs := m.vals[key]
		same := len(vs) == len(m.points)
		for _, v := range vs {
			same = same && v.json == vs[0].json
		}
		if same {
			kv = append(kv, key, vs[0].json)
			continue
		}
		var b strings.Builder
		b.WriteByte('{')
		for i, v := range vs {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(strconv.Itoa(v.point)) + ":" + v.json)
		}
		b.WriteByte('}')
		kv = append(kv, key, b.String())
	}
	return kv
}

// pointLayouts pairs every committed point with its batch's layout,
// ascending by point.
func (d *Dir) pointLayouts() []pointLayout {
	var out []pointLayout
	for i := range d.prog.Batches {
		b := &d.prog.Batches[i]
		for _, p := range b.Points {
			out = append(out, pointLayout{p, &b.Layout})
		}
	}
	slices.SortFunc(out, func(a, b pointLayout) int { return a.point - b.point })
	return out
}

type pointLayout struct {
	point  int
	layout *Layout
}

// tableMeta is the key-value metadata of a final table: the run's hash,
// then what the layouts say of its points (recorders of model), then the
// units of schema.
func (d *Dir) tableMeta(schema *arrow.Schema, model string, extra ...string) []string {
	m := newPointMeta()
	for _, pl := range d.pointLayouts() {
		m.addLayout(pl.point, pl.layout, model)
	}
	kv := append([]string{metaHash, d.hash}, extra...)
	kv = append(kv, m.pairs()...)
	return append(kv, metaUnits, unitsOf(schema))
}
