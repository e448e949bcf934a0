package model

import (
	"bytes"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// send is one request of a named client at a time.
type send struct {
	client string
	at     engine.Time
}

// sender injects one request of its client.
type sender struct {
	c *clientRT
	n int
}

func (s *sender) HandleEvent(int) {
	s.n++
	s.c.send(0, s.n, 1)
}

// runSends runs sc with exactly the requests sends, and returns the result
// and the trace.
func runSends(t *testing.T, sc *scenario.Scenario, sends ...send) (*Result, string) {
	t.Helper()
	var trace bytes.Buffer
	w, err := newWorld(sc, Options{Trace: &trace, Interval: sc.Horizon.T() / 10}, 0)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*sender{}
	for _, c := range w.clients {
		byName[c.name] = &sender{c: c}
	}
	for _, s := range sends {
		w.sim.At(s.at, byName[s.client], 0)
	}
	res, err := w.run()
	if err != nil {
		t.Fatal(err)
	}
	checkConservation(t, res.Metrics)
	return res, trace.String()
}

// fpmPool is a php-fpm pool as the preset makes it with pm = static,
// max_children = 4 and process_control_timeout = 0, worked by hand: four
// children of one thread forked at 0 and ready at 10 ms, a pool-wide
// reload re-executing in 75 ms, the emergency restart at the first SIGSEGV
// death (threshold 1 in 10 s). Its clients send only what runSends
// injects: "long" requests hold a child 2 s, "short" ones 300 ms, and a
// "boom" request crashes its child (SIGSEGV) 50 ms after it starts.
func fpmPool() *scenario.Scenario {
	ms := engine.Millisecond
	sc := handScenario(1, 2*engine.Second, 10*engine.Second)
	sc.Pool.MaxProcesses = 4
	sc.Pool.StartMode = "all_at_once"
	sc.Pool.Dispatch = "least_busy"
	sc.Pool.StartupTime = scenario.Const(10 * ms)
	sc.Pool.Recycle.Overlapping = false
	sc.Pool.Reload = "pool_wide"
	sc.Pool.ReloadDelay = scenario.Duration(75 * ms)
	sc.Pool.ShutdownTimeLimit = 0
	sc.Pool.ShutdownKill = "next_wakeup"
	sc.Pool.RapidFail = scenario.RapidFail{Policy: "emergency_restart", Enabled: true, MaxCrashes: 1,
		Interval: scenario.Duration(10 * engine.Second), RestartAfter: scenario.Duration(engine.Never), Window: "sliding", Counts: "supervisor"}
	sc.Classes = map[string]*scenario.Class{
		"long":  {Service: scenario.Const(2 * engine.Second), CrashAt: "end", CrashSignal: "segv"},
		"short": {Service: scenario.Const(300 * ms), CrashAt: "end", CrashSignal: "segv"},
		"boom":  {Service: scenario.Const(50 * ms), Crash: 1, CrashAt: "end", CrashSignal: "segv"},
	}
	sc.Clients = map[string]*scenario.Client{}
	for name := range sc.Classes {
		sc.Clients[name] = &scenario.Client{Kind: "poisson", Rate: 0, Class: name}
	}
	return sc
}

// TestShutdownKillNextWakeup checks the rule "with shutdown_kill =
// next_wakeup (php-fpm, process_control_timeout = 0), a reload by signal
// kills the requests still running at once, and an emergency restart kills
// them at the master's next wake-up: the first child's exit after the
// restart, or 1 s later" (docs/model.md#pool-wide-reload), worked by hand
// on fpmPool. Requests sent at 1.000, 1.005, 1.010 s and the crashing
// request at 1.015 s, which kills its child at 1.065 s:
//
//   - every other child busy with a 2 s request: none exits before the
//     master's 1 s wait ends, so the three are killed at 2.065 s;
//   - two long requests and a short one (ends at 1.310 s): the short
//     one's child exits then, which wakes the master: the two long ones
//     are killed at 1.310 s, the short one answers;
//   - one long request and two idle children: the idle children exit at
//     once (exit_time 0), which wakes the master at 1.065 s; with an
//     exit_time of 5 ms (php-fpm's preset) at 1.070 s;
//   - a recycle event (SIGUSR2) at 1.1 s, with two long requests running:
//     killed at once, 1.1 s;
//   - the same recycle with shutdown_kill = at_limit and a 50 ms
//     shutdown_time_limit: killed at 1.15 s;
//   - a stop event (SIGQUIT to the master) at 1.1 s: killed at once, and
//     no child starts again.
//
// After a reload the new children start reload_delay (75 ms) after the
// kill, when every child is gone.
func TestShutdownKillNextWakeup(t *testing.T) {
	ms := engine.Millisecond
	for _, c := range []struct {
		name      string
		sends     []send
		recycleAt engine.Time // an operator's recycle (SIGUSR2); 0: none
		action    string      // the operator's action at recycleAt: recycle unless said
		atLimit   bool
		kill      engine.Time
		killed    float64 // abandoned_shutdown
		ok        float64
		exit      engine.Time // pool.exit_time: an idle child's exit
	}{
		{"emergency, every child busy", []send{{"long", 1000 * ms}, {"long", 1005 * ms}, {"long", 1010 * ms}, {"boom", 1015 * ms}}, 0, "", false, 2065 * ms, 3, 0, 0},
		{"emergency, a busy child finishes first", []send{{"long", 1000 * ms}, {"long", 1005 * ms}, {"short", 1010 * ms}, {"boom", 1015 * ms}}, 0, "", false, 1310 * ms, 2, 1, 0},
		{"emergency, two idle children", []send{{"long", 1000 * ms}, {"boom", 1015 * ms}}, 0, "", false, 1065 * ms, 1, 0, 0},
		{"emergency, two idle children exiting in 5 ms", []send{{"long", 1000 * ms}, {"boom", 1015 * ms}}, 0, "", false, 1070 * ms, 1, 0, 5 * ms},
		{"signal", []send{{"long", 1000 * ms}, {"long", 1005 * ms}}, 1100 * ms, "", false, 1100 * ms, 2, 0, 0},
		{"signal, at_limit 50ms", []send{{"long", 1000 * ms}, {"long", 1005 * ms}}, 1100 * ms, "", true, 1150 * ms, 2, 0, 0},
		{"stop", []send{{"long", 1000 * ms}, {"long", 1005 * ms}}, 1100 * ms, "stop", false, 1100 * ms, 2, 0, 0},
	} {
		sc := fpmPool()
		if c.recycleAt > 0 {
			action := "recycle"
			if c.action != "" {
				action = c.action
			}
			sc.Events = map[string]*scenario.Event{"signal": {At: scenario.Duration(c.recycleAt), Action: action}}
		}
		sc.Pool.ExitTime = scenario.Const(c.exit)
		if c.atLimit {
			sc.Pool.ShutdownKill = "at_limit"
			sc.Pool.ShutdownTimeLimit = scenario.Duration(50 * ms)
		}
		res, trace := runSends(t, sc, c.sends...)
		m := res.Metrics
		got := starts(res)
		restart := c.kill + 75*ms
		restarted := len(got) == 8 && got[4] == restart && got[7] == restart
		if c.action == "stop" {
			restarted = len(got) == 4 // a stopped pool starts nothing
		}
		if m.AbandonedShutdown != c.killed || m.OK != c.ok || !restarted {
			t.Errorf("%s: abandoned_shutdown %v ok %v, starts %v; want %v %v and four starts at %v (none after a stop)\n%s",
				c.name, m.AbandonedShutdown, m.OK, got, c.killed, c.ok, restart, trace)
		}
		if !c.atLimit {
			kills := timesOf(trace, "master kills")
			if len(kills) != 1 || !near(kills[0], c.kill.Seconds()) {
				t.Errorf("%s: master kills at %v, want once at %v\n%s", c.name, kills, c.kill.Seconds(), trace)
			}
		}
	}
}

// TestSigkillCrashNeverReloads checks the rule "php-fpm's emergency restart
// counts only deaths of a fault signal" (docs/model.md#supervisors) by
// hand on fpmPool, whose threshold is one death: a crash of a class with
// crash_signal = "kill" replaces its child alone (pm = static forks the
// replacement at once) and the long request in another child answers; the
// same crash with "segv" reloads the pool and kills it.
func TestSigkillCrashNeverReloads(t *testing.T) {
	for _, c := range []struct {
		signal            string
		restarts, ok, cut float64
	}{{"kill", 0, 1, 0}, {"segv", 1, 0, 1}} {
		sc := fpmPool()
		sc.Classes["boom"].CrashSignal = c.signal
		res, trace := runSends(t, sc, send{"long", engine.Second}, send{"boom", 1015 * engine.Millisecond})
		m := res.Metrics
		if m.EmergencyRestarts != c.restarts || m.OK != c.ok || m.AbandonedShutdown != c.cut || m.AbandonedCrash != 1 {
			t.Errorf("crash_signal %s: emergency_restarts %v ok %v abandoned_shutdown %v abandoned_crash %v; want %v %v %v 1\n%s",
				c.signal, m.EmergencyRestarts, m.OK, m.AbandonedShutdown, m.AbandonedCrash, c.restarts, c.ok, c.cut, trace)
		}
	}
}
