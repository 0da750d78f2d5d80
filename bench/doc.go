// Package bench holds the benchmarks of snn-gpu and the scripts that run the
// same networks in other simulators (Brian2) side by side. Results and the
// commands that produced them are in RESULTS.md.
//
//	go test -run XXX -bench . -benchtime 1x ./bench/   # the Brunel network
//	bench/compare_brian2.sh                             # the same network in Brian2
package bench
