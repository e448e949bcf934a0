package model

import (
	"fmt"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// A 4 MB response (4 × 1,048,576 = 4,194,304 bytes: sizes are binary) at
// 8 Mbit/s (1,000,000 bytes/s: bit rates are decimal) takes 4.194304 s to
// reach its client.
const (
	bufferedSize     = 4 << 20
	bufferedTransfer = 4.194304
)

// bufferedPool is one worker of one thread serving 1 s requests whose 4 MB
// response goes to a client at 8 Mbit/s, with pool.proxy_buffering as
// given.
func bufferedPool(t *testing.T, buffering bool) *scenario.Scenario {
	sc := handScenario(1, engine.Second, 60*engine.Second)
	sc.Pool.MinBytesPerSecond = 0
	sc.Pool.ProxyBuffering = buffering
	sc.Classes["page"].ResponseSize = scenario.Constant[scenario.Size](bufferedSize)
	sc.Clients["users"].Bandwidth = rate(t, "8Mbit/s")
	return sc
}

// outcomeTimes returns the times of the trace's outcome lines of the given
// outcome, in order.
func outcomeTimes(trace, outcome string) []float64 {
	var out []float64
	for _, line := range lines(trace, "outcome req=") {
		if strings.HasSuffix(line, " "+outcome) {
			var f float64
			if _, err := fmtSscan(line, &f); err == nil {
				out = append(out, f)
			}
		}
	}
	return out
}

func nearAll(got, want []float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !near(got[i], want[i]) {
			return false
		}
	}
	return true
}

// TestProxyBufferingFreesWorkerAtServiceEnd checks the rule "behind a
// buffering proxy (pool.proxy_buffering: nginx's fastcgi_buffering,
// proxy_buffering, uwsgi_buffering, on by default) the worker's thread is
// freed when the service ends, and the request's ok is recorded when the
// client has received the response, size / bandwidth later"
// (docs/model.md#responses-and-bandwidth). Two requests arrive together at
// 0 on one thread, each with a 1 s service and a 4.194304 s transfer:
//
//   - buffering: the second starts at 1 s, right after the first's
//     service; the clients receive their responses at 1 + 4.194304 and
//     2 + 4.194304 s;
//   - no buffering: the thread sends the first response until 5.194304 s,
//     so the second starts then and its client has it at 2 × 5.194304 s.
func TestProxyBufferingFreesWorkerAtServiceEnd(t *testing.T) {
	for _, c := range []struct {
		buffering bool
		starts    []float64
		oks       []float64
	}{
		{true, []float64{0, 1}, []float64{1 + bufferedTransfer, 2 + bufferedTransfer}},
		{false, []float64{0, 1 + bufferedTransfer}, []float64{1 + bufferedTransfer, 2 * (1 + bufferedTransfer)}},
	} {
		res, trace := runAt(t, bufferedPool(t, c.buffering), 0, 0)
		starts, oks := timesOf(trace, "start req="), outcomeTimes(trace, "ok")
		if handoffs := timesOf(trace, "proxy takes"); c.buffering && !nearAll(handoffs, []float64{1, 2}) || !c.buffering && len(handoffs) > 0 {
			t.Errorf("proxy_buffering = %v: handed to the proxy at %v\n%s", c.buffering, handoffs, trace)
		}
		if !nearAll(starts, c.starts) || !nearAll(oks, c.oks) {
			t.Errorf("proxy_buffering = %v: starts %v, ok at %v; want %v and %v\n%s", c.buffering, starts, oks, c.starts, c.oks, trace)
		}
		// Both requests arrived at 0, so their response times are the
		// times their clients received the responses.
		if m := res.Metrics; m.OK != 2 || !near(m.ResponseMeanS, (c.oks[0]+c.oks[1])/2) {
			t.Errorf("proxy_buffering = %v: ok %v response_mean_s %v, want 2 and %v", c.buffering, m.OK, m.ResponseMeanS, (c.oks[0]+c.oks[1])/2)
		}
	}
}

// TestProxyBufferingSurvivesWorkerEnd checks the rule "a response the
// worker has handed to a buffering proxy is the proxy's: the worker's
// death or recycle after the handoff does not abandon it"
// (docs/model.md#responses-and-bandwidth). A request at 0 runs its 1 s
// service and is sent until 5.194304 s; at 2 s its worker ends: a request
// of a class that crashes its worker 50 ms after it starts (on the second
// thread), or an operator's recycle with a 1 s shutdown_time_limit. Without
// buffering the download is cut (abandoned at 2.05 s by the crash, at 3 s
// by the recycle); with it, its client has it at 5.194304 s.
func TestProxyBufferingSurvivesWorkerEnd(t *testing.T) {
	ms := engine.Millisecond
	for _, c := range []struct {
		end       string // crash | recycle
		buffering bool
		okAt      []float64
		cutAt     []float64 // abandoned downloads
	}{
		{"crash", true, []float64{1 + bufferedTransfer}, nil},
		{"crash", false, nil, []float64{2.05}},
		{"recycle", true, []float64{1 + bufferedTransfer}, nil},
		{"recycle", false, nil, []float64{3}},
	} {
		name := fmt.Sprintf("%s, proxy_buffering = %v", c.end, c.buffering)
		sc := bufferedPool(t, c.buffering)
		sc.Pool.Threads = 2
		sc.Pool.ShutdownTimeLimit = scenario.Duration(engine.Second)
		sc.Classes["boom"] = &scenario.Class{Service: scenario.Const(50 * ms), Crash: 1, CrashAt: "end", CrashSignal: "segv"}
		sc.Clients["boom"] = &scenario.Client{Kind: "poisson", Rate: 0, Class: "boom"}
		sends := []send{{"users", 0}}
		if c.end == "crash" {
			sends = append(sends, send{"boom", 2 * engine.Second})
		} else {
			sc.Events = map[string]*scenario.Event{"deploy": {At: scenario.Duration(2 * engine.Second), Action: "recycle"}}
		}
		res, trace := runSends(t, sc, sends...)
		oks, cuts := outcomeTimes(trace, "ok"), outcomeTimes(trace, "abandoned")
		if c.end == "crash" {
			// The crashing request is abandoned itself, at 2.05 s.
			cuts = cuts[:len(cuts)-1]
			if m := res.Metrics; m.AbandonedCrash != float64(1+len(c.cutAt)) {
				t.Errorf("%s: abandoned_crash %v, want %v", name, m.AbandonedCrash, 1+len(c.cutAt))
			}
		}
		if !nearAll(oks, c.okAt) || !nearAll(cuts, c.cutAt) {
			t.Errorf("%s: ok at %v, download abandoned at %v; want %v and %v\n%s", name, oks, cuts, c.okAt, c.cutAt, trace)
		}
	}
}

// TestProxyBufferingClientTimeout checks that a client's timeout still
// applies while a buffering proxy sends its response, as while a worker
// sends it (docs/model.md#responses-and-bandwidth): with a 3 s client
// timeout the request of TestProxyBufferingFreesWorkerAtServiceEnd ends
// client_timeout at 3 s either way, and with buffering the thread is free
// from 1 s.
func TestProxyBufferingClientTimeout(t *testing.T) {
	for _, c := range []struct {
		buffering bool
		secondAt  float64
	}{{true, 1}, {false, 1 + bufferedTransfer}} {
		sc := bufferedPool(t, c.buffering)
		sc.Clients["users"].Timeout = scenario.Duration(3 * engine.Second)
		res, trace := runAt(t, sc, 0, 0)
		starts := timesOf(trace, "start req=")
		if m := res.Metrics; m.ClientTimeout != 2 || m.OK != 0 || len(starts) != 2 || !near(starts[1], c.secondAt) {
			t.Errorf("proxy_buffering = %v: client_timeout %v ok %v, starts %v; want 2, 0, second at %v\n%s", c.buffering, m.ClientTimeout, m.OK, starts, c.secondAt, trace)
		}
	}
}
