package model

import (
	"math"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// TestPoolWideReload checks the rule "a pool-wide reload drains every
// worker, starts none until the last has exited, then starts them after
// reload_delay", worked out by hand. Two workers of one thread (start_mode
// all_at_once, a 10 ms start), 200 ms requests A at 1.0 s and B at 1.05 s,
// a recycle at 1.1 s, shutdown_time_limit 50 ms: both workers are killed at
// 1.15 s with their requests (abandoned_shutdown 2). C arrives at 1.16 s.
// Pool-wide, with a 75 ms reload delay, the new workers start at 1.225 s,
// are ready at 1.235 s, and C answers in 1.235 + 0.2 − 1.16 = 0.275 s. Per
// worker, each replacement starts at 1.15 s and C answers in 0.2 s.
func TestPoolWideReload(t *testing.T) {
	ms := engine.Millisecond
	for _, c := range []struct {
		reload string
		starts engine.Time
		resp   float64
	}{{"pool_wide", 1225 * ms, 0.275}, {"per_worker", 1150 * ms, 0.2}} {
		sc := handScenario(1, 200*ms, 10*engine.Second)
		sc.Pool.MaxProcesses = 2
		sc.Pool.StartMode = "all_at_once"
		sc.Pool.StartupTime = scenario.Const(10 * ms)
		sc.Pool.ShutdownTimeLimit = scenario.Duration(50 * ms)
		sc.Pool.Recycle.Overlapping = false
		sc.Pool.Reload = c.reload
		sc.Pool.ReloadDelay = scenario.Duration(75 * ms)
		sc.Events = map[string]*scenario.Event{"reload": {At: scenario.Duration(1100 * ms), Action: "recycle"}}
		res, trace := runAt(t, sc, engine.Second, 1050*ms, 1160*ms)
		m := res.Metrics
		got := starts(res)
		if m.AbandonedShutdown != 2 || m.OK != 1 || len(got) != 4 || got[2] != c.starts || got[3] != c.starts {
			t.Errorf("%s: abandoned_shutdown %v ok %v starts %v, want 2 1 and two at %v\n%s", c.reload, m.AbandonedShutdown, m.OK, got, c.starts, trace)
		}
		if math.Abs(m.ResponseMeanS-c.resp) > 1e-9 {
			t.Errorf("%s: response %v, want %v", c.reload, m.ResponseMeanS, c.resp)
		}
		if m.Recycles != 2 {
			t.Errorf("%s: recycles %v, want 2 (one per worker)", c.reload, m.Recycles)
		}
	}
}
