package model

import (
	"sort"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/internal/tomlin"
	"github.com/poolsim/poolsim/model/scenario"
)

// eventRT is an Event at run time.
type eventRT struct {
	w *world
	e *scenario.Event
}

// scheduleEvents schedules the operator actions, in time order (by name for
// equal times).
func (w *world) scheduleEvents() {
	names := tomlin.SortedKeys(w.sc.Events)
	sort.SliceStable(names, func(i, j int) bool { return w.sc.Events[names[i]].At < w.sc.Events[names[j]].At })
	for _, n := range names {
		e := w.sc.Events[n]
		if e.At.T() <= w.horizon {
			w.sim.At(e.At.T(), &eventRT{w: w, e: e}, 0)
		}
	}
}

func (ev *eventRT) HandleEvent(int) {
	w := ev.w
	if w.trace != nil {
		w.tracef("operator %s", ev.e.Action)
	}
	switch ev.e.Action {
	case "recycle", "config_change":
		reason := whyManual
		if ev.e.Action == "config_change" {
			reason = whyConfig
		}
		if w.poolWide() {
			w.beginReload(reason) // reload.go
			return
		}
		if w.pool.Reload == "fork_first" {
			w.forkFirst(reason) // forkfirst.go
			return
		}
		for _, wk := range w.snapshotWorkers() {
			wk.recycle(reason)
		}
	case "stop":
		if w.stopped {
			return
		}
		w.rec.event(evkAdminStop)
		w.adminStopped = true
		w.sim.Cancel(w.restartTimer)
		w.halt()
		// php-fpm's master stopping on a signal kills at once
		// (shutdown_kill = "next_wakeup", reload.go).
		if w.pool.ShutdownKill == "next_wakeup" {
			w.killDraining()
		}
	case "start":
		if !w.stopped {
			return
		}
		w.sim.Cancel(w.restartTimer)
		w.adminStopped = false
		w.restartPool()
	}
}

var _ engine.Handler = (*eventRT)(nil)
