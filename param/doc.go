// Package param compiles NEST's parameter objects, written as expressions,
// into fast evaluators: the values of weights, delays, degrees,
// probabilities, positions and initial states that may be random, depend on
// space, or both.
//
// The names are NEST's (PyNEST without the "nest." prefix):
//
//	random.uniform(min=0, max=1)   random.uniform_int(max)   random.normal(mean=0, std=1)
//	random.lognormal(mean=0, std=1)   random.exponential(beta=1)
//	spatial.distance   spatial.distance.x|y|z   spatial.source_pos.x|y|z   spatial.target_pos.x|y|z
//	spatial_distributions.exponential(x, beta=1)   spatial_distributions.gaussian(x, mean=0, std=1)
//	spatial_distributions.gaussian2D(x, y, mean_x=0, mean_y=0, std_x=1, std_y=1, rho=0)
//	spatial_distributions.gamma(x, kappa=1, theta=1)
//	math.exp(parameter) math.sin(parameter) math.cos(parameter)
//	math.min(parameter, value) math.max(parameter, value) math.redraw(parameter, min, max)
//	logic.conditional(condition, param_if_true, param_if_false)
//
// plus + - * / % ** (or ^), comparisons (true is 1), and, or, not, c ? a : b,
// and the plain functions exp, log, sqrt, abs, sin, cos, pow, min, max,
// floor, ceil, round. Arguments are positional, in NEST's order, or, for
// the functions above, keywords with PyNEST's names after the positional
// ones: spatial_distributions.gaussian(spatial.distance, std=0.2). Arguments
// left out take NEST's defaults; an unknown keyword, an argument given twice
// or a required one missing is an error (a NameError for unknown names).
// Other identifiers are constants supplied at compile time (a config's
// [vars]); Inline writes them into the text as numbers, with the keyword
// arguments made positional, so that the text compiles alone. Compile may
// also be given variables: names whose values change from one evaluation
// to the next (Env.Vars), such as a population's draws, one set per neuron
// (c = "-65 + 15*r**2"); Inline keeps them by name.
//
// Random draws happen in evaluation order (left to right) from the stream
// the caller passes, so a value is a pure function of its stream: the same
// network comes out for any thread count and on any backend.
package param
