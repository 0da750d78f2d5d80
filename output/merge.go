package output

import (
	"container/heap"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/parquet"
)

// The merges stream: one record batch (readBatchRows rows) of one part file
// at a time for spikes and state, whose part files are concatenated in
// order; for the summary a k-way merge by point over the batches' summary
// parts, each opened only when the merge reaches its first point, so that
// batches of consecutive points are read one after the other.

// createFinal starts the final table name and, with Options.CSV, its CSV
// view.
func (d *Dir) createFinal(name string, schema *arrow.Schema, props *parquet.WriterProperties, kv []string) (*tableWriter, error) {
	w, err := createTable(filepath.Join(d.dir, name), schema, props, kv...)
	if err != nil {
		return nil, err
	}
	if d.opt.CSV {
		if err := w.alsoCSV(); err != nil {
			w.abort()
			return nil, err
		}
	}
	return w, nil
}

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
	sw, _ := json.Marshal(append([]string{}, d.swept...)) // [] for a run without a sweep, not null
	w, err := d.createFinal(summaryFile, sb.schema(), writerProps(d.codec, finalRowGroup, colLabel, colPopulation, colBackend),
		d.tableMeta(sb.schema(), "", metaSwept, string(sw)))
	if err != nil {
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
				return w.finish(err)
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
					return w.finish(err)
				}
			}
			ok, err := c.advance()
			if err != nil {
				return w.finish(err)
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
	return w.finish(sb.flush(w))
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

// part is a part file of spikes or state and the layout of its batch.
type part struct {
	partFile
	layout *Layout
}

// partsInOrder lists the part files of kind (spikes or state) by point,
// keeping each point's population and recorder order.
func (d *Dir) partsInOrder(state bool) []part {
	var parts []part
	for i := range d.prog.Batches {
		b := &d.prog.Batches[i]
		list := b.Spikes
		if state {
			list = b.State
		}
		for _, p := range list {
			parts = append(parts, part{p, &b.Layout})
		}
	}
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].Point < parts[j].Point })
	return parts
}

// has reports whether some committed batch has a recorder of model.
func (d *Dir) has(model string) bool {
	return slices.ContainsFunc(d.prog.Batches, func(b batchEntry) bool { return b.Layout.has(model) })
}

// recordsSchema is the schema of spikes.parquet (no vars) and of
// state.parquet: point, population, recorder, neuron, time_ms, step, then
// the state variables.
func recordsSchema(vars []Var) *arrow.Schema {
	fields := []arrow.Field{
		{Name: colPoint, Type: arrow.PrimitiveTypes.Int32},
		{Name: colPopulation, Type: names},
		{Name: colRecorder, Type: names},
		{Name: colNeuron, Type: arrow.PrimitiveTypes.Int32},
		withUnit(arrow.Field{Name: colTime, Type: arrow.PrimitiveTypes.Float64}, "ms"),
		{Name: colStep, Type: arrow.PrimitiveTypes.Int64},
	}
	for _, v := range vars {
		fields = append(fields, withUnit(arrow.Field{Name: v.Name, Type: arrow.PrimitiveTypes.Float32, Nullable: true}, v.Unit))
	}
	return arrow.NewSchema(fields, nil)
}

// dictionary is the fixed dictionary of a column of names: every value the
// table will hold, so that every record shares it (the Parquet writer
// keeps dictionary encoding only while the dictionary stays the same).
type dictionary struct {
	values *array.String
	index  map[string]int32
}

func newDictionary(words []string) dictionary {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	d := dictionary{index: map[string]int32{}}
	for _, w := range words {
		if _, ok := d.index[w]; !ok {
			d.index[w] = int32(len(d.index))
			b.Append(w)
		}
	}
	d.values = b.NewStringArray()
	return d
}

func (d dictionary) release() { d.values.Release() }

// constant returns a column of n times word (which must be in d).
func (d dictionary) constant(word string, n int) arrow.Array {
	ib := array.NewInt32Builder(mem)
	defer ib.Release()
	ib.Reserve(n)
	k := d.index[word]
	for i := 0; i < n; i++ {
		ib.UnsafeAppend(k)
	}
	idx := ib.NewArray()
	defer idx.Release()
	return array.NewDictionaryArray(names, idx, d.values)
}

// constCols builds the constant columns of a part's records (point,
// population, recorder, and float32 nulls for the state variables a part
// lacks), reusing the last ones while the part is the same.
type constCols struct {
	pops, recs dictionary
	part       partFile // File and Rows ignored
	cols       [4]arrow.Array
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
		c.cols = [4]arrow.Array{pb.NewArray(), c.pops.constant(p.Population, size), c.recs.constant(p.Recorder, size),
			array.MakeArrayOfNull(mem, arrow.PrimitiveTypes.Float32, size)}
	}
	var out [4]arrow.Array
	for i, a := range c.cols {
		out[i] = array.NewSlice(a, 0, int64(n))
	}
	return out
}

func (c *constCols) release() {
	for i, a := range c.cols {
		if a != nil {
			a.Release()
		}
		c.cols[i] = nil
	}
}

// times returns the time_ms column of a part's step column.
func times(g grid, steps *array.Int64) arrow.Array {
	b := array.NewFloat64Builder(mem)
	defer b.Release()
	b.Reserve(steps.Len())
	for _, s := range steps.Int64Values() {
		b.UnsafeAppend(g.time(s))
	}
	return b.NewArray()
}

// mergeSpikes writes the final spikes table (not yet renamed).
func (d *Dir) mergeSpikes() (*tableWriter, error) {
	return d.mergeRecords(SpikeRecorder, spikesFile)
}

// mergeState writes the final state table (not yet renamed).
func (d *Dir) mergeState() (*tableWriter, error) {
	return d.mergeRecords(Multimeter, stateFile)
}

// mergeRecords concatenates the spikes or state parts in order, adding the
// point, population and recorder columns and time_ms, and for state the
// union of the batches' variables (in order of first appearance by point),
// with null columns where a part lacks one.
func (d *Dir) mergeRecords(model, name string) (*tableWriter, error) {
	state := model == Multimeter
	parts := d.partsInOrder(state)
	var vars []Var
	var pops, recs []string
	for _, pl := range d.pointLayouts() {
		if state {
			vars = unionVars(vars, pl.layout.stateVars())
		}
	}
	for _, p := range parts {
		pops, recs = append(pops, p.Population), append(recs, p.Recorder)
	}
	schema := recordsSchema(vars)
	w, err := d.createFinal(name, schema, writerProps(d.codec, finalRowGroup, colPopulation, colRecorder), d.tableMeta(schema, model))
	if err != nil {
		return nil, err
	}
	cc := constCols{pops: newDictionary(pops), recs: newDictionary(recs)}
	defer func() {
		cc.release()
		cc.pops.release()
		cc.recs.release()
	}()
	for _, p := range parts {
		g := newGrid(p.layout.Dt)
		var partVars []string
		for _, v := range p.layout.stateVars() {
			partVars = append(partVars, v.Name)
		}
		err := eachRecord(filepath.Join(d.dir, partsDir, p.File), func(t *tableReader, rec arrow.Record) error {
			n := int(rec.NumRows())
			c := cc.get(p.partFile, n)
			for _, a := range c {
				defer a.Release()
			}
			tm := times(g, rec.Column(1).(*array.Int64))
			defer tm.Release()
			cols := []arrow.Array{c[0], c[1], c[2], rec.Column(0), tm, rec.Column(1)}
			for _, v := range vars {
				if j := slices.Index(partVars, v.Name); j >= 0 {
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
			return w.finish(err)
		}
	}
	return w.finish(nil)
}

// GatherPointFiles copies a shard's files of one point each (sub/point-K.parquet
// under from, such as the final edge lists) into to's sub folder, each
// written whole or not at all, so that a merge cut short resumes; a file
// already there is replaced by the shard's (the same point's).
func GatherPointFiles(from, to, sub string) error {
	files, err := filepath.Glob(filepath.Join(from, sub, "point-*.parquet"))
	if err != nil || len(files) == 0 {
		return err
	}
	if err := os.MkdirAll(filepath.Join(to, sub), 0o755); err != nil {
		return err
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := writeFileAtomic(filepath.Join(to, sub, filepath.Base(f)), data); err != nil {
			return err
		}
	}
	return nil
}
