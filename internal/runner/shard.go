package runner

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
	"github.com/snn-gpu/snn-gpu/sweep"
)

// Shard selects one of Count shards of a sweep, Index from 0.
type Shard struct {
	Index, Count int
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// ShardInfo is run.json's record of a shard: which one, and the points
// the split gave it.
type ShardInfo struct {
	Index  int   `json:"index"`
	Count  int   `json:"count"`
	Points []int `json:"points"`
}

// ShardDir is the folder of shard s of a run whose output folder is dir:
// a folder in it, so that the shards of one sweep sit together where
// their merge goes.
func ShardDir(dir string, s Shard) string {
	return filepath.Join(dir, fmt.Sprintf("shard-%d-of-%d", s.Index, s.Count))
}

// ParseShard reads --shard: "I/N" (I from 0 to N-1), or "auto", the array
// task of a SLURM array job, from env (os.Getenv): SLURM_ARRAY_TASK_ID
// among SLURM_ARRAY_TASK_MIN, _STEP (1 if unset) and _COUNT (or _MAX).
func ParseShard(s string, env func(string) string) (Shard, error) {
	if s == "auto" {
		return slurmShard(env)
	}
	i, n, ok := strings.Cut(s, "/")
	index, err1 := strconv.Atoi(i)
	count, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || count < 1 || index < 0 || index >= count {
		return Shard{}, fmt.Errorf("--shard %s: expected I/N with 0 <= I < N (the I-th of N shards, from 0), or auto (a SLURM array task)", s)
	}
	return Shard{index, count}, nil
}

// slurmShard is the shard of a SLURM array task.
func slurmShard(env func(string) string) (Shard, error) {
	num := func(name string, def int) (int, error) {
		v := env(name)
		if v == "" {
			if def < 0 {
				return 0, fmt.Errorf("--shard auto: %s is not set: auto takes the shard from a SLURM array job (sbatch --array); elsewhere give --shard I/N", name)
			}
			return def, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("--shard auto: %s=%q: expected a whole number >= 0", name, v)
		}
		return n, nil
	}
	id, err := num("SLURM_ARRAY_TASK_ID", -1)
	if err != nil {
		return Shard{}, err
	}
	lo, err := num("SLURM_ARRAY_TASK_MIN", 0)
	if err != nil {
		return Shard{}, err
	}
	step, err := num("SLURM_ARRAY_TASK_STEP", 1)
	if err != nil {
		return Shard{}, err
	}
	step = max(step, 1)
	count, err := num("SLURM_ARRAY_TASK_COUNT", 0)
	if err != nil {
		return Shard{}, err
	}
	if count == 0 {
		hi, err := num("SLURM_ARRAY_TASK_MAX", -1)
		if err != nil {
			return Shard{}, err
		}
		count = (hi-lo)/step + 1
	}
	index := (id - lo) / step
	if id < lo || (id-lo)%step != 0 || index >= count {
		return Shard{}, fmt.Errorf("--shard auto: SLURM_ARRAY_TASK_ID=%d is not one of the %d tasks from %d in steps of %d: expected an array --array=MIN-MAX[:STEP]", id, count, lo, step)
	}
	return Shard{index, count}, nil
}

// Shards splits the points of f into count shards (sweep.Shards) by their
// estimated cost: time steps × (neurons + expected synapses), the work of
// a step being an update per neuron and at most a delivery per synapse.
// The estimate is network.Plan's, from the resolved points alone, and the
// same in every process.
func Shards(f *configs.File, count int) ([][]configs.Point, error) {
	cost := map[int]float64{}
	for _, g := range sweep.Batches(f.Points, 0) {
		specs := make([]spec.Network, len(g))
		for i, p := range g {
			specs[i] = p.Net
		}
		sh, err := network.Plan(specs, 1)
		if err != nil {
			return nil, fmt.Errorf("%s: point %d: %w", f.Path, g[0].Index, err)
		}
		work := 0.0
		for _, p := range sh.Pops {
			work += float64(p.N)
		}
		for _, p := range sh.Projections {
			work += p.Synapses
		}
		for _, p := range g {
			cost[p.Index] = float64(sh.Steps) * work
		}
	}
	return sweep.Shards(f.Points, count, func(p configs.Point) float64 { return cost[p.Index] }), nil
}
