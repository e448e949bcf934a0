package scenario

import "time"

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
