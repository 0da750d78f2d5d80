package memory

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// units are the size units ParseSize accepts: SI and IEC prefixes of bytes.
var units = []struct {
	name  string
	bytes float64
}{
	{"B", 1},
	{"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"PB", 1e15},
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"PiB", 1 << 50},
}

// ParseSize reads a size such as "8GiB", "512 MiB", "1.5GB" or "4096"
// (bytes). Units are matched without regard to case; the size must be
// positive and fit in an int64.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	num := strings.TrimRight(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
	unit := strings.TrimSpace(t[len(num):])
	num = strings.TrimSpace(num)
	scale := 1.0
	if unit != "" {
		scale = 0
		for _, u := range units {
			if strings.EqualFold(unit, u.name) {
				scale = u.bytes
			}
		}
	}
	x, err := strconv.ParseFloat(num, 64)
	bytes := x * scale
	if err != nil || scale == 0 || !(bytes >= 1) || bytes >= math.MaxInt64 {
		return 0, fmt.Errorf("%q: expected a size such as 8GiB, 512MiB or 2GB (units B, kB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB), at least 1 byte", s)
	}
	return int64(bytes), nil
}

// Format writes a byte count with an IEC unit: "1.25 GiB", "3.0 MiB".
func Format(b float64) string {
	switch {
	case math.IsNaN(b):
		return "? B"
	case b >= 1<<60:
		return fmt.Sprintf("%.3g EiB", b/(1<<60))
	case b >= 1<<50:
		return fmt.Sprintf("%.2f PiB", b/(1<<50))
	case b >= 1<<40:
		return fmt.Sprintf("%.2f TiB", b/(1<<40))
	case b >= 1<<30:
		return fmt.Sprintf("%.2f GiB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	}
	return fmt.Sprintf("%.1f KiB", math.Max(b, 0)/(1<<10))
}
