package configs

import "embed"

// Examples holds the example configs shipped in configs/ (brunel.toml,
// brunel_alpha.toml, brunel_states.toml, connectivity_concepts.toml), so that the binary can
// run them from anywhere:
// Load("brunel") uses the embedded copy when there is no such file.
//
//go:embed *.toml
var Examples embed.FS
