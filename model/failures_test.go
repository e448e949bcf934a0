package model

import (
	"math"
	"sort"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/internal/stattest"
	"github.com/poolsim/poolsim/model/scenario"
)

// crashScenario is a pool whose failures form a Poisson process: Poisson
// arrivals at rate lambda, each request crashing its worker with
// probability p at the end of a 1 µs service, a replacement worker ready at
// once (startup_time = 0) and a queue to hold arrivals meanwhile, so that
// every arrival executes and draws its crash exactly once. Thinning a
// Poisson process independently keeps it Poisson: crashes arrive at rate
// γ = λp, each 1 µs after its request (which shifts the process and
// changes nothing else; two requests overlap with probability about λ·1 µs
// = 5e-7 each, when one could be abandoned before drawing).
func crashScenario(lambda, p float64, maxCrashes int, interval, horizon engine.Time, window string) *scenario.Scenario {
	sc := baseScenario(lambda, engine.Microsecond, 1, 1000, horizon)
	sc.Classes["page"].Service = scenario.Const(engine.Microsecond)
	sc.Classes["page"].Crash = p
	sc.Pool.RapidFail = scenario.RapidFail{Policy: "iis", Enabled: true, MaxCrashes: maxCrashes,
		Interval: scenario.Duration(interval), RestartAfter: scenario.Duration(engine.Never), Window: window}
	return sc
}

// crashTimes lists the times at which workers crashed, in time order
// (lifecycles are in start order, and workers of a web garden need not
// crash in the order they started).
func crashTimes(res *Result) []engine.Time {
	var ts []engine.Time
	for _, lc := range res.Workers {
		if lc.Why == "crash" {
			ts = append(ts, lc.Exit)
		}
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	return ts
}

// fixedWindowTrips replays IIS's fixed window on crash times: the first
// failure opens a window [t, t+T); the first failure at or after its end
// opens the next; the pool stops at the n-th failure of a window. It
// returns whether and when.
func fixedWindowTrips(ts []engine.Time, n int, T engine.Time) (bool, engine.Time) {
	var start engine.Time
	count := 0
	for _, t := range ts {
		if count == 0 || t-start >= T {
			start, count = t, 0
		}
		count++
		if count >= n {
			return true, t
		}
	}
	return false, 0
}

// TestRapidFailTripProbability checks rapid-fail protection against the
// Poisson law. Crashes form a Poisson process at rate γ (crashScenario);
// N = max_crashes = 5 failures within T = interval = 5 min stop the pool,
// which is never restarted. γT = 4.
//
// Which formula holds depends on where the window is. IIS's fixed window
// opens at the first failure t1, so the pool stops in that window iff at
// least N−1 more crashes follow in (t1, t1+T): by the memorylessness of
// the Poisson process that is P(Poisson(γT) ≥ N−1), not ≥ N. The textbook
// 1 − Σ_{k<N} e^{−γT}(γT)^k/k! is the probability of N crashes in a window
// fixed in advance. Both are checked:
//
//   - horizon = T: all crashes fall in [0, T); the first opens a window
//     [t1, t1+T) that covers the rest of the run, and a sliding window
//     (now−T, now] at any crash holds every earlier one, so with either
//     window kind the pool stops iff the run has N crashes: probability
//     1 − Σ_{k<N} e^{−γT}(γT)^k/k! = 0.371163, and both kinds must agree
//     replication by replication (they see the same crashes: common random
//     numbers).
//   - horizon = 3T, fixed window, only the first window counted: among
//     runs whose first crash comes before 2T (so that its window ends before
//     the horizon), the share that stops within [t1, t1+T) is
//     P(Poisson(γT) ≥ N−1) = 0.566530.
//
// Each share over n = 2000 replications is Binomial(n, P) and must lie in
// its central 99.9 % region (stattest.BinomialBounds). Besides, the supervisor's
// decision in every run must equal the fixed-window rule replayed on the
// run's crash times (from Result.Workers), and the pool must stop at the
// N-th crash of the window.
func TestRapidFailTripProbability(t *testing.T) {
	const (
		n        = 2000
		N        = 5
		lambda   = 0.5
		gammaT   = 4.0
		interval = 5 * engine.Minute
	)
	p := gammaT / (lambda * interval.Seconds())

	t.Run("horizon=T", func(t *testing.T) {
		want := poissonTail(N, gammaT)
		trips := map[string][]bool{}
		for _, window := range []string{"fixed", "sliding"} {
			rs := runReps(t, crashScenario(lambda, p, N, interval, interval, window), 0, n)
			count := 0
			for i, r := range rs {
				m := r.Metrics
				checkConservation(t, m)
				trip := m.RapidFailTrips > 0
				if m.RapidFailTrips > 1 {
					t.Fatalf("replication %d: %v trips with no restart", i, m.RapidFailTrips)
				}
				if trip != (m.Crashes >= N) {
					t.Fatalf("%s replication %d: trip = %v with %v crashes in one window of %v", window, i, trip, m.Crashes, interval)
				}
				if trip {
					count++
					if m.RejectedAppOffline == 0 && m.Availability == 1 {
						t.Errorf("replication %d: the pool stopped but availability = 1 and no AppOffline", i)
					}
				}
				trips[window] = append(trips[window], trip)
			}
			checkBinomial(t, window+" window, horizon = T", count, n, want)
		}
		for i := range n {
			if trips["fixed"][i] != trips["sliding"][i] {
				t.Errorf("replication %d: fixed window trip = %v, sliding = %v, on the same crashes", i, trips["fixed"][i], trips["sliding"][i])
			}
		}
	})

	t.Run("first fixed window", func(t *testing.T) {
		want := poissonTail(N-1, gammaT)
		rs := runReps(t, crashScenario(lambda, p, N, interval, 3*interval, "fixed"), 5000, n)
		count, eligible := 0, 0
		for i, r := range rs {
			checkConservation(t, r.Metrics)
			ts := crashTimes(r)
			trip, at := fixedWindowTrips(ts, N, interval)
			if got := r.Metrics.RapidFailTrips > 0; got != trip {
				t.Fatalf("replication %d: rapid_fail_trips = %v, but the fixed-window rule on crashes %v says %v",
					i, r.Metrics.RapidFailTrips, ts, trip)
			}
			if trip && ts[len(ts)-1] != at {
				t.Errorf("replication %d: crashes went on after the pool stopped at %v: %v", i, at, ts)
			}
			if len(ts) == 0 || ts[0] >= 2*interval {
				continue
			}
			eligible++
			if trip && at < ts[0]+interval {
				count++
			}
		}
		checkBinomial(t, "stop within the first fixed window", count, eligible, want)
	})
}

// checkBinomial fails unless k successes of n lie in the central 99.9 %
// region of Binomial(n, p).
func checkBinomial(t *testing.T, what string, k, n int, p float64) {
	t.Helper()
	lo, hi := stattest.BinomialBounds(n, p, confidence)
	t.Logf("%s: %d of %d = %.4f, exact P = %.6f, 99.9 %% binomial region [%d, %d] = [%.4f, %.4f]",
		what, k, n, float64(k)/float64(n), p, lo, hi, float64(lo)/float64(n), float64(hi)/float64(n))
	if k < lo || k > hi {
		t.Errorf("%s: %d of %d outside [%d, %d]", what, k, n, lo, hi)
	}
}

// TestHungRequestsPing: hung requests are killed by pinging. A worker
// whose 10 threads all hang cannot answer the ping and is killed after
// ping.response_time: exactly its 10 hung requests are abandoned (cause
// ping) per kill. With pinging off the hung worker lives on, nothing is
// abandoned, and the queued requests expire (Timer_AppPool). With
// answered_while_hung the ping is answered and nothing is killed either.
func TestHungRequestsPing(t *testing.T) {
	const threads = 10
	on := story(t, "hung-ping")
	checkExpects(t, "ping on", on.Metrics, []expect{
		{"ping_kills", ">", 0},
		{"abandoned_ping", ">", 0},
		{"abandoned", "==", on.Metrics.AbandonedPing},
		{"abandoned_ping", "==", threads * on.Metrics.PingKills},
	})
	for _, lc := range on.Workers {
		if lc.Why != "ping" {
			continue
		}
		// The kill comes at least response_time after all threads hung.
		hung := lc.Spans[len(lc.Spans)-1]
		if hung.Phase != PhaseHung || lc.Exit-hung.Start < 90*engine.Second {
			t.Errorf("worker %d killed by ping at %v, last phase %v from %v", lc.ID, lc.Exit, hung.Phase, hung.Start)
		}
	}
	for _, sets := range []string{"pool.ping.enabled=false", "pool.ping.answered_while_hung=true"} {
		off := story(t, "hung-ping", sets)
		checkExpects(t, sets, off.Metrics, []expect{
			{"ping_kills", "==", 0},
			{"abandoned", "==", 0},
			{"expired", ">", 0},
			{"worker_starts", "==", 1},
		})
	}
	t.Logf("ping on: %v kills, %v abandoned (ping), %v expired", on.Metrics.PingKills, on.Metrics.AbandonedPing, on.Metrics.Expired)
}

// TestMemoryRecycle: a leak with a private-memory recycle. A worker's
// memory after n requests is base + n·per_request, and the trigger fires
// at the completion that brings it to private_memory: after
// n* = (200 MB − 100 MB) / 1 MB = 100 requests. With one thread and a
// non-overlapped recycle every worker serves exactly n* (none completes in
// a draining worker), so recycles = floor(requests served / n*) exactly.
//
// Overlapped, with four threads and a 2 s start, a worker also serves what
// arrives while its replacement starts (Poisson, mean λ·2 s = 4) and what
// is still on its threads when it drains (mean: the busy threads, about
// busy_mean): E[per worker] = n* + 4 + busy_mean, and
// recycles = (served − the last worker's part) / E[per worker] up to the
// noise of the sum. The last worker's part is between 0 and one worker's
// share (−1 ≤ error ≤ 0) and the sum's noise is √recycles·sd(per worker)
// / E[per worker] ≈ √70·2/104 ≈ 0.16 recycles; so
// |recycles − served/E[per worker]| ≤ 1 + 3·0.16 < 1.5.
func TestMemoryRecycle(t *testing.T) {
	const nStar = (200 - 100) / 1
	res := story(t, "memory-recycle")
	m := res.Metrics
	served := m.OK + m.Error + m.Stale
	if want := math.Floor(served / nStar); m.Recycles != want {
		t.Errorf("recycles = %v, want floor(%v / %d) = %v", m.Recycles, served, nStar, want)
	}
	for _, lc := range res.Workers {
		if lc.Exit != engine.Never && lc.Why != "private_memory" {
			t.Errorf("worker %d ended by %q, want private_memory", lc.ID, lc.Why)
		}
	}
	if m.WorkerStarts != m.Recycles+1 {
		t.Errorf("worker_starts = %v, want recycles + 1 = %v", m.WorkerStarts, m.Recycles+1)
	}
	t.Logf("served %v, recycles %v = floor(served/%d)", served, m.Recycles, nStar)

	over := story(t, "memory-recycle", "pool.recycle.overlapping=true", "pool.threads=4", "pool.startup_time=2s")
	mo := over.Metrics
	servedO := mo.OK + mo.Error + mo.Stale
	if hi := math.Floor(servedO / nStar); mo.Recycles > hi || mo.Recycles < 1 {
		t.Errorf("overlapped: recycles = %v, want between 1 and floor(%v / %d) = %v", mo.Recycles, servedO, nStar, hi)
	}
	perWorker := nStar + 2*2.0 + mo.BusyMean
	if want := servedO / perWorker; math.Abs(mo.Recycles-want) > 1.5 {
		t.Errorf("overlapped: recycles = %v, arithmetic predicts %.2f (served %v / %.2f per worker)", mo.Recycles, want, servedO, perWorker)
	}
	t.Logf("overlapped: served %v, recycles %v, predicted %.2f", servedO, mo.Recycles, servedO/perWorker)
}

// TestMemoryLimit: a leak with a memory limit and no recycle. A worker
// serves exactly (150 − 100) / 1 = 50 requests and crashes allocating for
// the 51st, which is abandoned (cause memory); five such crashes within
// five minutes (at 5 requests/s, 51 requests take about 10 s) stop the
// pool for good. With one thread everything is exact: 5 crashes, 5 × 50
// served, 5 abandoned, 1 trip, and every later request 503 AppOffline.
func TestMemoryLimit(t *testing.T) {
	res := story(t, "memory-limit")
	checkExpects(t, "memory limit", res.Metrics, []expect{
		{"crashes", "==", 5},
		{"abandoned_memory", "==", 5},
		{"abandoned", "==", 5},
		{"ok", "==", 250},
		{"rapid_fail_trips", "==", 1},
		{"rejected_app_offline", ">", 0},
		{"rejected_app_offline", "==", res.Metrics.Arrivals - 255 - res.Metrics.InFlight},
	})
	// With a private-memory recycle below the limit, the leak never
	// reaches it: no crash.
	fixed := story(t, "memory-limit", "pool.recycle.private_memory=140MB")
	checkExpects(t, "recycle at 140MB", fixed.Metrics, []expect{
		{"crashes", "==", 0},
		{"abandoned", "==", 0},
		{"rapid_fail_trips", "==", 0},
		{"recycles", ">", 0},
	})
}

// TestSingletonLock: overlapped recycles of an application holding a
// system-wide lock make the replacement's requests fail while the old
// worker drains (lock_conflicts, each a 500 with on_contention = fail);
// non-overlapped recycles never run two workers: no conflict.
func TestSingletonLock(t *testing.T) {
	over := story(t, "singleton-lock")
	checkExpects(t, "overlapped", over.Metrics, []expect{
		{"recycles", ">=", 4},
		{"lock_conflicts", ">", 0},
		{"error", "==", over.Metrics.LockConflicts},
	})
	non := story(t, "singleton-lock", "pool.recycle.overlapping=false")
	checkExpects(t, "non-overlapped", non.Metrics, []expect{
		{"recycles", "==", over.Metrics.Recycles},
		{"lock_conflicts", "==", 0},
		{"error", "==", 0},
	})
	wait := story(t, "singleton-lock", "lock.on_contention=wait")
	checkExpects(t, "overlapped, wait", wait.Metrics, []expect{
		{"lock_conflicts", ">", 0},
		{"error", "==", 0},
	})
	t.Logf("overlapped: %v conflicts over %v recycles", over.Metrics.LockConflicts, over.Metrics.Recycles)
}

// TestStaleCache: with on_timeout = "stale" and a cache whose ttl outlasts
// the slow episodes, every backend timeout is answered from the cache: no
// 500. With a 1 s ttl the answer cached when an episode began is too old
// by the time a call times out (30 s after it started), so those timeouts
// are 500s; only calls that started in an episode's last 30 s and time out
// after it ended, when fresh answers are cached again, are served stale.
// All runs see the same episodes and the same calls (polling on an
// interval, CRN), and a timeout frees its thread at the same instant
// whatever is answered, so the timeouts are the same in every run: stale
// with the long ttl = stale + error with the short one = error with
// on_timeout = "error".
func TestStaleCache(t *testing.T) {
	fresh := story(t, "stale-cache")
	checkExpects(t, "ttl 1h", fresh.Metrics, []expect{
		{"stale", ">", 0},
		{"error", "==", 0},
		{"crashes", "==", 0},
	})
	if age := fresh.Metrics.StaleAgeMeanS; age <= 0 || age > 3600 {
		t.Errorf("stale_age_mean_s = %v, want within (0, ttl]", age)
	}
	expired := story(t, "stale-cache", "backends.historian.cache.ttl=1s")
	checkExpects(t, "ttl 1s", expired.Metrics, []expect{
		{"error", ">", 0},
		{"error", "==", fresh.Metrics.Stale - expired.Metrics.Stale},
	})
	errs := story(t, "stale-cache", "backends.historian.on_timeout=error")
	checkExpects(t, "on_timeout error", errs.Metrics, []expect{
		{"error", "==", fresh.Metrics.Stale},
		{"stale", "==", 0},
	})
	t.Logf("timeouts: %v stale (ttl 1h); %v stale + %v errors (ttl 1s); %v errors (on_timeout = error)",
		fresh.Metrics.Stale, expired.Metrics.Stale, expired.Metrics.Error, errs.Metrics.Error)
}

// TestRetries: retries raise arrivals as the policy predicts. The pool is
// stopped by the first request's crash and never restarted, so every
// attempt fails (503 AppOffline, or abandoned for the first), and every
// first attempt is followed by max_attempts − 1 retries, all within the run
// (visitors stop at 01:00, the run ends at 02:00, delays are seconds):
// arrivals = max_attempts × first attempts exactly, retries the rest.
func TestRetries(t *testing.T) {
	for _, tc := range []struct {
		sets     []string
		attempts float64
	}{
		{[]string{"retry.policy=none"}, 1},
		{[]string{"retry.policy=fixed", "retry.max_attempts=3"}, 3},
		{[]string{"retry.policy=exponential", "retry.max_attempts=5", "retry.delay=1s", "retry.max_delay=30s"}, 5},
	} {
		res := story(t, "retry-stopped", tc.sets...)
		m := res.Metrics
		first := m.Arrivals - m.Retries
		if m.Arrivals != tc.attempts*first || m.InFlight != 0 {
			t.Errorf("%v: arrivals %v, retries %v: want arrivals = %v × %v first attempts", tc.sets, m.Arrivals, m.Retries, tc.attempts, first)
		}
		if m.RapidFailTrips != 1 || m.OK != 0 {
			t.Errorf("%v: the pool should stop at once: %+v", tc.sets, m)
		}
		t.Logf("%v: %v first attempts, %v arrivals", tc.sets, first, m.Arrivals)
	}
}

// replayIIS replays IIS rapid-fail protection with a sliding window and an
// automatic restart on crash times: failures in (t−T, t] numbering n stop
// the pool at t until t+restart, when the count starts afresh; failures
// while stopped cannot happen (no worker runs).
func replayIIS(crashes []engine.Time, n int, T, restart engine.Time) []engine.Time {
	var trips, window []engine.Time
	for _, c := range crashes {
		var kept []engine.Time
		for _, x := range window {
			if x > c-T {
				kept = append(kept, x)
			}
		}
		window = append(kept, c)
		if len(window) >= n {
			trips = append(trips, c)
			window = nil
		}
	}
	return trips
}

// workerStarts lists the start times of the workers, in order.
func workerStarts(res *Result) []engine.Time {
	var ts []engine.Time
	for _, lc := range res.Workers {
		ts = append(ts, lc.Spans[0].Start)
	}
	return ts
}

// TestSupervisorRestartTimes checks that each supervisor restarts workers
// when its rule says, on a crash loop (every request crashes its worker
// 100 ms into its service; requests keep coming).
func TestSupervisorRestartTimes(t *testing.T) {
	// iis with restart_after = 1m: five crashes within 5 minutes stop the
	// pool; it starts again a minute later. The trips replayed from the
	// crash times must be the run's, no worker may start while the pool is
	// stopped, and the time stopped is exactly one minute per trip (less
	// past the horizon), so availability is 1 − Σ min(60 s, H − trip)/H.
	t.Run("iis", func(t *testing.T) {
		res := story(t, "crash-loop")
		m := res.Metrics
		trips := replayIIS(crashTimes(res), 5, 5*engine.Minute, engine.Minute)
		if float64(len(trips)) != m.RapidFailTrips || len(trips) == 0 {
			t.Fatalf("rapid_fail_trips = %v, the sliding-window rule on the crashes gives %d", m.RapidFailTrips, len(trips))
		}
		H := res.Horizon
		var stopped engine.Time
		for _, tr := range trips {
			stopped += min(engine.Minute, H-tr)
			for _, s := range workerStarts(res) {
				if s >= tr && s < tr+engine.Minute {
					t.Errorf("worker started at %v while the pool was stopped [%v, %v)", s, tr, tr+engine.Minute)
				}
			}
		}
		if want := 1 - stopped.Seconds()/H.Seconds(); math.Abs(m.Availability-want) > 1e-12 {
			t.Errorf("availability = %.12f, want 1 − %v/%v = %.12f", m.Availability, stopped, H, want)
		}
		if m.RejectedAppOffline == 0 {
			t.Error("no AppOffline while stopped")
		}
		t.Logf("%d trips, availability %.6f", len(trips), m.Availability)
	})

	// emergency_restart (php-fpm): five crashes within five minutes
	// (a window closed at both ends) restart every worker, and the count
	// starts afresh; the pool never stops. At each restart instant every
	// other live worker must begin draining (why = emergency_restart), and
	// no worker may end so at any other instant.
	t.Run("emergency_restart", func(t *testing.T) {
		res := story(t, "emergency-restart")
		m := res.Metrics
		checkExpects(t, "emergency_restart", m, []expect{
			{"rejected_app_offline", "==", 0},
			{"rapid_fail_trips", "==", 0},
			{"availability", "==", 1},
			{"crashes", ">=", 10},
		})
		var restarts []engine.Time
		var window []engine.Time
		for _, c := range crashTimes(res) {
			var kept []engine.Time
			for _, x := range window {
				if x >= c-5*engine.Minute {
					kept = append(kept, x)
				}
			}
			window = append(kept, c)
			if len(window) >= 5 {
				restarts = append(restarts, c)
				window = nil
			}
		}
		if len(restarts) == 0 {
			t.Fatal("no emergency restart in the run")
		}
		isRestart := map[engine.Time]bool{}
		for _, r := range restarts {
			isRestart[r] = true
		}
		for _, lc := range res.Workers {
			end := lc.Exit // when it stopped taking requests
			for _, sp := range lc.Spans {
				if sp.Phase == PhaseDraining {
					end = sp.Start
				}
			}
			if lc.Why == "emergency_restart" && !isRestart[end] {
				t.Errorf("worker %d restarted at %v, not at a restart instant %v", lc.ID, end, restarts)
			}
			for _, r := range restarts {
				alive := lc.Spans[0].Start < r && end > r || end == r && lc.Why != "crash"
				if alive && lc.Why != "emergency_restart" {
					t.Errorf("worker %d alive at the restart at %v ended %q at %v", lc.ID, r, lc.Why, lc.Exit)
				}
			}
		}
		t.Logf("%d crashes, %d emergency restarts at %v", len(crashTimes(res)), len(restarts), restarts)
	})

	// A replacement started at the very instant of an emergency restart
	// is not a worker that the restart should replace.
	t.Run("emergency_restart spares its replacements", func(t *testing.T) {
		res := story(t, "emergency-restart")
		for _, lc := range res.Workers {
			if lc.Why == "emergency_restart" && lc.Exit == lc.Spans[0].Start {
				t.Errorf("worker %d started and was restarted at the same instant %v (worker_starts counts it)", lc.ID, lc.Exit)
			}
		}
	})

	// backoff (Kubernetes CrashLoopBackOff): the k-th failure of a streak
	// holds the next start back by min(10 s · 2^(k−1), 5 min) from the
	// failure. Requests always wait in the queue, so a worker starts the
	// moment it is allowed: start(k+1) = crash(k) + delay(k) exactly; the
	// streak never resets (crashes come at most 5 min + 100 ms apart,
	// under the 10 healthy minutes that reset it).
	t.Run("backoff", func(t *testing.T) {
		res := story(t, "crash-loop", "pool.rapid_fail.policy=backoff")
		m := res.Metrics
		checkExpects(t, "backoff", m, []expect{
			{"rejected_app_offline", "==", 0},
			{"rapid_fail_trips", "==", 0},
			{"availability", "==", 1},
		})
		crashes, starts := crashTimes(res), workerStarts(res)
		if len(crashes) < 8 {
			t.Fatalf("only %d crashes", len(crashes))
		}
		var gaps []string
		for k := 1; k < len(starts) && k <= len(crashes); k++ {
			delay := min(10*engine.Second<<min(k-1, 20), 5*engine.Minute)
			got := starts[k] - crashes[k-1]
			gaps = append(gaps, got.String())
			if got != delay {
				t.Errorf("worker %d started %v after crash %d, want %v", k+1, got, k, delay)
			}
		}
		t.Logf("start delays after each crash: %v", gaps)
	})
}

// TestLoadBalancerTCP checks the rule "a TCP-level refusal is its own
// outcome" (docs/model.md#outcomes): with load_balancer = "tcp" (IIS
// loadBalancerCapabilities = TcpLevel) HTTP.sys resets the connection
// instead of answering 503 when the pool is stopped or its queue is full,
// and logs no QueueFull or AppOffline line. The same crash loop run with
// "http" and "tcp" refuses the same requests (common random numbers): every
// 503 of the http run is a reset of the tcp run, and the tcp run has no 503
// at all, so rate_503 is 0 there and rate_reset carries the share.
func TestLoadBalancerTCP(t *testing.T) {
	httpRes := story(t, "crash-loop")
	tcpRes := story(t, "crash-loop", "pool.load_balancer=tcp")
	h, c := httpRes.Metrics, tcpRes.Metrics
	refused := h.RejectedQueueFull + h.RejectedAppOffline
	if refused == 0 || h.Arrivals != c.Arrivals {
		t.Fatalf("http refused %v of %v arrivals, tcp had %v arrivals: want some refusals and the same arrivals", refused, h.Arrivals, c.Arrivals)
	}
	if h.RejectedTCPReset != 0 || h.RateReset != 0 {
		t.Errorf("http: rejected_tcp_reset = %v, rate_reset = %v, want 0", h.RejectedTCPReset, h.RateReset)
	}
	if c.RejectedTCPReset != refused {
		t.Errorf("tcp: rejected_tcp_reset = %v, want the http run's 503s (%v)", c.RejectedTCPReset, refused)
	}
	if c.RejectedQueueFull != 0 || c.RejectedAppOffline != 0 || c.Rate503 != 0 {
		t.Errorf("tcp: rejected_queue_full %v, rejected_app_offline %v, rate_503 %v: a reset is not a 503", c.RejectedQueueFull, c.RejectedAppOffline, c.Rate503)
	}
	if c.RateReset != h.Rate503 {
		t.Errorf("tcp rate_reset = %v, want the http run's rate_503 %v", c.RateReset, h.Rate503)
	}
}
