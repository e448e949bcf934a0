package model

import (
	"time"
)

// Observed is what a server's logs recorded, as poolsim fit writes it into
// a scenario's [observed] table, so that poolsim run can set the simulated
// outcomes next to the observed ones. The simulation ignores it.
//
// The counts cover the logs' span, From to To. Access-log statuses map to
// outcomes as: 1xx–3xx ok (poolsim's ok and stale), 5xx error, 4xx
// not_modelled (the client's own errors); HTTPERR reasons as: QueueFull
// rejected_queue_full, AppOffline rejected_app_offline, Timer_AppPool
// expired, Connection_Abandoned_By_AppPool abandoned, any other reason
// httperr_other.
type Observed struct {
	From               time.Time `toml:"from"`
	To                 time.Time `toml:"to"`
	OK                 int64     `toml:"ok"`
	Error              int64     `toml:"error"`
	RejectedQueueFull  int64     `toml:"rejected_queue_full"`
	RejectedAppOffline int64     `toml:"rejected_app_offline"`
	Expired            int64     `toml:"expired"`
	Abandoned          int64     `toml:"abandoned"`
	NotModelled        int64     `toml:"not_modelled"`
	HTTPErrOther       int64     `toml:"httperr_other"`
}

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
func CompareObserved(sc *Scenario, res *Result) []ObservedOutcome {
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

// validateObserved checks the [observed] table.
func (d *scenarioDecoder) validateObserved(sc *Scenario) {
	o := sc.Observed
	if o == nil {
		return
	}
	k := func(key string) []string { return []string{"observed", key} }
	if !o.To.After(o.From) {
		d.errorf(k("to"), o.To.Format(time.RFC3339), "must be after observed.from (%s): the span the logs cover", o.From.Format(time.RFC3339))
	}
	for _, c := range []struct {
		key string
		n   int64
	}{{"ok", o.OK}, {"error", o.Error}, {"rejected_queue_full", o.RejectedQueueFull}, {"rejected_app_offline", o.RejectedAppOffline},
		{"expired", o.Expired}, {"abandoned", o.Abandoned}, {"not_modelled", o.NotModelled}, {"httperr_other", o.HTTPErrOther}} {
		if c.n < 0 {
			d.errorf(k(c.key), intText(c.n), "a count must be at least 0")
		}
	}
}

// WorkloadMarker starts the placeholder workload of a scenario written by
// poolsim import; poolsim fit --base keeps the text before it (the pool)
// and writes the fitted workload after it.
const WorkloadMarker = "# ---- workload"
