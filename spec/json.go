package spec

import (
	"encoding/json"
	"fmt"
	"math"
)

// Float is a float64 that encodes to JSON even when it is not finite:
// +Inf, -Inf and NaN become the strings "Infinity", "-Infinity" and "NaN"
// (the spellings of JavaScript and of Python's json module), where
// encoding/json refuses them. Parameters take infinite values (V_min =
// -inf, a device's or recorder's stop = +inf) and run.json holds them.
type Float float64

// MarshalJSON writes a finite value as encoding/json does.
func (f Float) MarshalJSON() ([]byte, error) {
	x := float64(f)
	switch {
	case math.IsNaN(x):
		return []byte(`"NaN"`), nil
	case math.IsInf(x, 1):
		return []byte(`"Infinity"`), nil
	case math.IsInf(x, -1):
		return []byte(`"-Infinity"`), nil
	}
	return json.Marshal(x)
}

// UnmarshalJSON reads a number or one of the three strings; null (no
// value) reads as NaN.
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		switch s {
		case "NaN":
			*f = Float(math.NaN())
		case "Infinity":
			*f = Float(math.Inf(1))
		case "-Infinity":
			*f = Float(math.Inf(-1))
		default:
			return fmt.Errorf("spec: %q is not a number (nor NaN, Infinity, -Infinity)", s)
		}
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*f = Float(x)
	return nil
}

// The types below hold the values that may be infinite: parameters and a
// recorder's window. Their JSON methods encode the plain struct (a type
// without the methods) with those fields shadowed by Float ones of the
// same JSON name; the other fields are encoding/json's as usual.

// floats and plain convert parameter maps (nil stays nil).
func floats(m map[string]float64) map[string]Float {
	if m == nil {
		return nil
	}
	out := make(map[string]Float, len(m))
	for k, v := range m {
		out[k] = Float(v)
	}
	return out
}

func plain(m map[string]Float) map[string]float64 {
	if m == nil {
		return nil
	}
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = float64(v)
	}
	return out
}

func (p Population) MarshalJSON() ([]byte, error) {
	type fields Population
	return json.Marshal(struct {
		fields
		Params map[string]Float `json:"params"`
	}{fields(p), floats(p.Params)})
}

func (p *Population) UnmarshalJSON(b []byte) error {
	type fields Population
	v := struct {
		*fields
		Params map[string]Float `json:"params"`
	}{fields: (*fields)(p)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	p.Params = plain(v.Params)
	return nil
}

func (d Device) MarshalJSON() ([]byte, error) {
	type fields Device
	return json.Marshal(struct {
		fields
		Params map[string]Float `json:"params"`
	}{fields(d), floats(d.Params)})
}

func (d *Device) UnmarshalJSON(b []byte) error {
	type fields Device
	v := struct {
		*fields
		Params map[string]Float `json:"params"`
	}{fields: (*fields)(d)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	d.Params = plain(v.Params)
	return nil
}

func (r Recorder) MarshalJSON() ([]byte, error) {
	type fields Recorder
	return json.Marshal(struct {
		fields
		Start Float `json:"start"`
		Stop  Float `json:"stop"`
	}{fields(r), Float(r.Start), Float(r.Stop)})
}

func (r *Recorder) UnmarshalJSON(b []byte) error {
	type fields Recorder
	v := struct {
		*fields
		Start Float `json:"start"`
		Stop  Float `json:"stop"`
	}{fields: (*fields)(r)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	r.Start, r.Stop = float64(v.Start), float64(v.Stop)
	return nil
}
