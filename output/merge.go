package output

import (
	"container/heap"
	"encoding/json"
	"path/filepath"
	"slices"
	"sort"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// The merges stream: one record batch (readBatchRows rows) of one part file
// at a time for spikes and state, whose part files are concatenated in
// order; for the summary a k-way merge by point over the batches' summary
// parts, each opened only when the merge reaches its first point, so that
// batches of consecutive points are read one after the other.

// mergeSummary writes the final summary table (not yet renamed).
func (d *Dir) mergeSummary() (*tableWriter, error) {
	var batches []*batchEntry
	labels := false
	for i := range d.prog.Batches {
		b := &d.prog.Batches[i]
		if b.Summary != "" {
			batches = append(batches, b)
			labels = labels || b.Labels
		}
	}
	sort.SliceStable(batches, func(i, j int) bool { return slices.Min(batches[i].Points) < slices.Min(batches[j].Points) })

	sb := newSummaryBuilder(d.swept, labels)
	defer sb.release()
	sw, _ := json.Marshal(d.swept)
	w, err := createTable(filepath.Join(d.dir, summaryFile), sb.schema(), writerProps(d.codec, finalRowGroup, colLabel, colPopulation, colBackend),
		metaHash, d.hash, metaSwept, string(sw))
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*tableWriter, error) {
		w.abort()
		return nil, err
	}
	var h cursorHeap
	defer func() {
		for _, c := range h {
			c.t.close()
		}
	}()
	next := 0
	for {
		// Open the batches that may hold the smallest point still to come.
		for next < len(batches) && (len(h) == 0 || slices.Min(batches[next].Points) <= h[0].row.Point) {
			c, err := openSummaryCursor(filepath.Join(d.dir, partsDir, batches[next].Summary))
			if err != nil {
				return fail(err)
			}
			next++
			if c != nil {
				heap.Push(&h, c)
			}
		}
		if len(h) == 0 {
			break
		}
		c := h[0]
		p := c.row.Point
		for {
			sb.append(&c.row)
			if sb.rows() == chunkRows {
				if err := sb.flush(w); err != nil {
					return fail(err)
				}
			}
			ok, err := c.advance()
			if err != nil {
				return fail(err)
			}
			if !ok {
				c.t.close()
				heap.Pop(&h)
				break
			}
			if c.row.Point != p {
				heap.Fix(&h, 0)
				break
			}
		}
	}
	if err := sb.flush(w); err != nil {
		return fail(err)
	}
	if err := w.close(); err != nil {
		return fail(err)
	}
	return w, nil
}

// summaryCursor walks the rows of one summary part.
type summaryCursor struct {
	t   *tableReader
	d   *summaryDecoder
	rec arrow.Record
	i   int
	row SummaryRow
}

// openSummaryCursor opens a part at its first row; nil if it has none.
func openSummaryCursor(path string) (*summaryCursor, error) {
	t, err := openTable(path)
	if err != nil {
		return nil, err
	}
	d, _, err := newSummaryDecoder(t)
	if err != nil {
		t.close()
		return nil, err
	}
	c := &summaryCursor{t: t, d: d}
	ok, err := c.advance()
	if err != nil || !ok {
		t.close()
		return nil, err
	}
	return c, nil
}

// advance moves to the next row; false at the end.
func (c *summaryCursor) advance() (bool, error) {
	for c.rec == nil || c.i >= int(c.rec.NumRows()) {
		rec, err := c.t.next()
		if err != nil || rec == nil {
			return false, err
		}
		c.rec, c.i = rec, 0
	}
	c.row = c.d.row(c.rec, c.i)
	c.i++
	return true, nil
}

// cursorHeap orders cursors by their current point (points are disjoint
// across batches).
type cursorHeap []*summaryCursor

func (h cursorHeap) Len() int           { return len(h) }
func (h cursorHeap) Less(i, j int) bool { return h[i].row.Point < h[j].row.Point }
func (h cursorHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *cursorHeap) Push(x any)        { *h = append(*h, x.(*summaryCursor)) }
func (h *cursorHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}

// constCols builds the constant columns of a part's records (point,
// population, recorder, and float32 nulls for the state variables a part
// lacks), reusing the last ones while the part is the same.
type constCols struct {
	part partFile // File and Rows ignored
	cols [4]arrow.Array
}

func (c *constCols) get(p partFile, n int) [4]arrow.Array {
	p.File, p.Rows = "", 0
	if c.cols[0] == nil || c.part != p || c.cols[0].Len() < n {
		c.release()
		size := max(n, readBatchRows)
		pb := array.NewInt32Builder(mem)
		defer pb.Release()
		pb.Reserve(size)
		for i := 0; i < size; i++ {
			pb.UnsafeAppend(int32(p.Point))
		}
		c.part = p
		c.cols = [4]arrow.Array{pb.NewArray(), constString(p.Population, size), constString(p.Recorder, size),
			array.MakeArrayOfNull(mem, arrow.PrimitiveTypes.Float32, size)}
	}
	var out [4]arrow.Array
	for i, a := range c.cols {
		out[i] = array.NewSlice(a, 0, int64(n))
	}
	return out
}

func constString(s string, n int) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(n)
	b.ReserveData(n * len(s))
	for i := 0; i < n; i++ {
		b.Append(s)
	}
	return b.NewArray()
}

func (c *constCols) release() {
	for i, a := range c.cols {
		if a != nil {
			a.Release()
		}
		c.cols[i] = nil
	}
}

// partsInOrder lists the part files of kind (spikes or state) by point,
// keeping each point's population and recorder order. The second result gives each
// part's state variables.
func (d *Dir) partsInOrder(state bool) ([]partFile, [][]string) {
	type item struct {
		p    partFile
		vars []string
	}
	var items []item
	for _, b := range d.prog.Batches {
		list := b.Spikes
		if state {
			list = b.State
		}
		for _, p := range list {
			items = append(items, item{p, b.StateVars})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].p.Point < items[j].p.Point })
	parts := make([]partFile, len(items))
	vars := make([][]string, len(items))
	for i, it := range items {
		parts[i], vars[i] = it.p, it.vars
	}
	return parts, vars
}

// mergeSpikes writes the final spikes table (not yet renamed).
func (d *Dir) mergeSpikes() (*tableWriter, error) {
	return d.mergeRecords(false, spikesFile, spikesSchema(), nil)
}

// mergeState writes the final state table (not yet renamed). Its variables
// are the union over the batches, in order of first appearance by point.
func (d *Dir) mergeState() (*tableWriter, error) {
	var vars []string
	batches := slices.Clone(d.prog.Batches)
	sort.SliceStable(batches, func(i, j int) bool { return slices.Min(batches[i].Points) < slices.Min(batches[j].Points) })
	for _, b := range batches {
		for _, v := range b.StateVars {
			if !slices.Contains(vars, v) {
				vars = append(vars, v)
			}
		}
	}
	return d.mergeRecords(true, stateFile, stateSchema(vars), vars)
}

func spikesSchema() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: colPoint, Type: arrow.PrimitiveTypes.Int32},
		{Name: colPopulation, Type: arrow.BinaryTypes.String},
		{Name: colRecorder, Type: arrow.BinaryTypes.String},
		{Name: colNeuron, Type: arrow.PrimitiveTypes.Int32},
		{Name: colTime, Type: arrow.PrimitiveTypes.Float64},
	}, nil)
}

func stateSchema(vars []string) *arrow.Schema {
	fields := spikesSchema().Fields()
	for _, v := range vars {
		fields = append(fields, arrow.Field{Name: v, Type: arrow.PrimitiveTypes.Float32, Nullable: true})
	}
	return arrow.NewSchema(fields, nil)
}

// mergeRecords concatenates the spikes or state parts in order, adding the
// point, population and recorder columns (and null columns for the state
// variables a part lacks).
func (d *Dir) mergeRecords(state bool, name string, schema *arrow.Schema, vars []string) (*tableWriter, error) {
	w, err := createTable(filepath.Join(d.dir, name), schema, writerProps(d.codec, finalRowGroup, colPopulation, colRecorder), metaHash, d.hash)
	if err != nil {
		return nil, err
	}
	var cc constCols
	defer cc.release()
	parts, partVars := d.partsInOrder(state)
	for i, p := range parts {
		err := eachRecord(filepath.Join(d.dir, partsDir, p.File), func(t *tableReader, rec arrow.Record) error {
			n := int(rec.NumRows())
			c := cc.get(p, n)
			for _, a := range c {
				defer a.Release()
			}
			cols := []arrow.Array{c[0], c[1], c[2], rec.Column(0), rec.Column(1)}
			for _, v := range vars {
				if j := slices.Index(partVars[i], v); j >= 0 {
					cols = append(cols, rec.Column(2+j))
				} else {
					cols = append(cols, c[3])
				}
			}
			out := array.NewRecord(schema, cols, int64(n))
			defer out.Release()
			return w.write(out)
		})
		if err != nil {
			w.abort()
			return nil, err
		}
	}
	if err := w.close(); err != nil {
		w.abort()
		return nil, err
	}
	return w, nil
}
