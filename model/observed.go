package model

import "github.com/poolsim/poolsim/model/scenario"

// ObservedOutcome is one row of the comparison of a run with its logs.
type ObservedOutcome struct {
	Name      string
	Simulated float64 // count in the run's measured span
	Observed  float64 // the logs' count scaled to the run's measured span
}

// CompareObserved sets the run's outcome counts next to the observed ones,
// the observed counts scaled by the ratio of the run's measured span
// (horizon less warm-up) to the logs' span. Simulated ok counts ok and
// stale answers (both 200). It returns nil when sc has no [observed] table.
func CompareObserved(sc *scenario.Scenario, res *Result) []ObservedOutcome {
	o := sc.Observed
	if o == nil || !o.To.After(o.From) {
		return nil
	}
	scale := (res.Horizon - res.Warmup).Seconds() / o.To.Sub(o.From).Seconds()
	m := res.Metrics
	row := func(name string, sim float64, obs int64) ObservedOutcome {
		return ObservedOutcome{Name: name, Simulated: sim, Observed: float64(obs) * scale}
	}
	return []ObservedOutcome{
		row("ok", m.OK+m.Stale, o.OK),
		row("error", m.Error, o.Error),
		row("rejected_queue_full", m.RejectedQueueFull, o.RejectedQueueFull),
		row("rejected_app_offline", m.RejectedAppOffline, o.RejectedAppOffline),
		row("expired", m.Expired, o.Expired),
		row("abandoned", m.Abandoned, o.Abandoned),
	}
}
