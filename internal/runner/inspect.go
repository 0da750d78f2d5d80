package runner

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/internal/memory"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/output"
	"github.com/snn-gpu/snn-gpu/spec"
)

// InspectOptions are the choices of snn-gpu inspect.
type InspectOptions struct {
	Point   int    // which point's network (they share it unless the seed or structure is swept)
	OutDir  string // "" prints only; else connectivity.parquet (and edges.parquet) go there
	Edges   bool   // also write every synapse
	Threads int
	// MaxMemory, when > 0, caps the memory inspect may take (bytes).
	MaxMemory int64
}

// Inspect builds the network of one point and describes every projection:
// synapses, degrees (mean, spread, histogram), autapses, multapses, weights,
// delays and memory.
func Inspect(w io.Writer, f *configs.File, opt InspectOptions) error {
	if err := checkPoint(f, opt.Point); err != nil {
		return err
	}
	pt := f.Points[opt.Point]
	mc, err := estimateMemory(f, []configs.Point{pt}, opt.Threads, opt.MaxMemory, inspectMemory)
	if err != nil {
		return err
	}
	plan, err := mc.decide(f, 1, 1, true)
	if err != nil {
		return err
	}
	defer holdGC(plan.limit)()
	plan.report(w, 1)
	start := time.Now()
	net, err := buildNetwork(f.Points[opt.Point:opt.Point+1], opt.Threads)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	build := time.Since(start)
	var total, bytes int64
	for _, pr := range net.Projections {
		if pr.Twin() {
			continue
		}
		total += pr.Synapses()
		bytes += pr.Bytes()
	}
	fmt.Fprintf(w, "%s, point %d (seed %d): %d populations, %d projections, %s synapses, %s of connectivity, built in %.2f s\n\n",
		f.Path, opt.Point, net.Seed, len(net.Pops), len(net.Projections), group(total), mib(bytes), build.Seconds())
	var rows []output.ConnectivityRow
	for _, pr := range net.Projections {
		st := net.Stats(pr, 0)
		bps := 0.0
		if st.Synapses > 0 {
			bps = float64(st.Bytes) / float64(st.Synapses)
		}
		fmt.Fprintf(w, "%s  %s  %s synapses  %.1f B/synapse (%s)  built in %.2f s\n",
			pr.Name, pr.Rule, group(st.Synapses), bps, mib(st.Bytes), pr.BuildSeconds)
		fmt.Fprintf(w, "  in-degree   %s\n  out-degree  %s\n", describeDegrees(st.In), describeDegrees(st.Out))
		fmt.Fprintf(w, "  autapses %d  multapses %d", st.Autapses, st.Multapses)
		if st.Synapses > 0 {
			fmt.Fprintf(w, " (%.2f %%)", 100*float64(st.Multapses)/float64(st.Synapses))
		}
		fmt.Fprintf(w, "\n  weight      %s\n  delay       %s\n\n",
			describe(st.Weight, "", pr.Weights == nil), describe(st.Delay, " ms", pr.Delays == nil))
		rows = append(rows, output.ConnectivityRow{
			Projection: pr.Name, Source: endpoint(net, pr.Source), Target: net.Pops[pr.Target].Name, Rule: pr.Rule,
			Synapses: st.Synapses, Autapses: st.Autapses, Multapses: st.Multapses, WeightUnit: weightUnit(net, pr),
			IndegreeMean: st.In.Mean, IndegreeSD: st.In.SD, OutdegreeMean: st.Out.Mean, OutdegreeSD: st.Out.SD,
			BuildS: pr.BuildSeconds, BytesPerSynapse: bps,
		})
	}
	if opt.OutDir == "" {
		return nil
	}
	if err := os.MkdirAll(opt.OutDir, 0o755); err != nil {
		return err
	}
	in := output.Inspection{Hash: f.Hash, Seed: net.Seed, Point: opt.Point, Dt: net.Dt}
	if err := output.WriteConnectivity(filepath.Join(opt.OutDir, "connectivity.parquet"), rows, f.Output.Compression, in); err != nil {
		return err
	}
	if opt.Edges {
		if err := writeEdges(filepath.Join(opt.OutDir, "edges.parquet"), net, net.Projections, 0, f.Output.Compression, in); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "written to %s\n", opt.OutDir)
	return nil
}

// inspectMemory adds what inspect holds beyond the network: the degrees
// of one projection at a time and their histograms.
func inspectMemory(sh *network.Shape, _ *spec.Network, e *memory.Estimate) {
	var most float64
	for _, pr := range sh.Projections {
		most = max(most, float64(pr.Rows)+pr.MaxRow)
	}
	e.Add("degree statistics", 2*8*most, 0)
}

// weightUnit is the unit of a projection's weights: the target's spike
// input, or "1" for the factors on a current generator's output.
func weightUnit(net *network.Network, pr *network.Projection) string {
	if pr.Source.Device && net.Devices[pr.Source.Index].Model.Output == models.CurrentOutput {
		return "1"
	}
	tgt := net.Pops[pr.Target]
	if u := tgt.Model.Ports[pr.Port].WeightUnit; u != "" {
		return u
	}
	return tgt.Model.WeightUnit(tgt.Params[0])
}

// writeEdges writes the synapses of projections prs, batch member m's, as
// edges.parquet.
func writeEdges(path string, net *network.Network, prs []*network.Projection, m int, compression string, in output.Inspection) error {
	var rows []output.ConnectivityRow
	for _, pr := range prs {
		rows = append(rows, output.ConnectivityRow{Projection: pr.Name, WeightUnit: weightUnit(net, pr)})
	}
	ew, err := output.CreateEdges(path, compression, in, rows)
	if err != nil {
		return err
	}
	for k, pr := range prs {
		c := pr.Of(m)
		for s := 0; s+1 < len(c.Offsets); s++ {
			for j := c.Offsets[s]; j < c.Offsets[s+1]; j++ {
				w, d := pr.Weight[m], pr.Delay
				if c.Weights != nil {
					w *= c.Weights[j]
				}
				if c.Delays != nil {
					d = int(c.Delays[j])
				}
				if err := ew.Add(k, int32(s), int32(c.Targets[j]), w, int64(d)); err != nil {
					ew.Abort()
					return err
				}
			}
		}
	}
	return ew.Close()
}

func endpoint(net *network.Network, e network.Endpoint) string {
	if e.Device {
		return net.Devices[e.Index].Name
	}
	return net.Pops[e.Index].Name
}

func describeDegrees(d network.Degrees) string {
	return fmt.Sprintf("mean %.2f  sd %.2f  [%d, %d]  %s", d.Mean, d.SD, d.Min, d.Max, sparkline(d.Hist, 24))
}

// describe summarises weights or delays, to float32 precision (they are
// stored as float32).
func describe(s network.Summary, unit string, constant bool) string {
	if constant || s.Min == s.Max {
		return fmt.Sprintf("%.6g%s (constant)", s.Mean, unit)
	}
	return fmt.Sprintf("mean %.4g%s  sd %.4g  [%.6g, %.6g]", s.Mean, unit, s.SD, s.Min, s.Max)
}

// sparkline draws a histogram in at most width block characters.
func sparkline(h []int64, width int) string {
	if len(h) <= 1 {
		return ""
	}
	bins := make([]int64, min(width, len(h)))
	for i, c := range h {
		bins[i*len(bins)/len(h)] += c
	}
	var top int64
	for _, c := range bins {
		top = max(top, c)
	}
	const blocks = " ▁▂▃▄▅▆▇█"
	r := []rune(blocks)
	var b strings.Builder
	for _, c := range bins {
		b.WriteRune(r[(c*int64(len(r)-1)+top-1)/top])
	}
	return b.String()
}

// group writes n with thousands separators.
func group(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
