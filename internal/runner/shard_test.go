package runner

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/output"
)

// brunelStates is configs/brunel_states.toml at order 100 (500 neurons)
// for 300 ms, with the CSV and NEST views, so that every output is
// compared.
func brunelStates(t *testing.T, sets ...string) *configs.File {
	t.Helper()
	text, err := os.ReadFile("../../configs/brunel_states.toml")
	if err != nil {
		t.Fatal(err)
	}
	text = append(text, "\n[output]\ncsv = true\nnest = true\n"...)
	f, err := configs.Parse(text, "brunel_states.toml", configs.Options{Sets: append([]string{"order=100", "t_sim=300"}, sets...)})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// runShards runs every shard of f into dir and returns their results.
func runShards(t *testing.T, f *configs.File, dir string, n int, opt Options) []*Result {
	t.Helper()
	var out []*Result
	for i := range n {
		o := opt
		o.Point, o.OutDir, o.Shard = AllPoints, dir, &Shard{i, n}
		res, err := Run(context.Background(), f, o)
		if err != nil {
			t.Fatalf("shard %d/%d: %v", i, n, err)
		}
		out = append(out, res)
	}
	return out
}

// finalFiles lists the outputs of a finished run's folder (tables, CSV and
// NEST views), relative to it, without progress.json and run.json, whose
// times and commands differ between runs.
func finalFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if e.IsDir() && strings.HasPrefix(e.Name(), "shard-") {
			return filepath.SkipDir
		}
		if !e.IsDir() && rel != "progress.json" && rel != "run.json" && rel != ".lock" {
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Run in 1, 2, 3, 4 (a point each) or 7 shards and merged, brunel_states
// gives the files of the whole sweep, byte for byte; every shard's points
// of the one structure ran as one batch; and merging again changes
// nothing.
func TestShardedSweepMergesToTheWholeSweep(t *testing.T) {
	splits := []int{1, 2, 3, 4, 7}
	if testing.Short() {
		splits = []int{2, 7}
	}
	f := brunelStates(t)
	opt := Options{Threads: 2, Batch: 4}
	whole, err := Run(context.Background(), f, Options{Threads: 2, Batch: 1, Point: AllPoints, OutDir: filepath.Join(t.TempDir(), "whole")}) // batches of 1: the shards batch otherwise
	if err != nil {
		t.Fatal(err)
	}
	want := finalFiles(t, whole.Dir)
	if len(want) < 6 {
		t.Fatalf("the whole sweep wrote only %v", want)
	}
	for _, n := range splits {
		dir := filepath.Join(t.TempDir(), "sharded")
		shards := runShards(t, f, dir, n, opt)
		for i, s := range shards {
			// One batch per shard: the shard's points share the structure.
			if len(s.Batches) > 1 {
				t.Errorf("%d shards: shard %d ran %d batches, want 1 (%v)", n, i, len(s.Batches), s.Batches)
			}
		}
		res, err := Merge([]string{dir}, "")
		if err != nil {
			t.Fatalf("%d shards: %v", n, err)
		}
		if res.Dir != dir || res.Points != 4 || len(res.Rows) != 8 {
			t.Errorf("%d shards: merged into %s, %d points, %d rows", n, res.Dir, res.Points, len(res.Rows))
		}
		if got := finalFiles(t, dir); !reflect.DeepEqual(got, want) {
			t.Fatalf("%d shards: merged files %v, want %v", n, got, want)
		}
		sums := map[string][]byte{}
		for _, name := range want {
			a, _ := os.ReadFile(filepath.Join(whole.Dir, name))
			b, _ := os.ReadFile(filepath.Join(dir, name))
			if !bytes.Equal(a, b) {
				t.Errorf("%d shards: %s differs from the whole sweep's (%d vs %d bytes)", n, name, len(b), len(a))
			}
			sums[name] = b
		}
		if _, err := Merge([]string{dir}, ""); err != nil {
			t.Fatalf("%d shards, merged again: %v", n, err)
		}
		for name, b := range sums {
			if again, _ := os.ReadFile(filepath.Join(dir, name)); !bytes.Equal(again, b) {
				t.Errorf("%d shards: merging again changed %s", n, name)
			}
		}
	}
}

// A merge refuses what is not one whole sweep, saying which shard and
// which points, and writes nothing.
func TestMergeRefuses(t *testing.T) {
	f := brunelStates(t, "t_sim=250", "order=50")
	root := t.TempDir()
	three := filepath.Join(root, "three")
	runShards(t, f, three, 3, Options{Threads: 2, Batch: -1})
	seed := uint32(7)
	other, err := configs.Parse(f.Source, f.Path, configs.Options{Sets: f.Options.Sets, Seed: &seed})
	if err != nil {
		t.Fatal(err)
	}
	seven := filepath.Join(root, "seed7")
	runShards(t, other, seven, 3, Options{Threads: 2, Batch: -1})
	copyDir(t, filepath.Join(three, "shard-1-of-3"), filepath.Join(root, "copy"))
	unfinished := filepath.Join(root, "unfinished")
	if err := os.MkdirAll(unfinished, 0o755); err != nil {
		t.Fatal(err)
	}
	copyDir(t, filepath.Join(three, "shard-0-of-3"), filepath.Join(unfinished, "shard-0-of-3"))
	os.WriteFile(filepath.Join(unfinished, "shard-0-of-3", "progress.json"), []byte(`{"format": 5, "hash": "ab", "shard": true, "batches": []}`), 0o644)
	altered := filepath.Join(root, "altered")
	copyDir(t, filepath.Join(three, "shard-2-of-3"), altered)
	parts, _ := filepath.Glob(filepath.Join(altered, ".parts", "*spikes*"))
	if len(parts) == 0 {
		t.Fatal("shard 2 has no spike parts")
	}
	if err := os.WriteFile(parts[0], []byte("not parquet"), 0o644); err != nil {
		t.Fatal(err)
	}

	s := func(dir string, k int) string { return filepath.Join(dir, "shard-"+string(rune('0'+k))+"-of-3") }
	cases := []struct {
		name string
		dirs []string
		want []string
	}{
		{"missing shard", []string{s(three, 0), s(three, 2)}, []string{"point(s) 1, 2 missing: shard 1 of 3 should have had them (its folder was not given)"}},
		{"another seed", []string{s(three, 0), s(seven, 1), s(three, 2)}, []string{"are not shards of one sweep: seed the config's vs 7", s(seven, 1)}},
		{"a shard twice", []string{three, filepath.Join(root, "copy")}, []string{"are both shard 1 of 3", filepath.Join(root, "copy")}},
		{"not finished", []string{unfinished}, []string{"the shard has not finished"}},
		{"a part altered", []string{s(three, 0), s(three, 1), altered}, []string{parts[0], "since the run finished"}},
		{"no shard", []string{root}, []string{"is not the folder of a shard"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "merged")
			_, err := Merge(c.dirs, out)
			if err == nil {
				t.Fatal("merged")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a refused merge left %s", out)
			}
		})
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if e.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestParseShard(t *testing.T) {
	cases := []struct {
		flag string
		env  map[string]string
		want Shard
		err  string
	}{
		{"0/1", nil, Shard{0, 1}, ""},
		{"2/3", nil, Shard{2, 3}, ""},
		{"3/3", nil, Shard{}, "expected I/N with 0 <= I < N"},
		{"-1/3", nil, Shard{}, "expected I/N"},
		{"1", nil, Shard{}, "expected I/N"},
		{"auto", map[string]string{"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4"}, Shard{2, 4}, ""},
		{"auto", map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "4"}, Shard{2, 4}, ""},
		{"auto", map[string]string{"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "6", "SLURM_ARRAY_TASK_STEP": "2"}, Shard{2, 4}, ""},
		{"auto", map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "6", "SLURM_ARRAY_TASK_STEP": "2"}, Shard{}, "is not one of the 4 tasks"},
		{"auto", nil, Shard{}, "SLURM_ARRAY_TASK_ID is not set"},
		{"auto", map[string]string{"SLURM_ARRAY_TASK_ID": "x"}, Shard{}, `SLURM_ARRAY_TASK_ID="x": expected a whole number`},
	}
	for _, c := range cases {
		got, err := ParseShard(c.flag, func(k string) string { return c.env[k] })
		switch {
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("%s %v: %v, %v; want %v", c.flag, c.env, got, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s %v: error %v, want %q", c.flag, c.env, err, c.err)
		}
	}
}

// The final edge lists of a sharded structural-plasticity sweep
// (edges/point-K.parquet, one file per point, written where the point ran)
// are gathered by the merge: the same files as the whole sweep's, byte for
// byte.
func TestMergeGathersFinalEdges(t *testing.T) {
	text, err := os.ReadFile("../../configs/structural_plasticity.toml")
	if err != nil {
		t.Fatal(err)
	}
	text = append(text, "\n[output]\nedges = true\n"...)
	f, err := configs.Parse(text, "structural_plasticity.toml", configs.Options{Sets: []string{"t_sim=3000", "interval=1000", "nu_e_e=2e-3", "nu_e_i=2e-3", "nu_i_e=8e-3", "nu_i_i=2e-3"}})
	if err != nil {
		t.Fatal(err)
	}
	whole, err := Run(context.Background(), f, Options{Threads: 2, Batch: 1, Point: AllPoints, OutDir: filepath.Join(t.TempDir(), "whole")})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "sharded")
	runShards(t, f, dir, 3, Options{Threads: 2, Batch: 1})
	if _, err := Merge([]string{dir}, ""); err != nil {
		t.Fatal(err)
	}
	for p := range f.Points {
		name := filepath.Join("edges", fmt.Sprintf("point-%d.parquet", p))
		a, err := os.ReadFile(filepath.Join(whole.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		edges, err := output.ReadEdges(filepath.Join(whole.Dir, name))
		if err != nil || len(edges) == 0 {
			t.Fatalf("%s: %d edges (%v): the test would prove nothing", name, len(edges), err)
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("merged: %v", err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs from the whole sweep's (%d vs %d bytes)", name, len(b), len(a))
		}
	}
}
