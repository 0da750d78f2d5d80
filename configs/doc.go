// Package configs loads snn-gpu's TOML configs (through viper), checks
// them and resolves them into spec.Network points, one per sweep point.
//
// A config has the sections [simulation], [vars], [[population]],
// [[device]], [[connection]], [[recorder]], [analysis], [output] and
// [sweep]; docs/configs.md is the reference. Keys are NEST's names and are
// matched without regard to case (viper lowercases them); messages give
// them in NEST's spelling (population[0].params.V_th).
//
// Wherever a number is expected a string may stand: an expression over the
// [vars] (github.com/expr-lang/expr, with abs, ceil, exp, floor, int, log,
// max, min, round, sqrt and the powers ** and ^), optionally followed by a
// unit symbol ("1.5 ms", "-g*J mV"), converted to the parameter's NEST unit
// (package units). Initial values, free-layer positions, weights, delays and
// the rule parameters indegree, outdegree, p and pairwise_avg_num_conns may
// also be NEST parameters, written with package param's names
// ("random.uniform(1, 2) ms", "spatial_distributions.gaussian(spatial.distance,
// std=0.2)") or as distribution tables ({ uniform = [a, b] }); they are stored
// in spec.Value.Expr with the vars inlined and keyword arguments made
// positional. Populations may be spatial (grid or free layers), connections
// may have masks and a third factor (NEST's TripartiteConnect).
//
// Load works in two passes so that every error comes before anything
// runs. The first checks the structure once: sections, keys, names,
// models, types that do not depend on values, var dependencies (cycles are
// refused) and the sweep. The second evaluates every sweep point: vars,
// sizes, layers, parameters with the models' own checks, connection rules
// against the population sizes (network.CheckRule has the last word), masks
// against the layers, delays against dt, recorders. All problems found
// are returned together, one a line, each naming the file, the field and
// what was expected; a problem of some points only is prefixed with the
// point ("point 3 (eta=4, g=6): …"), one of every point is given once.
//
// Sweeps: swept names are [vars] entries or dt, t_sim, seed, sorted
// alphabetically without regard to case (File.Swept, Point.Values). Grid
// points run through every combination with the first name varying
// slowest; zip points take the i-th value of equally long lists; list
// points come as written, each with an optional label. Package sweep
// groups the points into batches.
//
// The resolved networks of different points may share read-only slices
// (the default recorder neuron lists): do not modify them.
package configs
