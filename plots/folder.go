package plots

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/output"
	"github.com/snn-gpu/snn-gpu/spec"
)

// The files of an output folder that the figures read.
const (
	runFile     = "run.json"
	summaryFile = "summary.parquet"
	spikesFile  = "spikes.parquet"
	stateFile   = "state.parquet"
)

// What to do when a table is missing, by file.
var missingHint = map[string]string{
	summaryFile: "the run has not finished; run the same command again to complete it",
	spikesFile:  `record spikes with a spike_recorder ([[recorder]] model = "spike_recorder", and [output] spikes = true)`,
	stateFile:   `record state variables with a multimeter ([[recorder]] model = "multimeter", record_from = [...], and [output] state = true)`,
}

// Folder is a finished output folder: run.json's points, and its tables,
// read when first asked for.
type Folder struct {
	Dir    string
	Swept  []string
	Points []Point // in index order

	summarySwept []string
	summary      []output.SummaryRow
	spikes       []output.SpikeRow
	vars         []string
	state        []output.StateRow
}

// Point is what the figures need of one resolved point of run.json.
type Point struct {
	Index       int
	Values      []float64 // aligned with Folder.Swept
	Label       string
	Dt, TSim    float64 // ms
	TStart      float64 // ms of start-up the statistics leave out
	Populations []Population
	Recorders   []Recorder
}

// Population is a population of a point.
type Population struct {
	Name, Model string
	N           int // nodes
	// StandsFor is the number of neurons a node stands for:
	// gif_pop_psc_exp's N (its spikes are the population's), else 1.
	StandsFor int
}

// Recorder is a spike_recorder or multimeter of a point.
type Recorder struct {
	Name, Model, Source string
	Neurons             []int    // the recorded neurons, ascending
	RecordFrom          []string // multimeter only
	Start, Stop         float64  // ms: events with Start < t <= Stop
}

// runJSON is the part of run.json the figures read; the rest is ignored.
type runJSON struct {
	Swept  []string `json:"swept"`
	Points []struct {
		Index   int          `json:"index"`
		Values  []spec.Float `json:"values"`
		Label   string       `json:"label"`
		Network struct {
			Simulation struct {
				Dt   spec.Float `json:"dt"`
				TSim spec.Float `json:"t_sim"`
			} `json:"simulation"`
			Populations []struct {
				Name   string                `json:"name"`
				Model  string                `json:"model"`
				N      int                   `json:"n"`
				Params map[string]spec.Float `json:"params"`
			} `json:"populations"`
			Recorders []struct {
				Name       string     `json:"name"`
				Model      string     `json:"model"`
				Source     string     `json:"source"`
				First      int        `json:"first"`
				Neurons    []int      `json:"neurons"`
				RecordFrom []string   `json:"record_from"`
				Start      spec.Float `json:"start"`
				Stop       spec.Float `json:"stop"`
			} `json:"recorders"`
			Analysis struct {
				TStart spec.Float `json:"t_start"`
			} `json:"analysis"`
		} `json:"network"`
	} `json:"points"`
}

// Open reads dir's run.json, which a run writes when it has finished.
func Open(dir string) (*Folder, error) {
	path := filepath.Join(dir, runFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Stat(dir); serr != nil {
			return nil, serr
		}
		return nil, fmt.Errorf("%s: no %s: not the output folder of a finished run (an interrupted or failed run has none; run the same command again to complete it)", dir, runFile)
	}
	if err != nil {
		return nil, err
	}
	var r runJSON
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(r.Points) == 0 {
		return nil, fmt.Errorf("%s: no points", path)
	}
	f := &Folder{Dir: dir, Swept: r.Swept}
	for i, rp := range r.Points {
		if rp.Index != i {
			return nil, fmt.Errorf("%s: points[%d] has index %d, want %d", path, i, rp.Index, i)
		}
		net := rp.Network
		p := Point{
			Index: rp.Index, Label: rp.Label,
			Dt: float64(net.Simulation.Dt), TSim: float64(net.Simulation.TSim), TStart: float64(net.Analysis.TStart),
		}
		for _, v := range rp.Values {
			p.Values = append(p.Values, float64(v))
		}
		for _, pop := range net.Populations {
			p.Populations = append(p.Populations, Population{pop.Name, pop.Model, pop.N, standsFor(pop.Model, pop.Params)})
		}
		for j, rec := range net.Recorders {
			ids := make([]int, 0, rec.First+len(rec.Neurons))
			for k := range rec.First {
				ids = append(ids, k)
			}
			ids = append(ids, rec.Neurons...)
			if len(ids) == 0 {
				return nil, fmt.Errorf("%s: points[%d].network.recorders[%d]: no recorded neurons", path, i, j)
			}
			p.Recorders = append(p.Recorders, Recorder{
				Name: rec.Name, Model: rec.Model, Source: rec.Source, Neurons: ids, RecordFrom: rec.RecordFrom,
				Start: float64(rec.Start), Stop: float64(rec.Stop),
			})
		}
		f.Points = append(f.Points, p)
	}
	return f, nil
}

// standsFor is the number of neurons a node of the model stands for, with
// the given parameters.
func standsFor(model string, params map[string]spec.Float) int {
	m, ok := models.LookupNeuron(model)
	if !ok {
		return 1
	}
	values := models.Values{}
	for k, v := range params {
		values[k] = float64(v)
	}
	return m.StandsFor(values)
}

// has reports whether the folder holds the table file.
func (f *Folder) has(file string) bool {
	_, err := os.Stat(filepath.Join(f.Dir, file))
	return err == nil
}

// missing is the error for a table the folder lacks.
func (f *Folder) missing(file string) error {
	return fmt.Errorf("%s: no %s: %s", f.Dir, file, missingHint[file])
}

// need returns the error for the first of files the folder lacks, or nil.
func (f *Folder) need(files ...string) error {
	for _, file := range files {
		if !f.has(file) {
			return f.missing(file)
		}
	}
	return nil
}

// Summary returns the swept names and the rows of summary.parquet (whose
// Values follow its own swept names).
func (f *Folder) Summary() ([]string, []output.SummaryRow, error) {
	if f.summary == nil {
		if err := f.need(summaryFile); err != nil {
			return nil, nil, err
		}
		swept, rows, err := output.ReadSummary(filepath.Join(f.Dir, summaryFile))
		if err != nil {
			return nil, nil, err
		}
		f.summarySwept, f.summary = swept, rows
	}
	return f.summarySwept, f.summary, nil
}

// Spikes returns the rows of spikes.parquet.
func (f *Folder) Spikes() ([]output.SpikeRow, error) {
	if f.spikes == nil {
		if err := f.need(spikesFile); err != nil {
			return nil, err
		}
		rows, err := output.ReadSpikes(filepath.Join(f.Dir, spikesFile))
		if err != nil {
			return nil, err
		}
		f.spikes = rows
	}
	return f.spikes, nil
}

// State returns the variables and rows of state.parquet.
func (f *Folder) State() ([]string, []output.StateRow, error) {
	if f.vars == nil {
		if err := f.need(stateFile); err != nil {
			return nil, nil, err
		}
		vars, rows, err := output.ReadState(filepath.Join(f.Dir, stateFile))
		if err != nil {
			return nil, nil, err
		}
		f.vars, f.state = vars, rows
	}
	return f.vars, f.state, nil
}

// Title names the point: its index, label and swept values.
func (f *Folder) Title(p Point) string {
	var b strings.Builder
	fmt.Fprintf(&b, "point %d", p.Index)
	var parts []string
	for i, name := range f.Swept {
		if i < len(p.Values) {
			parts = append(parts, fmt.Sprintf("%s = %s", name, number(p.Values[i])))
		}
	}
	switch {
	case p.Label != "" && len(parts) > 0:
		fmt.Fprintf(&b, " (%s: %s)", p.Label, strings.Join(parts, ", "))
	case p.Label != "":
		fmt.Fprintf(&b, " (%s)", p.Label)
	case len(parts) > 0:
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	return b.String()
}

// population returns the point's population called name.
func (p Point) population(name string) (Population, bool) {
	for _, pop := range p.Populations {
		if pop.Name == name {
			return pop, true
		}
	}
	return Population{}, false
}
