package model

import (
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// TestFailedOverlapRecyclesAgain: when an overlapped recycle's replacement
// is killed at its startup limit, the old worker keeps serving and is
// recycled again an age later, rather than never again.
func TestFailedOverlapRecyclesAgain(t *testing.T) {
	res, err := Run(failingStarts(24*engine.Hour), Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Metrics
	checkConservation(t, m)
	// Each attempt is a recycle after 10 min of age plus, when it fails, a
	// 90 s kill: about 144 recycle decisions in a day, half of them failing
	// to start. Stopping after the first failed overlap would leave a few.
	t.Logf("recycles %v, startup kills %v, worker starts %v", m.Recycles, m.StartupKills, m.WorkerStarts)
	if m.Recycles < 100 || m.StartupKills < 20 {
		t.Errorf("recycles %v and startup kills %v: recycling stopped after a failed overlap", m.Recycles, m.StartupKills)
	}
}

// failingStarts is a pool recycled every 10 minutes, overlapped, half of
// whose starts take longer than the 90 s startup limit, without rapid-fail
// protection.
func failingStarts(horizon engine.Time) *scenario.Scenario {
	sc := baseScenario(2, 100*engine.Millisecond, 4, 1000, horizon)
	sc.Pool.StartupTime = scenario.Dist{Kind: "uniform", Min: engine.Second, Max: 179 * engine.Second}
	sc.Pool.StartupTimeLimit = scenario.Duration(90 * engine.Second)
	sc.Pool.Recycle.Time = scenario.Duration(10 * engine.Minute)
	sc.Pool.RapidFail.Enabled = false
	return sc
}
