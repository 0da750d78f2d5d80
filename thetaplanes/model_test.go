package thetaplanes_test

import (
	"context"
	"math"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/cpu"
	"github.com/snn-gpu/snn-gpu/internal/testnet"
	"github.com/snn-gpu/snn-gpu/network"
	"github.com/snn-gpu/snn-gpu/spec"
	"github.com/snn-gpu/snn-gpu/thetaplanes"
)

// The shipped ThetaPlanes sweep on a coarser grid (every 160 pA; 320 with
// -short), its 2-s stimulus only: the fitted maps reproduce the measured
// rates within the map's stated error, which is small against the rates'
// range (RMS below 2 Hz, every point within 6 Hz: the grid resolves the
// threshold line only to 160 pA, where the wake map jumps by ~30 Hz at
// 0.03 Hz/pA on either side); the wake map has a distal slope (its
// largest over the 960-pA range is above 10 RMS errors), the nrem map none
// (below one RMS error over the range).
func TestThetaPlanesOfTheModel(t *testing.T) {
	step := 160.0
	if testing.Short() {
		step = 320
	}
	f, err := configs.Load("ca_adex_thetaplanes", configs.Options{Sets: []string{"t_sim=2000"}})
	if err != nil {
		t.Fatal(err)
	}
	is, id := -1, -1
	for k, n := range f.Swept {
		switch n {
		case "I_s":
			is = k
		case "I_d":
			id = k
		}
	}
	var idx []int
	var pts []spec.Network
	for _, p := range f.Points {
		if math.Mod(p.Values[is], step) == 0 && math.Mod(p.Values[id], step) == 0 {
			idx = append(idx, p.Index)
			pts = append(pts, p.Net)
		}
	}
	net, err := network.Build(pts, idx, 2)
	if err != nil {
		t.Fatal(err)
	}
	c := &testnet.Collector{}
	if err := (&cpu.Backend{Threads: 2}).Run(context.Background(), net, c, nil); err != nil {
		t.Fatal(err)
	}
	count := map[[2]int]int{} // member, population
	for _, s := range c.Spiked {
		count[[2]int{s.Member, s.Pop}]++
	}
	for pop, state := range []string{"wake", "nrem"} {
		var meas []thetaplanes.Point
		for m, i := range idx {
			v := f.Points[i].Values
			meas = append(meas, thetaplanes.Point{Is: v[is], Id: v[id], Rate: float64(count[[2]int{m, pop}]) / 2})
		}
		fm, err := thetaplanes.Fit(state, meas, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range meas {
			if d := math.Abs(fm.Rate(p.Is, p.Id) - p.Rate); d > fm.Max {
				t.Errorf("%s at I_s %g, I_d %g pA: map %g Hz, measured %g: off by %g, beyond the stated %g", state, p.Is, p.Id, fm.Rate(p.Is, p.Id), p.Rate, d, fm.Max)
			}
		}
		if fm.RMS > 2 || fm.Max > 6 {
			t.Errorf("%s: RMS error %g Hz, largest %g; want below 2 and 6 Hz", state, fm.RMS, fm.Max)
		}
		slope := fm.DistalSlope() * 960
		switch state {
		case "wake":
			if slope < 10*fm.RMS {
				t.Errorf("wake: the distal input moves the rate by at most %g Hz over 960 pA, RMS error %g: no distal slope", slope, fm.RMS)
			}
		case "nrem":
			if slope > fm.RMS {
				t.Errorf("nrem: the distal input moves the rate by %g Hz over 960 pA, RMS error %g: a distal slope", slope, fm.RMS)
			}
		}
		t.Logf("%s: %+v", state, fm)
	}
}
