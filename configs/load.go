package configs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/spf13/viper"

	"github.com/snn-gpu/snn-gpu/spec"
	"github.com/snn-gpu/snn-gpu/units"
)

// Options are the command-line settings that change a config.
type Options struct {
	// Sets are "NAME=VALUE" from repeated --set flags. NAME is a [vars] entry
	// or a [simulation] entry (dt, t_sim, seed, backend, threads, batch),
	// matched without regard to case; VALUE is written as in the file
	// (a number, an expression over [vars], a quantity such as "2 ms", or
	// a backend name). A NAME that is unknown or swept is an error.
	Sets []string
	// Seed, when set (--seed), overrides simulation.seed.
	Seed *uint32
}

// File is a loaded, checked and resolved config.
type File struct {
	Path    string // as given, or "embedded:brunel.toml"
	Hash    string // sha256 (hex) of the config bytes and the normalised Options: identifies a run for resume
	Backend string // "auto" | "cpu" | "gpu"
	Threads int    // 0: all cores
	Batch   int    // 0: auto
	Output  Output
	// Swept are the swept names (vars as the file spells them, or dt,
	// t_sim, seed), sorted alphabetically without regard to case.
	Swept []string
	// Points are every point of the sweep, Index 0..len-1, in sweep order
	// (one point, Index 0, when there is no [sweep]).
	Points []Point
	// Source is the config's bytes as read and Options the settings
	// applied to them: Parse(Source, Path, Options) gives this File again
	// (run.json keeps both, so that a run can be repeated without the file).
	Source  []byte
	Options Options
}

// Output says where and what a run writes.
type Output struct {
	Dir         string // default "out/<config base name>", relative to the working directory
	Spikes      bool   // spikes.parquet (default true)
	State       bool   // state.parquet (default true)
	Compression string // "zstd" (default) | "snappy" | "gzip" | "none"
	NEST        bool   // also the spikes as NEST's spike_recorder files (nest/; default false)
	CSV         bool   // also every table as CSV (summary.csv, …; default false)
	Edges       bool   // also structural plasticity's final synapses, edges/point-K.parquet (default false)
}

// Point is one resolved point of a sweep.
type Point struct {
	Index  int
	Values []float64 // swept values, aligned with File.Swept
	Label  string    // the label of a list-mode point ("" otherwise)
	// Vars are the values of every [vars] entry at this point (names as
	// the file spells them; quantities in NEST's units).
	Vars map[string]float64
	Net  spec.Network
}

// Load reads, checks and resolves a config. path is a file on disk; when
// no such file exists but path names an embedded example ("configs/brunel.toml",
// "brunel.toml" or "brunel"), the embedded one is used. Every point of the
// sweep is resolved and checked here, so that all errors come before
// anything runs. The error lists every problem found, one per line, each
// naming the file, the field and what was expected.
func Load(path string, opt Options) (*File, error) {
	data, name, err := read(path)
	if err != nil {
		return nil, err
	}
	return Parse(data, name, opt)
}

// read returns the bytes of a config and the name errors use for it.
func read(p string) ([]byte, string, error) {
	data, err := os.ReadFile(p)
	if err == nil {
		return data, p, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, "", err
	}
	name := strings.TrimPrefix(filepath.ToSlash(p), "configs/")
	if !strings.HasSuffix(name, ".toml") {
		name += ".toml"
	}
	if !strings.Contains(name, "/") {
		if data, e := Examples.ReadFile(name); e == nil {
			return data, "embedded:" + name, nil
		}
	}
	var names []string
	entries, _ := Examples.ReadDir(".")
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".toml"))
	}
	return nil, "", fmt.Errorf("%s: no such file, and no embedded example of that name (examples: %s)", p, strings.Join(names, ", "))
}

// Parse checks and resolves a config from its bytes, as Load does a
// file's; name is what messages and the default output folder use. The
// hash depends on the bytes and opt alone, so the bytes of a file hash as
// the file does.
func Parse(data []byte, name string, opt Options) (*File, error) {
	source := data
	d := &doc{orig: map[string]string{}}
	// go-toml first: its syntax errors carry a position, and it keeps keys
	// that differ only in case apart, which viper would merge silently.
	// Editors on Windows start UTF-8 files with a byte order mark.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	var tree map[string]any
	if err := toml.Unmarshal(data, &tree); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, newError(name, []string{fmt.Sprintf("line %d, column %d: %s", row, col, de.Error())})
		}
		if line := duplicateLine(data, err.Error()); line > 0 {
			return nil, newError(name, []string{fmt.Sprintf("line %d: %s (each key and table once)", line, strings.TrimPrefix(err.Error(), "toml: "))})
		}
		return nil, newError(name, []string{err.Error()})
	}
	caseCollisions(&d.p, d.orig, "", tree)
	v := viper.NewWithOptions(viper.KeyDelimiter("\x00"))
	v.SetConfigType("toml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, newError(name, []string{err.Error()})
	}
	d.structure(v.AllSettings())
	norm := d.applyOptions(opt)
	d.compileVars()
	d.checkBackend()
	if !d.p.empty() {
		return nil, newError(name, d.p.list)
	}

	sum := sha256.New()
	sum.Write(data)
	sum.Write([]byte{0})
	sum.Write([]byte(norm))
	f := &File{Path: name, Hash: hex.EncodeToString(sum.Sum(nil)), Backend: d.backend(), Output: d.output, Swept: d.sweep.spells,
		Source: source, Options: Options{Sets: slices.Clone(opt.Sets)}}
	if opt.Seed != nil {
		seed := *opt.Seed
		f.Options.Seed = &seed
	}
	if f.Output.Dir == "" {
		f.Output.Dir = "out/" + baseName(name)
	}

	n := 1
	if d.sweep.mode != "" {
		n = d.sweep.n
	}
	var fails [][]string // problems of each failing point, prefixed
	var plain []string   // the problems of the first failing point, unprefixed
	same := true
	for i := 0; i < n; i++ {
		var vals []units.Quantity
		label, prefix := "", ""
		if d.sweep.mode != "" {
			vals, label, prefix = d.sweep.point(i), d.sweep.labels[i], d.pointPrefix(i)
		}
		r, net := d.resolve(vals)
		if len(f.Points) == 0 && r.p.empty() {
			f.Threads, f.Batch = r.threads, r.batch
		} else if r.p.empty() && (r.threads != f.Threads || r.batch != f.Batch) {
			r.p.add("simulation", "threads and batch must not depend on swept values (point 0: %d, %d; here: %d, %d)", f.Threads, f.Batch, r.threads, r.batch)
		}
		if !r.p.empty() {
			if plain == nil {
				plain = r.p.list
			} else if !slices.Equal(plain, r.p.list) {
				same = false
			}
			fails = append(fails, prefixed(prefix, r.p.list))
			continue
		}
		f.Points = append(f.Points, Point{Index: i, Values: r.values, Label: label, Vars: r.vars, Net: net})
	}
	if len(fails) > 0 {
		// A problem that every point has is a problem of the file: say it once.
		if same && len(fails) == n {
			return nil, newError(name, plain)
		}
		var all []string
		for _, l := range fails {
			all = append(all, l...)
		}
		return nil, newError(name, all)
	}
	return f, nil
}

func prefixed(prefix string, list []string) []string {
	out := make([]string, len(list))
	for i, m := range list {
		out[i] = prefix + m
	}
	return out
}

// baseName is the config's name without folder and extension.
func baseName(name string) string {
	name = strings.TrimPrefix(name, "embedded:")
	base := path.Base(filepath.ToSlash(name))
	return strings.TrimSuffix(base, path.Ext(base))
}

// applyOptions applies --set and --seed, and returns them normalised for
// the hash: one "name=value" line per name (the last setting wins),
// sorted, names in lower case, --seed counting as seed.
func (d *doc) applyOptions(opt Options) string {
	final := map[string]string{}
	for _, s := range opt.Sets {
		name, value, ok := strings.Cut(s, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		path := "--set " + s
		if !ok || name == "" || value == "" {
			d.p.add(path, "expected NAME=VALUE, e.g. --set g=4.5 or --set t_sim=\"2 s\"")
			continue
		}
		lower := strings.ToLower(name)
		if d.isSwept(lower) {
			d.p.add(path, "%s is swept by [sweep]; take it out of the sweep to set it", name)
			continue
		}
		if v, ok := d.vars[lower]; ok {
			v.raw, v.path, v.from = value, "vars."+v.spell+" (set by --set)", "--set "+name+"="+value
			final[lower] = value
			continue
		}
		if contains(simEntries, lower) {
			d.sim[lower] = field{"simulation." + lower + " (set by --set)", value}
			final[lower] = value
			continue
		}
		d.p.add(path, "no [vars] or [simulation] entry named %s%s", name, suggest(name, append(d.varSpells(), simEntries...)))
	}
	if opt.Seed != nil {
		if d.isSwept("seed") {
			d.p.add("--seed", "seed is swept by [sweep]; take it out of the sweep to set it")
		} else {
			d.sim["seed"] = field{"--seed", int64(*opt.Seed)}
			final["seed"] = strconv.FormatUint(uint64(*opt.Seed), 10)
		}
	}
	var b strings.Builder
	for _, k := range sortedKeys(final) {
		fmt.Fprintf(&b, "%s=%s\n", k, final[k])
	}
	return b.String()
}
