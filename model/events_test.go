package model

import (
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// TestEventsStopStart checks the rules of the stop and start actions: a
// stop at 10 s answers a request at 15 s with 503, logged as Disabled (not
// AppOffline: no rapid-fail trip) and counted so in the result for the
// summary, and a start at 20 s serves one at 25 s.
// The worker drained by the stop exits; a new one serves after the start.
func TestEventsStopStart(t *testing.T) {
	sc := handScenario(1, engine.Second, 60*engine.Second)
	sc.Events = map[string]*scenario.Event{
		"b-start": {At: scenario.Duration(20 * engine.Second), Action: "start"},
		"a-stop":  {At: scenario.Duration(10 * engine.Second), Action: "stop"},
	}
	res, trace := runAt(t, sc, 5*engine.Second, 15*engine.Second, 25*engine.Second)
	m := res.Metrics
	if m.OK != 2 || m.RejectedAppOffline != 1 || m.AdminStops != 1 || m.RapidFailTrips != 0 || m.WorkerStarts != 2 {
		t.Errorf("ok %v rejected_app_offline %v admin_stops %v trips %v starts %v, want 2 1 1 0 2",
			m.OK, m.RejectedAppOffline, m.AdminStops, m.RapidFailTrips, m.WorkerStarts)
	}
	if got := lines(trace, " Disabled "); len(got) != 1 || res.RejectedDisabled != 1 {
		t.Errorf("HTTPERR Disabled lines: %d, result's rejected_disabled %v, want 1 and 1\n%s", len(got), res.RejectedDisabled, trace)
	}
	if got := m.Availability; got != 50.0/60 {
		t.Errorf("availability %v, want 50/60 (stopped 10–20 s)", got)
	}
}

// TestEventsConfigChange checks the rule "a configuration change recycles
// every worker (WAS 5079), a manual recycle likewise (WAS 5080)", counted
// as recycles, at the times given and in time order.
func TestEventsConfigChange(t *testing.T) {
	sc := handScenario(1, engine.Second, 60*engine.Second)
	sc.Events = map[string]*scenario.Event{
		"deploy": {At: scenario.Duration(30 * engine.Second), Action: "config_change"},
		"manual": {At: scenario.Duration(10 * engine.Second), Action: "recycle"},
	}
	res, _ := runAt(t, sc, 5*engine.Second)
	n79, _ := wasCount(res, 5079)
	n80, _ := wasCount(res, 5080)
	if n79 != 1 || n80 != 1 || res.Metrics.Recycles != 2 {
		t.Errorf("5079 %d, 5080 %d, recycles %v, want 1 1 2", n79, n80, res.Metrics.Recycles)
	}
	if len(res.Workers) != 3 || res.Workers[0].Exit != 10*engine.Second || res.Workers[1].Exit != 30*engine.Second {
		t.Errorf("workers %+v, want exits at 10 s and 30 s", res.Workers)
	}
}
