package output

import (
	"encoding/json"
	"fmt"
)

// WriteJSON writes v to path as indented JSON (encoding/json), atomically:
// to a temporary file in the same folder, synced, then renamed over path.
// Values that may be infinite or NaN must encode themselves (spec.Float
// and the spec types that hold parameters do): encoding/json refuses a
// non-finite float64, and then path is left as it was.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return writeFileAtomic(path, append(b, '\n'))
}
