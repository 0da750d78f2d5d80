// Package memory bounds the memory a run takes before anything is
// allocated: estimates made of named terms (what a batch holds once, what
// each of its members adds), the memory the machine has left for this
// process (/proc/meminfo's MemAvailable and cgroup v2 or v1 limits), and
// sizes written with units (--max-memory 8GiB).
//
// Byte counts are float64: estimates of absurd configs (10¹² neurons,
// 10¹⁶ analysis bins) must stay ordered and printable rather than wrap
// around as int64 products would.
package memory
