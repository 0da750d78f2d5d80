package compare

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/snn-gpu/snn-gpu/output"
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
	Dt   number `json:"dt"`
	TSim number `json:"t_sim"`
	Seed uint32 `json:"seed"`
}

type analysisJSON struct {
	TStart number `json:"t_start"`
	BinMs  number `json:"bin_ms"`
}

type recorderJSON struct {
	Name    string `json:"name"`
	Model   string `json:"model"`
	Source  string `json:"source"`
	First   int    `json:"first"`
	Neurons []int  `json:"neurons"`
	Start   number `json:"start"`
	Stop    number `json:"stop"`
}

// number is a float of run.json: a JSON number, or one of the strings
// "NaN", "Infinity" and "-Infinity" that run.json writes for non-finite
// values (null reads as NaN).
type number float64

func (n *number) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = number(math.NaN())
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		switch strings.TrimPrefix(s, "+") {
		case "NaN":
			*n = number(math.NaN())
		case "Infinity", "Inf", "inf":
			*n = number(math.Inf(1))
		case "-Infinity", "-Inf", "-inf":
			*n = number(math.Inf(-1))
		default:
			return fmt.Errorf("expected a number, got %q", s)
		}
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = number(f)
	return nil
}

// readRun reads the summary, run.json and (if present) the spikes of an
// output folder.
func readRun(dir string) (*run, error) {
	r := &run{dir: dir, points: map[int]*pointJSON{}}
	for _, name := range []string{"summary.parquet", "run.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%s has no %s: expected the folder of a finished run", dir, name)
			}
			return nil, err
		}
	}
	var err error
	if r.swept, r.rows, err = output.ReadSummary(filepath.Join(dir, "summary.parquet")); err != nil {
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
			return nil, fmt.Errorf("%s: point %d of summary.parquet is not in run.json", dir, row.Point)
		}
	}
	spikes := filepath.Join(dir, "spikes.parquet")
	if _, err := os.Stat(spikes); errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	rows, err := output.ReadSpikes(spikes)
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
