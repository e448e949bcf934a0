package model

import (
	"testing"

	"github.com/poolsim/poolsim/engine"
)

// TestPresetPHPFPMMaxRequestsChildExits checks php-fpm's rule
// "pm.max_requests: a child exits after its N-th request, with no overlap
// (the master forks its replacement only when it has reaped it), and its
// siblings keep serving" (php-src sapi/fpm/fpm/fpm_main.c: the child's
// request loop counts requests and leaves it after the max_requests-th;
// fpm_children.c: fpm_children_bury reaps it and, pm = static, forks the
// replacement at once; docs/model.md, php-fpm and #exit-time) through the
// preset: pm = static, max_children = 2, max_requests = 3, one request at
// a time of 100 ms, so each holds its child h = 100 ms + request_overhead
// (0.45 ms). S is the preset's startup_time (2.5 ms), x its exit_time
// (5 ms). Both children are ready at S; a tie goes to child 1 (least_busy,
// the first ready).
//
//   - requests at 1.000, 1.200 and 1.400 s go to child 1 (both idle): its
//     third ends at E = 1.400 + h = 1.50045 s, and child 1 exits, from E to
//     E + x = 1.50545 s;
//   - a request at 1.450 s (child 1 busy) goes to child 2, until 1.55045 s;
//   - no replacement before child 1 is gone: child 3 starts at E + x and is
//     ready at E + x + S = 1.50795 s;
//   - requests at 1.502 and 1.503 s find child 1 exiting and child 2 busy:
//     they wait in the queue; the first is taken by child 3 when it is
//     ready (1.50795 s), the second by child 2 when it is free (1.55045 s).
//
// Six requests, six answered.
func TestPresetPHPFPMMaxRequestsChildExits(t *testing.T) {
	sc := decodeText(t, "server = \"php-fpm\"\nhorizon = \"10s\"\n[php_fpm]\npm = \"static\"\nmax_children = 2\nmax_requests = 3\n"+
		"[classes.page]\nservice = \"100ms\"\n[clients.users]\nkind = \"poisson\"\nrate = 1.0\n")
	sc.Clients["users"].Rate = 0 // only the requests sent below
	p := sc.Pool
	S, okS := p.StartupTime.Constant()
	x, okX := p.ExitTime.Constant()
	if !okS || !okX || p.Recycle.Overlapping || p.Recycle.RequestsJitter != 0 {
		t.Fatalf("the php-fpm preset's startup_time %+v, exit_time %+v, overlapping %v, jitter %d: want constants, no overlap, no jitter",
			p.StartupTime, p.ExitTime, p.Recycle.Overlapping, p.Recycle.RequestsJitter)
	}
	ms := engine.Millisecond
	h := 100*ms + p.RequestOverhead.T()
	res, trace := runAt(t, sc, 1000*ms, 1200*ms, 1400*ms, 1450*ms, 1502*ms, 1503*ms)
	if m := res.Metrics; m.OK != 6 || m.Recycles != 1 {
		t.Errorf("ok %v recycles %v, want 6 and 1\n%s", m.OK, m.Recycles, trace)
	}
	E := 1400*ms + h
	if len(res.Workers) != 3 {
		t.Fatalf("%d children, want 3: the two forked at start and child 1's replacement\n%s", len(res.Workers), trace)
	}
	c1, c2, c3 := res.Workers[0], res.Workers[1], res.Workers[2]
	if c1.Why != "requests" || c1.Exit != E+x {
		t.Errorf("child 1 exit %v (%s), want max_requests at E + x = %v", c1.Exit, c1.Why, E+x)
	}
	if c2.Exit != engine.Never {
		t.Errorf("child 2 exit %v (%s), want alive: a sibling does not exit with child 1", c2.Exit, c2.Why)
	}
	if c3.Spans[0].Start != E+x || c3.Spans[0].End != E+x+S {
		t.Errorf("child 3 starting %v–%v, want from child 1's exit %v to %v (no overlap)", c3.Spans[0].Start, c3.Spans[0].End, E+x, E+x+S)
	}
	for _, c := range []struct {
		req, worker string
		at          engine.Time
	}{
		{"1", "1", 1000 * ms}, {"2", "1", 1200 * ms}, {"3", "1", 1400 * ms},
		{"4", "2", 1450 * ms},
		{"5", "3", E + x + S},
		{"6", "2", 1450*ms + h},
	} {
		got := timesOf(trace, "start req="+c.req+" worker="+c.worker)
		if len(got) != 1 || !near(got[0], c.at.Seconds()) {
			t.Errorf("request %s starts in child %s at %v, want once at %v\n%s", c.req, c.worker, got, c.at.Seconds(), trace)
		}
	}
}
