package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// progressFormat is the version of progress.json's layout (2: recorder
// names in the parts, the outputs' checksums; 3: the batches' layouts,
// parts with steps instead of times; 4: the batches' wall times, summary
// parts without wall_s; 5: summary parts without batch_size, shards'
// parts kept at Finish).
const progressFormat = 5

// Options selects what a run writes.
type Options struct {
	Compression string // "zstd" (also ""), "snappy", "gzip" or "none"
	Spikes      bool   // write spikes.parquet (if the run has a spike recorder)
	State       bool   // write state.parquet (if the run has a multimeter)
	NEST        bool   // also the spikes as NEST's spike_recorder files (nest/; needs Spikes)
	CSV         bool   // also every table as CSV (summary.csv, spikes.csv, state.csv)
	// Shard marks one shard of a sweep: Finish keeps the part files, for
	// Adopt to merge with the other shards', and writes run.json only.
	Shard bool
}

// progress is the content of progress.json: the committed batches.
type progress struct {
	Format   int          `json:"format"`
	Hash     string       `json:"hash"`
	Swept    []string     `json:"swept"`
	Spikes   bool         `json:"spikes"`
	State    bool         `json:"state"`
	NEST     bool         `json:"nest,omitempty"`
	CSV      bool         `json:"csv,omitempty"`
	Shard    bool         `json:"shard,omitempty"`
	Finished bool         `json:"finished"`
	Outputs  []checksum   `json:"outputs,omitempty"` // the final files, as Finish wrote them
	Batches  []batchEntry `json:"batches"`
}

// batchEntry is one committed batch and its part files (in .parts).
type batchEntry struct {
	ID     int        `json:"id"`
	Points []int      `json:"points"`
	WallS  float64    `json:"wall_s"`        // Batch.SetWallTime's
	WFR    []WFRCount `json:"wfr,omitempty"` // Batch.SetWFR's
	// Structure is Batch.AddStructure's rows (structure.parquet).
	Structure []StructureRow `json:"structure,omitempty"`
	Layout    Layout         `json:"layout"`
	Summary   string         `json:"summary,omitempty"` // part file; "" if the batch had no summary rows
	Labels    bool           `json:"labels,omitempty"`  // some summary row has a label
	Spikes    []partFile     `json:"spikes,omitempty"`  // by point, then population order
	State     []partFile     `json:"state,omitempty"`   // by point, then population order
	// Weights and FinalWeights are AddWeights' part files, by point.
	Weights      []partFile `json:"weights,omitempty"`
	FinalWeights []partFile `json:"final_weights,omitempty"`
}

// partFile is the part file of one recorder of one point.
type partFile struct {
	Point      int    `json:"point"`
	Population string `json:"population"`
	Recorder   string `json:"recorder"`
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
	for _, p := range append(append(slices.Clone(b.State), b.Weights...), b.FinalWeights...) {
		out = append(out, p.File)
	}
	return out
}

// Dir is one run's output folder, held by one Dir at a time (a lock in the
// folder) from Open to Close. Its methods are safe for concurrent use; each
// Batch belongs to one goroutine.
type Dir struct {
	dir     string
	hash    string
	swept   []string
	opt     Options
	codec   compress.Compression
	lock    *folderLock // nil after Close
	created string      // the topmost folder Open created; "" if dir existed
	fresh   bool        // the folder had no progress.json: Open wrote the one there

	mu     sync.Mutex
	prog   progress
	done   map[int]bool
	busy   map[int]bool // points of open batches
	open   int          // open batches
	nextID int
}

// Open prepares dir (created if needed) for the run identified by hash, a
// hex string, whose sweep varies the parameters swept (the summary's value
// columns, in order), and holds it until Close: another Open of dir, in this
// process or another, fails with "DIR is in use by process N" and changes
// nothing.
//
// A new run's identity (hash, swept names, Spikes/State/NEST/CSV options) goes to
// progress.json at once, so that another run is refused there even if this
// one is killed before its first batch. If dir holds the progress of the
// same run, Done reports the points its committed batches finished, and
// part files that no committed batch claims (a batch cut short by a crash)
// and leftover temporary files are removed. If dir holds the progress or
// the outputs of another run, or the same run with other swept names or
// other output options, or the finished outputs of this run changed
// since Finish wrote them (deleted, truncated, rewritten), Open fails and
// leaves dir alone.
func Open(dir, hash string, swept []string, opt Options) (*Dir, error) {
	if err := checkHash(hash); err != nil {
		return nil, err
	}
	c, err := codec(opt.Compression)
	if err != nil {
		return nil, err
	}
	if opt.NEST && !opt.Spikes {
		return nil, errors.New("output: the NEST view is made from the spikes: Options.NEST needs Options.Spikes")
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
	created, err := makeFolder(dir)
	if err != nil {
		return nil, err
	}
	lock, err := lockFolder(dir)
	if err != nil {
		return nil, err // the folder is another process's: leave it, even if we made it
	}
	d := &Dir{
		dir: dir, hash: hash, swept: slices.Clone(swept), opt: opt, codec: c, lock: lock, created: created,
		done: map[int]bool{}, busy: map[int]bool{}, nextID: 1,
	}
	if err := d.prepare(); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// prepare reads the folder's state, cleans it and records the run's identity.
func (d *Dir) prepare() error {
	if err := d.load(); err != nil {
		return err
	}
	if err := d.clean(); err != nil {
		return err
	}
	for _, b := range d.prog.Batches {
		for _, p := range b.Points {
			d.done[p] = true
		}
		d.nextID = max(d.nextID, b.ID+1)
	}
	if d.prog.Finished {
		return nil
	}
	_, err := os.Stat(filepath.Join(d.dir, progressFile))
	fresh := errors.Is(err, fs.ErrNotExist)
	if err := d.saveProgress(); err != nil {
		return err
	}
	d.fresh = fresh
	return nil
}

// untouched reports whether this Dir is about to leave the folder with
// nothing of its own: a fresh progress.json without a committed batch.
func (d *Dir) untouched() bool {
	return d.fresh && len(d.prog.Batches) == 0 && !d.prog.Finished
}

// makeFolder creates dir and its missing parents and returns the topmost
// folder it created ("" if dir existed).
func makeFolder(dir string) (string, error) {
	top := ""
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil || !errors.Is(err, fs.ErrNotExist) {
			break
		}
		top = p
		if filepath.Dir(p) == p {
			break
		}
	}
	return top, os.MkdirAll(dir, 0o755)
}

// Close lets go of the folder. A new run that committed no batch leaves
// the folder as it found it, so that a run refused or stopped before its
// first batch leaves nothing behind: Close removes the progress.json and
// .parts it made, and the folder if Open created it (with the parents Open
// created, if empty). Close after Close does nothing.
func (d *Dir) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.lock == nil {
		return nil
	}
	var err error
	switch {
	case !d.untouched():
	case d.created != "":
		err = os.RemoveAll(d.dir) // ours alone: we hold its lock
		for p := filepath.Dir(filepath.Clean(d.dir)); err == nil && len(p) >= len(d.created); p = filepath.Dir(p) {
			if os.Remove(p) != nil {
				break // not empty: someone else's now
			}
		}
	default:
		err = errors.Join(os.Remove(filepath.Join(d.dir, progressFile)), os.RemoveAll(filepath.Join(d.dir, partsDir)))
	}
	d.lock.release()
	d.lock = nil
	return err
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
		if p.Shard != d.opt.Shard {
			return fmt.Errorf("%s: shard=%v, but this run shard=%v: choose another --out, or remove %s to start over", path, p.Shard, d.opt.Shard, d.dir)
		}
		if p.Spikes != d.opt.Spikes || p.State != d.opt.State || p.NEST != d.opt.NEST || p.CSV != d.opt.CSV {
			return fmt.Errorf("%s: the run records spikes=%v state=%v nest=%v csv=%v, but this one spikes=%v state=%v nest=%v csv=%v: use the same output options, choose another --out, or remove %s",
				path, p.Spikes, p.State, p.NEST, p.CSV, d.opt.Spikes, d.opt.State, d.opt.NEST, d.opt.CSV, d.dir)
		}
		d.prog = p
		if p.Finished {
			return d.verify()
		}
		return nil
	case errors.Is(err, fs.ErrNotExist):
	default:
		return err
	}

	d.prog = progress{Format: progressFormat, Hash: d.hash, Swept: d.swept, Spikes: d.opt.Spikes, State: d.opt.State, NEST: d.opt.NEST, CSV: d.opt.CSV, Shard: d.opt.Shard}
	// No progress: the folder must hold no outputs, or none of this run.
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
		return fmt.Errorf("%s holds outputs of this run but no %s, which has their checksums: they cannot be checked; remove %s to run again, or choose another --out",
			d.dir, progressFile, d.dir)
	}
	return nil
}

// checksum is the size and SHA-256 of a final file.
type checksum struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// sum computes the checksum of the file name in the folder.
func (d *Dir) sum(name string) (checksum, error) {
	f, err := os.Open(filepath.Join(d.dir, name))
	if err != nil {
		return checksum{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return checksum{Name: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, err
}

// verify checks that the outputs of a finished run are what Finish wrote.
func (d *Dir) verify() error {
	if len(d.prog.Outputs) == 0 {
		return fmt.Errorf("%s: a finished run without the checksums of its outputs: remove %s to run again", filepath.Join(d.dir, progressFile), d.dir)
	}
	for _, want := range d.prog.Outputs {
		path := filepath.Join(d.dir, want.Name)
		changed := ""
		if st, err := os.Stat(path); err != nil {
			changed = "is missing"
			if !errors.Is(err, fs.ErrNotExist) {
				changed = err.Error()
			}
		} else if st.Size() != want.Size {
			changed = fmt.Sprintf("has %d bytes, Finish wrote %d", st.Size(), want.Size)
		} else if got, err := d.sum(want.Name); err != nil {
			changed = err.Error()
		} else if got != want {
			changed = "was rewritten (its checksum differs)"
		}
		if changed != "" {
			return fmt.Errorf("%s %s since the run finished: the folder no longer holds this run's results; remove %s to run again, or choose another --out",
				path, changed, d.dir)
		}
	}
	return nil
}

// clean removes leftover temporary files and the part files no committed
// batch claims; a committed batch whose part files went missing is
// forgotten, so that its points run again.
func (d *Dir) clean() error {
	for _, name := range []string{progressFile, runFile, summaryFile, spikesFile, stateFile, nestDir, csvName(summaryFile), csvName(spikesFile), csvName(stateFile)} {
		tmps, _ := filepath.Glob(filepath.Join(d.dir, name+".*"+tmpSuffix))
		for _, t := range tmps {
			if err := os.RemoveAll(t); err != nil {
				return err
			}
		}
	}
	parts := filepath.Join(d.dir, partsDir)
	switch {
	case d.prog.Finished && d.prog.Shard:
		return nil // the parts are the shard's results, checked by verify
	case d.prog.Finished:
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

// BatchTime is a committed batch: its points, ascending, and how long it
// took to simulate.
type BatchTime struct {
	Points []int
	WallS  float64
	WFR    []WFRCount // by point; nil without gap junctions
}

// WFRCount is the waveform-relaxation iterations of one point: per window
// of the run, their mean and largest number.
type WFRCount struct {
	Point   int     `json:"point"`
	Windows int     `json:"windows"`
	Mean    float64 `json:"iterations_mean"`
	Max     int     `json:"iterations_max"`
	Capped  int     `json:"windows_at_max_iterations"` // not converged within wfr_max_iterations
}

// Batches returns the committed batches, in this session or before, by
// their first point.
func (d *Dir) Batches() []BatchTime {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]BatchTime, len(d.prog.Batches))
	for i, b := range d.prog.Batches {
		out[i] = BatchTime{Points: slices.Clone(b.Points), WallS: b.WallS, WFR: slices.Clone(b.WFR)}
	}
	slices.SortFunc(out, func(a, b BatchTime) int { return a.Points[0] - b.Points[0] })
	return out
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
// options ask for them and the run has a recorder of their kind,
// spikes.parquet (a spike_recorder) and state.parquet (a multimeter),
// each written under a temporary name and renamed once complete: a
// recorder that recorded nothing gives a table without rows, a run without
// one no table. Rows are ordered by point, then by the order in which
// AddSummary gave the point's populations (populations without a summary
// row after them, in order of first appearance), then by recorder (in the
// order NewBatch gave them), then, for spikes and samples, in the order they
// were added (time order). It then writes run.json from info (see
// WriteJSON), records the size and checksum of every final file and marks
// the run finished in progress.json, and removes the part files.
//
// Finish on a run already finished (whose outputs Open checked) changes
// nothing: run.json describes the run that made the results. It fails while
// a batch is open.
//
// A shard (Options.Shard) merges nothing: Finish writes run.json and
// records the checksums of the part files, which stay for Adopt.
func (d *Dir) Finish(info any) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.open > 0 {
		return fmt.Errorf("output: %s: Finish with %d batch(es) neither committed nor aborted", d.dir, d.open)
	}
	if d.prog.Finished {
		return nil
	}
	if d.opt.Shard {
		var parts []string
		for _, b := range d.prog.Batches {
			for _, f := range b.files() {
				parts = append(parts, filepath.Join(partsDir, f))
			}
		}
		return d.finish(parts, info)
	}
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
	if d.opt.Spikes && d.has(SpikeRecorder) {
		if t, err = d.mergeSpikes(); err != nil {
			return err
		}
		tables = append(tables, t)
	}
	if d.opt.State && d.has(Multimeter) {
		if t, err = d.mergeState(); err != nil {
			return err
		}
		tables = append(tables, t)
	}
	if t, err = d.mergeStructure(); err != nil {
		return err
	} else if t != nil {
		tables = append(tables, t)
	}
	for _, final := range []bool{false, true} {
		if t, err = d.mergeWeights(final); err != nil {
			return err
		} else if t != nil {
			tables = append(tables, t)
		}
	}
	for _, t := range tables {
		if err := t.rename(); err != nil {
			return err
		}
	}
	var names []string
	for _, t := range tables {
		names = append(names, t.files()...)
	}
	if d.opt.NEST && d.has(SpikeRecorder) {
		files, err := d.writeNEST()
		if err != nil {
			return err
		}
		names = append(names, files...)
	}
	if err := syncDir(d.dir); err != nil {
		return err
	}
	if err := d.finish(names, info); err != nil {
		return err
	}
	return os.RemoveAll(filepath.Join(d.dir, partsDir))
}

// finish writes run.json from info, records the checksums of the files
// named (relative to the folder) and of run.json, and marks the run
// finished in progress.json. The caller holds d.mu.
func (d *Dir) finish(names []string, info any) error {
	if err := WriteJSON(filepath.Join(d.dir, runFile), info); err != nil {
		return err
	}
	var outputs []checksum
	for _, name := range append(names, runFile) {
		c, err := d.sum(name)
		if err != nil {
			return err
		}
		outputs = append(outputs, c)
	}
	d.prog.Finished, d.prog.Outputs = true, outputs
	if err := d.saveProgress(); err != nil {
		d.prog.Finished, d.prog.Outputs = false, nil
		return err
	}
	return nil
}
