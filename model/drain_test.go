package model

import (
	"bytes"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model/accesslog"
	"github.com/poolsim/poolsim/model/scenario"
)

// TestDrainRefuse checks the rule "a worker shutting down with drain =
// refuse answers the requests it is given with 503 at once; with requeue
// they wait for the next worker". A non-overlapped recycle at 10 s of a
// worker running a 100 s request (A, from 0 s): B arrives at 20 s while the
// old worker drains. Refuse: B gets 503 at 20 s (rejected_shutdown). Requeue:
// B waits until the old worker exits at 100 s and the new one, ready at
// once, serves it by 200 s.
func TestDrainRefuse(t *testing.T) {
	for _, drain := range []string{"refuse", "requeue"} {
		sc := handScenario(2, 100*engine.Second, 300*engine.Second)
		sc.Pool.Recycle.Overlapping = false
		sc.Pool.Recycle.Drain = drain
		sc.Pool.ShutdownTimeLimit = scenario.Duration(200 * engine.Second)
		sc.Events = map[string]*scenario.Event{"deploy": {At: scenario.Duration(10 * engine.Second), Action: "recycle"}}
		res, trace := runAt(t, sc, 0, 20*engine.Second)
		m := res.Metrics
		switch drain {
		case "refuse":
			at := timesOf(trace, "refused")
			if m.RejectedShutdown != 1 || m.OK != 1 || len(at) != 1 || !near(at[0], 20) || m.Rate503 != 0.5 {
				t.Errorf("refuse: rejected_shutdown %v ok %v refused at %v rate_503 %v, want 1 1 [20] 0.5", m.RejectedShutdown, m.OK, at, m.Rate503)
			}
		case "requeue":
			if m.RejectedShutdown != 0 || m.OK != 2 || m.ResponseMeanS != (100+180)/2.0 {
				t.Errorf("requeue: rejected_shutdown %v ok %v response_mean %v, want 0 2 140", m.RejectedShutdown, m.OK, m.ResponseMeanS)
			}
		}
	}
}

// TestStoryOverlappedRecycle503 runs the shipped story: the deploy's
// overlapped recycle costs 503s when the draining worker refuses, none when
// it requeues, and loses nothing either way.
func TestStoryOverlappedRecycle503(t *testing.T) {
	m := catalogStory(t, "overlapped-recycle-503").Metrics
	if m.RejectedShutdown < 100 || m.Recycles != 1 || m.Abandoned != 0 {
		t.Errorf("refuse: rejected_shutdown %v recycles %v abandoned %v, want many 503s from one recycle", m.RejectedShutdown, m.Recycles, m.Abandoned)
	}
	fix := catalogStory(t, "overlapped-recycle-503", "pool.recycle.drain=requeue").Metrics
	if fix.RejectedShutdown != 0 || fix.Rate503 != 0 || fix.Abandoned != 0 || fix.Arrivals != m.Arrivals {
		t.Errorf("requeue: rejected_shutdown %v rate_503 %v abandoned %v arrivals %v/%v", fix.RejectedShutdown, fix.Rate503, fix.Abandoned, fix.Arrivals, m.Arrivals)
	}
}

// TestDrainRefuseLogs checks the rule of docs/model.md "Draining" that a
// shutting-down worker's 503s are the application's (the ASP.NET Core
// Module answers inside w3wp): each is a line of the W3C access log with
// sc-status 503, and none is an HTTPERR line.
func TestDrainRefuseLogs(t *testing.T) {
	data, _ := catalog.Scenario("overlapped-recycle-503")
	var access, httperr bytes.Buffer
	res, err := Run(decodeText(t, string(data)), Options{AccessLog: &access, HTTPErr: &httperr})
	if err != nil {
		t.Fatal(err)
	}
	r := accesslog.NewReader("access", &access, accesslog.Options{})
	n503 := 0
	for {
		rec, err := r.Next()
		if err != nil {
			break
		}
		if rec.Status == 503 {
			n503++
		}
	}
	if m := res.Metrics; n503 == 0 || float64(n503) != m.RejectedShutdown { // the story has no warm-up
		t.Errorf("access log: %d lines with 503, rejected_shutdown %v", n503, m.RejectedShutdown)
	}
	for _, line := range strings.Split(httperr.String(), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			t.Errorf("HTTPERR line for a run with only shutting-down 503s: %q", line)
		}
	}
}
