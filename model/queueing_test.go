package model

import (
	"fmt"
	"math"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/internal/stattest"
	"github.com/poolsim/poolsim/model/queueing"
	"github.com/poolsim/poolsim/model/scenario"
)

// Where the pool reduces to a textbook queue — one worker that never fails,
// threads = c servers, queue_length = K − c waiting places, Poisson
// arrivals, no timeouts — the simulator must reproduce the exact stationary
// results of queueing theory. Every comparison is a confidence interval
// over independent replications (distinct Options.Replication: independent
// streams) containing the exact value at the 99.9 % level (see checkCI);
// the warm-up removes the start from an empty system, and its length is
// many relaxation times of the queue in question.

// queueScenario is baseScenario with a service distribution and a warm-up.
func queueScenario(rate float64, service scenario.Dist, threads, queue int, horizon, warmup engine.Time) *scenario.Scenario {
	sc := baseScenario(rate, service.Expected(), threads, queue, horizon)
	sc.Classes["page"].Service = service
	sc.Warmup = scenario.Warmup{Duration: scenario.Duration(warmup)}
	return sc
}

// TestErlangB checks the loss system M/G/c/c (queue_length = 0): the share
// of arrivals rejected with 503 QueueFull is Erlang B whatever the service
// distribution (insensitivity), and the mean number of busy threads is the
// carried load λ(1 − B)E[S] (Little's law applied to the threads).
//
// c = 5 threads, λ = 3/s, E[S] = 1 s: a = 3 erlangs, B = 0.110054. Each of
// the 20 replications measures 10 000 s after a 50 s warm-up (M/G/c/c
// forgets an empty start within a few service times), about 30 000
// arrivals; the 99.9 % interval of B is then about ±0.002.
func TestErlangB(t *testing.T) {
	const (
		c      = 5
		lambda = 3.0
		reps   = 20
	)
	es := engine.Second
	a := lambda * es.Seconds()
	b := queueing.ErlangB(c, a)
	for _, tc := range []struct {
		name                string
		service             scenario.Dist
		maxHalfB, maxHalfNB float64 // see checkCI
	}{
		{"exponential", scenario.Dist{Kind: "exponential", Mean: es}, 0.0034, 0.023},
		{"deterministic", scenario.Const(es), 0.0022, 0.014},
		{"lognormal cv=2", scenario.Dist{Kind: "lognormal", Mean: es, CV: 2}, 0.0046, 0.031},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := queueScenario(lambda, tc.service, c, 0, 10050*engine.Second, 50*engine.Second)
			rs := runReps(t, sc, 0, reps)
			for _, r := range rs {
				checkConservation(t, r.Metrics)
				if r.Metrics.RejectedAppOffline != 0 || r.Metrics.Crashes != 0 {
					t.Fatalf("a fault-free loss system had faults: %+v", r.Metrics)
				}
			}
			checkCI(t, "blocking rate_503", metric(rs, func(m *Metrics) float64 { return m.Rate503 }), b, tc.maxHalfB)
			checkCI(t, "busy_mean (carried load)", metric(rs, func(m *Metrics) float64 { return m.BusyMean }), a*(1-b), tc.maxHalfNB)
		})
	}
}

// TestErlangC checks M/M/c with c = 4, λ = 3.2/s, μ = 1/s (ρ = 0.8): the
// mean wait in queue of the requests that start is Wq = C(4, 3.2)/(cμ − λ)
// and the time-average queue length is Lq = λWq. An M/M/4 queue at ρ = 0.8
// relaxes within about a hundred service times; the warm-up is 500 s and
// each of 20 replications measures 20 000 s (about 64 000 requests).
func TestErlangC(t *testing.T) {
	const (
		c      = 4
		lambda = 3.2
		reps   = 20
	)
	wq := queueing.MMcWait(c, lambda, 1)
	sc := queueScenario(lambda, scenario.Dist{Kind: "exponential", Mean: engine.Second}, c, 1<<30, 20500*engine.Second, 500*engine.Second)
	rs := runReps(t, sc, 100, reps)
	for _, r := range rs {
		checkConservation(t, r.Metrics)
		if r.Metrics.RejectedQueueFull != 0 {
			t.Fatalf("an unbounded queue rejected requests: %+v", r.Metrics)
		}
	}
	checkCI(t, "wait_mean_s", metric(rs, func(m *Metrics) float64 { return m.WaitMeanS }), wq, 0.044)
	checkCI(t, "queue_mean", metric(rs, func(m *Metrics) float64 { return m.QueueMean }), lambda*wq, 0.145)
	checkCI(t, "busy_mean", metric(rs, func(m *Metrics) float64 { return m.BusyMean }), lambda, 0.02)
	checkCI(t, "response_mean_s", metric(rs, func(m *Metrics) float64 { return m.ResponseMeanS }), wq+1, 0.047)
}

// TestMMcK checks M/M/c/K with c = 4 threads and queue_length = 6 (K = 10)
// at λ = 3.6/s, μ = 1/s: blocking p_K, Lq, the busy threads, and the mean
// wait of admitted requests Wq = Lq / (λ(1 − p_K)) (Little's law with the
// exact numbers). 20 replications of 20 000 s after a 100 s warm-up.
func TestMMcK(t *testing.T) {
	const (
		c, k   = 4, 10
		lambda = 3.6
		reps   = 20
	)
	block, lq, busy := queueing.MMcK(c, k, lambda, 1)
	wq := lq / (lambda * (1 - block))
	sc := queueScenario(lambda, scenario.Dist{Kind: "exponential", Mean: engine.Second}, c, k-c, 20100*engine.Second, 100*engine.Second)
	rs := runReps(t, sc, 200, reps)
	for _, r := range rs {
		checkConservation(t, r.Metrics)
	}
	checkCI(t, "blocking rate_503", metric(rs, func(m *Metrics) float64 { return m.Rate503 }), block, 0.002)
	checkCI(t, "queue_mean", metric(rs, func(m *Metrics) float64 { return m.QueueMean }), lq, 0.028)
	checkCI(t, "busy_mean", metric(rs, func(m *Metrics) float64 { return m.BusyMean }), busy, 0.014)
	checkCI(t, "wait_mean_s", metric(rs, func(m *Metrics) float64 { return m.WaitMeanS }), wq, 0.0075)
}

// TestLittleExact checks Little's law as an identity of one run's
// bookkeeping rather than a statistical statement. Arrivals stop after an
// hour (a time-of-day profile with factor 0 from 01:00) and the run lasts
// two, so the pool starts and ends empty: no request is cut by the ends of
// the measured span. Then the area under the queue length equals the sum
// of the waits of every admitted request, and the area under the busy
// threads the sum of their service times:
//
//	queue_mean·T = wait_mean_s·(arrivals − rejected)
//	busy_mean·T  = (response_mean_s − wait_mean_s)·ok
//
// exactly, up to floating-point rounding (relative 1e-9 is thousands of
// ulps of sums over some 10⁴ terms).
func TestLittleExact(t *testing.T) {
	for _, tc := range []struct {
		c, queue int
		lambda   float64
	}{{4, 6, 3.6}, {4, 1 << 30, 3.2}, {2, 0, 3}, {1, 3, 1.5}} {
		t.Run(fmt.Sprintf("c=%d queue=%d λ=%v", tc.c, tc.queue, tc.lambda), func(t *testing.T) {
			sc := queueScenario(tc.lambda, scenario.Dist{Kind: "exponential", Mean: engine.Second}, tc.c, tc.queue, 2*engine.Hour, 0)
			sc.Clients["users"].Profile = []scenario.ProfilePoint{{At: 0, Factor: 1}, {At: scenario.TimeOfDay(engine.Hour), Factor: 0}}
			res, err := Run(sc, Options{})
			if err != nil {
				t.Fatal(err)
			}
			m := res.Metrics
			checkConservation(t, m)
			if m.InFlight != 0 || m.OK+m.RejectedQueueFull != m.Arrivals {
				t.Fatalf("the pool did not drain: %+v", m)
			}
			T := res.Horizon.Seconds()
			admitted := m.Arrivals - m.RejectedQueueFull
			relEq(t, "queue area vs sum of waits", m.QueueMean*T, m.WaitMeanS*admitted, 1e-9)
			relEq(t, "busy area vs sum of service times", m.BusyMean*T, (m.ResponseMeanS-m.WaitMeanS)*m.OK, 1e-9)
			t.Logf("queue area %.10g s = sum of waits %.10g s; busy area %.10g s = sum of service %.10g s",
				m.QueueMean*T, m.WaitMeanS*admitted, m.BusyMean*T, (m.ResponseMeanS-m.WaitMeanS)*m.OK)
		})
	}
}

func relEq(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol*math.Max(math.Abs(want), 1e-300) {
		t.Errorf("%s: %.12g vs %.12g (relative difference %.3g)", what, got, want, math.Abs(got-want)/math.Abs(want))
	}
}

// TestCICoverage checks that the confidence intervals the replications give
// are honest: 100 independent experiments, each of 10 short replications of
// the Erlang B system of TestErlangB (c = 5, a = 3, 500 s measured after a
// 20 s warm-up), each give a 95 % Student-t interval of the blocking
// probability. Each contains the exact B with probability 0.95 if the
// simulator is right and the per-run estimates are close enough to normal,
// so the number that do is Binomial(100, 0.95); it must fall in that
// distribution's central 99.9 % region, computed by stattest.BinomialBounds
// ([87, 100]). A biased simulator, or one whose
// replications are not independent, falls below it.
//
// About 1.5 million requests; skipped with -short, run in CI.
func TestCICoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("100 × 10 replications; run without -short")
	}
	const (
		experiments = 100
		reps        = 10
		c           = 5
		lambda      = 3.0
	)
	b := queueing.ErlangB(c, lambda)
	sc := queueScenario(lambda, scenario.Dist{Kind: "exponential", Mean: engine.Second}, c, 0, 520*engine.Second, 20*engine.Second)
	rs := runReps(t, sc, 10_000, experiments*reps)
	covered := 0
	for e := range experiments {
		xs := metric(rs[e*reps:(e+1)*reps], func(m *Metrics) float64 { return m.Rate503 })
		mean, half := stattest.MeanCI(xs, 0.95)
		if math.Abs(mean-b) <= half {
			covered++
		}
	}
	lo, hi := stattest.BinomialBounds(experiments, 0.95, 0.999)
	t.Logf("%d of %d 95 %% intervals contain B = %.6f; Binomial(100, 0.95) 99.9 %% region [%d, %d]", covered, experiments, b, lo, hi)
	if covered < lo || covered > hi {
		t.Errorf("coverage %d/%d outside [%d, %d]", covered, experiments, lo, hi)
	}
}
