package memory

import (
	"bufio"
	"bytes"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Limit is how much more memory the process may take, and what says so.
type Limit struct {
	Bytes  float64
	Source string // "MemAvailable", "cgroup memory.max of /a/b", "--max-memory"
}

// Available returns the memory the machine has left for this process: the
// least of /proc/meminfo's MemAvailable; where the process's cgroup (or
// one above it) has a memory limit, that limit less the cgroup's usage;
// and where the address space is limited (ulimit -v), that limit less the
// process's virtual size. ok is false where none can be read (not Linux).
func Available() (Limit, bool) { return available(os.ReadFile) }

// available is Available over a file reader, for tests.
func available(read func(string) ([]byte, error)) (Limit, bool) {
	var best Limit
	ok := false
	consider := func(bytes float64, source string) {
		if !ok || bytes < best.Bytes {
			best, ok = Limit{Bytes: max(bytes, 0), Source: source}, true
		}
	}
	if b, err := read("/proc/meminfo"); err == nil {
		if kb, found := meminfo(b, "MemAvailable"); found {
			consider(kb*1024, "MemAvailable in /proc/meminfo")
		}
	}
	if b, err := read("/proc/self/limits"); err == nil {
		if lim, found := addressLimit(b); found {
			st, _ := read("/proc/self/status")
			size, _ := meminfo(st, "VmSize")
			consider(lim-size*1024, "ulimit -v (Max address space in /proc/self/limits)")
		}
	}
	cg, err := read("/proc/self/cgroup")
	if err != nil {
		return best, ok
	}
	for _, line := range strings.Split(string(cg), "\n") {
		// hierarchy-ID:controllers:path; v2 is "0::path", v1 lists "memory".
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			continue
		}
		switch {
		case f[0] == "0" && f[1] == "":
			walk(read, "/sys/fs/cgroup", f[2], "memory.max", "memory.current", consider)
		case slices.Contains(strings.Split(f[1], ","), "memory"):
			walk(read, "/sys/fs/cgroup/memory", f[2], "memory.limit_in_bytes", "memory.usage_in_bytes", consider)
		}
	}
	return best, ok
}

// walk visits the cgroup at dir (relative to the mount root) and every one
// above it, and considers limit − usage wherever a limit is set. In a
// container the path may name the host's hierarchy, absent from its mount;
// then only the levels that exist count (the mount root is the container's
// own cgroup).
func walk(read func(string) ([]byte, error), root, dir, limitFile, usageFile string, consider func(float64, string)) {
	for d := path.Clean("/" + dir); ; d = path.Dir(d) {
		full := path.Join(root, d)
		if lim, ok := number(read, path.Join(full, limitFile)); ok {
			if use, ok := number(read, path.Join(full, usageFile)); ok {
				consider(lim-use, "cgroup "+path.Join(full, limitFile))
			}
		}
		if d == "/" {
			return
		}
	}
}

// noLimit is where cgroup v1 reports "unlimited" (a page-rounded
// MaxInt64); anything this large is no limit.
const noLimit = 1 << 62

// number reads a cgroup file holding one number ("max": no limit).
func number(read func(string) ([]byte, error), file string) (float64, bool) {
	b, err := read(file)
	if err != nil {
		return 0, false
	}
	x, err := strconv.ParseFloat(string(bytes.TrimSpace(b)), 64)
	if err != nil || x >= noLimit {
		return 0, false
	}
	return x, true
}

// addressLimit returns the soft limit of the address space from
// /proc/self/limits, found false when there is none.
func addressLimit(b []byte) (float64, bool) {
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "Max address space"); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				return 0, false
			}
			x, err := strconv.ParseFloat(f[0], 64) // "unlimited" fails
			return x, err == nil
		}
	}
	return 0, false
}

// Resident returns the process's resident memory now (VmRSS), 0 where it
// cannot be read.
func Resident() float64 { return status("VmRSS") }

// PeakResident returns the most resident memory the process has had
// (VmHWM), 0 where it cannot be read.
func PeakResident() float64 { return status("VmHWM") }

// ResetPeak makes the peak resident memory the current one (Linux's
// clear_refs), so that PeakResident measures what follows.
func ResetPeak() error { return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func status(field string) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	kb, _ := meminfo(b, field)
	return kb * 1024
}

// meminfo returns the value (kB) of a field of /proc/meminfo or
// /proc/self/status.
func meminfo(b []byte, field string) (float64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, rest, found := strings.Cut(sc.Text(), ":")
		if !found || name != field {
			continue
		}
		x, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
		return x, err == nil
	}
	return 0, false
}
