package model

import "fmt"

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
