package model

import (
	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/policies"
)

// counts reports whether a failure of this kind counts toward the
// supervisor's threshold (pool.rapid_fail.counts):
//   - "supervisor" (the default): the supervisor's own rule. IIS's
//     rapid-fail protection and the back-off count every failure (crashes,
//     ping, startup- and shutdown-limit kills, execution-limit kills);
//     php-fpm's emergency restart counts only children that exit on SIGSEGV
//     or SIGBUS (fpm_children.c, fpm_children_bury), so neither a kill by
//     the kernel's out-of-memory killer nor a request_terminate_timeout
//     kill (SIGTERM, measured) counts (policies.FailureFilter).
//   - "all": every failure, whatever the supervisor.
//   - "crashes": only deaths of a fault signal (SIGSEGV, SIGBUS), whatever
//     the supervisor.
//
// (docs/model.md#supervisors)
func (w *world) counts(kind policies.FailureKind) bool {
	switch w.pool.RapidFail.Counts {
	case "all":
		return true
	case "crashes":
		return kind == policies.FailFaultSignal
	}
	if f, ok := w.supervisor.(policies.FailureFilter); ok {
		return f.Counts(kind)
	}
	return true
}

// failure reports a worker failure to the supervisor and carries out its
// decision.
func (w *world) failure(kind policies.FailureKind) {
	if w.stopped || !w.counts(kind) {
		return
	}
	now := w.sim.Now()
	if w.trace != nil {
		w.tracef("failure %s", kind)
	}
	d := w.supervisor.Failure(now)
	if d.StartDelay > 0 {
		w.startBlocked = now.Add(d.StartDelay)
	}
	if d.RestartAll {
		w.rec.event(evkEmergencyRestart)
		if w.poolWide() {
			w.beginReload(whyEmergency) // reload.go
		} else {
			for _, wk := range w.snapshotWorkers() {
				wk.on(leEmergency, whyEmergency)
			}
		}
	}
	if d.StopPool {
		w.stopPool(d.RestartAt)
	}
}

// stopPool is rapid-fail protection tripping: the pool stops, every queued
// request and every arrival gets 503 AppOffline, the workers shut down.
func (w *world) stopPool(restartAt engine.Time) {
	w.rec.event(evkRapidFail)
	if w.trace != nil {
		w.tracef("pool stopped by rapid-fail protection")
	}
	w.halt()
	if restartAt != engine.Never {
		w.restartTimer = w.sim.At(max(restartAt, w.sim.Now()), w, evRestart)
	}
}

// halt stops the pool: every queued request gets 503, the workers shut
// down, and arrivals get 503 until the pool is started again.
func (w *world) halt() {
	w.stopped = true
	w.rec.setStopped(w, true)
	for w.queue.len() > 0 {
		w.rec.level(w)
		r := w.queue.pop()
		r.state = stNone
		w.finish(r, outRejectedOffline, causeNone)
	}
	for _, wk := range w.snapshotWorkers() {
		if w.pool.ShutdownKill == "at_stop" && wk.state.draining() && wk.state != lsDrainStopped && wk.busy > 0 {
			// gunicorn's stop() SIGKILLs every worker left at
			// graceful_timeout, those a HUP was draining as well.
			wk.armShutdownLimit()
		}
		wk.on(leStop, whyStopped)
	}
	w.servingChanged()
}

func (w *world) restartPool() {
	w.stopped = false
	w.epoch++
	w.rec.setStopped(w, false)
	w.supervisor.Restarted(w.sim.Now())
	if w.trace != nil {
		w.tracef("pool restarted")
	}
	w.servingChanged()
	w.pump()
}
