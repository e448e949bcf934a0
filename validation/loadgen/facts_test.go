package main

import (
	"math"
	"reflect"
	"testing"
	"time"
)

// TestWakeups checks the measure of the rule "after an emergency restart
// php-fpm's master sends SIGTERM at its next wake-up, the first child exit"
// on a hand-made log: a restart at 0, the SIGTERM at 12.00 ms and an idle
// child's exit logged at 12.05 ms give 12.05 ms to the exit and −0.05 ms
// from it; a restart whose SIGTERM came with no child exiting of itself
// before the re-exec (every child busy) gives nothing.
func TestWakeups(t *testing.T) {
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	at := func(us int) time.Time { return t0.Add(time.Duration(us) * time.Microsecond) }
	events := []ServerEvent{
		{At: at(0), Kind: "emergency_restart"},
		{At: at(12000), Kind: "sigterm_sent"},
		{At: at(12010), Kind: "sigterm_sent"},
		{At: at(12050), Kind: "exit_in_reload"},
		{At: at(13000), Kind: "term_in_reload"},
		{At: at(13100), Kind: "exec"},
		{At: at(5e6), Kind: "emergency_restart"},
		{At: at(6e6), Kind: "sigterm_sent"},
		{At: at(6e6 + 500), Kind: "term_in_reload"},
		{At: at(6e6 + 600), Kind: "exec"},
		{At: at(6e6 + 900), Kind: "exit_in_reload"},
	}
	toExit, exitToTerm := wakeups(events)
	if len(toExit) != 1 || math.Abs(toExit[0]-12.05) > 1e-9 || math.Abs(exitToTerm[0]+0.05) > 1e-9 {
		t.Errorf("to exit %v, exit to SIGTERM %v; want [12.05] [-0.05]", toExit, exitToTerm)
	}
}

// TestFreeWorkerRequests checks the selection behind the calibration of
// the client's path: a request counts only when fewer requests than the
// pool's workers were in flight at its send (from the generator's view),
// and only an unfaulted 200.
func TestFreeWorkerRequests(t *testing.T) {
	ms := time.Millisecond
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// Two workers. Sends at 0, 1, 2, 3, 20 and 30 ms.
	reqs := []struct {
		at, service, latency time.Duration
		status               int
		fault                Fault
	}{
		{0, 10 * ms, 11 * ms, 200, FaultNone},                        // none in flight: counts, 1 ms
		{1 * ms, 10 * ms, 12 * ms, 200, FaultNone},                   // one in flight: counts, 2 ms
		{2 * ms, 10 * ms, 25 * ms, 200, FaultNone},                   // two in flight: waited, left out
		{3 * ms, 10 * ms, 5 * ms, 502, FaultCrash},                   // three in flight, and a 502
		{20 * ms, 10 * ms, 13 * ms, 200, FaultNone},                  // one in flight (the third, until 27 ms): 3 ms
		{30 * ms, 10 * ms, 10500 * time.Microsecond, 200, FaultHang}, // faulted: left out
	}
	plan := make([]Request, len(reqs))
	rr := &runResult{start: t0, results: make([]result, len(reqs))}
	for i, r := range reqs {
		plan[i] = Request{ID: i, At: r.at, Service: r.service, Fault: r.fault}
		rr.results[i] = result{sent: t0.Add(r.at), latency: r.latency, status: r.status}
	}
	if got, want := freeWorkerRequests(plan, rr, 2), []int{0, 1, 4}; !reflect.DeepEqual(got, want) {
		t.Errorf("freeWorkerRequests = %v, want %v", got, want)
	}
	// With one worker only the requests sent into an empty pool count.
	if got, want := freeWorkerRequests(plan, rr, 1), []int{0}; !reflect.DeepEqual(got, want) {
		t.Errorf("one worker: freeWorkerRequests = %v, want %v", got, want)
	}
}

// TestTurnaroundsMeasureTheWorkerBetweenWaitingRequests checks the worker's
// turnaround: the gap from one application end to the next start on the
// same worker counts only when the next request was sent at least 5 ms
// before that end (it was waiting); the overrun is hold minus service.
func TestTurnaroundsMeasureTheWorkerBetweenWaitingRequests(t *testing.T) {
	ms := time.Millisecond
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	us := t0.UnixMicro()
	reqs := []struct {
		sent            time.Duration
		pid             int
		startUS, holdUS int64
		service         time.Duration
	}{
		{0, 7, 1000, 10200, 10 * ms},       // worker 7: 1.000–11.200 ms
		{2 * ms, 7, 11700, 20100, 20 * ms}, // sent 9.2 ms before that end: 0.5 ms
		{30 * ms, 7, 31900, 5000, 5 * ms},  // sent 1.8 ms before 31.8 ms: on its way, left out
		{1 * ms, 8, 2000, 40300, 40 * ms},  // worker 8: alone
	}
	plan := make([]Request, len(reqs))
	rr := &runResult{start: t0, results: make([]result, len(reqs))}
	for i, r := range reqs {
		plan[i] = Request{ID: i, Service: r.service}
		rr.results[i] = result{sent: t0.Add(r.sent), status: 200, pid: r.pid, startUS: us + r.startUS, holdUS: r.holdUS}
	}
	turn, over := turnarounds(plan, rr)
	if want := []float64{0.5}; !reflect.DeepEqual(turn, want) {
		t.Errorf("turnarounds = %v ms, want %v", turn, want)
	}
	if want := []float64{0.2, 0.1, 0, 0.3}; len(over) != len(want) {
		t.Errorf("overruns = %v ms, want %v", over, want)
	} else {
		for i := range want {
			if math.Abs(over[i]-want[i]) > 1e-9 {
				t.Errorf("overrun %d = %v ms, want %v", i, over[i], want[i])
			}
		}
	}
}

// TestKillFacts checks the measures of the execution limit's kill on a
// hand-made run: two hanging requests ended by their worker's death, sent
// at 0 and 100 ms, answered 1200 ms and 2150.5 ms later; kill lines at
// 1199.5 ms (elapsed 1.1995 s) and 2250 ms (elapsed 2.2 s), and one at
// 3000 ms that ended no request. Each request's end minus the last kill
// line before it: 0.5 ms and 0.5 ms; the elapsed figures' mean 1.69975 s.
// A hanging request answered 200 (no kill) is left out.
func TestKillFacts(t *testing.T) {
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	ms := func(x float64) time.Duration { return time.Duration(x * 1e6) }
	plan := []Request{{ID: 1, Fault: FaultHang}, {ID: 2, Fault: FaultHang}, {ID: 3, Fault: FaultHang}}
	rr := &runResult{start: t0, results: []result{
		{sent: t0, latency: ms(1200), status: 502},
		{sent: t0.Add(ms(100)), latency: ms(2150.5), status: 502},
		{sent: t0.Add(ms(200)), latency: ms(10), status: 200},
	}}
	reasons := map[int]string{1: reasonWorkerDied, 2: reasonWorkerDied}
	events := []ServerEvent{
		{At: t0.Add(ms(1199.5)), Kind: "timeout_kill", Elapsed: ms(1199.5)},
		{At: t0.Add(ms(2250)), Kind: "timeout_kill", Elapsed: ms(2200)},
		{At: t0.Add(ms(3000)), Kind: "timeout_kill"},
	}
	f := map[string]float64{}
	killFacts(f, plan, rr, events, reasons)
	want := map[string]float64{"kill_elapsed_n": 2, "kill_elapsed_s_mean": 1.69975, "kill_elapsed_s_min": 1.1995, "kill_elapsed_s_max": 2.2,
		"kill_to_end_ms_p50": 0.5, "kill_to_end_ms_max": 0.5}
	for k, v := range want {
		if math.Abs(f[k]-v) > 1e-9 {
			t.Errorf("%s = %v, want %v", k, f[k], v)
		}
	}
}

// TestDownSpansRunFromADeathToTheNextNewWorker checks the spans left out of
// the client's path: to the first start of each new worker from the latest
// death before it (a crash's 502, or the last answer of a worker that went
// away: a recycle).
func TestDownSpansRunFromADeathToTheNextNewWorker(t *testing.T) {
	ms := time.Millisecond
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	reqs := []struct {
		sent, latency time.Duration
		status, pid   int
		fault         Fault
	}{
		{100 * ms, 10 * ms, 200, 7, FaultNone},   // initial worker 7
		{200 * ms, 10 * ms, 200, 8, FaultNone},   // initial worker 8
		{2000 * ms, 50 * ms, 502, 0, FaultCrash}, // a crash: death at 2.05 s
		{2055 * ms, 10 * ms, 200, 9, FaultNone},  // new worker 9 starts at 2.06 s
		{3000 * ms, 10 * ms, 200, 8, FaultNone},  // worker 8's last answer, 3.01 s: it went away
		{3020 * ms, 50 * ms, 200, 10, FaultNone}, // new worker 10 starts at 3.07 s
		{9000 * ms, 10 * ms, 200, 9, FaultNone},  // the run ends at 9.01 s
		{9000 * ms, 10 * ms, 200, 10, FaultNone},
		{8990 * ms, 20 * ms, 200, 7, FaultNone},
	}
	plan := make([]Request, len(reqs))
	rr := &runResult{start: t0, results: make([]result, len(reqs))}
	for i, r := range reqs {
		plan[i] = Request{ID: i, Fault: r.fault}
		res := result{sent: at(r.sent), latency: r.latency, status: r.status, pid: r.pid}
		if r.status == 200 {
			res.startUS = at(r.sent + 5*ms).UnixMicro()
		}
		rr.results[i] = res
	}
	got := downSpans(plan, rr)
	want := spans{{at(2050 * ms), at(2060 * ms)}, {at(3010 * ms), at(3025 * ms)}}
	same := len(got) == len(want)
	for i := 0; same && i < len(got); i++ {
		same = got[i][0].Equal(want[i][0]) && got[i][1].Equal(want[i][1])
	}
	if !same {
		t.Fatalf("downSpans = %v, want %v", got, want)
	}
	for _, c := range []struct {
		t    time.Duration
		down bool
	}{{2049 * ms, false}, {2050 * ms, true}, {2059 * ms, true}, {2060 * ms, false}, {3020 * ms, true}} {
		if got := want.contains(at(c.t)); got != c.down {
			t.Errorf("contains(%v) = %v, want %v", c.t, got, c.down)
		}
	}
}
