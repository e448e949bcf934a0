package model

import (
	"io"
	"math"
	"os"
	"testing"

	"github.com/poolsim/poolsim/engine"
)

// The tests in this file each check one rule of docs/model.md, named in
// their doc comment, on a run whose outcome the rule alone decides.

// TestRecycleAgeFromProcessStart checks the rule "recycle age counts from
// process start" (docs/model.md#recycling): with recycle.time = 5m and
// start-ups of exactly 60 s, workers start every 5 minutes, not every 6
// (5 minutes of age counted from ready plus the minute of start-up). Both
// overlapped and non-overlapped recycles start the replacement at the old
// worker's recycle instant, and a light load keeps a worker busy for at
// most a few milliseconds, so the starts must fall exactly 5 minutes apart.
func TestRecycleAgeFromProcessStart(t *testing.T) {
	for _, overlapping := range []bool{true, false} {
		sc := baseScenario(0.5, 10*engine.Millisecond, 4, 1000, engine.Hour)
		sc.Classes["page"].Service = Const(10 * engine.Millisecond)
		sc.Pool.StartupTime = Const(60 * engine.Second)
		sc.Pool.StartupTimeLimit = Duration(90 * engine.Second)
		sc.Pool.ShutdownTimeLimit = Duration(90 * engine.Second)
		sc.Pool.Recycle.Time = Duration(5 * engine.Minute)
		sc.Pool.Recycle.Overlapping = overlapping
		res, err := Run(sc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkConservation(t, res.Metrics)
		starts := workerStarts(res)
		if len(starts) < 10 {
			t.Fatalf("overlapping=%v: only %d worker starts in an hour", overlapping, len(starts))
		}
		for i := 1; i < len(starts); i++ {
			if gap := starts[i] - starts[i-1]; gap != 5*engine.Minute {
				t.Errorf("overlapping=%v: worker %d started %v after worker %d, want 5m0s (age from process start)", overlapping, i+1, gap, i)
			}
		}
	}
}

// TestWaitMeanLittle checks the rule "wait_mean_s counts every request that
// starts executing, including those whose client already gave up"
// (docs/model.md#outcomes) through Little's law on the queue: on a run that
// starts and ends empty, with no expiry and no stop, every request admitted
// to the queue leaves it by starting, so the area under the queue length is
// exactly the sum of the waits: queue_mean · span = admitted · wait_mean_s,
// admitted = arrivals − rejected_queue_full. The pool is overloaded for an
// hour (6/s against 4 threads of 1 s) with 3 s client timeouts, so most
// started requests' clients have already given up; then no one arrives for
// an hour and the queue drains. Only floating-point rounding separates the
// two sides.
func TestWaitMeanLittle(t *testing.T) {
	sc := baseScenario(6, engine.Second, 4, 1000, 2*engine.Hour)
	sc.Pool.QueueTimeout = 0
	sc.Clients["users"].Timeout = Duration(3 * engine.Second)
	sc.Clients["users"].Profile = []ProfilePoint{{At: 0, Factor: 1}, {At: TimeOfDay(engine.Hour), Factor: 0}}
	res, err := Run(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Metrics
	checkConservation(t, m)
	if m.InFlight != 0 || m.Expired != 0 || m.RejectedAppOffline != 0 {
		t.Fatalf("the run must end empty with no expiry or stop: %+v", m)
	}
	if m.ClientTimeout < m.Arrivals/4 {
		t.Fatalf("only %v client timeouts of %v arrivals: the rule is not exercised", m.ClientTimeout, m.Arrivals)
	}
	span := res.Horizon.Seconds() - res.Warmup.Seconds()
	admitted := m.Arrivals - m.RejectedQueueFull
	lhs, rhs := m.QueueMean*span, admitted*m.WaitMeanS
	if math.Abs(lhs-rhs) > 1e-9*lhs {
		t.Errorf("queue_mean·span = %.6f request·s, admitted·wait_mean_s = %v·%.6f = %.6f", lhs, admitted, m.WaitMeanS, rhs)
	}
}

// TestRestartAfterRapidFail checks the rules of a restart after rapid-fail
// protection (docs/model.md#rapid-fail): a worker drained by the stop takes
// no requests, so the restarted pool starts a new worker as soon as work
// arrives (IIS starts a w3wp on the next request), and the drained worker's
// later kill at the shutdown time limit does not count against the
// restarted pool.
//
// One worker (max_processes = 1) holds two hour-long requests. At its age
// of 1 minute an overlapped recycle starts a replacement that takes 200 s,
// past the 90 s startup limit: the kill trips rapid-fail protection
// (max_crashes = 1), the old worker drains with its two requests, and the
// pool restarts 10 s later. The first arrival after the restart must start
// a worker at once, and the old worker, killed 30 s after the stop
// (shutdown_time_limit), must not stop the pool a second time.
func TestRestartAfterRapidFail(t *testing.T) {
	sc := baseScenario(1, 10*engine.Millisecond, 25, 1000, 4*engine.Minute)
	sc.Seed = 2 // start-up draws: 1 s for the first worker, 200 s for its replacement
	sc.Classes["page"].Service = Const(10 * engine.Millisecond)
	sc.Classes["long"] = &Class{Service: Const(engine.Hour)}
	sc.Clients["long"] = &Client{Kind: "polling", Class: "long", Count: 2, Period: Duration(engine.Second), Mode: "after_response"}
	sc.Pool.StartupTime = Dist{Kind: "empirical", Values: []engine.Time{engine.Second, 200 * engine.Second}}
	sc.Pool.StartupTimeLimit = Duration(90 * engine.Second)
	sc.Pool.ShutdownTimeLimit = Duration(30 * engine.Second)
	sc.Pool.Recycle.Time = Duration(engine.Minute)
	sc.Pool.Ping.Enabled = false
	sc.Pool.RapidFail.MaxCrashes = 1
	sc.Pool.RapidFail.RestartAfter = Duration(10 * engine.Second)
	res, err := Run(sc, Options{Trace: traceOut(t)})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Metrics
	checkConservation(t, m)
	ws := res.Workers
	if len(ws) < 3 || ws[1].Why != "startup_limit" || ws[0].Why != "shutdown_limit" {
		t.Fatalf("the setup did not play out (replacement killed at start-up, old worker killed draining): %+v", ws)
	}
	restart := ws[1].Exit + 10*engine.Second
	if ws[0].Exit <= restart {
		t.Fatalf("the old worker was killed at %v, before the restart at %v", ws[0].Exit, restart)
	}
	if m.RapidFailTrips != 1 {
		t.Errorf("rapid_fail_trips = %v, want 1: the kill of a worker from before the restart counted against the restarted pool", m.RapidFailTrips)
	}
	if s := ws[2].Spans[0].Start; s < restart || s >= ws[0].Exit || s-restart > 10*engine.Second {
		t.Errorf("the first worker after the restart at %v started at %v; the drained worker exited at %v", restart, s, ws[0].Exit)
	}
}

func traceOut(t *testing.T) io.Writer {
	if os.Getenv("TRACE") != "" {
		return os.Stderr
	}
	return nil
}
