package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/output"
)

// shardRun is a finished shard, read for a merge.
type shardRun struct {
	dir   string
	info  Info
	parts *output.Shard
}

// Merge writes the outputs of a sharded sweep from its shards' folders
// (each a shard, or a folder holding shard-I-of-N folders) into out
// ("": the folder that holds the shards), as the whole sweep run in one
// process would have written them, with one run.json. It refuses shards of
// different sweeps (config, --set, seed, version, revision, backend or
// shard count), two folders of one shard, a point held twice, and a point
// no shard holds, saying which shard should have had it. Merging again
// into a merged folder changes nothing; a merge cut short resumes.
func Merge(dirs []string, out string) (*Result, error) {
	runs, err := readShards(dirs)
	if err != nil {
		return nil, err
	}
	first := runs[0]
	f, err := infoConfig(filepath.Join(first.dir, "run.json"), first.info)
	if err != nil {
		return nil, err
	}
	if err := checkShardPoints(f, runs); err != nil {
		return nil, err
	}
	if out == "" {
		if out, err = commonParent(runs); err != nil {
			return nil, err
		}
	}
	d, err := output.Open(out, f.Hash, f.Swept, outputOptions(f, false))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	started := first.info.Started
	for _, r := range runs {
		if r.info.Started.Before(started) {
			started = r.info.Started
		}
		if err := d.Adopt(r.parts); err != nil {
			return nil, err
		}
		if err := output.GatherPointFiles(r.dir, out, "edges"); err != nil {
			return nil, err
		}
	}
	i := first.info
	info := runInfo(f, Options{Point: AllPoints}, out, f.Points, d.Batches(), i.Backend, i.Threads, i.Batch, started)
	if err := d.Finish(info); err != nil {
		return nil, err
	}
	if err := d.Close(); err != nil {
		return nil, err
	}
	_, rows, err := output.ReadSummary(filepath.Join(out, "summary.parquet"))
	if err != nil {
		return nil, err
	}
	return &Result{Dir: out, Swept: f.Swept, Rows: rows, Batches: info.Batches, Points: len(f.Points), Backend: i.Backend}, nil
}

// readShards reads every shard folder named or held by dirs, in shard
// order, and checks that they are the shards of one sweep.
func readShards(dirs []string) ([]shardRun, error) {
	var runs []shardRun
	for _, dir := range dirs {
		found, err := shardFolders(dir)
		if err != nil {
			return nil, err
		}
		for _, s := range found {
			parts, err := output.ReadShard(s)
			if err != nil {
				return nil, err
			}
			info, err := readInfo(filepath.Join(s, "run.json"))
			if err != nil {
				return nil, err
			}
			if info.Shard == nil {
				return nil, fmt.Errorf("%s: run.json has no shard: not a shard of a sweep", s)
			}
			runs = append(runs, shardRun{dir: s, info: info, parts: parts})
		}
	}
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].info.Shard.Index < runs[j].info.Shard.Index })
	a := runs[0]
	for _, b := range runs[1:] {
		for _, c := range []struct{ what, x, y string }{
			{"seed", seedText(a.info.Seed), seedText(b.info.Seed)},
			{"config_hash (config text, --set and --seed)", a.info.ConfigHash, b.info.ConfigHash},
			{"version", describeBuild(a.info.Version, a.info.Revision, a.info.Modified), describeBuild(b.info.Version, b.info.Revision, b.info.Modified)},
			{"backend", a.info.Backend, b.info.Backend},
			{"shard count", fmt.Sprint(a.info.Shard.Count), fmt.Sprint(b.info.Shard.Count)},
		} {
			if c.x != c.y {
				return nil, fmt.Errorf("%s and %s are not shards of one sweep: %s %s vs %s", a.dir, b.dir, c.what, c.x, c.y)
			}
		}
	}
	for k := 1; k < len(runs); k++ {
		if x, y := runs[k-1], runs[k]; x.info.Shard.Index == y.info.Shard.Index {
			return nil, fmt.Errorf("%s and %s are both shard %d of %d (points %s): give each shard once",
				x.dir, y.dir, x.info.Shard.Index, x.info.Shard.Count, pointList(x.parts.Points()))
		}
	}
	return runs, nil
}

// seedText is a run.json's --seed as text ("the config's" when not given).
func seedText(s *uint32) string {
	if s == nil {
		return "the config's"
	}
	return fmt.Sprint(*s)
}

// shardFolders returns the shard-I-of-N folders in dir, or else dir, a
// shard's folder (ReadShard checks it).
func shardFolders(dir string) ([]string, error) {
	found, err := filepath.Glob(filepath.Join(dir, "shard-*-of-*"))
	if err != nil || len(found) > 0 {
		return found, err
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	return []string{dir}, nil
}

// checkShardPoints checks that the shards hold every point of f exactly
// once, and says which shard should have had a point missing.
func checkShardPoints(f *configs.File, runs []shardRun) error {
	holder := map[int]string{}
	var problems []string
	for _, r := range runs {
		for _, p := range r.parts.Points() {
			if p >= len(f.Points) {
				problems = append(problems, fmt.Sprintf("%s holds point %d, but the sweep has %d points", r.dir, p, len(f.Points)))
			} else if other, ok := holder[p]; ok {
				problems = append(problems, fmt.Sprintf("point %d is in %s and in %s", p, other, r.dir))
			}
			holder[p] = r.dir
		}
	}
	count := runs[0].info.Shard.Count
	shards, err := Shards(f, count)
	if err != nil {
		return err
	}
	given := map[int]string{}
	for _, r := range runs {
		given[r.info.Shard.Index] = r.dir
	}
	for k, pts := range shards {
		var missing []int
		for _, p := range pts {
			if _, ok := holder[p.Index]; !ok {
				missing = append(missing, p.Index)
			}
		}
		if len(missing) == 0 {
			continue
		}
		slices.Sort(missing)
		where := "its folder was not given"
		if dir, ok := given[k]; ok {
			where = dir + " lacks them"
		}
		problems = append(problems, fmt.Sprintf("point(s) %s missing: shard %d of %d should have had them (%s)",
			pointList(missing), k, count, where))
	}
	if len(problems) > 0 {
		return fmt.Errorf("cannot merge: %s", strings.Join(problems, "; "))
	}
	return nil
}

// commonParent is the folder that holds every shard, where their merge
// goes by default.
func commonParent(runs []shardRun) (string, error) {
	parent := filepath.Dir(filepath.Clean(runs[0].dir))
	for _, r := range runs[1:] {
		if p := filepath.Dir(filepath.Clean(r.dir)); p != parent {
			return "", fmt.Errorf("the shards are in %s and %s: give --out for the merged outputs", parent, p)
		}
	}
	return parent, nil
}

// pointList is "1, 2, 5".
func pointList(points []int) string {
	s := make([]string, len(points))
	for i, p := range points {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ", ")
}
