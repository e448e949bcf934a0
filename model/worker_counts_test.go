package model

import (
	"testing"

	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model/scenario"
)

// TestWorkerCountsAreTheRecounts checks that the counts two rules use are
// kept right as workers change: maybeStart's workers counting towards
// max_processes (docs/model.md#start: overlapped replacements and workers
// drained by a stop do not count) and the availability rule's workers that
// can take queued work (docs/model.md#availability: serving, with a thread
// not hung). Each equals a recount of the live workers. Every shipped
// scenario and story is run to several horizons, so that runs end amid
// starts, recycles, overlaps, hangs, crashes, stops, reloads and thread
// injections.
func TestWorkerCountsAreTheRecounts(t *testing.T) {
	var scs []*scenario.Scenario
	var names []string
	for _, name := range catalog.Names() {
		data, _ := catalog.Scenario(name)
		scs = append(scs, decodeText(t, string(data)))
		names = append(names, name)
	}
	// Hung requests ended by the execution limit in a worker that serves on.
	data, _ := catalog.Scenario("hung-requests")
	scs = append(scs, decodeText(t, string(data), `pool.execution_timeout="60s"`, "pool.threads=2", "classes.page.hang=0.01"))
	names = append(names, "hung-requests, 2 threads, execution_timeout 60s")
	for _, name := range storyNames(t) {
		scs = append(scs, decodeStory(t, name))
		names = append(names, name)
	}
	for i, sc := range scs {
		full := sc.Horizon
		for _, part := range []scenario.Duration{full / 7, full / 3, full / 2, full} {
			sc.Horizon = part
			w, err := newWorld(sc, Options{}, 0)
			if err != nil {
				t.Fatalf("%s: %v", names[i], err)
			}
			if _, err := w.run(); err != nil {
				t.Fatalf("%s to %v: %v", names[i], part.T(), err)
			}
			if n, _ := w.counted(); w.countingWorkers != n {
				t.Errorf("%s to %v: counting %d workers, the recount finds %d", names[i], part.T(), w.countingWorkers, n)
			}
			takers := 0
			for _, wk := range w.workers {
				if wk.state.serving() && wk.hung < wk.threads {
					takers++
				}
			}
			if w.takers != takers {
				t.Errorf("%s to %v: %d workers can take queued work, the recount finds %d", names[i], part.T(), w.takers, takers)
			}
		}
		sc.Horizon = full
	}
}
