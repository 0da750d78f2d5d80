package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Shard is the folder of a finished shard of a sweep (Options.Shard), read
// for a merge: its identity and its committed batches, whose part files
// matched the checksums Finish recorded when ReadShard read it.
type Shard struct {
	dir  string
	prog progress
}

// ReadShard reads the shard in dir. It refuses a folder that is not a
// shard, a shard that has not finished, and one whose part files changed
// since it finished.
func ReadShard(dir string) (*Shard, error) {
	path := filepath.Join(dir, progressFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s is not the folder of a shard: %w", dir, err)
	}
	var p progress
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	switch {
	case p.Format != progressFormat:
		return nil, fmt.Errorf("%s: format %d, this version reads %d: run the shard again with this version", path, p.Format, progressFormat)
	case !p.Shard:
		return nil, fmt.Errorf("%s is a whole run, not a shard (sweep --shard I/N writes shards)", dir)
	case !p.Finished:
		return nil, fmt.Errorf("%s: the shard has not finished (%d batch(es) done): run its command again to complete it", dir, len(p.Batches))
	}
	d := &Dir{dir: dir, prog: p}
	if err := d.verify(); err != nil {
		return nil, err
	}
	return &Shard{dir: dir, prog: p}, nil
}

// Path returns the shard's folder.
func (s *Shard) Path() string { return s.dir }

// Points returns the points the shard holds, ascending.
func (s *Shard) Points() []int {
	var out []int
	for _, b := range s.prog.Batches {
		out = append(out, b.Points...)
	}
	slices.Sort(out)
	return out
}

// Adopt adds the batches of a shard to d, as if they had been committed
// here: each batch's part files are linked (or copied, across file
// systems) into d's parts under d's batch numbers, then committed. A batch
// whose points d has already is skipped, so that a merge cut short and run
// again adopts the rest; one that has only some of them is refused. The
// shard must record what d records (swept names, output options).
func (d *Dir) Adopt(s *Shard) error {
	p := &s.prog
	if !slices.Equal(p.Swept, d.swept) || p.Spikes != d.opt.Spikes || p.State != d.opt.State || p.NEST != d.opt.NEST || p.CSV != d.opt.CSV {
		return fmt.Errorf("%s sweeps %q with spikes=%v state=%v nest=%v csv=%v, but %s %q with spikes=%v state=%v nest=%v csv=%v: not one sweep",
			s.dir, p.Swept, p.Spikes, p.State, p.NEST, p.CSV, d.dir, d.swept, d.opt.Spikes, d.opt.State, d.opt.NEST, d.opt.CSV)
	}
	for _, b := range p.Batches {
		if err := d.adoptBatch(s.dir, b); err != nil {
			return err
		}
	}
	return nil
}

// adoptBatch links one batch of the shard in dir into d and commits it.
func (d *Dir) adoptBatch(dir string, b batchEntry) error {
	d.mu.Lock()
	done := 0
	for _, pt := range b.Points {
		if d.busy[pt] {
			d.mu.Unlock()
			return fmt.Errorf("output: point %d is in an open batch of %s", pt, d.dir)
		}
		if d.done[pt] {
			done++
		}
	}
	if done == len(b.Points) {
		d.mu.Unlock()
		return nil
	}
	if done > 0 || d.prog.Finished {
		d.mu.Unlock()
		return fmt.Errorf("%s: a batch of points %v of which %s, finished=%v, holds only %d: not one sweep", dir, b.Points, d.dir, d.prog.Finished, done)
	}
	id := d.nextID
	d.nextID++
	d.open++
	for _, pt := range b.Points {
		d.busy[pt] = true
	}
	d.mu.Unlock()

	var made []string
	fail := func(err error) error {
		for _, f := range made {
			os.Remove(f)
		}
		d.release(b.Points)
		return err
	}
	if err := os.MkdirAll(filepath.Join(d.dir, partsDir), 0o755); err != nil {
		return fail(err)
	}
	rename := func(name *string) error {
		_, rest, _ := strings.Cut(*name, "-")
		to := fmt.Sprintf("b%06d-%s", id, rest)
		dst := filepath.Join(d.dir, partsDir, to)
		if err := linkOrCopy(filepath.Join(dir, partsDir, *name), dst); err != nil {
			return err
		}
		made = append(made, dst)
		*name = to
		return nil
	}
	e := b
	e.ID = id
	e.Spikes, e.State = slices.Clone(b.Spikes), slices.Clone(b.State)
	if e.Summary != "" {
		if err := rename(&e.Summary); err != nil {
			return fail(err)
		}
	}
	for _, list := range [][]partFile{e.Spikes, e.State} {
		for i := range list {
			if err := rename(&list[i].File); err != nil {
				return fail(err)
			}
		}
	}
	if err := syncDir(filepath.Join(d.dir, partsDir)); err != nil {
		return fail(err)
	}
	if err := d.commit(e); err != nil {
		return fail(err)
	}
	return nil
}

// linkOrCopy makes dst a hard link to src, or where the file system cannot
// (another device), a copy written under a temporary name and renamed.
func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	} else if errors.Is(err, os.ErrExist) {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := createTemp(dst)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(out.Name(), dst)
	}
	if err != nil {
		os.Remove(out.Name())
	}
	return err
}
