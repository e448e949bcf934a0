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
