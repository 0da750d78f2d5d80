package output_test

import (
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/snn-gpu/snn-gpu/output"
	"github.com/snn-gpu/snn-gpu/spec"
)

// A sweep over g with two points, run as one batch; the folder is then
// merged into its final tables.
func ExampleOpen() {
	dir, err := os.MkdirTemp("", "snn-out")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	d, err := output.Open(dir, "c0ffee", []string{"g"}, output.Options{Compression: "zstd", Spikes: true})
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close() // the folder is this run's until then
	points := []int{0, 1}
	layout := output.Layout{Dt: 0.1, TSim: 100, TStart: 10, BinMs: 1, Seed: 12, Recorders: []output.Recorder{
		{Name: "spike_recorder-0", Population: "E", Model: output.SpikeRecorder, Neurons: output.Neurons{0, 1, 2, 3}, Stop: 1000},
	}}
	if !d.Done(0) { // a resumed run skips the points already done
		b, err := d.NewBatch(points, layout)
		if err != nil {
			log.Fatal(err)
		}
		defer b.Abort() // drops the batch unless it was committed
		for _, p := range points {
			b.AddSpike(p, 0, 3, 125) // recorder 0 saw neuron 3 spike at step 125 (12.5 ms)
			b.AddSpike(p, 0, 0, 201)
			b.AddSummary(output.SummaryRow{Point: p, Values: []float64{4 + float64(p)}, Population: "E", N: 10,
				RateHz: 2, CVISI: math.NaN(), Fano: 1, PeakHz: math.NaN(), Backend: "cpu"})
		}
		if err := b.Commit(); err != nil {
			log.Fatal(err)
		}
	}
	if err := d.Finish(map[string]any{"t_sim": 100.0, "stop": spec.Float(math.Inf(1))}); err != nil {
		log.Fatal(err)
	}

	swept, rows, err := output.ReadSummary(filepath.Join(dir, "summary.parquet"))
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rows {
		fmt.Printf("point %d %s=%g %s: %g Hz\n", r.Point, swept[0], r.Values[0], r.Population, r.RateHz)
	}
	spikes, _ := output.ReadSpikes(filepath.Join(dir, "spikes.parquet"))
	fmt.Println(len(spikes), "spikes; first:", spikes[0])
	run, _ := os.ReadFile(filepath.Join(dir, "run.json"))
	fmt.Print(string(run))
	// Output:
	// point 0 g=4 E: 2 Hz
	// point 1 g=5 E: 2 Hz
	// 4 spikes; first: {0 E spike_recorder-0 3 12.5 125}
	// {
	//   "stop": "Infinity",
	//   "t_sim": 100
	// }
}
