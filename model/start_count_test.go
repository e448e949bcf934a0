package model

import (
	"testing"

	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model/scenario"
)

// TestCountingWorkersIsTheRecount checks the rule maybeStart applies
// (docs/model.md#start: workers start on demand up to max_processes, which
// overlapped replacements and workers drained by a stop do not count
// towards): the count it keeps as workers change state equals a recount of
// the live workers by lifeState.countsTowardMax. Every shipped scenario and
// story is run to several horizons, so that runs end amid starts,
// recycles, overlaps, crashes, stops and reloads.
func TestCountingWorkersIsTheRecount(t *testing.T) {
	var scs []*scenario.Scenario
	var names []string
	for _, name := range catalog.Names() {
		data, _ := catalog.Scenario(name)
		scs = append(scs, decodeText(t, string(data)))
		names = append(names, name)
	}
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
		}
		sc.Horizon = full
	}
}
