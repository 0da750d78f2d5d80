// Package cli is the snn-gpu command line: flag parsing and calls into the
// runner, nothing else.
package cli
