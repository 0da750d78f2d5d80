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
	mode   string   // "" when there is no [sweep]
	names  []string // lower case, sorted
	spells []string // as the file writes them
	// lists are the values of each name (grid, zip), or the points (list),
	// aligned with names; points are made from them when asked for, so that
	// a huge grid is refused before it takes any memory.
	lists  [][]units.Quantity
	labels []string // list mode ("" where a point has none)
	n      int      // points
}

// maxPoints is the most points one config may have: every point is
// resolved and checked before a run starts, and kept while it runs.
const maxPoints = 100_000

var sweepModes = []string{"grid", "zip", "list"}

// point returns the swept values of point i, aligned with names: grid
// points run through the combinations like nested loops, the first name
// outermost.
func (sw *sweepT) point(i int) []units.Quantity {
	switch sw.mode {
	case "list":
		return sw.lists[i]
	case "zip":
		pt := make([]units.Quantity, len(sw.lists))
		for k, l := range sw.lists {
			pt[k] = l[i]
		}
		return pt
	}
	pt := make([]units.Quantity, len(sw.lists))
	for k := len(sw.lists) - 1; k >= 0; k-- {
		l := sw.lists[k]
		pt[k] = l[i%len(l)]
		i /= len(l)
	}
	return pt
}

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
// with an optional unit ("1 ms", "2*ms"). dt and t_sim are read in ms and
// seed as a whole number (plain numbers); a var keeps the dimension of its
// value (checked against [vars] when the point is resolved).
func (d *doc) sweepValue(path, name string, raw any) (units.Quantity, bool) {
	cx := newExprs(nil, d.spell)
	s := &scope{x: cx, env: map[string]binding{}}
	if text, ok := raw.(string); ok {
		src, _, _ := units.Split(text)
		if c := cx.compile(src); c.err == nil && len(c.unknown) > 0 {
			d.p.add(path, "swept values must be constants, got %q (which uses %s)", text, strings.Join(d.spellAll(lowerAll(c.unknown)), ", "))
			return units.Quantity{}, false
		}
	}
	var q units.Quantity
	var err error
	switch name {
	case "dt", "t_sim":
		var x float64
		x, err = s.real(raw, "ms")
		q = units.Plain(x)
	case "seed":
		var n int64
		n, err = s.whole(raw, 0, maxUint32)
		q = units.Plain(float64(n))
	default:
		q, err = s.varQuantity(raw)
	}
	if err != nil {
		d.p.report(path, err)
		return q, false
	}
	return q, true
}

func lowerAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ToLower(n)
	}
	return out
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
	var lists [][]units.Quantity
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
		vals := make([]units.Quantity, 0, len(list))
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
	sw.lists = lists
	switch mode {
	case "grid":
		sw.n = 1
		for _, l := range lists {
			if sw.n > maxPoints/len(l) {
				d.p.add("sweep.params", "the grid has more than %d points (%s); a run takes at most %d: split the sweep into several configs", maxPoints, gridSizes(sw.spells, lists), maxPoints)
				return
			}
			sw.n *= len(l)
		}
	case "zip":
		for i, l := range lists {
			if len(l) != len(lists[0]) {
				d.p.add("sweep.params", "mode = \"zip\" needs lists of equal length, got %s with %d values and %s with %d", sw.spells[0], len(lists[0]), sw.spells[i], len(l))
				return
			}
		}
		if sw.n = len(lists[0]); sw.n > maxPoints {
			d.p.add("sweep.params", "%d points; a run takes at most %d: split the sweep into several configs", sw.n, maxPoints)
			return
		}
	}
	sw.labels = make([]string, sw.n)
}

// gridSizes writes the list lengths of a grid: "g: 1000 × eta: 1000 × …".
func gridSizes(spells []string, lists [][]units.Quantity) string {
	parts := make([]string, len(lists))
	for i, l := range lists {
		parts[i] = fmt.Sprintf("%s: %d", spells[i], len(l))
	}
	return strings.Join(parts, " × ") + " values"
}

func (d *doc) readSweepList(raw any) {
	sw := &d.sweep
	list, ok := raw.([]any)
	if ok && len(list) > maxPoints {
		d.p.add("sweep.points", "%d points; a run takes at most %d: split the sweep into several configs", len(list), maxPoints)
		return
	}
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
		pt := make([]units.Quantity, len(sw.names))
		for j, k := range sw.names {
			if q, ok := d.sweepValue(path+"."+sw.spells[j], k, m[k]); ok {
				pt[j] = q
			}
		}
		sw.lists = append(sw.lists, pt)
		sw.labels = append(sw.labels, label)
	}
	sw.n = len(sw.lists)
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
	for j, q := range sw.point(i) {
		parts = append(parts, fmt.Sprintf("%s=%s", sw.spells[j], q))
	}
	label := ""
	if sw.labels[i] != "" {
		label = fmt.Sprintf(" %q", sw.labels[i])
	}
	return fmt.Sprintf("point %d%s (%s): ", i, label, strings.Join(parts, ", "))
}

// varQuantity reads the value of a var: a number, or a constant expression
// with an optional unit; the var keeps its dimension ("2 s" is a time).
func (s *scope) varQuantity(raw any) (units.Quantity, error) {
	const what = "a number or an expression"
	text, ok := raw.(string)
	if !ok {
		return s.quantity(raw, what)
	}
	q, pe, _, err := s.quantityExpr(text, what)
	if err != nil {
		return q, err
	}
	if pe != nil {
		return q, fmt.Errorf("vars are numbers, not parameters: write %q where it is used (weight = \"random.normal(J, 0.1*J)\", say)", strings.TrimSpace(text))
	}
	if math.IsNaN(q.V) {
		return q, fmt.Errorf("%q is not a number (NaN)", strings.TrimSpace(text))
	}
	return q, nil
}
