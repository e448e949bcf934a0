package model

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/internal/tomlin"
	"github.com/poolsim/poolsim/model/scenario"
)

// The budget of a run. A scenario is refused before it runs when the
// events or the memory it is expected to take exceed the budget (Estimate,
// CheckRun), and a run that exceeds its event budget all the same (an
// estimate can be wrong) is stopped with a *LimitError.
const (
	// DefaultMaxEvents is the default event budget of a run: about a
	// minute of work.
	DefaultMaxEvents = 2e8
	// MaxMemory bounds the memory a run may be expected to hold at once:
	// the requests waiting in the queue, the time-series rows it keeps
	// and the worker lifecycles it keeps.
	MaxMemory = 2 << 30
	// MaxLifecycles bounds the worker lifecycles a Result keeps (the first
	// ones, for the timeline chart); the counts of starts and exits cover
	// every worker whatever the number.
	MaxLifecycles = 100_000
	// MaxKeptRows bounds the time-series rows a Result keeps in memory
	// when Options.SeriesTo does not stream them.
	MaxKeptRows = 1_000_000
	// lastYear is the last year a time-series row can be stamped with.
	lastYear = 9999
)

// Costs per unit, generous upper estimates: the events a request costs
// (arrival, completion, timers), a worker start (ready, age, idle, shutdown
// and kill timers), a ping, a slow episode (its start and its end); the
// bytes a waiting request, a time-series row and a lifecycle hold.
const (
	eventsPerRequest = 4
	eventsPerStart   = 10
	eventsPerPing    = 2
	eventsPerEpisode = 2
	bytesPerRequest  = 256
	bytesPerRow      = 160
	bytesPerLife     = 400
)

// Estimate is what a run of a scenario is expected to cost, by source.
type Estimate struct {
	Requests float64 // sent by the clients over the horizon
	Retries  float64 // at most, if every attempt failed
	Starts   float64 // worker starts: recycles, restarts, crashes, start failures
	Pings    float64
	Episodes float64 // backend slow episodes
	Rows     float64 // time-series rows
	Other    float64 // profile changes and scheduled recycles
	// Queued is the most requests the queue can be expected to hold at
	// once: under overload, every request until queue_length.
	Queued float64
	// Events and Bytes are the totals.
	Events, Bytes float64
}

// ExpectedRequests estimates the requests a scenario's clients send over its
// horizon (retries aside).
func ExpectedRequests(sc *scenario.Scenario) float64 {
	r, _ := clientLoad(sc)
	return r
}

// clientLoad returns the requests the clients send over the horizon and
// their peak rate per second.
func clientLoad(sc *scenario.Scenario) (requests, peak float64) {
	h := sc.Horizon.T().Seconds()
	for _, name := range tomlin.SortedKeys(sc.Clients) {
		c := sc.Clients[name]
		switch c.Kind {
		case "poisson":
			f := 1.0
			for i, p := range c.Profile {
				if i == 0 || p.Factor > f {
					f = p.Factor
				}
			}
			requests += c.Rate * f * h
			peak += c.Rate * f
		case "polling":
			if p := c.Period.T().Seconds(); p > 0 {
				requests += float64(c.Count) * h / p
				peak += float64(c.Count) / p
			}
		case "trace":
			// A log's peak rate is unknown before reading it: its mean
			// rate over the horizon stands in.
			r := traceRequests(c)
			requests += r
			if h > 0 {
				peak += r / h
			}
		}
	}
	return requests, peak
}

// per returns how many times something every d happens over h seconds
// (0 when d is not positive: disabled).
func per(h float64, d engine.Time) float64 {
	if d <= 0 || d == engine.Never {
		return 0
	}
	return h / d.Seconds()
}

// EstimateRun estimates what a run of sc with opt costs: every source of
// events (requests, retries, worker starts, pings, slow episodes,
// time-series rows) and the memory it holds at once.
func EstimateRun(sc *scenario.Scenario, opt Options) Estimate {
	var e Estimate
	h := sc.Horizon.T().Seconds()
	days := math.Ceil(h / 86400)
	var peak float64
	e.Requests, peak = clientLoad(sc)
	if sc.Retry.Policy != "" && sc.Retry.Policy != "none" {
		e.Retries = e.Requests * float64(max(sc.Retry.MaxAttempts-1, 0))
	}
	sent := e.Requests + e.Retries
	for _, c := range sc.Clients {
		e.Other += days * float64(len(c.Profile))
	}

	p := &sc.Pool
	procs := float64(p.MaxProcesses)
	if p.Recycle.Overlapping {
		procs *= 2
	}
	e.Starts = procs + procs*(per(h, p.Recycle.Time.T())+per(h, p.IdleTimeout.T())+days*float64(len(p.Recycle.Schedule)))
	e.Other += days * float64(len(p.Recycle.Schedule))
	if p.Recycle.Requests > 0 {
		e.Starts += sent / float64(p.Recycle.Requests)
	}
	if lim := p.StartupTimeLimit.T(); lim > 0 && mayReach(p.StartupTime, lim) {
		// Every start may fail at the limit and be retried: a restart loop.
		e.Starts += procs * per(h, lim)
	}
	if ra := p.RapidFail.RestartAfter.T(); p.RapidFail.Enabled {
		e.Starts += procs * per(h, ra)
	}
	var fail float64
	for _, c := range sc.Classes {
		fail = max(fail, c.Crash+c.Hang)
	}
	e.Starts += sent * min(fail, 1)
	if m := p.Memory; m.PerRequest > 0 {
		// A leak ends a worker at the memory limit or its address space,
		// or recycles it at recycle.private_memory or virtual_memory,
		// every so many requests.
		lims := []scenario.Size{m.Limit, p.Recycle.PrivateMemory}
		vbase := m.VirtualBase
		if vbase == 0 {
			vbase = m.Base
		}
		for _, v := range []scenario.Size{scenario.Size(p.AddressSpace()), p.Recycle.VirtualMemory} {
			if v > 0 && m.VirtualGrowth > 0 {
				lims = append(lims, m.Base+scenario.Size(float64(v-vbase)/m.VirtualGrowth))
			}
		}
		for _, lim := range lims {
			if lim > 0 {
				e.Starts += sent * float64(m.PerRequest) / float64(max(lim-m.Base, m.PerRequest))
			}
		}
	}
	if p.Ping.Enabled {
		e.Pings = procs * per(h, p.Ping.Interval.T())
	}
	for _, b := range sc.Backends {
		if b.Slow != nil && !b.Slow.Every.IsZero() {
			e.Episodes += per(h, max(b.Slow.Every.Expected(), 1))
		}
	}
	if opt.Interval > 0 {
		e.Rows = per(h, opt.Interval)
	}
	e.Events = eventsPerRequest*sent + eventsPerStart*e.Starts + eventsPerPing*e.Pings +
		eventsPerEpisode*e.Episodes + e.Rows + e.Other

	e.Queued = sent
	if qt := p.QueueTimeout.T(); qt > 0 {
		e.Queued = min(e.Queued, peak*qt.Seconds()*float64(max(sc.Retry.MaxAttempts, 1)))
	}
	e.Queued = min(e.Queued, float64(p.QueueLength))
	e.Bytes = bytesPerRequest*e.Queued + bytesPerLife*min(e.Starts, MaxLifecycles)
	if opt.SeriesTo == nil {
		e.Bytes += bytesPerRow * e.Rows
	}
	return e
}

// mayReach reports whether a sample of d can be lim or longer.
func mayReach(d scenario.Dist, lim engine.Time) bool {
	switch d.Kind {
	case "", "constant", "deterministic":
		return d.Mean >= lim
	case "uniform":
		return d.Max >= lim
	case "empirical":
		for _, v := range d.Values {
			if v >= lim {
				return true
			}
		}
		return false
	}
	return true // unbounded
}

// BudgetError is a scenario refused because it would take too long or hold
// too much memory.
type BudgetError struct {
	Estimate
	Requests, Events, Budget float64
	// Cause names the largest source, such as "pings (pool.ping.interval)".
	Cause string
	// Memory is set when the memory, not the events, is over the budget.
	Memory bool
}

func (e *BudgetError) Error() string {
	if e.Memory {
		return fmt.Sprintf("a run would hold about %.3g requests waiting in the queue at once (about %s of memory, over the limit of %s): "+
			"lower pool.queue_length, set pool.queue_timeout, or lower the load", e.Queued, bytesText(e.Bytes), bytesText(MaxMemory))
	}
	return fmt.Sprintf("the scenario would take about %.3g events (%s), over the budget of %.3g events; "+
		"shorten the horizon, or raise the budget with --max-events %g", e.Events, e.Cause, e.Budget, roundUp(e.Events*1.5))
}

// roundUp rounds v up to two significant digits, for a suggested budget.
func roundUp(v float64) float64 {
	if v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	unit := math.Pow(10, math.Floor(math.Log10(v))-1)
	return math.Ceil(v/unit) * unit
}

// bytesText writes a byte count for a message.
func bytesText(b float64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.3g GiB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.3g MiB", b/(1<<20))
	}
	return fmt.Sprintf("%.0f bytes", b)
}

// cause names the largest sources of events of an estimate.
func (e Estimate) cause() string {
	parts := []struct {
		events float64
		what   string
	}{
		{eventsPerRequest * e.Requests, fmt.Sprintf("%.3g requests", e.Requests)},
		{eventsPerRequest * e.Retries, fmt.Sprintf("up to %.3g retries (retry.max_attempts)", e.Retries)},
		{eventsPerStart * e.Starts, fmt.Sprintf("up to %.3g worker starts (recycles, restarts, crashes, startup_time_limit)", e.Starts)},
		{eventsPerPing * e.Pings, fmt.Sprintf("%.3g pings (pool.ping.interval)", e.Pings)},
		{eventsPerEpisode * e.Episodes, fmt.Sprintf("%.3g slow episodes (backends.*.slow.every)", e.Episodes)},
		{e.Rows, fmt.Sprintf("%.3g time-series rows (--interval)", e.Rows)},
	}
	var out []string
	for _, p := range parts {
		if p.events >= e.Events/10 {
			out = append(out, p.what)
		}
	}
	if len(out) == 0 {
		return "mostly " + parts[0].what
	}
	return "mostly " + strings.Join(out, " and ")
}

// CheckBudget returns a *BudgetError when a run of sc is expected to take
// more than maxEvents events (0: DefaultMaxEvents) or more than MaxMemory,
// as Run would refuse it, or an error when its time stamps would pass the
// year 9999.
func CheckBudget(sc *scenario.Scenario, maxEvents float64) error {
	return CheckRun(sc, Options{MaxEvents: maxEvents})
}

// CheckRun is CheckBudget for a run with the options given (the interval
// of a time series adds rows).
func CheckRun(sc *scenario.Scenario, opt Options) error {
	if err := checkMaxEvents(opt.MaxEvents); err != nil {
		return err
	}
	if end := sc.Start.Add(sc.Horizon.T().Duration()); sc.Start.Year() > lastYear || end.Year() > lastYear || end.Before(sc.Start) {
		return fmt.Errorf("start %s plus horizon %s ends after the year %d: time stamps need four-digit years",
			sc.Start.UTC().Format(time.RFC3339), sc.Horizon, lastYear)
	}
	budget := opt.MaxEvents
	if budget == 0 {
		budget = DefaultMaxEvents
	}
	e := EstimateRun(sc, opt)
	if e.Events > budget || math.IsNaN(e.Events) {
		return &BudgetError{Estimate: e, Requests: e.Requests, Events: e.Events, Budget: budget, Cause: e.cause()}
	}
	if e.Bytes > MaxMemory {
		return &BudgetError{Estimate: e, Requests: e.Requests, Events: e.Events, Budget: budget, Memory: true}
	}
	if opt.SeriesTo == nil && e.Rows > MaxKeptRows {
		return fmt.Errorf("a time series of %.3g rows is more than the %d a run keeps in memory: widen the interval", e.Rows, MaxKeptRows)
	}
	return nil
}

// checkMaxEvents checks an event budget: 0 (the default) or a positive
// finite number.
func checkMaxEvents(v float64) error {
	if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("max events = %v: want a positive number of events, or 0 for the default (%.0f)", v, float64(DefaultMaxEvents))
	}
	return nil
}

// CheckMaxEvents checks a value of --max-events (Options.MaxEvents).
func CheckMaxEvents(v float64) error { return checkMaxEvents(v) }

func (e *LimitError) Error() string {
	if e.Queued > 0 {
		return fmt.Sprintf("stopped at %s of simulated time: %d requests waiting in the queue exceed the memory limit of %s; lower pool.queue_length or the load",
			e.At, e.Queued, bytesText(e.MaxBytes))
	}
	return fmt.Sprintf("stopped at %s of simulated time after %d events, over the budget of %.3g events (the estimate before the run was lower); "+
		"shorten the horizon or raise --max-events", e.At, e.Events, e.Budget)
}

// full counts a start and reports whether its lifecycle is not to be kept
// because kept lifecycles have reached MaxLifecycles.
func (c *lifeCounts) full(kept int) bool {
	c.started++
	return kept >= MaxLifecycles
}

func (c *lifeCounts) exit(why string) {
	if c.exits == nil {
		c.exits = make(map[string]int)
	}
	c.exits[why]++
}

func (c *lifeCounts) counts() WorkerCounts {
	return WorkerCounts{Started: c.started, Kept: min(c.started, MaxLifecycles), Exits: c.exits}
}
