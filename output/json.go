package output

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// WriteJSON writes v to path as indented JSON, atomically: to a temporary
// file in the same folder, synced, then renamed over path.
//
// Unlike encoding/json it accepts non-finite floats and writes +Inf, −Inf
// and NaN as the strings "Infinity", "-Infinity" and "NaN" (the spelling
// of JavaScript and of Python's json module). Everything else follows
// encoding/json: exported struct fields with their `json` tags (a name, "-",
// omitempty, omitzero; embedded structs are inlined), maps with their keys
// sorted, json.Marshaler and encoding.TextMarshaler values. A value that
// implements json.Marshaler is written by its own method, so non-finite
// floats inside it are that method's business.
func WriteJSON(path string, v any) error {
	b, err := marshalJSON(v)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return writeFileAtomic(path, b)
}

// marshalJSON encodes v with the non-finite float extension, indented.
func marshalJSON(v any) ([]byte, error) {
	var e jsonEncoder
	if err := e.value(reflect.ValueOf(v), 0); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, e.buf.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// maxJSONDepth bounds the nesting, so that a cyclic value fails instead of
// recursing forever.
const maxJSONDepth = 1000

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

type jsonEncoder struct{ buf bytes.Buffer }

// leaf writes v with encoding/json.
func (e *jsonEncoder) leaf(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	e.buf.Write(b)
	return nil
}

func (e *jsonEncoder) float(f float64, bits int) error {
	switch {
	case math.IsNaN(f):
		e.buf.WriteString(`"NaN"`)
	case math.IsInf(f, 1):
		e.buf.WriteString(`"Infinity"`)
	case math.IsInf(f, -1):
		e.buf.WriteString(`"-Infinity"`)
	case bits == 32:
		return e.leaf(float32(f))
	default:
		return e.leaf(f)
	}
	return nil
}

func (e *jsonEncoder) value(v reflect.Value, depth int) error {
	if depth > maxJSONDepth {
		return fmt.Errorf("json: nesting deeper than %d (a cycle?)", maxJSONDepth)
	}
	if !v.IsValid() {
		e.buf.WriteString("null")
		return nil
	}
	t := v.Type()
	// Marshalers first, as encoding/json does (a nil pointer is null).
	if t.Implements(jsonMarshalerType) || t.Implements(textMarshalerType) {
		if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
			e.buf.WriteString("null")
			return nil
		}
		return e.leaf(v.Interface())
	}
	if v.Kind() != reflect.Pointer && v.CanAddr() {
		if pt := reflect.PointerTo(t); pt.Implements(jsonMarshalerType) || pt.Implements(textMarshalerType) {
			return e.leaf(v.Addr().Interface())
		}
	}
	switch v.Kind() {
	case reflect.Float32:
		return e.float(v.Float(), 32)
	case reflect.Float64:
		return e.float(v.Float(), 64)
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			e.buf.WriteString("null")
			return nil
		}
		return e.value(v.Elem(), depth+1)
	case reflect.Struct:
		return e.structValue(v, depth)
	case reflect.Map:
		return e.mapValue(v, depth)
	case reflect.Slice:
		if v.IsNil() {
			e.buf.WriteString("null")
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return e.leaf(v.Bytes()) // base64, as encoding/json
		}
		fallthrough
	case reflect.Array:
		e.buf.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				e.buf.WriteByte(',')
			}
			if err := e.value(v.Index(i), depth+1); err != nil {
				return err
			}
		}
		e.buf.WriteByte(']')
		return nil
	case reflect.Complex64, reflect.Complex128, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return fmt.Errorf("json: unsupported type %s", t)
	default: // bool, integers, strings
		if v.CanInterface() {
			return e.leaf(v.Interface())
		}
		return fmt.Errorf("json: cannot encode unexported value of type %s", t)
	}
}

// jsonField is a struct field to encode.
type jsonField struct {
	name      string
	index     []int
	omitEmpty bool
	omitZero  bool
	quoted    bool
}

// jsonFields lists the fields of struct type t the way encoding/json names
// them: tagged names, embedded structs inlined, a name at a shallower depth
// hiding deeper ones (and two at the same depth hiding each other unless
// exactly one is tagged).
func jsonFields(t reflect.Type) []jsonField {
	type candidate struct {
		jsonField
		depth  int
		tagged bool
	}
	var all []candidate
	var walk func(t reflect.Type, index []int, depth int)
	walk = func(t reflect.Type, index []int, depth int) {
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			ft := sf.Type
			if sf.Anonymous {
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if !sf.IsExported() && ft.Kind() != reflect.Struct {
					continue
				}
				if name == "" && ft.Kind() == reflect.Struct {
					walk(ft, append(slices.Clone(index), i), depth+1)
					continue
				}
			} else if !sf.IsExported() {
				continue
			}
			f := candidate{depth: depth, tagged: name != ""}
			f.name = name
			if f.name == "" {
				f.name = sf.Name
			}
			f.index = append(slices.Clone(index), i)
			for _, o := range strings.Split(opts, ",") {
				switch o {
				case "omitempty":
					f.omitEmpty = true
				case "omitzero":
					f.omitZero = true
				case "string":
					f.quoted = true
				}
			}
			all = append(all, f)
		}
	}
	walk(t, nil, 0)

	// Resolve duplicate names.
	byName := map[string][]int{}
	var order []string
	for i, c := range all {
		if _, ok := byName[c.name]; !ok {
			order = append(order, c.name)
		}
		byName[c.name] = append(byName[c.name], i)
	}
	var out []jsonField
	for _, name := range order {
		idx := byName[name]
		best, depth := -1, math.MaxInt
		for _, i := range idx {
			depth = min(depth, all[i].depth)
		}
		ambiguous := false
		for _, i := range idx {
			c := all[i]
			if c.depth != depth {
				continue
			}
			switch {
			case best < 0:
				best = i
			case all[best].tagged == c.tagged:
				ambiguous = true
			case c.tagged:
				best, ambiguous = i, false
			}
		}
		if !ambiguous {
			out = append(out, all[best].jsonField)
		}
	}
	// Fields in the order of the struct (depth-first index order).
	slices.SortStableFunc(out, func(a, b jsonField) int { return slices.Compare(a.index, b.index) })
	return out
}

// isEmptyValue is encoding/json's notion of empty, for omitempty.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// isZeroValue is encoding/json's notion of zero, for omitzero: an IsZero
// method if there is one, else the zero value.
func isZeroValue(v reflect.Value) bool {
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
			return true
		}
		return z.IsZero()
	}
	return v.IsZero()
}

func (e *jsonEncoder) structValue(v reflect.Value, depth int) error {
	e.buf.WriteByte('{')
	first := true
	for _, f := range jsonFields(v.Type()) {
		fv, ok := fieldByIndex(v, f.index)
		if !ok {
			continue // behind a nil embedded pointer
		}
		if f.omitEmpty && isEmptyValue(fv) || f.omitZero && isZeroValue(fv) {
			continue
		}
		if !first {
			e.buf.WriteByte(',')
		}
		first = false
		if err := e.leaf(f.name); err != nil {
			return err
		}
		e.buf.WriteByte(':')
		if f.quoted && isQuotable(fv) {
			// The ",string" option: encoding/json handles it on the scalar.
			b, err := json.Marshal(fv.Interface())
			if err != nil {
				return err
			}
			if err := e.leaf(string(b)); err != nil {
				return err
			}
			continue
		}
		if err := e.value(fv, depth+1); err != nil {
			return err
		}
	}
	e.buf.WriteByte('}')
	return nil
}

// isQuotable reports whether the ",string" option applies to v.
func isQuotable(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.String:
		return true
	}
	return false
}

// fieldByIndex is reflect.Value.FieldByIndex that reports a nil embedded
// pointer instead of panicking.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

func (e *jsonEncoder) mapValue(v reflect.Value, depth int) error {
	if v.IsNil() {
		e.buf.WriteString("null")
		return nil
	}
	type entry struct {
		key string
		val reflect.Value
	}
	entries := make([]entry, 0, v.Len())
	it := v.MapRange()
	for it.Next() {
		k, err := mapKey(it.Key())
		if err != nil {
			return err
		}
		entries = append(entries, entry{k, it.Value()})
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	e.buf.WriteByte('{')
	for i, en := range entries {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		if err := e.leaf(en.key); err != nil {
			return err
		}
		e.buf.WriteByte(':')
		if err := e.value(en.val, depth+1); err != nil {
			return err
		}
	}
	e.buf.WriteByte('}')
	return nil
}

// mapKey renders a map key as encoding/json does.
func mapKey(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		if k.Kind() == reflect.Pointer && k.IsNil() {
			return "", nil
		}
		b, err := tm.MarshalText()
		return string(b), err
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), nil
	}
	return "", fmt.Errorf("json: unsupported map key type %s", k.Type())
}
