package configs_test

import (
	"fmt"

	"github.com/snn-gpu/snn-gpu/configs"
)

// Load the embedded brunel example and read back what its expressions gave.
func ExampleLoad() {
	f, err := configs.Load("brunel", configs.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := f.Points[0]
	ee := p.Net.Connections[2] // E -> E
	fmt.Println("CE =", p.Vars["CE"], "=", ee.Rule.Name, ee.Rule.Params["indegree"].Const)
	fmt.Println("p_rate =", p.Net.Devices[0].Params["rate"], "Hz")
	fmt.Println("J_in =", p.Vars["J_in"], "mV")
	// Output:
	// CE = 1000 = fixed_indegree 1000
	// p_rate = 20000 Hz
	// J_in = -0.5 mV
}

// A sweep point can be overridden from the command line: --set g=6.
func ExampleOptions() {
	f, err := configs.Load("brunel", configs.Options{Sets: []string{"g=6", "t_sim=2 s"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	n := f.Points[0].Net
	fmt.Println(n.Connections[4].Syn.Weight.Const, n.Simulation.TSim)
	// Output: -0.6000000000000001 2000
}

// Random and spatial parameters are stored as NEST's expressions, with the
// vars replaced by their values and keyword arguments made positional.
func ExampleLoad_parameters() {
	f, err := configs.Load("connectivity_concepts", configs.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range f.Points[0].Net.Connections {
		if c.Source == "G" && c.Target == "G" {
			fmt.Println("mask:", c.Mask.Shape, c.Mask.Radius)
			fmt.Println("p:", c.Rule.Params["p"].Expr)
			fmt.Println("weight:", c.Syn.Weight.Expr)
			fmt.Println("delay:", c.Syn.Delay.Expr)
		}
	}
	// Output:
	// mask: circular 0.3
	// p: spatial_distributions.gaussian(spatial.distance, 0, 0.1)
	// weight: 0.1*spatial_distributions.exponential(spatial.distance, 0.2)
	// delay: 1 + 5*spatial.distance
}
