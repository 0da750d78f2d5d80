package configs

import (
	"fmt"
	"math"
	"strings"

	"github.com/snn-gpu/snn-gpu/units"
)

// Sweep expansion. The swept names are sorted alphabetically (without
// regard to case) in every mode; File.Swept and Point.Values follow that
// order. Grid points run through the combinations like nested loops with
// the first name outermost (it varies slowest) and the last innermost;
// zip points take the i-th value of every list; list points come in the
// order written.

type sweepT struct {
	mode   string      // "" when there is no [sweep]
	names  []string    // lower case, sorted
	spells []string    // as the file writes them
	points [][]float64 // aligned with names
	labels []string    // list mode ("" where a point has none)
}

var sweepModes = []string{"grid", "zip", "list"}

// sweepName checks that a swept name exists and can be swept.
func (d *doc) sweepName(parent, lower string) (spell string, ok bool) {
	path := join(parent, d.spelled(parent, lower))
	if _, isVar := d.vars[lower]; isVar {
		return d.vars[lower].spell, true
	}
	if contains(sweepableSim, lower) {
		return lower, true
	}
	if contains(simEntries, lower) {
		d.p.add(path, "%s cannot be swept (only [vars] entries and dt, t_sim, seed can)", lower)
		return "", false
	}
	d.p.add(path, "no [vars] or [simulation] entry named %s%s", d.spelled(parent, lower), suggest(lower, append(d.varSpells(), sweepableSim...)))
	return "", false
}

func (d *doc) varSpells() []string {
	var s []string
	for _, n := range d.varNames() {
		s = append(s, d.vars[n].spell)
	}
	return s
}

// sweepValue reads one swept value: a number, or a constant expression
// with an optional unit ("1 ms"). Vars are converted to the canonical unit
// of the dimension; dt and t_sim to ms; seed must be a whole number.
func (d *doc) sweepValue(path, name string, raw any) (float64, bool) {
	cx := newExprs(nil, d.spell)
	s := &scope{x: cx, env: map[string]any{}}
	if text, ok := raw.(string); ok {
		src, _, _ := units.Split(text)
		if c := cx.compile(src); len(c.ids) > 0 {
			d.p.add(path, "swept values must be constants, got %q (which uses %s)", text, strings.Join(d.spellAll(c.ids), ", "))
			return 0, false
		}
	}
	var x float64
	var err error
	switch name {
	case "dt", "t_sim":
		x, err = s.real(raw, "ms")
	case "seed":
		var n int64
		n, err = s.whole(raw, 0, maxUint32)
		x = float64(n)
	default:
		x, err = s.varNumber(raw)
	}
	if err != nil {
		d.p.report(path, err)
		return 0, false
	}
	return x, true
}

func (d *doc) readSweep(raw any) {
	if raw == nil {
		return
	}
	m, ok := d.table("sweep", raw, "mode", "params", "points")
	if !ok {
		return
	}
	mode := "grid"
	if _, hasPoints := m["points"]; hasPoints {
		mode = "list"
	}
	if s, ok := d.text("sweep", m, "mode", false); ok {
		mode = s
	}
	if !contains(sweepModes, mode) {
		d.p.add("sweep.mode", "expected one of %s, got %q%s", quoteList(sweepModes), mode, suggest(mode, sweepModes))
		return
	}
	sw := &d.sweep
	sw.mode = mode
	if mode == "list" {
		if _, ok := m["params"]; ok {
			d.p.add("sweep.params", "mode = \"list\" takes points = [ { name = value, … }, … ], not params")
		}
		d.readSweepList(m["points"])
		return
	}
	if _, ok := m["points"]; ok {
		d.p.add("sweep.points", "points are for mode = \"list\"; mode = %q takes params = { name = [values], … }", mode)
	}
	pm, ok := m["params"].(map[string]any)
	if !ok || len(pm) == 0 {
		d.p.add("sweep.params", "expected a table of lists of values, e.g. { g = [4.0, 5.0], eta = [1.0, 2.0] }, got %s", describe(m["params"]))
		return
	}
	var lists [][]float64
	for _, k := range sortedKeys(pm) {
		spell, ok := d.sweepName("sweep.params", k)
		if !ok {
			continue
		}
		path := "sweep.params." + spell
		list, ok := pm[k].([]any)
		if !ok || len(list) == 0 {
			d.p.add(path, "expected a non-empty list of values, got %s", describe(pm[k]))
			continue
		}
		vals := make([]float64, 0, len(list))
		for i, e := range list {
			if x, ok := d.sweepValue(fmt.Sprintf("%s[%d]", path, i), k, e); ok {
				vals = append(vals, x)
			}
		}
		sw.names = append(sw.names, k)
		sw.spells = append(sw.spells, spell)
		lists = append(lists, vals)
	}
	if !d.p.empty() {
		return
	}
	switch mode {
	case "grid":
		sw.points = grid(lists)
	case "zip":
		for i, l := range lists {
			if len(l) != len(lists[0]) {
				d.p.add("sweep.params", "mode = \"zip\" needs lists of equal length, got %s with %d values and %s with %d", sw.spells[0], len(lists[0]), sw.spells[i], len(l))
				return
			}
		}
		for j := range lists[0] {
			pt := make([]float64, len(lists))
			for i := range lists {
				pt[i] = lists[i][j]
			}
			sw.points = append(sw.points, pt)
		}
	}
	sw.labels = make([]string, len(sw.points))
}

// grid returns every combination, the first list varying slowest.
func grid(lists [][]float64) [][]float64 {
	total := 1
	for _, l := range lists {
		total *= len(l)
	}
	out := make([][]float64, total)
	for k := range out {
		pt := make([]float64, len(lists))
		rest := k
		for i := len(lists) - 1; i >= 0; i-- {
			pt[i] = lists[i][rest%len(lists[i])]
			rest /= len(lists[i])
		}
		out[k] = pt
	}
	return out
}

func (d *doc) readSweepList(raw any) {
	sw := &d.sweep
	list, ok := raw.([]any)
	if !ok || len(list) == 0 {
		d.p.add("sweep.points", "expected a non-empty list of points, e.g. [ { label = \"A\", g = 3.0 }, … ], got %s", describe(raw))
		return
	}
	var first []string
	labels := map[string]int{}
	for i, e := range list {
		path := fmt.Sprintf("sweep.points[%d]", i)
		m, ok := e.(map[string]any)
		if !ok {
			d.p.add(path, "expected a table { label = …, name = value, … }, got %s", describe(e))
			continue
		}
		label := ""
		if l, ok := m["label"]; ok {
			s, err := str(l)
			if err != nil {
				d.p.report(path+".label", err)
			} else if prev, dup := labels[s]; dup && s != "" {
				d.p.add(path+".label", "label %q is already used by sweep.points[%d]", s, prev)
			} else {
				labels[s] = i
				label = s
			}
		}
		var names []string
		for _, k := range sortedKeys(m) {
			if k != "label" {
				names = append(names, k)
			}
		}
		if i == 0 {
			first = names
			for _, k := range names {
				if spell, ok := d.sweepName(path, k); ok {
					sw.names = append(sw.names, k)
					sw.spells = append(sw.spells, spell)
				}
			}
			if len(names) == 0 {
				d.p.add(path, "a point needs at least one name = value")
			}
		} else if strings.Join(names, ",") != strings.Join(first, ",") {
			d.p.add(path, "every point must give the same names; sweep.points[0] gives %s, this one %s", quoteList(d.spellAll(first)), quoteList(d.spellAll(names)))
			continue
		}
		pt := make([]float64, len(sw.names))
		for j, k := range sw.names {
			if x, ok := d.sweepValue(path+"."+sw.spells[j], k, m[k]); ok {
				pt[j] = x
			}
		}
		sw.points = append(sw.points, pt)
		sw.labels = append(sw.labels, label)
	}
}

func (d *doc) spellAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = d.spell(n)
	}
	return out
}

// isSwept reports whether lower names a swept entry.
func (d *doc) isSwept(lower string) bool { return contains(d.sweep.names, lower) }

// pointPrefix names a point in messages: `point 3 "D" (eta=0.9, g=4.5): `.
func (d *doc) pointPrefix(i int) string {
	sw := &d.sweep
	var parts []string
	for j, s := range sw.spells {
		parts = append(parts, fmt.Sprintf("%s=%g", s, sw.points[i][j]))
	}
	label := ""
	if sw.labels[i] != "" {
		label = fmt.Sprintf(" %q", sw.labels[i])
	}
	return fmt.Sprintf("point %d%s (%s): ", i, label, strings.Join(parts, ", "))
}

// varNumber reads the value of a var: a number, or an expression with an
// optional unit, converted to the canonical unit of its dimension (NEST's
// unit: "2 s" gives 2000, a time in ms).
func (s *scope) varNumber(raw any) (float64, error) {
	if text, ok := raw.(string); ok {
		src, u, has := units.Split(text)
		if src == "" {
			return 0, fmt.Errorf("expected a number or an expression, got %s", describe(raw))
		}
		x, pe, _, err := s.expr(src)
		if err != nil {
			return 0, err
		}
		if pe != nil {
			return 0, fmt.Errorf("vars are numbers, not parameters: write %q where it is used (weight = \"random.normal(J, 0.1*J)\", say)", strings.TrimSpace(text))
		}
		if has {
			x *= u.Scale
		}
		return x, nil
	}
	x, err := s.number(raw, "", "a number or an expression")
	if err == nil && math.IsNaN(x) {
		err = fmt.Errorf("expected a number, got nan")
	}
	return x, err
}
