package nest_test

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/snn-gpu/snn-gpu/configs"
	"github.com/snn-gpu/snn-gpu/export/nest"
	"github.com/snn-gpu/snn-gpu/models"
	"github.com/snn-gpu/snn-gpu/spec"
)

var update = flag.Bool("update", false, "rewrite the golden scripts in testdata")

var (
	examplesOnce sync.Once
	examples     map[string][]byte
	examplesErr  error
)

// exampleScripts exports point 0 of every shipped example config (once:
// loading every example takes seconds).
func exampleScripts(t *testing.T) map[string][]byte {
	t.Helper()
	examplesOnce.Do(func() { examples, examplesErr = exportExamples() })
	if examplesErr != nil {
		t.Fatal(examplesErr)
	}
	return examples
}

// notExported are the examples that export refuses, with the reason: the
// decision example's step_rate_generator arrives a min_delay later in NEST.
var notExported = map[string]string{"rate_neuron_dm.toml": "step_rate_generator's timing differs in NEST",
	"urbanczik_single.toml": "is not written yet", "urbanczik.toml": "urbanczik_synapse's export"}

func exportExamples() (map[string][]byte, error) {
	names, err := fs.Glob(configs.Examples, "*.toml")
	if err != nil || len(names) == 0 {
		return nil, fmt.Errorf("examples %q: %v", names, err)
	}
	out := map[string][]byte{}
	for _, name := range names {
		f, err := configs.Load(name, configs.Options{})
		if err != nil {
			return nil, err
		}
		p := f.Points[0]
		base := strings.TrimSuffix(name, ".toml")
		if p.Net.Structural != nil {
			continue // refused (TestStructuralPlasticityRefused)
		}
		script, err := nest.Script(&p.Net, nest.Source{Config: "configs/" + name, ConfigHash: f.Hash, Swept: f.Swept,
			Values: p.Values, Label: p.Label, DefaultOut: "out/" + base + "-nest-point0"})
		if why, ok := notExported[name]; ok {
			if err == nil || !strings.Contains(err.Error(), why) {
				return nil, fmt.Errorf("%s: exported (%v), want the refusal %q", name, err, why)
			}
			continue
		}
		if err != nil && strings.Contains(err.Error(), "NEST has no such model") {
			continue // a NESTML model (ca_adex): no built-in NEST model to export to
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[base] = script
	}
	return out, nil
}

// Every shipped example exports, and its script is the one in testdata
// (go test ./export/nest -update rewrites them after a deliberate change).
func TestExamplesGolden(t *testing.T) {
	for base, script := range exampleScripts(t) {
		path := filepath.Join("testdata", base+".py")
		if *update {
			if err := os.WriteFile(path, script, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v (go test ./export/nest -update writes it)", base, err)
		}
		if string(want) != string(script) {
			t.Errorf("%s: the script differs from %s (go test ./export/nest -update, then review the diff)", base, path)
		}
	}
}

// nestAPI are the names of NEST 3's Python API (nest-simulator.readthedocs.io,
// "PyNEST API": kernel, nodes, connections, simulation, random, spatial,
// math and logic parameters) that scripts may call.
var nestAPI = map[string]bool{
	"ResetKernel": true, "set": true, "Create": true, "Connect": true, "TripartiteConnect": true, "CopyModel": true,
	"Simulate": true, "GetConnections": true, "__version__": true, "num_connections": true, // a kernel attribute
	"random.uniform": true, "random.uniform_int": true, "random.normal": true, "random.lognormal": true,
	"random.exponential": true,
	"spatial.grid":       true, "spatial.free": true, "spatial.distance": true,
	"spatial.distance.x": true, "spatial.distance.y": true, "spatial.distance.z": true,
	"spatial.source_pos.x": true, "spatial.source_pos.y": true, "spatial.source_pos.z": true,
	"spatial.target_pos.x": true, "spatial.target_pos.y": true, "spatial.target_pos.z": true,
	"spatial_distributions.exponential": true, "spatial_distributions.gaussian": true,
	"spatial_distributions.gaussian2D": true, "spatial_distributions.gamma": true,
	"math.exp": true, "math.sin": true, "math.cos": true, "math.min": true, "math.max": true, "math.redraw": true,
	"logic.conditional": true,
}

// The scripts are Python that parses, and every nest.… name they use is
// in NEST 3's documented API.
func TestScriptsUseNESTAPI(t *testing.T) {
	call := regexp.MustCompile(`\bnest\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)`)
	python, _ := exec.LookPath("python3")
	used := map[string]bool{}
	for base, script := range exampleScripts(t) {
		for _, m := range call.FindAllStringSubmatch(string(script), -1) {
			used[m[1]] = true
			if !nestAPI[m[1]] {
				t.Errorf("%s: nest.%s is not in NEST 3's API", base, m[1])
			}
		}
		if python == "" {
			continue
		}
		cmd := exec.Command(python, "-c", "import ast, sys; ast.parse(sys.stdin.read())")
		cmd.Stdin = strings.NewReader(string(script))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: not valid Python: %v\n%s", base, err, out)
		}
	}
	if python == "" {
		t.Log("python3 not found: the scripts' syntax was not checked")
	}
	for _, name := range []string{"Create", "Connect", "Simulate", "random.uniform", "spatial.grid", "TripartiteConnect"} {
		if !used[name] {
			t.Errorf("no example uses nest.%s: the check shows less than it claims", name)
		}
	}
}

// What NEST cannot run is refused with the config path of each offending
// value, all of them at once.
func TestRefusals(t *testing.T) {
	f, err := configs.Load("brunel.toml", configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := f.Points[0].Net
	tests := []struct {
		name   string
		change func(n *spec.Network)
		want   []string
	}{
		{"model only here", func(n *spec.Network) { n.Populations[1].Model = "iaf_psc_delta_gpu" },
			[]string{"population[1].model: iaf_psc_delta_gpu exists only in snn-gpu"}},
		{"log of a random weight", func(n *spec.Network) { n.Connections[2].Syn.Weight = spec.Param("log(random.uniform())") },
			[]string{"connection[2].syn.weight:", "no log of a random or spatial value"}},
		{"modulo", func(n *spec.Network) { n.Connections[0].Syn.Delay = spec.Param("1 + random.uniform_int(4) % 2") },
			[]string{"connection[0].syn.delay:", `no "%"`}},
		{"a draw named like the script's own", func(n *spec.Network) {
			n.Populations[0].Draws = map[string]spec.Value{"lambda": spec.Param("random.uniform()")}
		}, []string{"population[0].draws.lambda: lambda is a Python keyword"}},
		{"a spike_generator period", func(n *spec.Network) {
			p := models.Defaults(models.SpikeGenerator.Params)
			p["spike_period"] = 200
			n.Devices[0] = spec.Device{Name: "sg", Model: "spike_generator", N: 1, Params: p, Lists: map[string][]float64{"spike_times": {1}}}
		}, []string{"device[0].params.spike_period: spike_period = 200: spike_generator's spike_period exists only in snn-gpu"}},
		{"Ca in a multimeter", func(n *spec.Network) {
			n.Recorders = []spec.Recorder{{Name: "ca", Model: "multimeter", Source: n.Populations[0].Name, First: 2, RecordFrom: []string{"V_m", "Ca"}, Interval: 1}}
		}, []string{"recorder[0].record_from: NEST's multimeter does not record Ca"}},
		{"weight_recorder", func(n *spec.Network) {
			n.Connections[2].Syn.Model, n.Connections[2].Syn.Params = "stdp_synapse", map[string]float64{"lambda": 0.01}
			n.Connections[2].Syn.WeightRecorder = &spec.WeightRecorder{Name: "wr"}
		}, []string{"connection[2].syn.weight_recorder: weight_recorder is not exported"}},
		{"two at once", func(n *spec.Network) {
			n.Devices[0].Model = "burst_generator_here"
			n.Connections[3].Rule.Name = "fixed_everything"
		}, []string{"device[0].model: burst_generator_here exists only in snn-gpu", "connection[3].rule: fixed_everything is not one of NEST's rules"}},
	}
	for _, tc := range tests {
		n := base
		n.Populations = append([]spec.Population(nil), base.Populations...)
		n.Devices = append([]spec.Device(nil), base.Devices...)
		n.Connections = append([]spec.Connection(nil), base.Connections...)
		tc.change(&n)
		script, err := nest.Script(&n, nest.Source{Config: "brunel.toml"})
		if err == nil {
			t.Errorf("%s: accepted (%d bytes)", tc.name, len(script))
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tc.name, err, w)
			}
		}
		if script != nil {
			t.Errorf("%s: a script came back with the error", tc.name)
		}
	}
}

// Structural plasticity is not exported: the script would silently run a
// network that never grows a synapse.
func TestStructuralPlasticityRefused(t *testing.T) {
	f, err := configs.Load("structural_plasticity", configs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = nest.Script(&f.Points[0].Net, nest.Source{Config: "configs/structural_plasticity.toml"})
	if err == nil || !strings.Contains(err.Error(), "structural_plasticity: structural plasticity is not exported") {
		t.Errorf("export: %v, want the refusal", err)
	}
}
