package runner

import (
	"fmt"
	"io"
	"math"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress reports points done, simulated time and an ETA: a live bar on a
// terminal, one plain line per finished batch otherwise (CI logs stay short).
type progress struct {
	mu         sync.Mutex // batches on several devices report at once
	w          io.Writer
	bar        *progressbar.ProgressBar
	total      int   // points to run
	done       int   // points finished
	work, left int64 // point-steps to run in all, and still to run
	start      time.Time
}

func newProgress(w io.Writer, points int, work int64) *progress {
	p := &progress{w: w, total: points, work: work, left: work, start: time.Now()}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions64(work,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// step reports progress inside a batch of size members at steps of tSteps.
func (p *progress) step(members int, steps, tSteps int64, dt float64) {
	if p.bar == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar.Describe(fmt.Sprintf("points %d/%d · %.0f/%.0f ms", p.done, p.total, float64(steps)*dt, float64(tSteps)*dt))
	_ = p.bar.Set64(addSteps(p.work-p.left, members, steps))
}

// batchDone reports a finished batch.
func (p *progress) batchDone(first, last, members int, tSteps int64, dt float64, wall time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += members
	p.left -= min(p.left, addSteps(0, members, tSteps))
	if p.bar != nil {
		_ = p.bar.Set64(p.work - p.left)
		return
	}
	elapsed := time.Since(p.start)
	eta := "0s"
	if p.work > p.left {
		eta = (time.Duration(float64(elapsed) * float64(p.left) / float64(p.work-p.left))).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "points %d-%d done (%d/%d): %.0f ms simulated in %.1f s, ETA %s\n",
		first, last, p.done, p.total, float64(tSteps)*dt, wall.Seconds(), eta)
}

// wfrCapped warns, as NEST does, that waveform relaxation used its last
// iterate without converging.
func (p *progress) wfrCapped(point, capped, windows, most int) {
	fmt.Fprintf(p.w, "point %d: waveform relaxation did not converge within wfr_max_iterations = %d in %d of %d windows; the last iterate was used (NEST warns likewise)\n",
		point, most, capped, windows)
}

// pointFailed reports a point whose simulation failed.
func (p *progress) pointFailed(point int, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "point %d failed: %v\n", point, err)
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

// addSteps returns sum + members·steps, saturated at math.MaxInt64: step
// counts of many long points must not wrap around.
func addSteps(sum int64, members int, steps int64) int64 {
	if steps > 0 && int64(members) > (math.MaxInt64-sum)/steps {
		return math.MaxInt64
	}
	return sum + int64(members)*steps
}
