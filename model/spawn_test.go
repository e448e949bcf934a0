package model

import (
	"math"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// spawnScenario is handScenario with a server master's spawn rule, a
// 12 ms start (php-fpm's measured respawn) and max_processes workers of
// one thread each.
func spawnScenario(sp scenario.Spawn, maxProcesses int, service engine.Time) *scenario.Scenario {
	sc := handScenario(1, service, 10*engine.Second)
	sc.Pool.MaxProcesses = maxProcesses
	sc.Pool.StartupTime = scenario.Const(12 * engine.Millisecond)
	sc.Pool.Spawn = sp
	return sc
}

// starts returns the start times of the workers, in start order.
func starts(res *Result) []engine.Time {
	var ts []engine.Time
	for _, lc := range res.Workers {
		ts = append(ts, lc.Spans[0].Start)
	}
	return ts
}

// TestSpawnStaticReplacesAtOnce checks php-fpm's pm = static, which the
// preset makes start_mode = "all_at_once": every worker is forked at time
// 0, and a worker that dies is replaced at once, with no request waiting
// (measured; gunicorn's arbiter likewise). Two workers at 0; a request at
// 1 s crashes its worker at 1.1 s; the third worker starts at 1.1 s.
func TestSpawnStaticReplacesAtOnce(t *testing.T) {
	sc := spawnScenario(scenario.Spawn{}, 2, 100*engine.Millisecond)
	sc.Pool.StartMode = "all_at_once"
	if p := decodeText(t, phpFPMScenario).Pool; p.StartMode != "all_at_once" {
		t.Fatalf("php-fpm pm = static: start_mode %q", p.StartMode)
	}
	sc.Classes["page"].Crash = 1
	res, _ := runAt(t, sc, engine.Second)
	got := starts(res)
	if len(got) != 3 || got[0] != 0 || got[1] != 0 || got[2] != 1100*engine.Millisecond {
		t.Errorf("starts %v, want [0 0 1.1s]", got)
	}
	// IIS's on-demand rule starts one worker, for the request, and none
	// after the crash while nothing waits.
	sc.Pool.StartMode = "on_demand"
	res, _ = runAt(t, sc, engine.Second)
	if got := starts(res); len(got) != 1 || got[0] != engine.Second {
		t.Errorf("on demand: starts %v, want [1s]", got)
	}
}

// TestSpawnOndemandForksPerConnection checks php-fpm's pm = ondemand,
// which the preset makes start_mode = "on_demand" with one thread per
// worker: a worker is forked for each waiting connection when none is idle
// (fpm_pctl_on_socket_accept), so three requests at 0 start three workers
// at 0 and each waits only the 12 ms fork.
func TestSpawnOndemandForksPerConnection(t *testing.T) {
	sc := spawnScenario(scenario.Spawn{}, 5, engine.Second)
	sc.Pool.StartMode = "on_demand"
	res, _ := runAt(t, sc, 0, 0, 0)
	if got := starts(res); len(got) != 3 || got[2] != 0 {
		t.Errorf("starts %v, want three at 0", got)
	}
	if w := res.Metrics.WaitMeanS; math.Abs(w-0.012) > 1e-12 {
		t.Errorf("wait_mean_s %v, want 0.012", w)
	}
}

// TestSpawnDynamicMaintenance checks the dynamic rule, php-fpm's
// once-a-second idle-server maintenance. With 3 start servers and at most
// 2 spare, one idle worker is stopped at 1 s and none after. With 1 start
// server, at least 1 spare and 4 long requests at 0.5 s, the maintenance
// forks min(spawn rate, min_spare − idle) = 1 worker at each second from
// 1 s while none is idle: at 1 s, 2 s and 3 s.
func TestSpawnDynamicMaintenance(t *testing.T) {
	sc := spawnScenario(scenario.Spawn{Mode: "dynamic", Start: 3, MinSpare: 1, MaxSpare: 2}, 5, engine.Second)
	res, _ := runAt(t, sc)
	if len(res.Workers) != 3 || res.Workers[2].Exit != engine.Second || res.Workers[0].Exit != engine.Never || res.Workers[1].Exit != engine.Never {
		t.Errorf("workers %+v, want the last idle one stopped at 1 s", res.Workers)
	}
	sc = spawnScenario(scenario.Spawn{Mode: "dynamic", Start: 1, MinSpare: 1, MaxSpare: 3}, 5, 20*engine.Second)
	half := 500 * engine.Millisecond
	res, _ = runAt(t, sc, half, half, half, half)
	got := starts(res)
	want := []engine.Time{0, engine.Second, 2 * engine.Second, 3 * engine.Second, 4 * engine.Second}
	if len(got) < 4 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Errorf("starts %v, want %v…", got, want[:4])
	}
}
