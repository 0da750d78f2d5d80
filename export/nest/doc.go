// Package nest writes the resolved network of one point (spec.Network) as
// a PyNEST 3 script that builds and simulates the same network in NEST and
// writes its spikes, multimeter samples and summary as snn-gpu's CSV view
// (spikes.csv, state.csv, summary.csv, with run.json), so that snn-gpu
// compare can set the two runs side by side.
//
// The script is plain, readable Python: one nest.Create per population,
// device and recorder, one nest.Connect per connection statement, random
// and spatial values as nest.random / nest.spatial parameters (package
// param's PyNEST), then the statistics of runtime.py, which follow package
// analysis. It needs NEST 3 and numpy only (Debian's NEST has no pyarrow,
// hence CSV). What NEST cannot express is refused before anything is
// written, naming the config path of the offending value.
package nest
