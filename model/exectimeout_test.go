package model

import (
	"fmt"
	"math"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/httperr"
	"github.com/poolsim/poolsim/model/scenario"
)

// TestExecutionTimeoutAbort checks the rule "abort (ASP.NET
// executionTimeout): a request still running at the limit ends with 500,
// its thread is freed and the worker lives". One thread, a 10 s service,
// a 3 s limit; requests at 1 s and 2 s. The first runs 1–4 s and is
// aborted at 4 s; the second waits until 4 s, runs 4–7 s, aborted at 7 s.
func TestExecutionTimeoutAbort(t *testing.T) {
	sc := handScenario(1, 10*engine.Second, 20*engine.Second)
	sc.Pool.ExecutionTimeout = scenario.Duration(3 * engine.Second)
	res, trace := runAt(t, sc, engine.Second, 2*engine.Second)
	m := res.Metrics
	if m.Error != 2 || m.ExecTimeouts != 2 || m.ExecTimeoutKills != 0 || m.Crashes != 0 || m.WorkerStarts != 1 {
		t.Errorf("error %v exec_timeouts %v kills %v crashes %v starts %v, want 2 2 0 0 1", m.Error, m.ExecTimeouts, m.ExecTimeoutKills, m.Crashes, m.WorkerStarts)
	}
	got := timesOf(trace, "execution timeout")
	if len(got) != 2 || !near(got[0], 4) || !near(got[1], 7) {
		t.Errorf("aborts at %v, want [4 7]\n%s", got, trace)
	}
	if len(res.Workers) != 1 || res.Workers[0].Exit != engine.Never {
		t.Errorf("the worker must live: %+v", res.Workers)
	}
}

// TestExecutionTimeoutUnderLimit checks that a request shorter than the
// limit is not touched: the limit's timer goes with the request.
func TestExecutionTimeoutUnderLimit(t *testing.T) {
	sc := handScenario(1, 2*engine.Second, 20*engine.Second)
	sc.Pool.ExecutionTimeout = scenario.Duration(3 * engine.Second)
	sc.Pool.OnExecutionTimeout = "kill_worker"
	res, _ := runAt(t, sc, engine.Second, 2*engine.Second, 9*engine.Second)
	if m := res.Metrics; m.OK != 3 || m.ExecTimeouts != 0 {
		t.Errorf("ok %v exec_timeouts %v, want 3 0", m.OK, m.ExecTimeouts)
	}
}

// TestExecutionTimeoutKillWorker checks the rule "kill_worker
// (request_terminate_timeout, harakiri, gunicorn timeout): the worker is
// killed at the limit and every request it runs is abandoned, cause
// exec_timeout". Two threads, requests at 0 s and 1 s of 10 s each, a 3 s
// limit: at 3 s the worker dies with both; a request at 5 s runs in a new
// worker and is itself killed at 8 s.
func TestExecutionTimeoutKillWorker(t *testing.T) {
	sc := handScenario(2, 10*engine.Second, 20*engine.Second)
	sc.Pool.ExecutionTimeout = scenario.Duration(3 * engine.Second)
	sc.Pool.OnExecutionTimeout = "kill_worker"
	res, trace := runAt(t, sc, 0, engine.Second, 5*engine.Second)
	m := res.Metrics
	if m.AbandonedExecTimeout != 3 || m.Abandoned != 3 || m.ExecTimeoutKills != 2 || m.ExecTimeouts != 2 {
		t.Errorf("abandoned_exec_timeout %v abandoned %v kills %v timeouts %v, want 3 3 2 2", m.AbandonedExecTimeout, m.Abandoned, m.ExecTimeoutKills, m.ExecTimeouts)
	}
	if len(res.Workers) < 2 || res.Workers[0].Why != whyExecTimeout.String() || res.Workers[0].Exit != 3*engine.Second ||
		res.Workers[1].Exit != 8*engine.Second {
		t.Errorf("workers %+v, want the first killed at 3 s and the second at 8 s\n%s", res.Workers, trace)
	}
	if got := lines(trace, httperr.ReasonAbandonedReqQueue); len(got) != 3 {
		t.Errorf("HTTPERR has %d abandoned lines, want 3", len(got))
	}
}

// TestExecDeadlineHeartbeat checks the rule "checked on a heartbeat, a
// request is ended at the first heartbeat at or after start + limit",
// worked out by hand for php-fpm's 1 s limit and its 333 ms heartbeat.
func TestExecDeadlineHeartbeat(t *testing.T) {
	ms := engine.Millisecond
	for _, c := range []struct {
		start, lim, period, want engine.Time
	}{
		{0, engine.Second, 0, engine.Second},                              // exact
		{0, engine.Second, 333 * ms, 1332 * ms},                           // 4 × 333 ms
		{500 * ms, engine.Second, 333 * ms, 1665 * ms},                    // due 1.5 s → 5 × 333 ms
		{665 * ms, engine.Second, 333 * ms, 1665 * ms},                    // due 1.665 s is a tick
		{666 * ms, engine.Second, 333 * ms, 1998 * ms},                    // 1 ms past a tick: the next one
		{0, 110 * engine.Second, 15 * engine.Second, 120 * engine.Second}, // ASP.NET's 15 s timer
	} {
		if got := execDeadline(c.start, c.lim, c.period); got != c.want {
			t.Errorf("execDeadline(%v, %v, %v) = %v, want %v", c.start, c.lim, c.period, got, c.want)
		}
	}
}

// TestPHPFPMTerminateTimeoutRange checks php-fpm's request_terminate_timeout
// = 1 s against the measurement (../shared/research/real-pools.md: kills
// 1.005–1.30 s after the start, median 1.13 s, n = 18; heartbeat 333 ms):
// through the preset, every kill falls in [1 s, 1.333 s), the range the
// heartbeat allows, and their mean is within its 99.9 % interval of the
// uniform law's 1.1665 s (sd 0.0962 s / √n).
func TestPHPFPMTerminateTimeoutRange(t *testing.T) {
	sc := decodeText(t, `
server  = "php-fpm"
horizon = "2h"
[php_fpm]
pm = "static"
max_children = 4
request_terminate_timeout = "1s"
[classes.page]
service = "5s"
[clients.users]
kind = "poisson"
rate = 0.5
`)
	if got := sc.Pool.ExecutionTimeoutCheck.T(); got != 333*engine.Millisecond {
		t.Fatalf("heartbeat %v, want 333ms", got)
	}
	var trace = new(traceBuf)
	w, err := newWorld(sc, Options{Trace: trace}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.run(); err != nil {
		t.Fatal(err)
	}
	starts := map[string]float64{}
	var sum float64
	n := 0
	for _, line := range lines(trace.String(), "") {
		var at float64
		var req, wk int
		if _, err := fmt.Sscanf(line, "%f start req=%d worker=%d", &at, &req, &wk); err == nil {
			starts[fmt.Sprint(req)] = at
		}
		var mode string
		if _, err := fmt.Sscanf(line, "%f execution timeout req=%d worker=%d %s", &at, &req, &wk, &mode); err == nil {
			d := at - starts[fmt.Sprint(req)]
			if d < 1-1e-6 || d >= 1.333+1e-6 {
				t.Errorf("request %d killed %.6f s after its start, outside [1, 1.333)", req, d)
			}
			sum += d
			n++
		}
	}
	if n < 500 {
		t.Fatalf("only %d kills", n)
	}
	mean, half := sum/float64(n), 3.29*0.0962/math.Sqrt(float64(n))
	if mean < 1.1665-half || mean > 1.1665+half {
		t.Errorf("mean kill delay %.4f s, want 1.1665 ± %.4f", mean, half)
	}
}

// TestStoryHungRequestsExecutionTimeout runs the shipped hung-requests
// story with ASP.NET's executionTimeout (110 s, checked every 15 s): every
// hung request is aborted with a 500 before its threads run out, so no
// worker fails the ping and nothing is abandoned.
func TestStoryHungRequestsExecutionTimeout(t *testing.T) {
	base := catalogStory(t, "hung-requests").Metrics
	m := catalogStory(t, "hung-requests", "pool.execution_timeout=110s", "pool.execution_timeout_check=15s").Metrics
	if base.PingKills == 0 || m.PingKills != 0 || m.Abandoned != 0 || m.ExecTimeouts == 0 || m.Error == 0 {
		t.Errorf("ping kills %v → %v, abandoned %v, exec_timeouts %v, error %v", base.PingKills, m.PingKills, m.Abandoned, m.ExecTimeouts, m.Error)
	}
}

// TestExecutionTimeoutExitWorker checks the rule of on_execution_timeout =
// "exit_worker" (gunicorn's SIGABRT, docs/model.md#execution-time-limit):
// the requests of the worker end at the kill, as with kill_worker, but the
// worker is gone only exit_time later, and only then is it replaced. With
// one worker of 2 threads started on demand (startup_time 50 ms), a 3 s
// limit and a 200 ms exit: requests sent at 0 and 1 s (the first starts at
// 0.05 s) are abandoned at 3.05 s, the worker is gone at 3.25 s, and the
// request sent at 3.1 s waits for the replacement, which starts then and
// takes it at 3.3 s; it is abandoned at 6.3 s and its worker gone at 6.5 s.
func TestExecutionTimeoutExitWorker(t *testing.T) {
	ms := engine.Millisecond
	sc := handScenario(2, 10*engine.Second, 20*engine.Second)
	sc.Pool.MaxProcesses = 1
	sc.Pool.StartupTime = scenario.Const(50 * ms)
	sc.Pool.ExitTime = scenario.Const(200 * ms)
	sc.Pool.ExecutionTimeout = scenario.Duration(3 * engine.Second)
	sc.Pool.OnExecutionTimeout = "exit_worker"
	res, trace := runAt(t, sc, 0, engine.Second, 3100*ms)
	m := res.Metrics
	if m.AbandonedExecTimeout != 3 || m.ExecTimeoutKills != 2 {
		t.Errorf("abandoned_exec_timeout %v kills %v, want 3 2", m.AbandonedExecTimeout, m.ExecTimeoutKills)
	}
	if got := timesOf(trace, "abandoned"); len(got) < 3 || got[0] != 3.05 || got[1] != 3.05 || got[2] != 6.3 {
		t.Errorf("abandoned at %v, want 3.05 3.05 6.3\n%s", got, trace)
	}
	if len(res.Workers) < 2 || res.Workers[0].Why != whyExecTimeout.String() || res.Workers[0].Exit != 3250*ms ||
		res.Workers[1].Exit != 6500*ms {
		t.Errorf("workers %+v, want the first gone at 3.25 s and the second at 6.5 s\n%s", res.Workers, trace)
	}
}

// TestPresetsExecutionLimitSignal checks which rule each server's preset
// gives its execution limit, from the signal the server sends
// (docs/model.md#execution-time-limit): php-fpm's SIGTERM keeps its default
// action and uWSGI's harakiri kills (kill_worker); gunicorn's SIGABRT is
// handled by the worker, which exits (exit_worker); IIS keeps the default
// abort.
func TestPresetsExecutionLimitSignal(t *testing.T) {
	base := "\n[classes.page]\nservice = \"50ms\"\n[clients.users]\nkind = \"poisson\"\nrate = 1.0\n"
	for server, want := range map[string]string{
		"iis": "abort", "php-fpm": "kill_worker", "gunicorn": "exit_worker", "uwsgi": "kill_worker",
	} {
		if got := decodeText(t, "server = \""+server+"\""+base).Pool.OnExecutionTimeout; got != want {
			t.Errorf("%s: on_execution_timeout %q, want %q", server, got, want)
		}
	}
}
