package model

import (
	"context"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// Rule (budget): every source of events counts in the estimate, so that a
// scenario that would run for hours is refused before it starts, naming
// the source. Each case here ran until killed before the estimate counted
// it (a handful of requests, and one setting that makes events without
// them).
func TestBudgetCountsEverySource(t *testing.T) {
	day := 24 * engine.Hour
	cases := []struct {
		name  string
		edit  func(sc *scenario.Scenario, opt *Options)
		cause string
	}{
		{"pings", func(sc *scenario.Scenario, _ *Options) {
			sc.Pool.Ping = scenario.Ping{Enabled: true, Interval: 1, ResponseTime: scenario.Duration(engine.Second)}
		}, "pings"},
		{"slow episodes", func(sc *scenario.Scenario, _ *Options) {
			sc.Backends = map[string]*scenario.Backend{"db": {Latency: scenario.Const(engine.Millisecond), Slow: &scenario.Slow{Every: scenario.Const(1), Lasting: scenario.Const(1), Latency: scenario.Const(engine.Second)}}}
		}, "slow episodes"},
		{"recycles", func(sc *scenario.Scenario, _ *Options) { sc.Pool.Recycle.Time = 1 }, "worker starts"},
		{"restart loop", func(sc *scenario.Scenario, _ *Options) {
			sc.Pool.StartupTime = scenario.Const(2 * engine.Second)
			sc.Pool.StartupTimeLimit = scenario.Duration(engine.Microsecond)
		}, "worker starts"},
		{"retries", func(sc *scenario.Scenario, _ *Options) {
			sc.Clients["users"].Rate = 1
			sc.Retry = scenario.Retry{Policy: "fixed", MaxAttempts: 1000, Delay: scenario.Duration(engine.Second)}
		}, "retries"},
		{"time-series rows", func(_ *scenario.Scenario, opt *Options) { opt.Interval = 1 }, "time-series rows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := baseScenario(0.01, 10*engine.Millisecond, 4, 100, 30*day)
			opt := Options{Interval: engine.Minute, SeriesTo: func(SeriesRow) error { return nil }}
			if err := CheckRun(sc, opt); err != nil {
				t.Fatalf("the scenario without the change is refused: %v", err)
			}
			c.edit(sc, &opt)
			err := CheckRun(sc, opt)
			var be *BudgetError
			if !errors.As(err, &be) || be.Memory {
				t.Fatalf("not refused for events: %v", err)
			}
			if !strings.Contains(err.Error(), c.cause) || !strings.Contains(err.Error(), "--max-events") {
				t.Errorf("the message does not name %q: %v", c.cause, err)
			}
		})
	}
}

// Rule (budget): an unlimited queue under overload holds every request
// that arrives; the memory it would take counts in the budget.
func TestBudgetCountsQueueMemory(t *testing.T) {
	sc := baseScenario(200, engine.Second, 1, 1000, 24*engine.Hour) // 200 a second against one a second
	if err := CheckRun(sc, Options{}); err != nil {
		t.Fatalf("a queue of 1000 is refused: %v", err)
	}
	sc.Pool.QueueLength = 1<<31 - 1
	var be *BudgetError
	if err := CheckRun(sc, Options{}); !errors.As(err, &be) || !be.Memory || !strings.Contains(err.Error(), "queue_length") {
		t.Fatalf("an unlimited queue under overload is not refused for memory: %v", err)
	}
	sc.Pool.QueueTimeout = scenario.Duration(2 * engine.Minute) // at most 24,000 wait at once
	if err := CheckRun(sc, Options{}); err != nil {
		t.Errorf("a queue bounded by queue_timeout is refused: %v", err)
	}
}

// Rule (budget): time stamps have four-digit years, so a start plus horizon
// past 9999 is refused; a time series held in memory is bounded.
func TestBudgetRefusesYear10000AndHeldRows(t *testing.T) {
	sc := baseScenario(0.001, engine.Millisecond, 1, 10, 24*engine.Hour)
	sc.Start = time.Date(9999, 12, 31, 12, 0, 0, 0, time.UTC)
	if err := CheckRun(sc, Options{}); err == nil || !strings.Contains(err.Error(), "9999") {
		t.Errorf("a run into the year 10000 is not refused: %v", err)
	}
	sc = baseScenario(0.001, engine.Millisecond, 1, 10, 24*engine.Hour)
	if err := CheckRun(sc, Options{Interval: engine.Second / 100}); err == nil || !strings.Contains(err.Error(), "in memory") {
		t.Errorf("8.6 million rows held in memory are not refused: %v", err)
	}
	for _, v := range []float64{-1, math.NaN(), math.Inf(1)} {
		if err := CheckRun(sc, Options{MaxEvents: v}); err == nil {
			t.Errorf("max events %v accepted", v)
		}
	}
}

// Rule (budget): a run that fires more events than its budget is stopped
// with a LimitError even when the estimate let it start (here the estimate
// is bypassed, as a wrong one would be).
func TestRunStopsOverItsEventBudget(t *testing.T) {
	sc := baseScenario(100, 10*engine.Millisecond, 4, 100, engine.Hour)
	w, err := newWorld(sc, Options{MaxEvents: 50_000}, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.run()
	var le *LimitError
	if !errors.As(err, &le) {
		t.Fatalf("the run was not stopped: %v", err)
	}
	if le.Events < 50_000 || le.Events > 50_000+checkEvery {
		t.Errorf("stopped after %d events, budget 50000 checked every %d", le.Events, checkEvery)
	}
	if le.At >= engine.Hour {
		t.Errorf("stopped at the horizon")
	}
}

// Rule (interruption): a cancelled context stops a run (a first Ctrl-C).
func TestRunStopsWhenCancelled(t *testing.T) {
	sc := baseScenario(100, 10*engine.Millisecond, 4, 100, engine.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(sc, Options{Context: ctx}); !errors.Is(err, ErrStopped) || !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled run was not stopped: %v", err)
	}
}

// Rule (memory): streamed time-series rows are not held, whatever the
// horizon: the heap after a year of one-minute rows is within a tenth of
// what holding them would take of the heap after a day.
func TestSeriesStreamedInBoundedMemory(t *testing.T) {
	heapAfter := func(horizon engine.Time) (uint64, int) {
		sc := baseScenario(0.001, engine.Millisecond, 1, 10, horizon)
		rows := 0
		res, err := Run(sc, Options{Interval: engine.Minute, SeriesTo: func(SeriesRow) error { rows++; return nil }})
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		runtime.KeepAlive(res)
		if res.Series != nil {
			t.Error("streamed rows are also held")
		}
		return ms.HeapInuse, rows
	}
	short, _ := heapAfter(24 * engine.Hour)
	long, rows := heapAfter(365 * 24 * engine.Hour)
	if rows != 365*24*60 {
		t.Fatalf("%d rows streamed, want one a minute", rows)
	}
	held := uint64(rows) * uint64(unsafe.Sizeof(SeriesRow{}))
	if long > short+held/10 {
		t.Errorf("heap in use %d bytes after a year, %d after a day: rows held (all of them would take %d)", long, short, held)
	}
}

// Rule (memory): a run keeps at most MaxLifecycles worker lifecycles, and
// counts every start and exit.
func TestLifecyclesBounded(t *testing.T) {
	sc := baseScenario(0.001, engine.Millisecond, 1, 10, 100*24*engine.Hour)
	sc.Pool.Recycle.Time = scenario.Duration(time.Minute)
	res, err := Run(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := res.WorkerCounts
	if len(res.Workers) != MaxLifecycles || c.Kept != MaxLifecycles {
		t.Errorf("%d lifecycles kept, want %d", len(res.Workers), MaxLifecycles)
	}
	exits := 0
	for _, n := range c.Exits {
		exits += n
	}
	// One recycle a minute, overlapped: each start but the last live ones
	// exits; 100 days hold 144,000 recycles.
	if c.Started < 144_000 || exits < c.Started-2 || exits > c.Started {
		t.Errorf("%d starts, %d exits counted (%v)", c.Started, exits, c.Exits)
	}
}

// Rule (memory): a run whose queue grows past the memory limit is stopped
// even when the estimate let it start (bypassed here, with a lower limit).
func TestRunStopsWhenQueueOverMemory(t *testing.T) {
	sc := baseScenario(200, engine.Second, 1, 1<<31-1, engine.Hour) // 200 a second against 1
	w, err := newWorld(sc, Options{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	w.limits.maxBytes = 1 << 20 // 4096 waiting requests
	_, err = w.run()
	var le *LimitError
	if !errors.As(err, &le) || le.Queued < 4096 || !strings.Contains(err.Error(), "queue_length") {
		t.Fatalf("the run was not stopped for its queue: %v", err)
	}
	// Checked every checkEvery events, each of which queues at most one
	// request.
	if le.Queued > 4096+checkEvery {
		t.Errorf("stopped with %d waiting, over 4096 + %d", le.Queued, checkEvery)
	}
}
