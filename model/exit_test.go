package model

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// exitScenario is one single-threaded worker, kept by its master
// (all_at_once), starting in 20 ms, serving 100 ms requests, recycled
// without overlap after 2 requests, whose exit takes 50 ms.
func exitScenario() *scenario.Scenario {
	sc := handScenario(1, 100*engine.Millisecond, 10*engine.Second)
	sc.Pool.StartMode = "all_at_once"
	sc.Pool.StartupTime = scenario.Const(20 * engine.Millisecond)
	sc.Pool.ExitTime = scenario.Const(50 * engine.Millisecond)
	sc.Pool.Recycle = scenario.Recycle{Requests: 2}
	return sc
}

// startOf returns when request n started on a worker, from the trace.
func startOf(t *testing.T, trace string, n int) float64 {
	t.Helper()
	ts := timesOf(trace, fmt.Sprintf("start req=%d worker=", n))
	if len(ts) != 1 {
		t.Fatalf("request %d started %d times\n%s", n, len(ts), trace)
	}
	return ts[0]
}

// TestExitTimeDelaysTheReplacement checks the rule of docs/model.md#exit-time
// on a case worked out by hand. The worker (ready at 0.02 s) serves
// requests 1 (1.0–1.1 s) and 2 (1.2–1.3 s), its second, and recycles: it
// exits from 1.3 s for exit_time (50 ms), serving nothing; its replacement
// starts at 1.35 s and is ready at 1.37 s = t_last_end + E + S. Request 3,
// sent at 1.31 s into the exit, and request 4, sent at 1.36 s while the
// replacement starts, wait in the queue: 3 starts at 1.37 s, 4 when 3 ends
// at 1.47 s. Those are the replacement's two requests: it recycles at
// 1.57 s and exits until 1.62 s, when the third worker starts. Nothing is
// lost.
func TestExitTimeDelaysTheReplacement(t *testing.T) {
	ms := engine.Millisecond
	res, trace := runAt(t, exitScenario(), engine.Second, 1200*ms, 1310*ms, 1360*ms)
	if got := startOf(t, trace, 3); !near(got, 1.37) {
		t.Errorf("request 3 started at %v, want 1.37 (last end 1.3 + exit 0.05 + startup 0.02)", got)
	}
	if got := startOf(t, trace, 4); !near(got, 1.47) {
		t.Errorf("request 4 started at %v, want 1.47", got)
	}
	m := res.Metrics
	if m.OK != 4 || m.Arrivals != 4 || m.Recycles != 2 {
		t.Errorf("ok %v of %v arrivals, recycles %v; want 4 of 4, 2", m.OK, m.Arrivals, m.Recycles)
	}
	if len(res.Workers) != 3 {
		t.Fatalf("%d workers, want 3", len(res.Workers))
	}
	old, repl := res.Workers[0], res.Workers[1]
	// Its drain is instant: its one thread is free when it recycles.
	wantSpans := []Span{{PhaseStarting, 0, 20 * ms}, {PhaseServing, 20 * ms, 1300 * ms},
		{PhaseDraining, 1300 * ms, 1300 * ms}, {PhaseExiting, 1300 * ms, 1350 * ms}}
	if !reflect.DeepEqual(old.Spans, wantSpans) || old.Exit != 1350*ms || old.Why != "requests" {
		t.Errorf("the recycled worker: spans %v exit %v why %q; want %v, exit 1.35 s, requests", old.Spans, old.Exit, old.Why, wantSpans)
	}
	if repl.Spans[0].Start != 1350*ms || repl.Spans[0].End != 1370*ms || repl.Exit != 1620*ms {
		t.Errorf("the replacement started %v, ready %v, exited %v; want 1.35 s, 1.37 s, 1.62 s", repl.Spans[0].Start, repl.Spans[0].End, repl.Exit)
	}
	if third := res.Workers[2]; third.Spans[0].Start != 1620*ms {
		t.Errorf("the third worker started at %v, want 1.62 s", third.Spans[0].Start)
	}
}

// TestExitTimeZeroReplacesAtOnce checks that exit_time = 0 (IIS's default)
// keeps the rule as it was before the exit phase: the replacement starts
// when the last request ends (1.3 s), ready at 1.32 s, and the worker has
// no exiting span.
func TestExitTimeZeroReplacesAtOnce(t *testing.T) {
	sc := exitScenario()
	sc.Pool.ExitTime = scenario.Const(0)
	res, trace := runAt(t, sc, engine.Second, 1200*engine.Millisecond, 1310*engine.Millisecond)
	if got := startOf(t, trace, 3); !near(got, 1.32) {
		t.Errorf("request 3 started at %v, want 1.32", got)
	}
	for _, s := range res.Workers[0].Spans {
		if s.Phase == PhaseExiting {
			t.Errorf("an exiting span %v with exit_time 0", s)
		}
	}
}

// TestCrashRespawnHasNoExitTime checks that exit_time applies only to a
// worker that recycles itself (docs/model.md#exit-time): a crash ends the
// process at once. Request 1 (1.0 s) crashes its worker at 1.1 s; the
// master forks the replacement then, ready at 1.12 s, where request 2
// (sent at 1.105 s) starts, not at 1.17 s.
func TestCrashRespawnHasNoExitTime(t *testing.T) {
	sc := exitScenario()
	sc.Classes["page"].Crash = 1
	res, trace := runAt(t, sc, engine.Second, 1105*engine.Millisecond)
	if got := startOf(t, trace, 2); !near(got, 1.12) {
		t.Errorf("request 2 started at %v, want 1.12 (crash 1.1 + startup 0.02, no exit time)", got)
	}
	if w := res.Workers[1]; w.Spans[0].Start != 1100*engine.Millisecond {
		t.Errorf("the replacement started at %v, want 1.1 s", w.Spans[0].Start)
	}
}

// TestExitTimeDrawsAndConserves checks the rule under random load:
// gunicorn's four sync workers recycled every 3 requests, an exit drawn
// uniformly in [40, 60] ms and a small backlog, so that some requests are
// refused while workers exit. Every arrival has one outcome; each
// recycled worker's exiting span lasts a draw within [40, 60] ms, the
// draws differ, and the replacement starts when the exit ends; every
// recycle (the horizon's last aside) is followed by one start.
func TestExitTimeDrawsAndConserves(t *testing.T) {
	ms := engine.Millisecond
	sc := baseScenario(60, 50*ms, 1, 2, 30*engine.Second)
	sc.Pool.MaxProcesses = 4
	sc.Pool.StartMode = "all_at_once"
	sc.Pool.StartupTime = scenario.Const(4 * ms)
	sc.Pool.ExitTime = scenario.Dist{Kind: "uniform", Min: 40 * ms, Max: 60 * ms}
	sc.Pool.Recycle = scenario.Recycle{Requests: 3}
	sc.Pool.RapidFail.Enabled = false
	res, err := Run(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Metrics
	checkConservation(t, m)
	if m.RejectedQueueFull == 0 || m.Recycles < 100 {
		t.Fatalf("rejected %v recycles %v: the case does not exercise exits under load", m.RejectedQueueFull, m.Recycles)
	}
	starts := map[engine.Time]int{}
	for _, lc := range res.Workers {
		starts[lc.Spans[0].Start]++
	}
	exits, distinct := 0, map[engine.Time]bool{}
	for _, lc := range res.Workers {
		last := lc.Spans[len(lc.Spans)-1]
		if lc.Why != "requests" || lc.Exit == engine.Never {
			continue
		}
		d := last.End - last.Start
		if last.Phase != PhaseExiting || d < 40*ms || d > 60*ms {
			t.Errorf("worker %d: last span %v lasting %v, want exiting for 40–60 ms", lc.ID, last.Phase, d)
			continue
		}
		exits++
		distinct[d] = true
		if starts[lc.Exit] == 0 {
			t.Errorf("worker %d exited at %v and no replacement started then", lc.ID, lc.Exit)
		}
	}
	if int64(exits) < int64(m.Recycles)-4 || len(distinct) < exits/2 {
		t.Errorf("%d exits (%d distinct lengths) for %v recycles", exits, len(distinct), m.Recycles)
	}
}

// TestPresetExitTime checks each server's exit_time (docs/model.md#exit-time):
// none for IIS, the measured exits for php-fpm (5 ms) and gunicorn (58 ms,
// the interpreter's finalisation), gunicorn's assumed for uWSGI, and
// gunicorn's arbiter's pause after a fork (start_pause); a file's
// pool.exit_time wins; the value is listed as an assumption only where a
// worker recycles itself without overlap or exits after gunicorn's timeout.
func TestPresetExitTime(t *testing.T) {
	base := "\n[classes.page]\nservice = \"50ms\"\n[clients.users]\nkind = \"poisson\"\nrate = 1.0\n"
	ms := engine.Millisecond
	for _, c := range []struct {
		server, table string
		want          engine.Time
	}{{"iis", "", 0}, {"php-fpm", "php_fpm", 5 * ms}, {"gunicorn", "gunicorn", 58 * ms}, {"uwsgi", "uwsgi", 58 * ms}} {
		sc := decodeText(t, "server = \""+c.server+"\""+base)
		if !reflect.DeepEqual(sc.Pool.ExitTime, scenario.Const(c.want)) {
			t.Errorf("%s: exit_time %v, want %v", c.server, sc.Pool.ExitTime, c.want)
		}
		// Only gunicorn's arbiter pauses after a fork (docs/model.md#start-pause).
		pause := scenario.Const(0)
		if c.server == "gunicorn" {
			pause = scenario.Dist{Kind: "uniform", Max: 100 * ms}
		}
		if !reflect.DeepEqual(sc.Pool.StartPause, pause) {
			t.Errorf("%s: start_pause %v, want %v", c.server, sc.Pool.StartPause, pause)
		}
		listed := func(sc *scenario.Scenario) bool {
			for _, a := range scenario.Assumptions(sc) {
				if a.Key == "pool.exit_time" {
					return true
				}
			}
			return false
		}
		// gunicorn's timeout (30 s by default) ends in an exit too
		// (exit_worker): listed unless it is off.
		if c.server == "gunicorn" {
			if !listed(sc) {
				t.Errorf("gunicorn with its timeout: pool.exit_time not listed as an assumption")
			}
			sc = decodeText(t, "server = \"gunicorn\""+base+"[gunicorn]\ntimeout = \"0s\"\n")
		}
		if listed(sc) {
			t.Errorf("%s without max_requests: pool.exit_time listed as an assumption", c.server)
		}
		if c.table == "" {
			continue
		}
		recycled := decodeText(t, "server = \""+c.server+"\""+base+"["+c.table+"]\nmax_requests = 100\n")
		if !listed(recycled) {
			t.Errorf("%s with max_requests: pool.exit_time not listed as an assumption", c.server)
		}
		own := decodeText(t, "server = \""+c.server+"\""+base+"[pool]\nexit_time = \"200ms\"\n")
		if !reflect.DeepEqual(own.Pool.ExitTime, scenario.Const(200*ms)) {
			t.Errorf("%s: the file's exit_time 200ms became %v", c.server, own.Pool.ExitTime)
		}
	}
}

// TestStartPauseSerialisesForks checks the master's pause after each start
// (docs/model.md#start-pause) on a case worked out by hand: two workers
// kept by the master, starting in 20 ms, every 10 ms request crashing its
// worker, a constant 100 ms pause. At 0 the first worker forks; the second
// waits out the pause and forks at 0.1 s (ready 0.12 s). Requests 1 (1.0 s)
// and 2 (1.01 s) crash both workers at 1.01 and 1.02 s: the first
// replacement forks at once (the master idle since 0.2 s), ready at
// 1.03 s, where request 3 (sent at 1.015 s) starts; the second waits for
// the pause after the first, forks at 1.11 s, ready at 1.13 s, where
// request 4 (1.025 s) starts. Their crashes at 1.04 and 1.14 s get
// replacements forked at 1.21 and 1.31 s, each after the pause before.
func TestStartPauseSerialisesForks(t *testing.T) {
	ms := engine.Millisecond
	sc := handScenario(1, 10*ms, 10*engine.Second)
	sc.Pool.MaxProcesses = 2
	sc.Pool.StartMode = "all_at_once"
	sc.Pool.StartupTime = scenario.Const(20 * ms)
	sc.Pool.StartPause = scenario.Const(100 * ms)
	sc.Classes["page"].Crash = 1
	res, trace := runAt(t, sc, engine.Second, 1010*ms, 1015*ms, 1025*ms)
	var ready []engine.Time
	for _, lc := range res.Workers {
		ready = append(ready, lc.Spans[0].End)
	}
	want := []engine.Time{20 * ms, 120 * ms, 1030 * ms, 1130 * ms, 1230 * ms, 1330 * ms}
	if !reflect.DeepEqual(ready[:min(len(ready), len(want))], want) {
		t.Errorf("workers ready at %v, want %v", ready, want)
	}
	if got := startOf(t, trace, 3); !near(got, 1.03) {
		t.Errorf("request 3 started at %v, want 1.03", got)
	}
	if got := startOf(t, trace, 4); !near(got, 1.13) {
		t.Errorf("request 4 started at %v, want 1.13", got)
	}
	// Without the pause both replacements fork at the crashes.
	sc.Pool.StartPause = scenario.Const(0)
	res, _ = runAt(t, sc, engine.Second, 1010*ms)
	if got := []engine.Time{res.Workers[2].Spans[0].End, res.Workers[3].Spans[0].End}; got[0] != 1030*ms || got[1] != 1040*ms {
		t.Errorf("without a pause the replacements were ready at %v, want [1.03s 1.04s]", got)
	}
}
