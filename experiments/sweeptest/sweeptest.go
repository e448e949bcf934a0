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

// Scenario is a small scenario for such tests: a pool of four threads
// and a queue of ten, a page class that crashes its worker with
// probability 0.002, Poisson browsers at 12 requests/s, 20 minutes after a
// warm-up of one. Tests that check how it is shown (its comment, its
// aligned keys) rely on its text as it is.
const Scenario = `# A small pool that crashes now and then.
name    = "Small"
horizon = "20m"
warmup  = "1m"
seed    = 3

[pool]
queue_length = 10
threads      = 4

[classes.page]
service = { dist = "exponential", mean = "300ms" }
crash   = 0.002

[clients.browsers]
kind  = "poisson"
rate  = 12.0
class = "page"
`

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
