package compare

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/snn-gpu/snn-gpu/output"
	"github.com/snn-gpu/snn-gpu/spec"
)

// run is one output folder, read for a comparison.
type run struct {
	dir    string
	info   runJSON
	swept  []string
	rows   []output.SummaryRow
	points map[int]*pointJSON // by index
	// spikes are the recorded spikes by point and population, in file
	// order; nil when the folder has no spikes.parquet.
	spikes map[key][]output.SpikeRow
}

// key names a point's population.
type key struct {
	point      int
	population string
}

// runJSON is the part of run.json a comparison needs.
type runJSON struct {
	Config     string      `json:"config"`
	ConfigHash string      `json:"config_hash"`
	Points     []pointJSON `json:"points"`
}

type pointJSON struct {
	Index   int         `json:"index"`
	Network networkJSON `json:"network"`
}

type networkJSON struct {
	Simulation simulationJSON `json:"simulation"`
	Recorders  []recorderJSON `json:"recorders"`
	Analysis   analysisJSON   `json:"analysis"`
}

type simulationJSON struct {
	Dt   spec.Float `json:"dt"`
	TSim spec.Float `json:"t_sim"`
	Seed uint32     `json:"seed"`
}

type analysisJSON struct {
	TStart spec.Float `json:"t_start"`
	BinMs  spec.Float `json:"bin_ms"`
}

type recorderJSON struct {
	Name    string     `json:"name"`
	Model   string     `json:"model"`
	Source  string     `json:"source"`
	First   int        `json:"first"`
	Neurons []int      `json:"neurons"`
	Start   spec.Float `json:"start"`
	Stop    spec.Float `json:"stop"`
}

// readRun reads the summary, run.json and (if present) the spikes of an
// output folder: its Parquet tables, or, in a folder that has only the CSV
// view (what a script of snn-gpu export nest writes), summary.csv and
// spikes.csv.
func readRun(dir string) (*run, error) {
	r := &run{dir: dir, points: map[int]*pointJSON{}}
	ext, readSummary, readSpikes := ".parquet", output.ReadSummary, output.ReadSpikes
	if !exists(filepath.Join(dir, "summary.parquet")) && exists(filepath.Join(dir, "summary.csv")) {
		ext, readSummary, readSpikes = ".csv", output.ReadSummaryCSV, output.ReadSpikesCSV
	}
	for _, name := range []string{"summary" + ext, "run.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%s has no %s: expected the folder of a finished run", dir, name)
			}
			return nil, err
		}
	}
	var err error
	if r.swept, r.rows, err = readSummary(filepath.Join(dir, "summary"+ext)); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "run.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &r.info); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i := range r.info.Points {
		p := &r.info.Points[i]
		r.points[p.Index] = p
	}
	for _, row := range r.rows {
		if r.points[row.Point] == nil {
			return nil, fmt.Errorf("%s: point %d of summary%s is not in run.json", dir, row.Point, ext)
		}
	}
	spikes := filepath.Join(dir, "spikes"+ext)
	if !exists(spikes) {
		return r, nil
	}
	rows, err := readSpikes(spikes)
	if err != nil {
		return nil, err
	}
	r.spikes = map[key][]output.SpikeRow{}
	for _, s := range rows {
		k := key{s.Point, s.Population}
		r.spikes[k] = append(r.spikes[k], s)
	}
	return r, nil
}

// exists reports whether path can be seen (an error other than "not
// there" shows when the file is read).
func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

// recorded reports whether a spike recorder of the point records pop.
func (p *pointJSON) recorded(pop string) bool {
	for _, rec := range p.Network.Recorders {
		if rec.Model == "spike_recorder" && rec.Source == pop {
			return true
		}
	}
	return false
}

// seed is the seed of the run's first point.
func (r *run) seed() uint32 {
	if len(r.info.Points) == 0 {
		return 0
	}
	return r.info.Points[0].Network.Simulation.Seed
}
