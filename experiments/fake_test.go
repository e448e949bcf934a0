package experiments

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

// fakeRun stands in for model.Run in tests that are about the experiment
// machinery rather than the model. It is deterministic and has the model's
// common-random-numbers structure: a noise term drawn from a stream shared
// by every variant, and a smaller one from a stream named after the pool's
// thread count, which differs between variants that change it.
//
//	arrivals = ExpectedRequests(sc) + round(100 z_common)   (clients only)
//	rate_503 = 0.1 + 0.001·threads + 0.05 z_common + 0.005 z_own
//	ok       = arrivals·(1 − rate_503)
func fakeRun(sc *scenario.Scenario, rep uint64) (model.Metrics, error) {
	common := rand.New(engine.NewSource(sc.Seed, rep, "fake/common"))
	own := rand.New(engine.NewSource(sc.Seed, rep, "fake/own/"+strconv.Itoa(sc.Pool.Threads)))
	zc, zo := common.NormFloat64(), own.NormFloat64()
	var m model.Metrics
	m.Arrivals = float64(int64(model.ExpectedRequests(sc) + 100*zc))
	m.Rate503 = 0.1 + 0.001*float64(sc.Pool.Threads) + 0.05*zc + 0.005*zo
	m.OK = m.Arrivals * (1 - m.Rate503)
	m.WarmupS = sc.Warmup.T().Seconds()
	return m, nil
}

// fakeSim decodes with the real model and runs run instead of the model.
func fakeSim(run func(*scenario.Scenario, uint64) (model.Metrics, error)) simulator {
	return simulator{decode: modelSimulator.decode, run: func(sc *scenario.Scenario, opt model.Options) (model.Metrics, error) { return run(sc, opt.Replication) }}
}

// parseString parses an experiment written in a test, against the scenarios
// in testdata/, with sim.
func parseString(t testing.TB, src string, sim simulator) *Experiment {
	t.Helper()
	e, err := parse("exp.toml", []byte(src), "testdata", sim)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return e
}

// countingRun wraps run, counting the runs started.
func countingRun(n *atomic.Int64, run func(*scenario.Scenario, uint64) (model.Metrics, error)) func(*scenario.Scenario, uint64) (model.Metrics, error) {
	return func(sc *scenario.Scenario, rep uint64) (model.Metrics, error) {
		n.Add(1)
		return run(sc, rep)
	}
}

// cancellingRun is fakeRun that calls cancel when the nth run starts.
func cancellingRun(n int64, cancel context.CancelFunc) func(*scenario.Scenario, uint64) (model.Metrics, error) {
	var started atomic.Int64
	return func(sc *scenario.Scenario, rep uint64) (model.Metrics, error) {
		if started.Add(1) == n {
			cancel()
		}
		return fakeRun(sc, rep)
	}
}

// readDir returns the files of dir by name.
func readDir(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = data
	}
	return out
}

func mustRunTo(t testing.TB, e *Experiment, dir string, opt Options) *Results {
	t.Helper()
	r, err := RunTo(context.Background(), e, dir, opt)
	if err != nil {
		t.Fatalf("RunTo: %v", err)
	}
	return r
}
