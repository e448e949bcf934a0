package model

import (
	"bytes"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model/httperr"
	"github.com/poolsim/poolsim/model/scenario"
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
		sc.Classes["page"].Service = scenario.Const(10 * engine.Millisecond)
		sc.Pool.StartupTime = scenario.Const(60 * engine.Second)
		sc.Pool.StartupTimeLimit = scenario.Duration(90 * engine.Second)
		sc.Pool.ShutdownTimeLimit = scenario.Duration(90 * engine.Second)
		sc.Pool.Recycle.Time = scenario.Duration(5 * engine.Minute)
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
	sc.Clients["users"].Timeout = scenario.Duration(3 * engine.Second)
	sc.Clients["users"].Profile = []scenario.ProfilePoint{{At: 0, Factor: 1}, {At: scenario.TimeOfDay(engine.Hour), Factor: 0}}
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
	sc.Classes["page"].Service = scenario.Const(10 * engine.Millisecond)
	sc.Classes["long"] = &scenario.Class{Service: scenario.Const(engine.Hour)}
	sc.Clients["long"] = &scenario.Client{Kind: "polling", Class: "long", Count: 2, Period: scenario.Duration(engine.Second), Mode: "after_response"}
	sc.Pool.StartupTime = scenario.Dist{Kind: "empirical", Values: []engine.Time{engine.Second, 200 * engine.Second}}
	sc.Pool.StartupTimeLimit = scenario.Duration(90 * engine.Second)
	sc.Pool.ShutdownTimeLimit = scenario.Duration(30 * engine.Second)
	sc.Pool.Recycle.Time = scenario.Duration(engine.Minute)
	sc.Pool.Ping.Enabled = false
	sc.Pool.RapidFail.MaxCrashes = 1
	sc.Pool.RapidFail.RestartAfter = scenario.Duration(10 * engine.Second)
	res, err := Run(sc, Options{})
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

// TestCommonRandomNumbersWithRetries checks the rule "a request's own draws
// are keyed on its identity" (docs/model.md#random-numbers): two variants
// whose rejections, and so whose retries, differ must still give every
// request they both see (the same client, sender, request number and
// attempt) the same fault draw and the same service time. The trace lists
// each arrival's identity and draws. Variant B's short queue refuses many
// requests that variant A serves; with retry.policy = "fixed" those retries
// exist only in B, and with a shared stream every later draw of B would
// fall out of step with A's.
func TestCommonRandomNumbersWithRetries(t *testing.T) {
	draws := func(queue int) map[string]string {
		sc := baseScenario(3, engine.Second, 4, queue, 20*engine.Minute)
		sc.Classes["page"].Crash = 0.01
		sc.Clients["pollers"] = &scenario.Client{Kind: "polling", Class: "page", Count: 10, Period: scenario.Duration(5 * engine.Second), Mode: "interval"}
		sc.Pool.RapidFail.Enabled = false
		sc.Retry = scenario.Retry{Policy: "fixed", MaxAttempts: 3, Delay: scenario.Duration(engine.Second)}
		_, trace := runTraced(t, sc)
		out := map[string]string{}
		re := regexp.MustCompile(`arrive req=\d+ client=(\S+) sender=(\d+) n=(\d+) attempt=(\d+) (fault=\S+ service=\d+)`)
		for _, m := range re.FindAllStringSubmatch(trace, -1) {
			out[strings.Join(m[1:5], "/")] = m[5]
		}
		return out
	}
	a, b := draws(1000), draws(2)
	common, retries, onlyB := 0, 0, 0
	for id, db := range b {
		da, ok := a[id]
		if !ok {
			onlyB++
			continue
		}
		common++
		if !strings.HasSuffix(id, "/1") {
			retries++
		}
		if da != db {
			t.Errorf("request %s: %s in variant A, %s in variant B", id, da, db)
		}
	}
	if common < 1000 || onlyB < 100 || retries < 10 {
		t.Fatalf("%d requests in both variants (%d of them retries), %d only in B: the variants must share many requests and differ in many", common, retries, onlyB)
	}
	t.Logf("%d requests in both variants, %d of them retries; %d only in B", common, retries, onlyB)
}

// wasCount returns the count of WAS event id in res, and whether the run
// lists that id at all.
func wasCount(res *Result, id int) (int, bool) {
	for _, e := range res.WAS {
		if e.ID == id {
			return e.Count, true
		}
	}
	return 0, false
}

// TestWASEventIDs checks the rule "each supervisor event has the ID WAS
// logs for it" (docs/model.md#events): a private-memory recycle is event
// 5117 ("requested a recycle because it reached its private bytes memory
// limit"), never 5077, which is the virtual-memory limit (pool.recycle.virtual_memory); an overlapped recycle whose replacement is killed before it is
// ready is 5093 (WAS_EVENT_FAILED_TO_OVERLAP_RECYCLE), once per replacement
// killed while the old worker still served.
func TestWASEventIDs(t *testing.T) {
	res := story(t, "memory-recycle")
	if n, _ := wasCount(res, 5117); n == 0 || float64(n) != res.Metrics.Recycles {
		t.Errorf("5117 counted %d times, want every private-memory recycle (%v)", n, res.Metrics.Recycles)
	}
	if n, _ := wasCount(res, 5077); n != 0 {
		t.Errorf("5077 (virtual memory) counted %d times for private-memory recycles", n)
	}

	res, err := Run(failingStarts(6*engine.Hour), Options{})
	if err != nil {
		t.Fatal(err)
	}
	replacements := 0
	for _, l := range res.Workers {
		if l.Why != "startup_limit" {
			continue
		}
		for _, o := range res.Workers {
			if o.ID != l.ID && o.Spans[0].Start < l.Spans[0].Start && o.Exit > l.Exit {
				replacements++ // another worker served throughout: a replacement
				break
			}
		}
	}
	if n, _ := wasCount(res, 5093); replacements == 0 || n != replacements {
		t.Errorf("5093 counted %d times, want the %d replacements killed at their startup limit", n, replacements)
	}
}

// TestServingAvailabilityHung checks the rule "the pool cannot serve while
// requests wait and every thread of every ready worker hangs"
// (docs/model.md#availability). One worker of one thread, every request
// hangs, no ping: the first request hangs at once, and from the second
// arrival on the queue is never empty, so the pool is down from the second
// arrival to the horizon, while rapid-fail protection never stops it:
// time_not_stopped (availability) stays 1, serving_availability is the
// second arrival's time over the horizon, one outage that never ends.
func TestServingAvailabilityHung(t *testing.T) {
	sc := baseScenario(0.2, engine.Second, 1, 1000, engine.Hour)
	sc.Classes["page"].Hang = 1
	sc.Pool.QueueTimeout = 0
	res, trace := runTraced(t, sc)
	m := res.Metrics
	times := traceTimes(t, trace, "arrive ")
	if len(times) < 2 {
		t.Fatalf("%d arrivals", len(times))
	}
	H := res.Horizon.Seconds()
	if m.Availability != 1 || m.TimeNotStopped != 1 {
		t.Errorf("availability %v, time_not_stopped %v: the pool was never stopped", m.Availability, m.TimeNotStopped)
	}
	if want := times[1] / H; math.Abs(m.ServingAvailability-want) > 1e-6 {
		t.Errorf("serving_availability = %v, want second arrival %v s / %v s = %v", m.ServingAvailability, times[1], H, want)
	}
	if m.Outages != 1 || math.Abs(m.OutageTimeS-(H-times[1])) > 1e-5 || m.OutageMeanS != m.OutageTimeS || !math.IsNaN(m.TimeToRecoverS) {
		t.Errorf("outages %v, outage_time_s %v, outage_mean_s %v, time_to_recover_s %v; want 1, %v, the same, NaN (never recovered)",
			m.Outages, m.OutageTimeS, m.OutageMeanS, m.TimeToRecoverS, H-times[1])
	}
}

// traceTimes returns the times of the trace lines whose text begins with
// prefix.
func traceTimes(t *testing.T, trace, prefix string) []float64 {
	t.Helper()
	var out []float64
	for _, line := range strings.Split(trace, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || !strings.HasPrefix(strings.Join(f[1:], " "), prefix) {
			continue
		}
		v, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// TestOutagesOfNonOverlappedRecycles checks the outage rules
// (docs/model.md#availability) on non-overlapped recycles: each recycle
// leaves no ready worker for the 10 s start-up of the replacement (and the
// first worker's cold start too), and under a light load the pool is down
// from the first arrival in such a gap until the replacement is ready. The
// gaps are replayed from the trace: outages, their total and mean, and the
// mean time to recover must match, up to the trace's microsecond rounding.
func TestOutagesOfNonOverlappedRecycles(t *testing.T) {
	sc := baseScenario(1, 10*engine.Millisecond, 4, 1000, engine.Hour)
	sc.Classes["page"].Service = scenario.Const(10 * engine.Millisecond)
	sc.Pool.StartupTime = scenario.Const(10 * engine.Second)
	sc.Pool.StartupTimeLimit = scenario.Duration(90 * engine.Second)
	sc.Pool.Recycle.Time = scenario.Duration(5 * engine.Minute)
	sc.Pool.Recycle.Overlapping = false
	res, trace := runTraced(t, sc)
	m := res.Metrics
	noWorker, down := true, false
	var start, total, recovered float64
	var outages, ended int
	for _, line := range strings.Split(trace, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		now, _ := strconv.ParseFloat(f[0], 64)
		switch {
		case f[1] == "arrive" && noWorker && !down:
			down, start = true, now
			outages++
		case f[1] == "worker" && f[3] == "draining":
			noWorker = true
		case f[1] == "worker" && f[3] == "ready":
			noWorker = false
			if down {
				down = false
				total += now - start
				recovered += now - start
				ended++
			}
		}
	}
	if down {
		total += res.Horizon.Seconds() - start
	}
	if outages < 10 || ended == 0 {
		t.Fatalf("only %d outages replayed", outages)
	}
	tol := 2e-6 * float64(outages)
	if m.Outages != float64(outages) || math.Abs(m.OutageTimeS-total) > tol ||
		math.Abs(m.OutageMeanS-total/float64(outages)) > tol || math.Abs(m.TimeToRecoverS-recovered/float64(ended)) > tol {
		t.Errorf("outages %v, outage_time_s %v, outage_mean_s %v, time_to_recover_s %v; replayed %d, %v, %v, %v",
			m.Outages, m.OutageTimeS, m.OutageMeanS, m.TimeToRecoverS, outages, total, total/float64(outages), recovered/float64(ended))
	}
	if want := 1 - m.OutageTimeS/res.Horizon.Seconds(); math.Abs(m.ServingAvailability-want) > 1e-12 {
		t.Errorf("serving_availability %v, want 1 − outage_time_s/horizon = %v", m.ServingAvailability, want)
	}
	t.Logf("%d outages, %.3f s in all, availability %v, serving %.6f", outages, total, m.Availability, m.ServingAvailability)
}

// TestWarmupAutoRefusesOutages checks the rule "warm-up = auto never erases
// an outage" (docs/model.md#warm-up) on the shipped trend page, whose
// first slow episode stops the pool for good: MSER-5 would cut most of the
// run, so no warm-up is used, a warning says why, and the counts agree
// with each other (the pool was stopped for part of the measured time, so
// the trip is counted).
func TestWarmupAutoRefusesOutages(t *testing.T) {
	data, err := catalog.Read("trend-page")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Decode("trend-page.toml", data, set("warmup", `"auto"`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Metrics
	if res.Warmup != 0 || len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0], `warmup = "auto"`) {
		t.Fatalf("warm-up %v, warnings %q: want none used and a warning", res.Warmup, res.Warnings)
	}
	if m.Availability >= 1 || m.RapidFailTrips < 1 || m.Crashes < 1 {
		t.Errorf("availability %v with %v trips and %v crashes: the outage must be measured", m.Availability, m.RapidFailTrips, m.Crashes)
	}
	t.Logf("warnings: %q", res.Warnings)
}

// TestStoppedBeforeWarmup checks the rule "events before the warm-up are
// left out, and a pool already stopped when measuring begins is said so"
// (docs/model.md#warm-up): the crash loop without restart stops within
// seconds; with a 10-minute warm-up the measured time is all stopped
// (availability 0) with no trip counted, which the result must explain:
// BeforeWarmup holds the trip and a warning names it.
func TestStoppedBeforeWarmup(t *testing.T) {
	res := story(t, "crash-loop", "pool.rapid_fail.restart_after=never", "warmup=10m")
	m := res.Metrics
	if m.Availability != 0 || m.RapidFailTrips != 0 {
		t.Fatalf("availability %v, trips %v: the setup must stop the pool before the warm-up ends", m.Availability, m.RapidFailTrips)
	}
	if !res.BeforeWarmup.StoppedAtWarmup || res.BeforeWarmup.RapidFailTrips != 1 || res.BeforeWarmup.Crashes != 5 {
		t.Errorf("before the warm-up: %+v, want stopped, 1 trip, 5 crashes", res.BeforeWarmup)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "already stopped") {
		t.Errorf("warnings %q", res.Warnings)
	}
}

// TestEmergencyRestartCountsOnlyFaultSignals checks the rule "php-fpm's
// emergency restart counts only children that die of SIGSEGV or SIGBUS"
// (docs/model.md#supervisors). Workers that run out of memory are killed
// by the out-of-memory killer (SIGKILL): under emergency_restart they never
// trigger a restart however many there are, while the same run under iis
// stops the pool, and crashes of the code (SIGSEGV) do trigger restarts,
// each counted in emergency_restarts and in php-fpm's log.
func TestEmergencyRestartCountsOnlyFaultSignals(t *testing.T) {
	oom := story(t, "memory-limit", "pool.rapid_fail.policy=emergency_restart")
	if oom.Metrics.Crashes < 10 || oom.Metrics.EmergencyRestarts != 0 || oom.Metrics.RapidFailTrips != 0 {
		t.Errorf("out-of-memory kills: %v crashes, %v emergency restarts, %v trips; want many, 0, 0", oom.Metrics.Crashes, oom.Metrics.EmergencyRestarts, oom.Metrics.RapidFailTrips)
	}
	if iis := story(t, "memory-limit"); iis.Metrics.RapidFailTrips != 1 {
		t.Errorf("iis counts out-of-memory kills: %v trips, want 1", iis.Metrics.RapidFailTrips)
	}
	seg := story(t, "emergency-restart")
	if seg.Metrics.EmergencyRestarts == 0 {
		t.Fatal("no emergency restart on crashes of the code")
	}
	if seg.Log.Name != "php-fpm log (error_log)" {
		t.Errorf("log %q, want php-fpm's", seg.Log.Name)
	}
	for _, l := range seg.Log.Lines {
		if strings.HasPrefix(l.Text, "failed processes threshold") && float64(l.Count) != seg.Metrics.EmergencyRestarts {
			t.Errorf("php-fpm log: %d reloads, emergency_restarts %v", l.Count, seg.Metrics.EmergencyRestarts)
		}
	}
}

// TestStartModes checks the start rules of a web garden
// (docs/model.md#start). Four workers of one thread, 10 s start-ups, and
// a load that needs all four from the first seconds:
//
//   - on_demand: the first four arrivals each find the waiting requests
//     outnumbering the threads on their way, so all four workers start
//     within the first four arrivals, not one start-up after another;
//   - all_at_once and always_running: all four start at time 0, before any
//     request, and a worker that crashes is replaced at the same instant.
func TestStartModes(t *testing.T) {
	for _, mode := range []string{"on_demand", "all_at_once", "always_running"} {
		sc := baseScenario(3, engine.Second, 1, 1000, 10*engine.Minute)
		sc.Pool.MaxProcesses = 4
		sc.Pool.StartMode = mode
		sc.Pool.StartupTime = scenario.Const(10 * engine.Second)
		sc.Pool.StartupTimeLimit = scenario.Duration(90 * engine.Second)
		sc.Pool.IdleTimeout = scenario.Duration(engine.Minute)
		sc.Classes["page"].Crash = 0.01
		sc.Pool.RapidFail.Enabled = false
		res, trace := runTraced(t, sc)
		arrivals := traceTimes(t, trace, "arrive ")
		starts := workerStarts(res)
		if len(starts) < 4 || len(arrivals) < 4 {
			t.Fatalf("%s: %d starts, %d arrivals", mode, len(starts), len(arrivals))
		}
		last := starts[3].Seconds()
		if mode == "on_demand" {
			if last > arrivals[3]+1e-6 {
				t.Errorf("on_demand: the 4th worker started at %.3f s, after the 4th arrival at %.3f s", last, arrivals[3])
			}
			continue
		}
		if last != 0 {
			t.Errorf("%s: the 4th worker started at %v s, want 0", mode, last)
		}
		replaced := 0
		for _, l := range res.Workers {
			if l.Why != "crash" {
				continue
			}
			for _, s := range starts {
				if s == l.Exit {
					replaced++
					break
				}
			}
		}
		if res.Metrics.Crashes == 0 || float64(replaced) != res.Metrics.Crashes {
			t.Errorf("%s: %d of %v crashed workers replaced at the instant they died", mode, replaced, res.Metrics.Crashes)
		}
	}
}

// TestHTTPErrNames checks the rule "HTTPERR reason names follow
// pool.httperr_names" (docs/model.md#outcomes): Windows Server 2008 and
// later (the default, "reqqueue") write Timer_ReqQueue and
// Connection_Abandoned_By_ReqQueue; "apppool" writes IIS 6's
// Timer_AppPool and Connection_Abandoned_By_AppPool. The backoff crash
// loop both expires and abandons requests.
func TestHTTPErrNames(t *testing.T) {
	for _, tc := range []struct{ names, expired, abandoned string }{
		{"reqqueue", "Timer_ReqQueue", "Connection_Abandoned_By_ReqQueue"},
		{"apppool", "Timer_AppPool", "Connection_Abandoned_By_AppPool"},
	} {
		sc := decodeStory(t, "crash-loop", "pool.rapid_fail.policy=backoff", `pool.httperr_names="`+tc.names+`"`)
		var log bytes.Buffer
		res, err := Run(sc, Options{HTTPErr: &log})
		if err != nil {
			t.Fatal(err)
		}
		lines, err := httperr.Parse(&log)
		if err != nil {
			t.Fatal(err)
		}
		got := httperr.CountReasons(lines)
		if float64(got[tc.expired]) != res.Metrics.Expired || float64(got[tc.abandoned]) != res.Metrics.Abandoned || res.Metrics.Expired == 0 || res.Metrics.Abandoned == 0 {
			t.Errorf("%s: reasons %v, want %v %s and %v %s", tc.names, got, res.Metrics.Expired, tc.expired, res.Metrics.Abandoned, tc.abandoned)
		}
	}
}

// TestAssumptionsAreInEffect checks the rule "every value that is an
// assumption rather than a server setting is shown as in effect"
// (docs/model.md#assumptions): each listed key is a scenario key, and
// setting it to the listed value changes nothing, so the list shows the
// values the run uses; the effective TOML decodes back to the same
// scenario, defaults included.
func TestAssumptionsAreInEffect(t *testing.T) {
	for _, sets := range [][]string{nil, {"pool.threads=7", "pool.max_processes=3", `pool.dispatch="least_busy"`, `pool.start_mode="all_at_once"`}} {
		sc := decodeStory(t, "slow-backend", sets...)
		as := scenario.Assumptions(sc)
		keys := map[string]bool{}
		for _, a := range as {
			keys[a.Key] = true
			again := decodeStory(t, "slow-backend", append(append([]string(nil), sets...), a.Key+"="+a.Value)...)
			if !reflect.DeepEqual(again, sc) {
				t.Errorf("%v: %s = %s is not the value in effect", sets, a.Key, a.Value)
			}
		}
		for _, k := range []string{"pool.threads", "pool.start_mode", "pool.ping.answered_while_hung", "pool.rapid_fail.window", "backends.historian.on_timeout"} {
			if !keys[k] {
				t.Errorf("%v: %s not among the assumptions", sets, k)
			}
		}
		if keys["pool.dispatch"] != (sc.Pool.MaxProcesses > 1) {
			t.Errorf("%v: dispatch listed = %v with %d processes", sets, keys["pool.dispatch"], sc.Pool.MaxProcesses)
		}
		eff, err := scenario.EffectiveTOML(sc)
		if err != nil {
			t.Fatal(err)
		}
		back, err := scenario.Decode("effective.toml", eff)
		if err != nil {
			t.Fatalf("effective TOML does not decode: %v\n%s", err, eff)
		}
		if !reflect.DeepEqual(back, sc) {
			t.Errorf("%v: the effective TOML decodes to another scenario:\n%s", sets, eff)
		}
	}
}

// runTraced runs sc with a trace, checks that its outcomes add up, and
// returns the result and the trace.
func runTraced(t *testing.T, sc *scenario.Scenario) (*Result, string) {
	t.Helper()
	var trace bytes.Buffer
	res, err := Run(sc, Options{Trace: &trace})
	if err != nil {
		t.Fatal(err)
	}
	checkConservation(t, res.Metrics)
	return res, trace.String()
}

// TestCrashAt checks the rule "a crash happens when the request's code ends,
// or, with crash_at = "start", as it begins" (docs/model.md#requests): every
// request of an hour-long class crashes its worker; in ten minutes none
// ends, so with "end" nothing crashes and every request is still in flight,
// while with "start" each request kills its worker at once and is the only
// request abandoned with it.
func TestCrashAt(t *testing.T) {
	for _, at := range []string{"end", "start"} {
		sc := baseScenario(0.05, engine.Hour, 25, 1000, 10*engine.Minute)
		sc.Classes["page"].Service = scenario.Const(engine.Hour)
		sc.Classes["page"].Crash = 1
		sc.Classes["page"].CrashAt = at
		sc.Pool.RapidFail.Enabled = false
		res, err := Run(sc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		m := res.Metrics
		checkConservation(t, m)
		if m.Arrivals < 10 {
			t.Fatalf("%s: only %v arrivals", at, m.Arrivals)
		}
		switch at {
		case "end":
			if m.Crashes != 0 || m.InFlight != m.Arrivals {
				t.Errorf("end: %v crashes, %v of %v in flight; want none, all", m.Crashes, m.InFlight, m.Arrivals)
			}
		case "start":
			if m.Crashes != m.Arrivals || m.AbandonedCrash != m.Arrivals {
				t.Errorf("start: %v crashes, %v abandoned of %v arrivals; want every one", m.Crashes, m.AbandonedCrash, m.Arrivals)
			}
		}
	}
}

// TestAssumptionsFollowTheServer checks that a value the modelled server
// sets is not listed as an assumption (docs/model.md#assumptions): a php-fpm
// child executes one request at a time (pm's children, not poolsim's
// threads), and php-fpm has no start mode, HTTPERR log or IIS rapid-fail
// window; and that the explanations of those listed speak of the server
// modelled (no IIS wording for php-fpm, gunicorn or uWSGI).
func TestAssumptionsFollowTheServer(t *testing.T) {
	for _, server := range []string{"php-fpm", "gunicorn", "uwsgi"} {
		sc, err := scenario.Decode("fpm.toml", []byte("server = \""+server+"\"\npool.max_processes = 4\n[classes.page]\nservice = \"10ms\"\n[clients.users]\nkind = \"poisson\"\nrate = 1\n"))
		if err != nil {
			t.Fatal(err)
		}
		dispatch := false
		for _, a := range scenario.Assumptions(sc) {
			switch a.Key {
			case "pool.threads", "pool.start_mode", "pool.httperr_names", "pool.rapid_fail.window":
				t.Errorf("%s: %s = %s listed as an assumption", server, a.Key, a.Value)
			case "pool.dispatch":
				dispatch = true
			}
			// The explanations speak of the server modelled.
			if strings.Contains(a.Why, "IIS") {
				t.Errorf("%s: %s explained in IIS's terms: %s", server, a.Key, a.Why)
			}
		}
		if !dispatch {
			t.Errorf("%s: pool.dispatch of 4 workers not listed", server)
		}
	}
}

// TestDropGivenUp checks both readings of "whether a request whose client
// gave up stays queued" (docs/model.md#requests). An overloaded pool (6/s
// against 4 threads of 1 s) with 3 s client timeouts: by default the
// request keeps its place and later occupies a thread for nothing; with
// pool.drop_given_up = true it leaves the queue when its client gives up,
// so no request starts after its client gave up while it waited, and the
// others wait less.
func TestDropGivenUp(t *testing.T) {
	waits := map[bool]float64{}
	for _, drop := range []bool{false, true} {
		sc := baseScenario(6, engine.Second, 4, 1000, 20*engine.Minute)
		sc.Pool.QueueTimeout = 0
		sc.Pool.DropGivenUp = drop
		sc.Clients["users"].Timeout = scenario.Duration(3 * engine.Second)
		res, trace := runTraced(t, sc)
		gaveUp := map[string]bool{}
		late := 0
		for _, line := range strings.Split(trace, "\n") {
			f := strings.Fields(line)
			switch {
			case len(f) >= 4 && f[1] == "client" && f[2] == "timeout":
				gaveUp[f[3]] = true
			case len(f) >= 3 && f[1] == "start" && gaveUp[f[2]]:
				late++
			}
		}
		if len(gaveUp) < 100 {
			t.Fatalf("drop=%v: only %d clients gave up", drop, len(gaveUp))
		}
		if drop && late != 0 || !drop && late < 100 {
			t.Errorf("drop_given_up=%v: %d requests started after their client gave up", drop, late)
		}
		waits[drop] = res.Metrics.WaitMeanS
	}
	if waits[true] >= waits[false] {
		t.Errorf("wait_mean_s %v with drop_given_up, %v without: dropping must shorten the waits", waits[true], waits[false])
	}
}

func set(key, value string) scenario.Override {
	return scenario.Override{Key: key, Value: value, Source: "--set"}
}
