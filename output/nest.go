package output

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// The NEST view (Options.NEST) is the spikes as NEST 3's ascii recording
// backend writes a spike_recorder's: for machines without a Parquet engine
// and for analysis scripts written for NEST. For every point k and spike
// recorder R, nest/pK/R-ID-0.dat holds two comment lines, the column names
// "sender" and "time_ms", and one tab-separated row per spike, in time
// order: the sender as a global node id (1-based, numbered as a NEST script
// creates the config's populations, then devices, then recorders: the
// Layout's Nodes) and the time as the grid's decimal. ID is the recorder's
// own node id, 0 NEST's virtual process. nest/pK/nodes.csv maps the ids
// back: kind, name, first_id, last_id.
const nestDir = "nest"

// nodeIDs returns the first node id of each node of l, by kind and name.
func nodeIDs(l *Layout) map[[2]string]int {
	ids := map[[2]string]int{}
	next := 1
	for _, n := range l.Nodes {
		ids[[2]string{n.Kind, n.Name}] = next
		next += n.N
	}
	return ids
}

// writeNEST writes the NEST view into a temporary folder and renames it to
// nest/ (replacing one a crashed Finish left), and returns its files,
// relative to the run's folder.
func (d *Dir) writeNEST() ([]string, error) {
	tmp, err := os.MkdirTemp(d.dir, nestDir+".*"+tmpSuffix)
	if err != nil {
		return nil, err
	}
	files, err := d.writeNESTFiles(tmp)
	if err == nil {
		err = os.Chmod(tmp, 0o755)
	}
	if err == nil {
		err = os.RemoveAll(filepath.Join(d.dir, nestDir))
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(d.dir, nestDir))
	}
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return files, nil
}

func (d *Dir) writeNESTFiles(tmp string) ([]string, error) {
	type key struct {
		point    int
		recorder string
	}
	parts := map[key]partFile{}
	for _, p := range d.partsInOrder(false) {
		parts[key{p.Point, p.Recorder}] = p.partFile
	}
	var files []string
	for _, pl := range d.pointLayouts() {
		l := pl.layout
		folder := fmt.Sprintf("p%d", pl.point)
		if err := os.Mkdir(filepath.Join(tmp, folder), 0o755); err != nil {
			return nil, err
		}
		ids := nodeIDs(l)
		csv := []byte("kind,name,first_id,last_id\n")
		for _, n := range l.Nodes {
			first := ids[[2]string{n.Kind, n.Name}]
			csv = appendCSVField(append(csv, n.Kind+","...), n.Name)
			csv = fmt.Appendf(csv, ",%d,%d\n", first, first+n.N-1)
		}
		name := filepath.Join(folder, "nodes.csv")
		if err := os.WriteFile(filepath.Join(tmp, name), csv, 0o644); err != nil {
			return nil, err
		}
		files = append(files, filepath.Join(nestDir, name))
		for _, r := range l.Recorders {
			if r.Model != SpikeRecorder {
				continue
			}
			first, ok := ids[[2]string{"population", r.Population}]
			self, ok2 := ids[[2]string{"recorder", r.Name}]
			if !ok || !ok2 {
				return nil, fmt.Errorf("output: the NEST view of point %d: no node ids for recorder %s of %s", pl.point, r.Name, r.Population)
			}
			name := filepath.Join(folder, fmt.Sprintf("%s-%d-0.dat", r.Name, self))
			part, recorded := parts[key{pl.point, r.Name}]
			err := d.writeDat(filepath.Join(tmp, name), r, pl.point, first, newGrid(l.Dt), part, recorded)
			if err != nil {
				return nil, err
			}
			files = append(files, filepath.Join(nestDir, name))
		}
	}
	return files, nil
}

// writeDat writes one recorder's spikes of one point: those of its part
// file, if it recorded any.
func (d *Dir) writeDat(path string, r Recorder, point, first int, g grid, part partFile, recorded bool) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "# snn-gpu NEST view: %s of population %s, point %d\n# RecordingBackendASCII version: 2\nsender\ttime_ms\n", r.Name, r.Population, point)
	if recorded {
		var line []byte
		err = eachRecord(filepath.Join(d.dir, partsDir, part.File), func(_ *tableReader, rec arrow.Record) error {
			neurons, steps := rec.Column(0).(*array.Int32), rec.Column(1).(*array.Int64)
			for i := 0; i < int(rec.NumRows()); i++ {
				line = strconv.AppendInt(line[:0], int64(first)+int64(neurons.Value(i)), 10)
				line = append(line, '\t')
				line = appendNumber(line, g.time(steps.Value(i)), 64)
				line = append(line, '\n')
				if _, err := w.Write(line); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Sync()
}
