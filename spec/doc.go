// Package spec is the fully resolved description of one simulation point:
// every expression evaluated, every default applied, every name checked.
// configs produces it from TOML, network builds from it; run.json stores it
// so that a run can be repeated exactly.
package spec
