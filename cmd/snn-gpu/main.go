// Command snn-gpu runs NEST-style spiking network models and parameter
// sweeps in batches, on a GPU (built with -tags cuda) or on all CPU cores.
//
//	snn-gpu sweep configs/brunel_states.toml
//	snn-gpu run configs/brunel.toml --set g=6 --out out/g6
//	snn-gpu models iaf_psc_delta
package main

import (
	"os"

	"github.com/snn-gpu/snn-gpu/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr)) }
