// Package buildinfo says which build of snn-gpu runs: the version the
// Makefile stamps, the VCS revision and the Go version. run.json and
// `snn-gpu --version` report it.
package buildinfo

import (
	"runtime"
	"runtime/debug"
)

// version and revision are stamped by the Makefile from git describe and
// git rev-parse: -ldflags "-X github.com/snn-gpu/snn-gpu/internal/buildinfo.version=…".
var version, revision string

// Devel is the version of a build that carries no stamp (go build or go
// test without the Makefile, or a tree without git).
const Devel = "(devel)"

// Info describes the running binary.
type Info struct {
	Version   string // the Makefile's stamp, else the module version Go recorded, else Devel
	Revision  string // the Makefile's stamp, else the VCS revision Go recorded; "" if none
	Modified  bool   // built from a tree with uncommitted changes (as Go recorded it)
	GoVersion string
}

// Get returns the running binary's Info.
func Get() Info {
	info := Info{Version: version, Revision: revision, GoVersion: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if info.Version == "" {
			info.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if info.Revision == "" {
					info.Revision = s.Value
				}
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
	}
	if info.Version == "" {
		info.Version = Devel
	}
	return info
}
