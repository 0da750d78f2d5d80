package compare

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/snn-gpu/snn-gpu/output"
)

// DefaultAlpha is the family-wise significance level of Options.
const DefaultAlpha = 0.01

// Options of a comparison.
type Options struct {
	// Alpha is the family-wise significance level: the chance that two
	// runs of one model (other seeds) have some statistic flagged. 0 is
	// DefaultAlpha.
	Alpha float64
}

// Report is the comparison of two output folders.
type Report struct {
	A, B  Side
	Swept []string
	Rows  []Row // A's order: by point, then population
	Alpha float64
	// Tests is the number of statistics tested, and ZLimit the |z| above
	// which a difference is flagged: Bonferroni's, the two-sided normal
	// quantile of Alpha/Tests.
	Tests  int
	ZLimit float64
}

// Side is one of the folders compared.
type Side struct {
	Dir, Config, Hash string
	Seed              uint32 // of the first point
}

// Row compares one population of one point.
type Row struct {
	Point      int
	Values     []float64 // the swept values
	Label      string
	Population string
	Spikes     Spikes
	// SpikesA and SpikesB are the recorded spikes (rows of spikes.parquet).
	SpikesA, SpikesB int
	Basis            [2]Basis // what A's and B's errors come from
	Stats            []Stat   // rate_hz, cv_isi, fano, peak_hz, peak_power
}

// Spikes is what the spike trains of a row are to each other.
type Spikes int

const (
	NotRecorded Spikes = iota // neither folder records them
	Identical                 // the same rows, in the same order
	Different
)

func (s Spikes) String() string { return [...]string{"not recorded", "identical", "differ"}[s] }

// Stat compares one statistic.
type Stat struct {
	Name string
	A, B float64 // NaN: no value
	// Err is the standard error of B − A; NaN when neither run gives one.
	Err float64
	// Z is (B − A)/Err, 0 when both are equal; NaN when not tested (a
	// value missing, or no error).
	Z      float64
	Beyond bool // |Z| > Report.ZLimit
}

// Same reports whether both runs have the same value, or neither has one.
func (s Stat) Same() bool { return s.A == s.B || math.IsNaN(s.A) && math.IsNaN(s.B) }

// Compare reads two output folders and compares them point by point and
// population by population. It refuses folders that are not finished runs
// or whose sweeps, points or populations differ.
func Compare(dirA, dirB string, opt Options) (*Report, error) {
	if opt.Alpha == 0 {
		opt.Alpha = DefaultAlpha
	}
	if !(opt.Alpha > 0 && opt.Alpha < 1) {
		return nil, fmt.Errorf("--alpha %g: expected a significance level between 0 and 1", opt.Alpha)
	}
	a, err := readRun(dirA)
	if err != nil {
		return nil, err
	}
	b, err := readRun(dirB)
	if err != nil {
		return nil, err
	}
	if err := comparable(a, b); err != nil {
		return nil, fmt.Errorf("%s and %s cannot be compared: %w", dirA, dirB, err)
	}
	rep := &Report{A: side(a), B: side(b), Swept: a.swept, Alpha: opt.Alpha}
	inB := map[key]output.SummaryRow{}
	for _, r := range b.rows {
		inB[key{r.Point, r.Population}] = r
	}
	for _, ra := range a.rows {
		k := key{ra.Point, ra.Population}
		rb := inB[k]
		row := Row{Point: ra.Point, Values: ra.Values, Label: ra.Label, Population: ra.Population,
			SpikesA: len(a.spikes[k]), SpikesB: len(b.spikes[k])}
		row.Spikes = sameSpikes(a, b, k)
		seA, basisA := a.uncertainty(ra)
		seB, basisB := b.uncertainty(rb)
		row.Basis = [2]Basis{basisA, basisB}
		va, vb := statsOf(ra), statsOf(rb)
		for i := range nStats {
			s := Stat{Name: statNames[i], A: va[i], B: vb[i], Err: combined(seA[i], seB[i]), Z: math.NaN()}
			if !math.IsNaN(s.A) && !math.IsNaN(s.B) && !math.IsNaN(s.Err) {
				rep.Tests++
				s.Z = 0
				if !s.Same() {
					s.Z = (s.B - s.A) / s.Err // ±Inf where the error is 0
				}
			}
			row.Stats = append(row.Stats, s)
		}
		rep.Rows = append(rep.Rows, row)
	}
	if rep.Tests > 0 {
		rep.ZLimit = distuv.UnitNormal.Quantile(1 - opt.Alpha/(2*float64(rep.Tests)))
	}
	for i := range rep.Rows {
		for j := range rep.Rows[i].Stats {
			s := &rep.Rows[i].Stats[j]
			s.Beyond = math.Abs(s.Z) > rep.ZLimit
		}
	}
	return rep, nil
}

func side(r *run) Side {
	return Side{Dir: r.dir, Config: r.info.Config, Hash: r.info.ConfigHash, Seed: r.seed()}
}

// combined is the standard error of a difference of two independent
// estimates; with one error only, the other run is taken to be as
// uncertain.
func combined(a, b float64) float64 {
	switch {
	case math.IsNaN(a):
		return b * math.Sqrt2
	case math.IsNaN(b):
		return a * math.Sqrt2
	}
	return math.Hypot(a, b)
}

// comparable refuses two runs whose sweeps, points or populations differ.
func comparable(a, b *run) error {
	if !slices.Equal(a.swept, b.swept) {
		return fmt.Errorf("A sweeps %q, B sweeps %q", a.swept, b.swept)
	}
	type point struct {
		values []float64
		pops   []string
	}
	points := func(r *run) (map[int]*point, []int) {
		m := map[int]*point{}
		var order []int
		for _, row := range r.rows {
			p := m[row.Point]
			if p == nil {
				p = &point{values: row.Values}
				m[row.Point] = p
				order = append(order, row.Point)
			}
			p.pops = append(p.pops, row.Population)
		}
		return m, order
	}
	pa, order := points(a)
	pb, orderB := points(b)
	for _, i := range orderB {
		if pa[i] == nil {
			return fmt.Errorf("point %d is in B only", i)
		}
	}
	for _, i := range order {
		p, q := pa[i], pb[i]
		if q == nil {
			return fmt.Errorf("point %d is in A only", i)
		}
		for k, name := range a.swept {
			if p.values[k] != q.values[k] {
				return fmt.Errorf("point %d: %s = %g in A, %g in B", i, name, p.values[k], q.values[k])
			}
		}
		if !slices.Equal(p.pops, q.pops) {
			return fmt.Errorf("point %d: A has populations %q, B %q", i, p.pops, q.pops)
		}
	}
	return nil
}

// sameSpikes compares the recorded spikes of a point's population.
func sameSpikes(a, b *run, k key) Spikes {
	sa, sb := a.spikes[k], b.spikes[k]
	recorded := func(r *run) bool { return r.spikes != nil && r.points[k.point].recorded(k.population) }
	switch {
	case !recorded(a) && !recorded(b):
		return NotRecorded
	case slices.Equal(sa, sb) && recorded(a) == recorded(b):
		return Identical
	}
	return Different
}

// Differences returns the statistics that differ beyond their error, as
// "point P POP NAME (z = Z)".
func (r *Report) Differences() []string {
	var out []string
	for _, row := range r.Rows {
		for _, s := range row.Stats {
			if s.Beyond {
				out = append(out, fmt.Sprintf("point %d %s %s (z = %.1f)", row.Point, row.Population, s.Name, s.Z))
			}
		}
	}
	return out
}

// Verdict is nil when no statistic differs beyond its error, else a
// *Differs.
func (r *Report) Verdict() error {
	if d := r.Differences(); len(d) > 0 {
		return &Differs{Stats: d}
	}
	return nil
}

// Differs is the verdict of a comparison in which some statistics differ
// beyond their error; its exit status is 4.
type Differs struct{ Stats []string }

func (e *Differs) Error() string {
	return fmt.Sprintf("%d statistic(s) differ beyond their error: %s", len(e.Stats), strings.Join(e.Stats, ", "))
}

// ExitCode is the command's exit status.
func (e *Differs) ExitCode() int { return 4 }

// Write prints the report: the two folders, then per point and population
// the spike trains and a table of the statistics, then the verdict.
func (r *Report) Write(w io.Writer) error {
	for _, s := range []struct {
		name string
		Side
	}{{"A", r.A}, {"B", r.B}} {
		fmt.Fprintf(w, "%s  %s  (%s, config hash %.12s, seed %d)\n", s.name, s.Dir, s.Config, s.Hash, s.Seed)
	}
	spikes := map[Spikes]int{}
	for _, row := range r.Rows {
		spikes[row.Spikes]++
		fmt.Fprintf(w, "\npoint %d", row.Point)
		var vals []string
		for i, name := range r.Swept {
			vals = append(vals, fmt.Sprintf("%s=%g", name, row.Values[i]))
		}
		if row.Label != "" {
			vals = append(vals, "label "+row.Label)
		}
		if len(vals) > 0 {
			fmt.Fprintf(w, " (%s)", strings.Join(vals, ", "))
		}
		fmt.Fprintf(w, "  %s  spikes %s", row.Population, row.Spikes)
		if row.Spikes == Different {
			fmt.Fprintf(w, " (A %d, B %d)", row.SpikesA, row.SpikesB)
		}
		fmt.Fprintf(w, "  errors from %s (A), %s (B)\n", row.Basis[0], row.Basis[1])
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "statistic\tA\tB\tB−A\terror\tz\t")
		for _, s := range row.Stats {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", s.Name, num(s.A), num(s.B), num(s.B-s.A), num(s.Err), zCell(s))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\nspike trains: %d identical, %d differ, %d not recorded\n", spikes[Identical], spikes[Different], spikes[NotRecorded])
	if r.Tests > 0 {
		fmt.Fprintf(w, "%d statistics tested at a family-wise level of %g (Bonferroni): a difference is flagged beyond |z| = %.2f\n",
			r.Tests, r.Alpha, r.ZLimit)
	} else {
		fmt.Fprintln(w, "no statistic could be tested (no values, or no errors)")
	}
	if d := r.Differences(); len(d) > 0 {
		_, err := fmt.Fprintf(w, "%d statistic(s) differ beyond their error\n", len(d))
		return err
	}
	_, err := fmt.Fprintln(w, "no statistic differs beyond its error")
	return err
}

func num(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.4g", x)
}

func zCell(s Stat) string {
	switch {
	case math.IsNaN(s.Z):
		return "–"
	case s.Same():
		return "same"
	case s.Beyond:
		return fmt.Sprintf("%.2f *", s.Z)
	}
	return fmt.Sprintf("%.2f", s.Z)
}
