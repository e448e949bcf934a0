package model

import (
	"testing"

	"github.com/poolsim/poolsim/engine"
)

// gunicornGraceful is a gunicorn server as the preset makes it, two sync
// workers (threads as given) with graceful_timeout = 5 s and timeout 30 s
// (the default), worked by hand: every worker is ready well before 1 s
// (fork, start pause under 100 ms, boot 4 ms). Its clients send only what
// runSends injects: "long" requests hold a worker 10 s, "short" ones 3 s.
const gunicornGraceful = `server = "gunicorn"
horizon = "60s"
[gunicorn]
workers = 2
graceful_timeout = "5s"
[classes.long]
service = "10s"
[classes.short]
service = "3s"
[clients.long]
kind = "poisson"
rate = 1.0
class = "long"
[clients.short]
kind = "poisson"
rate = 1.0
class = "short"
`

// TestGunicornGracefulTimeoutOnlyAtStop checks the rule "gunicorn's
// graceful_timeout bounds only a stop of the arbiter" (docs/model.md,
// gunicorn; gunicorn 20.1 arbiter.py: Arbiter.stop() sends SIGTERM, waits
// while workers remain and time.time() < limit = start + graceful_timeout,
// then kill_workers(SIGKILL); reload() on SIGHUP and manage_workers send
// SIGTERM and never SIGKILL; a sync worker at max_requests leaves after
// its request). The preset sets shutdown_kill = "at_stop". A long request
// at 1.000 s (ends at 11.000 s) and a short one at 1.001 s (ends at
// 4.001 s), each in its own worker:
//
//   - stop at 2 s: the short one completes at 4.001 s, the long one is
//     abandoned at exactly 2 + 5 = 7 s, its worker SIGKILLed;
//   - recycle (SIGHUP) at 2 s: both complete, the long one at 11 s, no kill;
//   - config_change at 2 s: the same;
//   - SIGHUP at 2 s, then stop at 4 s: the worker the HUP is draining is
//     killed at 4 + 5 = 9 s (stop() kills every worker left);
//   - SIGHUP at 2 s with pool.shutdown_kill = "at_limit" written (the
//     reading of graceful_timeout's documentation, "after receiving a
//     restart signal"): killed at 7 s;
//   - one gthread worker (threads = 2) with max_requests = 2: the short
//     request is its second, so the worker drains while the long one runs;
//     gthread's run() waits graceful_timeout for its requests, then the
//     interpreter's exit joins the pool's threads, so the long request
//     completes at 11 s.
func TestGunicornGracefulTimeoutOnlyAtStop(t *testing.T) {
	s := engine.Second
	for _, c := range []struct {
		name   string
		events string
		sets   []string
		ok     float64
		killAt engine.Time // the long request's worker's exit by shutdown_limit; 0: none
	}{
		{"stop", "[events.stop]\nat = \"2s\"\naction = \"stop\"\n", nil, 1, 7 * s},
		{"recycle (SIGHUP)", "[events.hup]\nat = \"2s\"\naction = \"recycle\"\n", nil, 2, 0},
		{"config_change (SIGHUP)", "[events.deploy]\nat = \"2s\"\naction = \"config_change\"\n", nil, 2, 0},
		{"SIGHUP then stop", "[events.a]\nat = \"2s\"\naction = \"recycle\"\n[events.b]\nat = \"4s\"\naction = \"stop\"\n", nil, 1, 9 * s},
		{"SIGHUP, at_limit written", "[events.hup]\nat = \"2s\"\naction = \"recycle\"\n", []string{"pool.shutdown_kill=at_limit"}, 1, 7 * s},
		{"gthread max_requests", "", []string{"gunicorn.workers=1", "gunicorn.threads=2", "gunicorn.max_requests=2"}, 2, 0},
	} {
		sc := decodeText(t, gunicornGraceful+c.events, c.sets...)
		if c.sets == nil && sc.Pool.ShutdownKill != "at_stop" {
			t.Fatalf("the gunicorn preset's shutdown_kill is %q, want at_stop", sc.Pool.ShutdownKill)
		}
		for _, cl := range sc.Clients {
			cl.Rate = 0
		}
		res, trace := runSends(t, sc, send{"long", s}, send{"short", s + engine.Millisecond})
		m := res.Metrics
		want := 0.0
		if c.killAt > 0 {
			want = 1
		}
		var kills []engine.Time
		for _, lc := range res.Workers {
			if lc.Why == "shutdown_limit" {
				kills = append(kills, lc.Exit)
			}
		}
		if m.OK != c.ok || m.AbandonedShutdown != want || len(kills) != int(want) || want == 1 && kills[0] != c.killAt {
			t.Errorf("%s: ok %v abandoned_shutdown %v, shutdown kills at %v; want ok %v and the long request killed at %v (0: not)\n%s",
				c.name, m.OK, m.AbandonedShutdown, kills, c.ok, c.killAt, trace)
		}
	}
}

// TestGunicornHUPForksFirst checks the rule "gunicorn's SIGHUP forks the
// new workers, then stops the old" (pool.reload = "fork_first", which the
// preset sets; docs/model.md#pool-wide-reload; gunicorn 20.1 arbiter.py
// Arbiter.reload: spawn_worker cfg.workers times with no pause, then
// manage_workers sends SIGTERM to the oldest beyond num_workers) on
// gunicornGraceful: a long request at 1.000 s (until 11.000 s) and a HUP
// (recycle) at 2 s. Both new workers start at 2 s and are ready 4 ms
// later (the preset's startup_time); the idle old worker exits at 2 s, the
// busy one when its request ends, at 11 s, and nothing replaces either. A
// short request at 2.001 s waits for a new worker: it starts at 2.004 s.
// The long request holds its worker 10 s plus the preset's
// request_overhead (0.75 ms): until 11.00075 s. With pool.reload =
// "per_worker" (each worker recycled on its own, not overlapped: the
// reading before fork_first) each old worker's replacement starts only
// when it has exited, after the 58 ms exit_time: the idle one's at
// 2.058 s, ready at 2.062 s, when the short request starts; the busy one's
// at 11.05875 s.
func TestGunicornHUPForksFirst(t *testing.T) {
	ms := engine.Millisecond
	us := engine.Microsecond
	for _, c := range []struct {
		reload             string
		starts             []engine.Time // the workers started after time 0
		idleExit, busyExit engine.Time   // the old workers' exits
		shortFrom          engine.Time   // when the short request starts
	}{
		{"fork_first", []engine.Time{2000 * ms, 2000 * ms}, 2000 * ms, 11000750 * us, 2004 * ms},
		{"per_worker", []engine.Time{2058 * ms, 11058750 * us}, 2058 * ms, 11058750 * us, 2062 * ms},
	} {
		sc := decodeText(t, gunicornGraceful+"[events.hup]\nat = \"2s\"\naction = \"recycle\"\n", "pool.reload="+c.reload)
		for _, cl := range sc.Clients {
			cl.Rate = 0
		}
		if got := sc.Pool.StartupTime.Mean; got != 4*ms {
			t.Fatalf("the gunicorn preset's startup_time is %v, the case is worked out for 4ms", got)
		}
		res, trace := runSends(t, sc, send{"long", 1000 * ms}, send{"short", 2001 * ms})
		var later, oldExits []engine.Time
		for _, lc := range res.Workers {
			if s := lc.Spans[0].Start; s > 0 {
				later = append(later, s)
			} else {
				oldExits = append(oldExits, lc.Exit)
			}
		}
		m := res.Metrics
		ok := len(later) == len(c.starts) && m.OK == 2 && m.Recycles == 2 && len(oldExits) == 2
		for i := range later {
			ok = ok && later[i] == c.starts[i]
		}
		ok = ok && (oldExits[0] == c.idleExit && oldExits[1] == c.busyExit || oldExits[1] == c.idleExit && oldExits[0] == c.busyExit)
		short := lines(trace, "start req=2 ")
		if !ok || len(short) != 1 || !near(timesOf(trace, "start req=2 ")[0], c.shortFrom.Seconds()) {
			t.Errorf("reload %s: starts after 0 %v (want %v), old workers' exits %v (want %v and %v), ok %v recycles %v, short request %v (want from %v)\n%s",
				c.reload, later, c.starts, oldExits, c.idleExit, c.busyExit, m.OK, m.Recycles, short, c.shortFrom, trace)
		}
	}
}
