package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/apache/arrow/go/v15/parquet/compress"
)

// File and folder names inside a run's folder.
const (
	progressFile = "progress.json"
	runFile      = "run.json"
	summaryFile  = "summary.parquet"
	spikesFile   = "spikes.parquet"
	stateFile    = "state.parquet"
	partsDir     = ".parts"
)

// progressFormat is the version of progress.json's layout.
const progressFormat = 1

// Options selects what a run writes.
type Options struct {
	Compression string // "zstd" (also ""), "snappy", "gzip" or "none"
	Spikes      bool   // write spikes.parquet
	State       bool   // write state.parquet
}

// progress is the content of progress.json: the committed batches.
type progress struct {
	Format   int          `json:"format"`
	Hash     string       `json:"hash"`
	Swept    []string     `json:"swept"`
	Spikes   bool         `json:"spikes"`
	State    bool         `json:"state"`
	Finished bool         `json:"finished"`
	Batches  []batchEntry `json:"batches"`
}

// batchEntry is one committed batch and its part files (in .parts).
type batchEntry struct {
	ID        int        `json:"id"`
	Points    []int      `json:"points"`
	Summary   string     `json:"summary,omitempty"` // part file; "" if the batch had no summary rows
	Labels    bool       `json:"labels,omitempty"`  // some summary row has a label
	StateVars []string   `json:"state_vars,omitempty"`
	Spikes    []partFile `json:"spikes,omitempty"` // by point, then population order
	State     []partFile `json:"state,omitempty"`  // by point, then population order
}

// partFile is the part file of one population of one point.
type partFile struct {
	Point      int    `json:"point"`
	Population string `json:"population"`
	File       string `json:"file"`
	Rows       int64  `json:"rows"`
}

func (b *batchEntry) files() []string {
	var out []string
	if b.Summary != "" {
		out = append(out, b.Summary)
	}
	for _, p := range b.Spikes {
		out = append(out, p.File)
	}
	for _, p := range b.State {
		out = append(out, p.File)
	}
	return out
}

// Dir is one run's output folder. Its methods are safe for concurrent use;
// each Batch belongs to one goroutine.
type Dir struct {
	dir   string
	hash  string
	swept []string
	opt   Options
	codec compress.Compression

	mu     sync.Mutex
	prog   progress
	done   map[int]bool
	busy   map[int]bool // points of open batches
	open   int          // open batches
	nextID int
}

// Open prepares dir (created if needed) for the run identified by hash, a
// hex string, whose sweep varies the parameters swept (the summary's value
// columns, in order).
//
// If dir holds the progress of the same run, Done reports the points its
// committed batches finished, and part files that no committed batch
// claims (a batch cut short by a crash) and leftover temporary files are
// removed. If dir holds the progress or the outputs of another run, or the
// same run with other swept names or other Spikes/State options, Open fails
// and leaves dir alone.
func Open(dir, hash string, swept []string, opt Options) (*Dir, error) {
	if err := checkHash(hash); err != nil {
		return nil, err
	}
	c, err := codec(opt.Compression)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, s := range swept {
		switch {
		case s == "":
			return nil, errors.New("output: empty swept name")
		case reservedSummary(s):
			return nil, fmt.Errorf("output: swept name %q is also a summary column; rename the parameter", s)
		case seen[s]:
			return nil, fmt.Errorf("output: swept name %q twice", s)
		}
		seen[s] = true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	d := &Dir{
		dir: dir, hash: hash, swept: slices.Clone(swept), opt: opt, codec: c,
		done: map[int]bool{}, busy: map[int]bool{}, nextID: 1,
	}
	if err := d.load(); err != nil {
		return nil, err
	}
	if err := d.clean(); err != nil {
		return nil, err
	}
	for _, b := range d.prog.Batches {
		for _, p := range b.Points {
			d.done[p] = true
		}
		d.nextID = max(d.nextID, b.ID+1)
	}
	return d, nil
}

func checkHash(hash string) error {
	if hash == "" {
		return errors.New("output: empty run hash")
	}
	for _, r := range hash {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
			return fmt.Errorf("output: run hash %q is not hexadecimal", hash)
		}
	}
	return nil
}

// otherRun is the error for a folder that belongs to another run.
func otherRun(file, theirs, ours, dir string) error {
	return fmt.Errorf("%s belongs to run %s, but this run is %s: choose another --out, or remove %s to start over",
		file, theirs, ours, dir)
}

// load reads progress.json, or, without it, recognises the final outputs of
// a finished run.
func (d *Dir) load() error {
	path := filepath.Join(d.dir, progressFile)
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		var p progress
		if err := json.Unmarshal(data, &p); err != nil {
			return fmt.Errorf("%s: %w (remove %s to start over)", path, err, d.dir)
		}
		if p.Hash != d.hash {
			return otherRun(path, p.Hash, d.hash, d.dir)
		}
		if p.Format != progressFormat {
			return fmt.Errorf("%s: format %d, this version writes %d: remove %s to start over", path, p.Format, progressFormat, d.dir)
		}
		if !slices.Equal(p.Swept, d.swept) {
			return fmt.Errorf("%s: the run sweeps %q, but this one %q: choose another --out, or remove %s to start over",
				path, p.Swept, d.swept, d.dir)
		}
		if p.Spikes != d.opt.Spikes || p.State != d.opt.State {
			return fmt.Errorf("%s: the run records spikes=%v state=%v, but this one spikes=%v state=%v: use the same output options, choose another --out, or remove %s",
				path, p.Spikes, p.State, d.opt.Spikes, d.opt.State, d.dir)
		}
		d.prog = p
		return nil
	case errors.Is(err, fs.ErrNotExist):
	default:
		return err
	}

	d.prog = progress{Format: progressFormat, Hash: d.hash, Swept: d.swept, Spikes: d.opt.Spikes, State: d.opt.State}
	// No progress: final outputs, if any, must be this run's.
	for _, name := range []string{summaryFile, spikesFile, stateFile} {
		path := filepath.Join(d.dir, name)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		t, err := openTable(path)
		if err != nil {
			return fmt.Errorf("%w (the folder holds outputs but no %s: choose another --out, or remove %s)", err, progressFile, d.dir)
		}
		h, _ := t.meta(metaHash)
		t.close()
		if h != d.hash {
			if h == "" {
				h = "(unknown)"
			}
			return otherRun(path, h, d.hash, d.dir)
		}
	}
	// The same run, finished, with progress.json lost: its points are done.
	path = filepath.Join(d.dir, summaryFile)
	if _, err := os.Stat(path); err == nil {
		_, rows, err := ReadSummary(path)
		if err != nil {
			return err
		}
		b := batchEntry{ID: 1}
		for _, r := range rows {
			if len(b.Points) == 0 || b.Points[len(b.Points)-1] != r.Point {
				b.Points = append(b.Points, r.Point)
			}
		}
		d.prog.Finished = true
		d.prog.Batches = []batchEntry{b}
	}
	return nil
}

// clean removes leftover temporary files and the part files no committed
// batch claims; a committed batch whose part files went missing is
// forgotten, so that its points run again.
func (d *Dir) clean() error {
	for _, name := range []string{progressFile, runFile, summaryFile, spikesFile, stateFile} {
		tmps, _ := filepath.Glob(filepath.Join(d.dir, name+".*"+tmpSuffix))
		for _, t := range tmps {
			if err := os.Remove(t); err != nil {
				return err
			}
		}
	}
	parts := filepath.Join(d.dir, partsDir)
	if d.prog.Finished {
		return os.RemoveAll(parts)
	}
	entries, err := os.ReadDir(parts)
	if errors.Is(err, fs.ErrNotExist) {
		entries, err = nil, nil
	}
	if err != nil {
		return err
	}
	present := map[string]bool{}
	for _, e := range entries {
		present[e.Name()] = true
	}
	kept := d.prog.Batches[:0]
	claimed := map[string]bool{}
	for _, b := range d.prog.Batches {
		complete := true
		for _, f := range b.files() {
			complete = complete && present[f]
		}
		if complete {
			kept = append(kept, b)
			for _, f := range b.files() {
				claimed[f] = true
			}
		}
	}
	d.prog.Batches = kept
	for _, e := range entries {
		if !claimed[e.Name()] {
			if err := os.RemoveAll(filepath.Join(parts, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// Path returns the folder.
func (d *Dir) Path() string { return d.dir }

// Done reports whether point was committed, in this session or before.
func (d *Dir) Done(point int) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.done[point]
}

// saveProgress writes progress.json atomically, one line per batch (the
// file is rewritten at every commit, so it stays compact). The caller
// holds d.mu.
func (d *Dir) saveProgress() error {
	head := d.prog
	head.Batches = nil
	data, err := json.MarshalIndent(&head, "", "  ")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.Write(data[:bytes.LastIndex(data, []byte(`"batches": null`))])
	buf.WriteString(`"batches": [`)
	for i := range d.prog.Batches {
		b, err := json.Marshal(&d.prog.Batches[i])
		if err != nil {
			return err
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n    ")
		buf.Write(b)
	}
	buf.WriteString("\n  ]\n}\n")
	return writeFileAtomic(filepath.Join(d.dir, progressFile), buf.Bytes())
}

// commit records a batch whose part files are in place.
func (d *Dir) commit(e batchEntry) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.prog.Batches = append(d.prog.Batches, e)
	if err := d.saveProgress(); err != nil {
		d.prog.Batches = d.prog.Batches[:len(d.prog.Batches)-1]
		return err
	}
	for _, p := range e.Points {
		d.done[p] = true
		delete(d.busy, p)
	}
	d.open--
	return nil
}

// release forgets an aborted batch.
func (d *Dir) release(points []int) {
	d.free(points)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.open--
}

// free makes points available to another batch.
func (d *Dir) free(points []int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, p := range points {
		delete(d.busy, p)
	}
}

// Finish merges the committed parts into summary.parquet, and, when the
// options ask for them, spikes.parquet and state.parquet (an empty table if
// nothing was recorded), each written under a temporary name and renamed
// once complete. Rows are ordered by point, then by the order in which
// AddSummary gave the point's populations (populations without a summary
// row after them, in order of first appearance), then, for spikes and
// samples, in the order they were added (time order). It then writes
// run.json from info (see WriteJSON), marks the run finished in
// progress.json and removes the part files.
//
// Finish on a run already finished only rewrites run.json. It fails while a
// batch is open.
func (d *Dir) Finish(info any) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.open > 0 {
		return fmt.Errorf("output: %s: Finish with %d batch(es) neither committed nor aborted", d.dir, d.open)
	}
	if !d.prog.Finished {
		var tables []*tableWriter
		defer func() {
			for _, t := range tables {
				t.abort() // no-op for the renamed ones: their temporary is gone
			}
		}()
		t, err := d.mergeSummary()
		if err != nil {
			return err
		}
		tables = append(tables, t)
		if d.opt.Spikes {
			if t, err = d.mergeSpikes(); err != nil {
				return err
			}
			tables = append(tables, t)
		}
		if d.opt.State {
			if t, err = d.mergeState(); err != nil {
				return err
			}
			tables = append(tables, t)
		}
		for _, t := range tables {
			if err := t.rename(); err != nil {
				return err
			}
		}
		if err := syncDir(d.dir); err != nil {
			return err
		}
	}
	if err := WriteJSON(filepath.Join(d.dir, runFile), info); err != nil {
		return err
	}
	if !d.prog.Finished {
		d.prog.Finished = true
		if err := d.saveProgress(); err != nil {
			return err
		}
		if err := os.RemoveAll(filepath.Join(d.dir, partsDir)); err != nil {
			return err
		}
	}
	return nil
}
