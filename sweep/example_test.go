package sweep_test

import (
	"fmt"
	"strings"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/sweep"
)

// The four Brunel states differ only in a weight and the drive rate, so
// they share one network and run as one batch (or two, with at most 2 per batch).
func ExampleBatches() {
	f, err := configs.Load("brunel_states", configs.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, max := range []int{0, 2} {
		var line []string
		for _, b := range sweep.Batches(f.Points, max) {
			var labels []string
			for _, p := range b {
				labels = append(labels, p.Label)
			}
			line = append(line, "["+strings.Join(labels, " ")+"]")
		}
		fmt.Println(strings.Join(line, " "))
	}
	// Output:
	// [A B C D]
	// [A B] [C D]
}
