package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/internal/buildinfo"
)

// varyingFields are the keys of run.json in which a rerun's may differ
// from the original's: when, where and by which command it ran, and how
// long its batches took. Every other field is the same, byte for byte,
// unless a flag of rerun changes it (--backend, --threads, --batch).
var varyingFields = []string{"host", "cpus", "platform", "go_version", "command", "out", "started", "finished", "batches"}

// rerunNeeds are the keys of run.json that LoadRerun needs.
var rerunNeeds = []string{"tool", "version", "config", "config_hash", "config_text", "sets", "backend", "threads", "batch"}

// Rerun is a run to repeat, read from its run.json.
type Rerun struct {
	From    string        // the folder of the run repeated
	File    *configs.File // the config, from the text run.json keeps
	Options Options       // the point, backend, threads and batch the run had; OutDir is From + "-rerun"
	// Warnings say what may make the outputs differ (another Go, another
	// platform, a modified tree, --force).
	Warnings []string
}

// LoadRerun reads the run.json at path (or in the folder path) and
// returns the run it describes, ready to run again: the config is parsed
// from the text run.json keeps (the file itself is not needed) with the
// --set and --seed the run had, and must give the hash run.json records.
// A run.json written by another version or revision of snn-gpu is refused,
// since its results may differ, unless force is set (then it warns).
func LoadRerun(path string, force bool) (*Rerun, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, "run.json")
	}
	info, err := readInfo(path)
	if err != nil {
		return nil, err
	}
	switch {
	case info.Backend == "":
		return nil, fmt.Errorf("%s: backend: expected auto, cpu or gpu, got nothing", path)
	case info.Threads < 1:
		return nil, fmt.Errorf("%s: threads: expected a number of threads >= 1, got %d", path, info.Threads)
	case info.Batch < 1:
		return nil, fmt.Errorf("%s: batch: expected a batch size >= 1, got %d", path, info.Batch)
	}
	r := &Rerun{From: filepath.Dir(path)}
	if r.Warnings, err = sameBuild(path, info, force); err != nil {
		return nil, err
	}
	if r.File, err = infoConfig(path, info); err != nil {
		return nil, err
	}
	r.Options = Options{Backend: info.Backend, Threads: info.Threads, Batch: info.Batch, Point: AllPoints, OutDir: rerunDir(r.From)}
	if info.Point != nil {
		r.Options.Point = *info.Point
	}
	if s := info.Shard; s != nil {
		// The shard's folder is in the sweep's; its rerun goes to the
		// same place in the sweep's rerun folder.
		r.Options.Shard = &Shard{Index: s.Index, Count: s.Count}
		r.Options.OutDir = rerunDir(filepath.Dir(r.From))
	}
	return r, nil
}

// sameBuild refuses a run.json of another version or revision unless
// force, and returns warnings for what may still make results differ.
func sameBuild(path string, info Info, force bool) ([]string, error) {
	build := buildinfo.Get()
	var warnings []string
	theirs := describeBuild(info.Version, info.Revision, info.Modified)
	ours := describeBuild(build.Version, build.Revision, build.Modified)
	if info.Version != build.Version || info.Revision != build.Revision {
		if !force {
			return nil, fmt.Errorf("%s was written by snn-gpu %s, this is snn-gpu %s: results may differ between builds; repeat it with that build, or add --force to repeat it with this one",
				path, theirs, ours)
		}
		warnings = append(warnings, fmt.Sprintf("repeating a run of snn-gpu %s with snn-gpu %s (--force): results may differ", theirs, ours))
	} else if info.Modified || build.Modified {
		warnings = append(warnings, fmt.Sprintf("snn-gpu %s was built from a modified tree: the same revision need not be the same code", ours))
	}
	if platform := runtime.GOOS + "/" + runtime.GOARCH; info.Platform != platform || info.GoVersion != build.GoVersion {
		warnings = append(warnings, fmt.Sprintf("the run was made on %s with %s, this is %s with %s: the simulation is meant to give the same bits, but this pairing is untested",
			info.Platform, info.GoVersion, platform, build.GoVersion))
	}
	return warnings, nil
}

func describeBuild(version, revision string, modified bool) string {
	if revision == "" {
		revision = "unknown"
	}
	if modified {
		revision += ", modified"
	}
	return fmt.Sprintf("%s (revision %s)", version, revision)
}

// rerunDir is the default folder of a rerun of the run in dir.
func rerunDir(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil && filepath.Clean(dir) == "." {
		dir = abs // "./run.json": name the folder after the working one
	}
	return filepath.Clean(dir) + "-rerun"
}

// Run repeats the run into r.Options.OutDir, which must not be the
// folder of the run repeated (that run is finished there: nothing would
// run).
func (r *Rerun) Run(ctx context.Context) (*Result, error) {
	if sameFolder(r.Options.OutDir, r.From) {
		return nil, fmt.Errorf("--out %s is the folder of the run repeated: choose another", r.Options.OutDir)
	}
	return Run(ctx, r.File, r.Options)
}

// sameFolder reports whether a and b are one folder (b exists).
func sameFolder(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}

// readInfo reads the run.json at path, without its points (the config
// gives them again, and their non-finite floats are strings that Info's
// types do not take). It refuses a file that lacks what a rerun needs.
func readInfo(path string) (Info, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Info{}, err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return Info{}, fmt.Errorf("%s: not a run.json of snn-gpu: %v", path, err)
	}
	var missing []string
	for _, k := range rerunNeeds {
		if _, ok := keys[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return Info{}, fmt.Errorf("%s lacks %s, which a rerun needs: it was written before snn-gpu could repeat runs, or edited; run its config again with snn-gpu run or sweep",
			path, strings.Join(missing, ", "))
	}
	var rec struct {
		Info
		Points json.RawMessage `json:"points"`
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		return Info{}, fmt.Errorf("%s: not a run.json of snn-gpu: %v", path, err)
	}
	if rec.Tool != "snn-gpu" {
		return Info{}, fmt.Errorf("%s: tool: expected snn-gpu, got %q", path, rec.Tool)
	}
	return rec.Info, nil
}

// infoConfig parses the config a run.json keeps, with its sets and seed;
// it must give the hash the file records.
func infoConfig(path string, info Info) (*configs.File, error) {
	f, err := configs.Parse([]byte(info.ConfigText), info.Config, configs.Options{Sets: info.Sets, Seed: info.Seed})
	if err != nil {
		return nil, fmt.Errorf("%s: config_text: %w", path, err)
	}
	if f.Hash != info.ConfigHash {
		return nil, fmt.Errorf("%s: config_text with its sets and seed has hash %s, but config_hash is %s: the file was edited, and cannot say which run it describes",
			path, f.Hash, info.ConfigHash)
	}
	return f, nil
}
