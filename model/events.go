package model

import (
	"sort"

	"github.com/poolsim/poolsim/engine"
)

// Event is an operator action at a time of the run (docs/model.md,
// "Operator actions"), as [events.NAME] tables so that each has dotted keys
// an experiment can override (events.deploy.at):
//
//   - config_change: a deployment or configuration change recycles every
//     worker of the pool (WAS event 5079; IIS recycles on a configuration
//     change unless disallowRotationOnConfigChange), as a recycle does:
//     overlapped or not as pool.recycle.overlapping says.
//   - recycle: a manual recycle (IIS Manager, appcmd recycle; WAS 5080).
//   - stop: an administrator stops the pool: queued requests and arrivals
//     get 503 (HTTPERR reason Disabled), the workers drain.
//   - start: the pool starts again (a no-op when it runs).
type Event struct {
	At     Duration `toml:"at"` // since the start of the run
	Action string   `toml:"action"`
}

// eventRT is an Event at run time.
type eventRT struct {
	w *world
	e *Event
}

// scheduleEvents schedules the operator actions, in time order (by name for
// equal times).
func (w *world) scheduleEvents() {
	names := sortedKeys(w.sc.Events)
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
