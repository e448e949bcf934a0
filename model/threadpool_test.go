package model

import (
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// TestThreadPoolInjection checks the rule "a worker starts with min threads
// and injects one every injection while requests wait and all its threads
// are busy, up to max". min 1, max 3, 500 ms; four 10 s requests at 0 s:
// the first runs at 0, a thread is injected at 0.5 s (the second starts),
// another at 1 s (the third starts); the fourth waits for a free thread
// until 10 s, max being reached. Waits 0, 0.5, 1, 10: mean 2.875 s.
func TestThreadPoolInjection(t *testing.T) {
	sc := handScenario(25, 10*engine.Second, 60*engine.Second)
	sc.Pool.ThreadPool = scenario.ThreadPool{Min: 1, Max: 3, Injection: scenario.Duration(500 * engine.Millisecond)}
	res, trace := runAt(t, sc, 0, 0, 0, 0)
	m := res.Metrics
	at := timesOf(trace, "thread injected")
	if m.ThreadsInjected != 2 || len(at) != 2 || !near(at[0], 0.5) || !near(at[1], 1) {
		t.Errorf("threads_injected %v at %v, want 2 at [0.5 1]", m.ThreadsInjected, at)
	}
	if m.WaitMeanS != 2.875 {
		t.Errorf("wait_mean_s %v, want 2.875", m.WaitMeanS)
	}
	// The time series shows the thread count at the end of each row: 3
	// from the first row (0–6 s) on, while the fixed threads = 25 is unused.
	for _, row := range res.Series {
		if row.Threads != 3 {
			t.Errorf("row at %v: threads %d, want 3", row.Start, row.Threads)
		}
	}
}

// TestThreadPoolInjectionWhenWorkArrivesWaiting checks the same rule when
// the work starts waiting while every thread is busy, not at a completion:
// min 1, max 3, 500 ms; 10 s requests at 0, 2, 4 and 6 s. The second waits
// from 2 s and a thread is injected at 2.5 s; the third waits from 4 s and
// gets one at 4.5 s; the fourth, max being reached, waits for the first to
// end at 10 s. Waits 0, 0.5, 0.5, 4: mean 1.25 s.
func TestThreadPoolInjectionWhenWorkArrivesWaiting(t *testing.T) {
	sc := handScenario(25, 10*engine.Second, 60*engine.Second)
	sc.Pool.ThreadPool = scenario.ThreadPool{Min: 1, Max: 3, Injection: scenario.Duration(500 * engine.Millisecond)}
	res, trace := runAt(t, sc, 0, 2*engine.Second, 4*engine.Second, 6*engine.Second)
	at := timesOf(trace, "thread injected")
	if len(at) != 2 || !near(at[0], 2.5) || !near(at[1], 4.5) {
		t.Errorf("threads injected at %v, want [2.5 4.5]", at)
	}
	if m := res.Metrics; m.WaitMeanS != 1.25 {
		t.Errorf("wait_mean_s %v, want 1.25", m.WaitMeanS)
	}
}

// TestThreadPoolFixedWithoutMax checks that without thread_pool.max the
// worker has its fixed threads from the start: the same four requests all
// start at once.
func TestThreadPoolFixedWithoutMax(t *testing.T) {
	sc := handScenario(4, 10*engine.Second, 60*engine.Second)
	res, _ := runAt(t, sc, 0, 0, 0, 0)
	if m := res.Metrics; m.ThreadsInjected != 0 || m.WaitMeanS != 0 {
		t.Errorf("threads_injected %v wait_mean %v, want 0 0", m.ThreadsInjected, m.WaitMeanS)
	}
}

// TestThreadPoolRetire checks the rule "an idle thread above min retires
// after retire": the four requests of TestThreadPoolInjection end by 20 s;
// the retirement armed at the first injection (0.5 s) fires at 20.5 s with
// every thread idle and retires one, the next at 40.5 s another, leaving
// min = 1.
func TestThreadPoolRetire(t *testing.T) {
	sc := handScenario(25, 10*engine.Second, 60*engine.Second)
	sc.Pool.ThreadPool = scenario.ThreadPool{Min: 1, Max: 3, Injection: scenario.Duration(500 * engine.Millisecond), Retire: scenario.Duration(20 * engine.Second)}
	res, trace := runAt(t, sc, 0, 0, 0, 0)
	at := timesOf(trace, "thread retired")
	if res.Metrics.ThreadsRetired != 2 || len(at) != 2 || !near(at[0], 20.5) || !near(at[1], 40.5) {
		t.Errorf("threads_retired %v at %v, want 2 at [20.5 40.5]", res.Metrics.ThreadsRetired, at)
	}
}

// TestStoryThreadPoolStarvation runs the shipped story: each slow episode
// of the database queues requests while threads are injected one per
// 500 ms; raising the minimum removes the wait for injection.
func TestStoryThreadPoolStarvation(t *testing.T) {
	m := catalogStory(t, "threadpool-starvation").Metrics
	fix := catalogStory(t, "threadpool-starvation", "pool.thread_pool.min=50").Metrics
	if m.ThreadsInjected < 50 || m.ThreadsRetired < 50 || fix.ThreadsInjected > m.ThreadsInjected/10 {
		t.Errorf("threads_injected %v retired %v, with min 50: injected %v", m.ThreadsInjected, m.ThreadsRetired, fix.ThreadsInjected)
	}
	if m.WaitMeanS < 20*fix.WaitMeanS || m.Arrivals != fix.Arrivals {
		t.Errorf("wait_mean_s %v against %v with min 50: want starvation to show", m.WaitMeanS, fix.WaitMeanS)
	}
}
