package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/poolsim/poolsim/engine"
)

// version is poolsim's version. Release builds set it with
// -ldflags "-X main.version=v1.2.3"; otherwise it comes from the module's
// build information (a tagged module version or the VCS revision).
var version = ""

// poolsimVersion returns the version string that results record.
func poolsimVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	return "devel-" + rev + modified
}

// runVersion implements "poolsim version".
func runVersion(c *cli, args []string) int {
	f := newFlagSet("version", `poolsim version

Prints poolsim's version, the Go version it was built with and the scheme
that derives random streams from (seed, replication, name). Results are
reproducible between builds that print the same stream scheme.`)
	if status, ok := f.parseNone(c, args); !ok {
		return status
	}
	fmt.Fprintf(c.stdout, "poolsim %s\n%s %s/%s\nstreams %s\n",
		poolsimVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH, engine.StreamScheme)
	return exitOK
}
