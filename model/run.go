package model

import (
	"fmt"
	"io"

	"github.com/poolsim/poolsim/engine"
)

// Options are the knobs of one run that are not part of the scenario.
type Options struct {
	// Replication selects the replication's random streams (with the
	// scenario's seed): replication r of two scenarios sees the same
	// arrivals where the two agree on the clients.
	Replication uint64
	// Interval is the width of a time-series row; 0: no series.
	Interval engine.Time
	// HTTPErr receives the run's HTTPERR log when not nil.
	HTTPErr io.Writer
	// AccessLog receives the run's W3C extended access log when not nil.
	AccessLog io.Writer
	// Trace receives an event-by-event log when not nil.
	Trace io.Writer
	// MaxEvents refuses a scenario whose expected number of events exceeds
	// it; 0: DefaultMaxEvents.
	MaxEvents float64
}

// DefaultMaxEvents is the default budget of a run: about a minute of work.
const DefaultMaxEvents = 2e8

// eventsPerRequest is a generous estimate of the events one request costs
// (arrival, completion, timers), for the budget.
const eventsPerRequest = 4

// ExpectedRequests estimates the requests a scenario's clients send over its
// horizon (retries aside).
func ExpectedRequests(sc *Scenario) float64 {
	h := sc.Horizon.T().Seconds()
	var n float64
	for _, name := range sortedKeys(sc.Clients) {
		c := sc.Clients[name]
		switch c.Kind {
		case "poisson":
			f := 1.0
			for i, p := range c.Profile {
				if i == 0 || p.Factor > f {
					f = p.Factor
				}
			}
			n += c.Rate * f * h
		case "polling":
			if p := c.Period.T().Seconds(); p > 0 {
				n += float64(c.Count) * h / p
			}
		case "trace":
			n += traceRequests(c)
		}
	}
	return n
}

// BudgetError is a scenario refused because it would take too long.
type BudgetError struct {
	Requests, Events, Budget float64
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("the scenario would send about %.3g requests (about %.3g events), over the budget of %.3g events; "+
		"shorten the horizon, or raise the budget with --max-events %.0f", e.Requests, e.Events, e.Budget, e.Events*1.5)
}

// CheckBudget returns a *BudgetError when a run of sc is expected to take
// more than maxEvents events (0: DefaultMaxEvents), as Run would refuse it.
func CheckBudget(sc *Scenario, maxEvents float64) error {
	if maxEvents <= 0 {
		maxEvents = DefaultMaxEvents
	}
	reqs := ExpectedRequests(sc)
	if ev := reqs * eventsPerRequest; ev > maxEvents {
		return &BudgetError{Requests: reqs, Events: ev, Budget: maxEvents}
	}
	return nil
}

// Run simulates the scenario once. The same scenario and options give the
// same result, bit for bit.
func Run(sc *Scenario, opt Options) (*Result, error) {
	if err := CheckBudget(sc, opt.MaxEvents); err != nil {
		return nil, err
	}
	warmup := sc.Warmup.T()
	if sc.Warmup.Auto {
		var err error
		if warmup, err = estimateWarmup(sc, opt); err != nil {
			return nil, err
		}
	}
	w, err := newWorld(sc, opt, warmup)
	if err != nil {
		return nil, err
	}
	return w.run()
}

// estimateWarmup runs the scenario once with a fine time series and
// truncates it by MSER-5 (White 1997) on the mean response time per
// interval; the run proper then repeats with the same streams.
func estimateWarmup(sc *Scenario, opt Options) (engine.Time, error) {
	h := sc.Horizon.T()
	probe := Options{Replication: opt.Replication, Interval: max(h/1000, engine.Second)}
	w, err := newWorld(sc, probe, 0)
	if err != nil {
		return 0, err
	}
	res, err := w.run()
	if err != nil {
		return 0, err
	}
	y := make([]float64, len(res.Series))
	prev := 0.0
	for i, row := range res.Series {
		if row.OK > 0 {
			prev = row.ResponseSumS / float64(row.OK)
		}
		y[i] = prev
	}
	d, ok := MSER5(y)
	if !ok {
		return 0, nil
	}
	return min(engine.Time(d*5)*probe.Interval, h/2), nil
}
