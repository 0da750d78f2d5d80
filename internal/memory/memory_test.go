package memory

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"8GiB", 8 << 30},
		{"8 gib", 8 << 30},
		{"512MiB", 512 << 20},
		{"1.5GB", 1_500_000_000},
		{"2TB", 2e12},
		{"1PiB", 1 << 50},
		{"4096", 4096},
		{" 100 B ", 100},
		{"1e3kB", 1e6},
	} {
		got, err := ParseSize(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"", "GiB", "8 furlongs", "8GiBs", "-1GiB", "0", "0.5", "NaN", "Inf", "1e30", "9EiB", "1,5GB", "0x10", "8 G iB"} {
		if got, err := ParseSize(in); err == nil || !strings.Contains(err.Error(), "expected a size such as 8GiB") {
			t.Errorf("ParseSize(%q) = %d, %v; want an error naming the form", in, got, err)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		b    float64
		want string
	}{
		{512, "0.5 KiB"},
		{3 << 20, "3.0 MiB"},
		{1.25 * (1 << 30), "1.25 GiB"},
		{2 * (1 << 40), "2.00 TiB"},
		{3 * (1 << 50), "3.00 PiB"},
		{1e24, "8.67e+05 EiB"},
		{math.NaN(), "? B"},
		{-5, "0.0 KiB"},
	} {
		if got := Format(c.b); got != c.want {
			t.Errorf("Format(%g) = %q, want %q", c.b, got, c.want)
		}
	}
}

func TestEstimate(t *testing.T) {
	var e Estimate
	e.Add("connectivity", 100, 0)
	e.Add("state", 0, 30)
	e.Add("state", 0, 10) // merged by name
	e.Add("analysis bins", 5, 8)
	if len(e.Terms) != 3 || e.Bytes(0) != 105 || e.PerMember() != 48 || e.Bytes(2) != 105+96 {
		t.Fatalf("terms %+v: bytes(0) %g, per member %g, bytes(2) %g", e.Terms, e.Bytes(0), e.PerMember(), e.Bytes(2))
	}
	if got, want := e.Largest(10, 2), "state 0.4 KiB, connectivity 0.1 KiB"; got != want {
		t.Errorf("Largest(10, 2) = %q, want %q", got, want)
	}
	for _, c := range []struct {
		limit float64
		most  int
		want  int
	}{
		{105 + 48, 100, 1},
		{105 + 48 - 1, 100, 0},
		{105 + 48*7 + 47, 100, 7},
		{1e18, 16, 16},
		{math.NaN(), 16, 0},
	} {
		if got := e.Fit(c.limit, c.most); got != c.want {
			t.Errorf("Fit(%g, %d) = %d, want %d", c.limit, c.most, got, c.want)
		}
	}
	var shared Estimate
	shared.Add("connectivity", 10, 0)
	if got := shared.Fit(10, 64); got != 64 {
		t.Errorf("no per-member bytes: Fit = %d, want the most (64)", got)
	}
	var o Estimate
	o.Merge(e)
	o.Merge(shared)
	if o.Bytes(1) != e.Bytes(1)+10 || len(o.Terms) != 3 {
		t.Errorf("merged %+v", o.Terms)
	}
}

// files is a fake file system for available.
type files map[string]string

func (f files) read(name string) ([]byte, error) {
	s, ok := f[name]
	if !ok {
		return nil, errors.New("no such file")
	}
	return []byte(s), nil
}

func TestAvailable(t *testing.T) {
	meminfo := "MemTotal:       32000000 kB\nMemFree:         1000000 kB\nMemAvailable:   20000000 kB\n"
	unlimited := "Limit                     Soft Limit           Hard Limit           Units\nMax address space         unlimited            unlimited            bytes\n"
	for _, c := range []struct {
		name   string
		fs     files
		want   float64
		source string
	}{
		{"meminfo only", files{"/proc/meminfo": meminfo}, 20000000 * 1024, "MemAvailable"},
		{"cgroup v2 limit below", files{
			"/proc/meminfo": meminfo, "/proc/self/limits": unlimited,
			"/proc/self/cgroup":                            "0::/user.slice/job\n",
			"/sys/fs/cgroup/user.slice/job/memory.max":     "max\n",
			"/sys/fs/cgroup/user.slice/job/memory.current": "100\n",
			"/sys/fs/cgroup/user.slice/memory.max":         "4294967296\n",
			"/sys/fs/cgroup/user.slice/memory.current":     "1073741824\n",
		}, 3 << 30, "cgroup /sys/fs/cgroup/user.slice/memory.max"},
		{"cgroup v2 limit above", files{
			"/proc/meminfo":                 meminfo,
			"/proc/self/cgroup":             "0::/\n",
			"/sys/fs/cgroup/memory.max":     "1099511627776\n",
			"/sys/fs/cgroup/memory.current": "0\n",
		}, 20000000 * 1024, "MemAvailable"},
		{"cgroup v1, namespaced path absent", files{
			"/proc/meminfo":     meminfo,
			"/proc/self/cgroup": "9:name=systemd:/\n4:memory:/process_api/abc\n0::/\n",
			"/sys/fs/cgroup/memory/memory.limit_in_bytes": "2147483648\n",
			"/sys/fs/cgroup/memory/memory.usage_in_bytes": "1073741824\n",
		}, 1 << 30, "cgroup /sys/fs/cgroup/memory/memory.limit_in_bytes"},
		{"cgroup v1 unlimited", files{
			"/proc/meminfo":     meminfo,
			"/proc/self/cgroup": "4:cpu,memory:/a\n",
			"/sys/fs/cgroup/memory/a/memory.limit_in_bytes": "9223372036854771712\n",
			"/sys/fs/cgroup/memory/a/memory.usage_in_bytes": "1073741824\n",
		}, 20000000 * 1024, "MemAvailable"},
		{"ulimit -v", files{
			"/proc/meminfo":     meminfo,
			"/proc/self/limits": "Max address space         4096000000           4096000000           bytes\n",
			"/proc/self/status": "VmSize:\t  1000000 kB\nVmRSS:\t 20000 kB\n",
		}, 4096000000 - 1000000*1024, "ulimit -v"},
		{"over the limit already", files{
			"/proc/self/cgroup":             "0::/\n",
			"/sys/fs/cgroup/memory.max":     "100\n",
			"/sys/fs/cgroup/memory.current": "200\n",
		}, 0, "cgroup"},
	} {
		got, ok := available(c.fs.read)
		if !ok || got.Bytes != c.want || !strings.Contains(got.Source, c.source) {
			t.Errorf("%s: %+v, %v; want %g from %s", c.name, got, ok, c.want, c.source)
		}
	}
	if got, ok := available(files{}.read); ok {
		t.Errorf("nothing readable: %+v, want not ok", got)
	}
}

// The process's own figures are readable here (Linux) and ordered.
func TestResident(t *testing.T) {
	if Resident() == 0 {
		t.Skip("no /proc/self/status")
	}
	if err := ResetPeak(); err != nil {
		t.Skip(err)
	}
	buf := make([]byte, 64<<20)
	for i := range buf {
		buf[i] = 1
	}
	if now, peak := Resident(), PeakResident(); !(now >= 64<<20 && peak >= now) {
		t.Errorf("after touching 64 MiB: resident %s, peak %s", Format(now), Format(peak))
	}
	_ = buf[len(buf)-1]
}
