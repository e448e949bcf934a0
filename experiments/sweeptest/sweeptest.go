// Package sweeptest runs a small sweep for the tests of the packages that
// read sweeps (reports, notebooks): it writes a scenario and an experiment
// that names it into a fresh directory and runs the experiment there.
package sweeptest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/poolsim/poolsim/experiments"
)

// Run writes scenario as small.toml and experiment as exp.toml (which
// names "small.toml") into a fresh directory, runs the experiment into its
// subdirectory out with two runs at a time, and returns that directory and
// the results. Any error fails the test.
func Run(t testing.TB, scenario, experiment string) (string, *experiments.Results) {
	t.Helper()
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "small.toml"), []byte(scenario), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := experiments.Parse(filepath.Join(src, "exp.toml"), []byte(experiment), src)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(src, "out")
	res, err := experiments.RunTo(context.Background(), e, out, experiments.Options{Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	return out, res
}
