package configs

import (
	"fmt"
	"math"
	"strings"

	"github.com/snn-gpu/snn-gpu/spec"
)

// Spatial populations (NEST's nest.spatial.grid and nest.spatial.free) and
// masks. readSpatial and readMask check the structure; the resolver
// evaluates them at every point.

var spatialKeys = []string{"shape", "positions", "pos", "num_dimensions", "extent", "center", "edge_wrap"}

// spatialT is a population's spatial table whose structure is checked.
type spatialT struct {
	path     string // population[i].spatial
	layout   string // "shape", "positions" or "pos"
	fields   map[string]field
	edgeWrap bool
}

func (sp *spatialT) field(key string) field {
	if f, ok := sp.fields[key]; ok {
		return f
	}
	return field{path: join(sp.path, key)}
}

// readSpatial checks a population's spatial table.
func (d *doc) readSpatial(path string, raw any) *spatialT {
	m, ok := d.table(path, raw, spatialKeys...)
	if !ok {
		return nil
	}
	sp := &spatialT{path: path, fields: map[string]field{}}
	for k, v := range m {
		if contains(spatialKeys, k) {
			sp.fields[k] = field{join(path, k), v}
		}
	}
	var layouts []string
	for _, k := range []string{"shape", "positions", "pos"} {
		if _, ok := m[k]; ok {
			layouts = append(layouts, k)
		}
	}
	switch len(layouts) {
	case 0:
		d.p.add(path, "expected shape = [nx, ny] (a grid layer), positions = [[x, y], …] or pos = \"random.uniform(-0.5, 0.5)\" (a free layer)")
		return nil
	case 1:
		sp.layout = layouts[0]
	default:
		d.p.add(path, "give one of shape, positions and pos, not %s", strings.Join(layouts, " and "))
		return nil
	}
	ok = true
	for _, k := range []string{"shape", "positions", "extent", "center"} {
		if f, has := sp.fields[k]; has {
			if _, isList := f.raw.([]any); !isList {
				d.p.add(f.path, "expected a list, got %s", describe(f.raw))
				ok = false
			}
		}
	}
	if f, has := sp.fields["num_dimensions"]; has && sp.layout != "pos" {
		d.p.add(f.path, "num_dimensions is for a free layer whose positions are drawn (pos); a %s layer has the dimensions of its %s", map[string]string{"shape": "grid", "positions": "free"}[sp.layout], sp.layout)
		ok = false
	}
	if f, has := sp.fields["num_dimensions"]; has {
		if _, isList := sp.fields["pos"].raw.([]any); isList {
			d.p.add(f.path, "pos is a list of one parameter per dimension: leave num_dimensions out")
			ok = false
		}
	}
	if _, has := m["edge_wrap"]; has {
		sp.edgeWrap = d.flag(path, m, "edge_wrap", false)
	}
	if !ok {
		return nil
	}
	return sp
}

// layerInfo is what connections need of a spatial population.
type layerInfo struct {
	dims     int
	extent   []float64 // nil: the bounding box of positions drawn at build time
	edgeWrap bool
}

// spatial evaluates a population's spatial table; n is the population size
// when it is given (0 otherwise). It returns the layer and its size.
func (r *resolver) spatial(sp *spatialT, n int, nPath string) (*spec.Spatial, *layerInfo, int) {
	out := &spec.Spatial{EdgeWrap: sp.edgeWrap}
	fail := func(path, format string, args ...any) (*spec.Spatial, *layerInfo, int) {
		r.p.add(path, format, args...)
		return nil, nil, 0
	}
	dims, size := 0, 0
	switch sp.layout {
	case "shape":
		f := sp.field("shape")
		list := f.raw.([]any)
		if len(list) != 2 && len(list) != 3 {
			return fail(f.path, "expected 2 or 3 sizes ([nx, ny] or [nx, ny, nz]), got %d", len(list))
		}
		size = 1
		for i, e := range list {
			k, err := r.s.whole(e, 1, math.MaxInt32)
			if err != nil {
				r.p.report(fmt.Sprintf("%s[%d]", f.path, i), err)
				return nil, nil, 0
			}
			out.Shape = append(out.Shape, int(k))
			size *= int(k)
		}
		dims = len(list)
		if n != 0 && n != size {
			return fail(nPath, "expected %d (the grid's %s neurons) or nothing, got %d", size, joinInts(out.Shape, " × "), n)
		}
	case "positions":
		f := sp.field("positions")
		list := f.raw.([]any)
		if len(list) == 0 {
			return fail(f.path, "expected a list of positions [[x, y], …], got an empty list")
		}
		for i, e := range list {
			p := fmt.Sprintf("%s[%d]", f.path, i)
			pos, ok := e.([]any)
			if !ok {
				return fail(p, "expected a position [x, y] or [x, y, z], got %s", describe(e))
			}
			if i == 0 {
				dims = len(pos)
				if dims != 2 && dims != 3 {
					return fail(p, "expected 2 or 3 coordinates, got %d", dims)
				}
			} else if len(pos) != dims {
				return fail(p, "expected %d coordinates, as %s[0] has, got %d", dims, f.path, len(pos))
			}
			xs, ok := r.reals(p, pos)
			if !ok {
				return nil, nil, 0
			}
			out.Positions = append(out.Positions, xs)
		}
		size = len(list)
		if n != 0 && n != size {
			return fail(nPath, "expected %d (the number of positions) or nothing, got %d", size, n)
		}
	case "pos":
		f := sp.field("pos")
		if n == 0 {
			return fail(nPath, "missing: a free layer with drawn positions (pos) needs the number of neurons")
		}
		size = n
		if list, isList := f.raw.([]any); isList {
			if len(list) != 2 && len(list) != 3 {
				return fail(f.path, "expected one parameter per dimension (2 or 3), got %d", len(list))
			}
			for i, e := range list {
				v, err := r.s.value(e, "", randomOnly)
				if err != nil {
					r.p.report(fmt.Sprintf("%s[%d]", f.path, i), err)
					return nil, nil, 0
				}
				out.Pos = append(out.Pos, v)
			}
			dims = len(list)
			if allConst(out.Pos) {
				return fail(f.path, "pos draws the positions: give random parameters; positions = [[x, y], …] lists fixed ones")
			}
			break
		}
		v, err := r.s.value(f.raw, "", randomOnly)
		if err != nil {
			r.p.report(f.path, err)
			return nil, nil, 0
		}
		nd := sp.field("num_dimensions")
		ext := sp.field("extent")
		switch {
		case nd.raw != nil:
			k, err := r.s.whole(nd.raw, 2, 3)
			if err != nil {
				r.p.report(nd.path, err)
				return nil, nil, 0
			}
			dims = int(k)
		case ext.raw != nil:
			dims = len(ext.raw.([]any))
		default:
			return fail(nd.path, "missing: the number of dimensions (2 or 3) of the positions pos draws; or give extent")
		}
		for i := 0; i < dims; i++ {
			out.Pos = append(out.Pos, v)
		}
		if v.IsConst() {
			return fail(f.path, "pos draws the positions: give a random parameter; positions = [[x, y], …] lists fixed ones")
		}
	}
	info := &layerInfo{dims: dims, edgeWrap: sp.edgeWrap}
	ok := true
	for _, key := range []string{"extent", "center"} {
		f := sp.field(key)
		if f.raw == nil {
			continue
		}
		list := f.raw.([]any)
		if len(list) != dims {
			r.p.add(f.path, "expected %d values (the layer has %d dimensions), got %d", dims, dims, len(list))
			ok = false
			continue
		}
		xs, good := r.reals(f.path, list)
		if !good {
			ok = false
			continue
		}
		if key == "extent" {
			for i, x := range xs {
				if !(x > 0) {
					r.p.add(fmt.Sprintf("%s[%d]", f.path, i), "expected a size > 0, got %g", x)
					ok = false
				}
			}
			out.Extent = xs
		} else {
			out.Center = xs
		}
	}
	if !ok {
		return nil, nil, 0
	}
	if sp.layout != "shape" {
		switch {
		case size == 1 && out.Extent == nil:
			return fail(sp.field("extent").path, "missing: a free layer of one neuron needs an extent (NEST)")
		case sp.edgeWrap && out.Extent == nil:
			return fail(sp.field("edge_wrap").path, "periodic boundaries need the layer's size: give extent")
		case out.Center != nil && out.Extent == nil:
			return fail(sp.field("center").path, "the center of a free layer needs an extent (without one the layer is the bounding box of its positions)")
		}
	}
	if sp.layout == "shape" {
		// NEST's defaults, written out: extent 1 and the origin as center.
		if out.Extent == nil {
			out.Extent = ones(dims, 1)
		}
		if out.Center == nil {
			out.Center = ones(dims, 0)
		}
	}
	if sp.layout == "positions" && out.Extent != nil {
		if !r.positionsInside(sp, out) {
			return nil, nil, 0
		}
	}
	info.extent = out.Extent
	return out, info, size
}

// positionsInside checks explicit positions against a given extent. As in
// NEST the layer is centred on the middle of the positions' bounding box
// unless a center is given; on periodic layers a position may not lie on
// the upper edge (it would be the lower one).
func (r *resolver) positionsInside(sp *spatialT, out *spec.Spatial) bool {
	dims := len(out.Extent)
	if out.Center == nil {
		lo, hi := bounds(out.Positions, dims)
		out.Center = make([]float64, dims)
		for k := range out.Center {
			out.Center[k] = (lo[k] + hi[k]) / 2
		}
	}
	for i, p := range out.Positions {
		for k := 0; k < dims; k++ {
			lo, hi := out.Center[k]-out.Extent[k]/2, out.Center[k]+out.Extent[k]/2
			if p[k] < lo || p[k] > hi || sp.edgeWrap && p[k] >= hi {
				edge := fmt.Sprintf("[%g, %g]", lo, hi)
				if sp.edgeWrap {
					edge = fmt.Sprintf("[%g, %g) (periodic)", lo, hi)
				}
				r.p.add(fmt.Sprintf("%s[%d]", sp.field("positions").path, i), "position %s is outside the layer: coordinate %d must be in %s", fmtList(p), k, edge)
				return false
			}
		}
	}
	return true
}

func bounds(pos [][]float64, dims int) (lo, hi []float64) {
	lo, hi = ones(dims, math.Inf(1)), ones(dims, math.Inf(-1))
	for _, p := range pos {
		for k := 0; k < dims; k++ {
			lo[k], hi[k] = math.Min(lo[k], p[k]), math.Max(hi[k], p[k])
		}
	}
	return lo, hi
}

func ones(n int, x float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = x
	}
	return out
}

// reals evaluates a list of plain numbers.
func (r *resolver) reals(path string, list []any) ([]float64, bool) {
	out := make([]float64, len(list))
	for i, e := range list {
		x, err := r.s.real(e, "")
		if err != nil {
			r.p.report(fmt.Sprintf("%s[%d]", path, i), err)
			return nil, false
		}
		out[i] = x
	}
	return out, true
}

func joinInts(xs []int, sep string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, sep)
}

func fmtList(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmtNum(x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// Masks, in NEST's dictionary shape: { circular = { radius = 0.5 },
// anchor = [0.1, 0] }.

type maskShape struct {
	dims     int
	keys     []string // every key of the shape's table
	required []string
}

var maskShapes = map[string]maskShape{
	"rectangular": {2, []string{"lower_left", "upper_right", "azimuth_angle", "polar_angle"}, []string{"lower_left", "upper_right"}},
	"circular":    {2, []string{"radius", "anchor"}, []string{"radius"}},
	"doughnut":    {2, []string{"inner_radius", "outer_radius", "anchor"}, []string{"inner_radius", "outer_radius"}},
	"elliptical":  {2, []string{"major_axis", "minor_axis", "azimuth_angle", "polar_axis", "polar_angle", "anchor"}, []string{"major_axis", "minor_axis"}},
	"box":         {3, []string{"lower_left", "upper_right", "azimuth_angle", "polar_angle"}, []string{"lower_left", "upper_right"}},
	"spherical":   {3, []string{"radius", "anchor"}, []string{"radius"}},
	"ellipsoidal": {3, []string{"major_axis", "minor_axis", "polar_axis", "azimuth_angle", "polar_angle", "anchor"}, []string{"major_axis", "minor_axis", "polar_axis"}},
}

func maskNames() []string { return sortedKeys(maskShapes) }

// maskT is a mask whose structure is checked.
type maskT struct {
	path   string // …mask
	shape  string
	fields map[string]field // the shape's keys
	anchor field            // beside the shape (NEST's documented place) or inside it
}

// readMask checks a mask table.
func (d *doc) readMask(path string, raw any) *maskT {
	m, ok := raw.(map[string]any)
	if !ok {
		d.p.add(path, "expected a table such as { circular = { radius = 0.5 } }, got %s", describe(raw))
		return nil
	}
	mk := &maskT{path: path, fields: map[string]field{}, anchor: field{path: join(path, "anchor")}}
	var shapes []string
	for _, k := range sortedKeys(m) {
		switch {
		case k == "anchor":
			mk.anchor.raw = m[k]
		case k == "grid":
			d.p.add(join(path, "grid"), "grid masks are not supported; use a rectangular mask (lower_left, upper_right in the layer's coordinates)")
			return nil
		case maskShapes[k].dims == 0:
			d.p.add(join(path, d.spelled(path, k)), "unknown mask%s; masks: %s (and anchor)", suggest(k, maskNames()), quoteList(maskNames()))
			return nil
		default:
			shapes = append(shapes, k)
		}
	}
	switch len(shapes) {
	case 0:
		d.p.add(path, "expected one mask shape (%s), got none", quoteList(maskNames()))
		return nil
	case 1:
	default:
		d.p.add(path, "expected one mask shape, got %s", strings.Join(shapes, " and "))
		return nil
	}
	mk.shape = shapes[0]
	sh := maskShapes[mk.shape]
	sp := join(path, mk.shape)
	sm, ok := d.table(sp, m[mk.shape], sh.keys...)
	if !ok {
		return nil
	}
	for k, v := range sm {
		if !contains(sh.keys, k) {
			ok = false
			continue
		}
		if k == "anchor" {
			if mk.anchor.raw != nil {
				d.p.add(join(sp, "anchor"), "anchor is also given beside the shape (%s); give it once", mk.anchor.path)
				ok = false
				continue
			}
			mk.anchor = field{join(sp, "anchor"), v}
			continue
		}
		mk.fields[k] = field{join(sp, k), v}
	}
	for _, k := range sh.required {
		if _, has := sm[k]; !has {
			d.p.add(join(sp, k), "missing: a %s mask needs %s", mk.shape, quoteList(sh.required))
			ok = false
		}
	}
	if sh.dims == 2 {
		for _, k := range []string{"polar_angle", "polar_axis"} {
			if f, has := mk.fields[k]; has {
				d.p.add(f.path, "%s is not defined in 2-D (NEST); a %s mask is 2-dimensional", k, mk.shape)
				ok = false
			}
		}
	}
	for _, k := range []string{"lower_left", "upper_right"} {
		if f, has := mk.fields[k]; has {
			if _, isList := f.raw.([]any); !isList {
				d.p.add(f.path, "expected a list of %d coordinates, got %s", sh.dims, describe(f.raw))
				ok = false
			}
		}
	}
	if mk.anchor.raw != nil {
		if _, isList := mk.anchor.raw.([]any); !isList {
			d.p.add(mk.anchor.path, "expected a list of %d coordinates, got %s", sh.dims, describe(mk.anchor.raw))
			ok = false
		}
	}
	if !ok {
		return nil
	}
	return mk
}

// mask evaluates a mask with NEST's checks.
func (r *resolver) mask(mk *maskT) (*spec.Mask, bool) {
	sh := maskShapes[mk.shape]
	out := &spec.Mask{Shape: mk.shape}
	ok := true
	num := func(key string, dst *float64) {
		f, has := mk.fields[key]
		if !has {
			return
		}
		x, err := r.s.real(f.raw, "")
		if err != nil {
			r.p.report(f.path, err)
			ok = false
			return
		}
		*dst = x
	}
	point := func(f field) []float64 {
		list := f.raw.([]any)
		if len(list) != sh.dims {
			r.p.add(f.path, "expected %d coordinates (a %s mask is %d-dimensional), got %d", sh.dims, mk.shape, sh.dims, len(list))
			ok = false
			return nil
		}
		xs, good := r.reals(f.path, list)
		ok = ok && good
		return xs
	}
	positive := func(key string, x float64) {
		if f, has := mk.fields[key]; has && !(x > 0) {
			r.p.add(f.path, "expected %s > 0, got %g", key, x)
			ok = false
		}
	}
	num("radius", &out.Radius)
	num("inner_radius", &out.InnerRadius)
	num("outer_radius", &out.OuterRadius)
	num("major_axis", &out.MajorAxis)
	num("minor_axis", &out.MinorAxis)
	num("polar_axis", &out.PolarAxis)
	num("azimuth_angle", &out.AzimuthAngle)
	num("polar_angle", &out.PolarAngle)
	if f, has := mk.fields["lower_left"]; has {
		out.LowerLeft = point(f)
	}
	if f, has := mk.fields["upper_right"]; has {
		out.UpperRight = point(f)
	}
	if mk.anchor.raw != nil {
		out.Anchor = point(mk.anchor)
	}
	if !ok {
		return nil, false
	}
	switch mk.shape {
	case "circular", "spherical":
		positive("radius", out.Radius)
	case "doughnut":
		if !(out.InnerRadius >= 0) {
			r.p.add(mk.fields["inner_radius"].path, "expected inner_radius >= 0, got %g", out.InnerRadius)
			ok = false
		} else if !(out.InnerRadius < out.OuterRadius) {
			r.p.add(mk.fields["outer_radius"].path, "expected inner_radius < outer_radius (NEST), got %g and %g", out.InnerRadius, out.OuterRadius)
			ok = false
		}
	case "rectangular", "box":
		for k := range out.LowerLeft {
			if !(out.LowerLeft[k] < out.UpperRight[k]) {
				r.p.add(mk.fields["upper_right"].path, "upper_right must be strictly to the right of and above lower_left in every dimension (NEST), got lower_left %s, upper_right %s",
					fmtList(out.LowerLeft), fmtList(out.UpperRight))
				ok = false
				break
			}
		}
	case "elliptical", "ellipsoidal":
		positive("major_axis", out.MajorAxis)
		positive("minor_axis", out.MinorAxis)
		positive("polar_axis", out.PolarAxis)
		if ok && out.MajorAxis < out.MinorAxis {
			r.p.add(mk.fields["minor_axis"].path, "expected major_axis >= minor_axis (NEST), got %g and %g", out.MajorAxis, out.MinorAxis)
			ok = false
		}
	}
	return out, ok
}

// maskSpan is the size of the mask's bounding box along each axis, as NEST
// computes it for its check against periodic layers: exact for rotated
// boxes, a cube of the longest axis for rotated ellipses.
func maskSpan(m *spec.Mask) [3]float64 {
	switch m.Shape {
	case "circular", "spherical":
		return [3]float64{2 * m.Radius, 2 * m.Radius, 2 * m.Radius}
	case "doughnut":
		return [3]float64{2 * m.OuterRadius, 2 * m.OuterRadius}
	case "elliptical", "ellipsoidal":
		if m.AzimuthAngle == 0 && m.PolarAngle == 0 {
			return [3]float64{m.MajorAxis, m.MinorAxis, m.PolarAxis}
		}
		g := math.Max(m.MajorAxis, m.PolarAxis)
		return [3]float64{g, g, g}
	}
	var s [3]float64
	for k := range m.LowerLeft {
		s[k] = m.UpperRight[k] - m.LowerLeft[k]
	}
	if m.AzimuthAngle == 0 && m.PolarAngle == 0 {
		return s
	}
	// The box turned as NEST turns it: R_z(azimuth)·R_y(polar) (the inverse
	// of the rotation network's masks apply to displacements).
	ca, sa := math.Cos(m.AzimuthAngle*math.Pi/180), math.Sin(m.AzimuthAngle*math.Pi/180)
	cp, spol := math.Cos(m.PolarAngle*math.Pi/180), math.Sin(m.PolarAngle*math.Pi/180)
	rot := [3][3]float64{{ca * cp, -sa, ca * spol}, {sa * cp, ca, sa * spol}, {-spol, 0, cp}}
	var out [3]float64
	for i := range out {
		for j := range s {
			out[i] += math.Abs(rot[i][j]) * s[j]
		}
	}
	return out
}

// spatialRules connect spatially in NEST (ConnectLayers): with a mask, a
// spatial parameter, p for the degree rules, or use_on_source.
var spatialRules = []string{"pairwise_bernoulli", "fixed_indegree", "fixed_outdegree", "pairwise_poisson"}

func allConst(vs []spec.Value) bool {
	for _, v := range vs {
		if !v.IsConst() {
			return false
		}
	}
	return true
}
