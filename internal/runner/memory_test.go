package runner

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/engine"
	"github.com/snn-gpu/snn-gpu/gpu/emu"
	"github.com/snn-gpu/snn-gpu/internal/memory"
)

// fixResident makes the memory in use before a run a constant, so that
// limits set between two batch sizes do not depend on the test process.
func fixResident(t *testing.T) {
	old := resident
	resident = func() float64 { return 50 << 20 }
	t.Cleanup(func() { resident = old })
}

// limitBetween returns a limit that fits batches of lo points of f on
// backend but not lo+1.
func limitBetween(t *testing.T, f *configs.File, backend engine.Backend, lo int) int64 {
	t.Helper()
	mc, err := estimateMemory(f, f.Points, 4, 0, runMemory(backend, f.Output))
	if err != nil {
		t.Fatal(err)
	}
	all, _ := mc.total(0, lo)
	return int64(all.Bytes(lo) + all.PerMember()/2)
}

// Where the automatic batch does not fit, a smaller one runs; where an
// explicit one does not, or one point alone does not, the run is refused
// before its folder exists. The GPU backend sizes its batches by device
// memory, and the host's memory bounds them the same way.
func TestMemoryBoundsBatches(t *testing.T) {
	fixResident(t)
	f := load(t)
	f.Points = f.Points[:4]
	for _, b := range []struct {
		name    string
		backend func() engine.Backend
	}{
		{"cpu", func() engine.Backend { return &cpu.Backend{Threads: 4} }},
		{"gpu-emulated", func() engine.Backend { return emu.NewBackend(1 << 30) }},
	} {
		t.Run(b.name, func(t *testing.T) {
			two := limitBetween(t, f, b.backend(), 2)
			var log bytes.Buffer
			o := runSweep(t, f, Options{Use: b.backend(), Threads: 4, Batch: -1, Point: -1, MaxMemory: two, Progress: &log, OutDir: filepath.Join(t.TempDir(), "auto")})
			for p, n := range batchSizes(o.res) {
				if n != 2 {
					t.Fatalf("point %d ran in a batch of %d, want 2 (the most that fits)", p, n)
				}
			}
			if !strings.Contains(log.String(), "with 2 point(s) per batch; limit") {
				t.Errorf("progress lacks the estimate:\n%s", log.String())
			}
			for _, c := range []struct {
				batch int
				limit int64
				want  []string
			}{
				{4, two, []string{"in a batch of 4 point(s), more than the", "available (--max-memory): use a smaller --batch, or", "; --batch 2 fits"}},
				{-1, two / 4, []string{"needs an estimated", "in a batch of 1 point(s), more than the", "(--max-memory): use"}},
			} {
				dir := filepath.Join(t.TempDir(), "refused")
				_, err := Run(context.Background(), f, Options{Use: b.backend(), Threads: 4, Batch: c.batch, Point: -1, MaxMemory: c.limit, OutDir: dir})
				for _, s := range c.want {
					if err == nil || !strings.Contains(err.Error(), s) {
						t.Errorf("batch %d, limit %d: %v; want %q", c.batch, c.limit, err, s)
					}
				}
				if _, err := os.Stat(dir); !os.IsNotExist(err) {
					t.Errorf("batch %d, limit %d: %s exists after the refusal", c.batch, c.limit, dir)
				}
			}
		})
	}
}

// estimateFactor is how far the estimate may lie above the measured peak
// of the shipped examples (the bound the docs state).
const estimateFactor = 2

// The estimate bounds the measured peak of real runs, and not by much: each
// example runs in this process with the collector at GOGC=5, so that the
// peak resident size (VmHWM, reset before each run) is close to the live
// data, which is what the estimate bounds (the runner holds the Go runtime
// to the limit, so garbage does not pile up near it).
func TestMemoryEstimateBoundsMeasuredPeak(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs five example networks")
	}
	if memory.PeakResident() == 0 || memory.ResetPeak() != nil {
		t.Skip("no /proc/self/status or clear_refs to measure with")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	for _, c := range []struct {
		config string
		sets   []string
		batch  int // 0: auto
	}{
		{"brunel", []string{"t_sim=150"}, 0},
		{"brunel_states", []string{"t_sim=250", "order=1000"}, 4}, // per-member terms ×4
		{"gif_population", []string{"t_sim=500"}, 0},
		{"izhikevich2003", nil, 0},
		{"connectivity_concepts", nil, 0},
	} {
		t.Run(c.config, func(t *testing.T) {
			f, err := configs.Load(c.config, configs.Options{Sets: c.sets})
			if err != nil {
				t.Fatal(err)
			}
			backend := &cpu.Backend{Threads: 2}
			debug.FreeOSMemory()
			if err := memory.ResetPeak(); err != nil {
				t.Fatal(err)
			}
			var log bytes.Buffer
			res, err := Run(context.Background(), f, Options{Use: backend, Threads: 2, Batch: c.batch, Point: -1, OutDir: filepath.Join(t.TempDir(), "out"), Progress: &log})
			if err != nil {
				t.Fatal(err)
			}
			measured := memory.PeakResident()
			est := res.Memory
			t.Logf("estimate %s, measured peak %s (%.2f×): %s", memory.Format(est), memory.Format(measured), est/measured, strings.TrimSpace(log.String()))
			if est < measured || est > estimateFactor*measured {
				t.Errorf("estimate %s, measured peak %s: want measured ≤ estimate ≤ %d × measured", memory.Format(est), memory.Format(measured), estimateFactor)
			}
		})
	}
}

// The bookkeeping of a point is estimated from its record in run.json,
// which is about as large as estimated.
func TestPointRecordBytes(t *testing.T) {
	f := load(t)
	o := runSweep(t, f, Options{Threads: 2, Batch: -1, Point: -1, Backend: "cpu"})
	info, err := os.Stat(filepath.Join(o.res.Dir, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var est float64
	for _, p := range f.Points {
		est += pointRecordBytes(&p.Net)
	}
	if got := float64(info.Size()); est < 0.8*got || est > 2*got {
		t.Errorf("run.json has %.0f bytes for %d points, estimated %.0f", got, len(f.Points), est)
	}
	t.Logf("run.json %d bytes, estimated %.0f", info.Size(), est)
}
