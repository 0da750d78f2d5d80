// Package parallel runs loops over items on a fixed set of worker
// goroutines. Results never depend on the number of workers: callers split
// work into items whose outcome is independent of which worker ran them.
package parallel
