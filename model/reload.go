package model

import "github.com/poolsim/poolsim/engine"

// A pool-wide reload (docs/model.md#pool-wide-reload). With
// pool.reload = "per_worker" (IIS, the default) a recycle, a configuration
// change or an emergency restart replaces each worker on its own: a
// non-overlapped worker's replacement starts as soon as it has exited. With
// "pool_wide" (php-fpm's reload, on SIGUSR2 or at an emergency restart,
// fpm_process_ctl.c) every worker stops taking requests and drains; no
// worker starts until the last has exited; then, after pool.reload_delay
// (the master's re-exec: measured 70–80 ms from exec to "ready to handle
// connections"), the pool starts its workers again. Requests wait in the
// queue meanwhile: the listening socket survives the reload (measured).
//
// When the requests still running are killed is pool.shutdown_kill's rule:
//   - "at_limit": each draining worker at shutdown_time_limit after its
//     drain began (enterDraining), whatever started the reload.
//   - "next_wakeup": php-fpm's master with process_control_timeout = 0.
//     fpm_pctl_action_next sends SIGQUIT and arms a 0 s timer whose expiry
//     sends SIGTERM; the master fires due timers once per pass of
//     fpm_event_loop, after the file descriptors' events. A reload by
//     signal (SIGUSR2, SIGQUIT: the operator's recycle, config_change,
//     stop) is decided while the signal pipe is read, so the timer fires
//     in the same pass: SIGTERM at once (measured within 0.1 ms). An
//     emergency restart is decided in fpm_children_bury, which php-fpm 8.2
//     runs from a timer (fpm_postponed_children_bury, set on SIGCHLD), so
//     the new timer is added behind the pass that is firing timers: the
//     next pass computes a wait of 1000 ms for a timer already due
//     ("1s timeout if none has been set") and fires it when the master
//     wakes: at the first child's exit (its SIGCHLD) or 1 s later
//     (measured: 1.000 s with every child busy). A child idle at the
//     restart exits on its SIGQUIT after pool.exit_time (the same process
//     exit as a recycled child's: php_module_shutdown until the master
//     reaps it), so with idle children the master wakes exit_time after
//     the restart (measured 3.6–4.1 ms with idle children).

// masterWait is how long php-fpm's master sleeps when a timer is already
// due: fpm_event_loop (fpm_events.c) waits 1000 ms.
const masterWait = engine.Second

// masterWakeup is php-fpm's master holding the SIGTERM of an emergency
// restart until its next wake-up (shutdown_kill = "next_wakeup").
type masterWakeup struct {
	w       *world
	pending bool
	tick    engine.Timer // the latest wake-up
}

// await holds the kill until the next worker exit or, at the latest, after
// wait.
func (m *masterWakeup) await(w *world, wait engine.Time) {
	m.w, m.pending = w, true
	if wait <= 0 {
		m.wake()
		return
	}
	m.tick = w.sim.After(wait, m, 0)
	if w.trace != nil {
		w.tracef("master waits for its next wake-up to kill")
	}
}

// HandleEvent is the wait passing with no worker exit before it.
func (m *masterWakeup) HandleEvent(int) { m.wake() }

// wake is the master waking up: a worker exited, or its wait ran out. A
// pending kill is carried out.
func (m *masterWakeup) wake() {
	if !m.pending {
		return
	}
	m.pending = false
	m.w.sim.Cancel(m.tick)
	m.w.killDraining()
}

// beginReload starts a pool-wide reload; why is the workers' exit reason.
// Each worker takes the emergency restart's transition (lifecycle.go): a
// serving one drains, one still starting is shut at once.
func (w *world) beginReload(why exitReason) {
	if w.reloading || w.stopped {
		return
	}
	w.reloading = true
	if w.trace != nil {
		w.tracef("pool-wide reload (%s)", why)
	}
	before := len(w.workers)
	for _, wk := range w.snapshotWorkers() {
		if why != whyEmergency && wk.state.serving() {
			w.rec.recycle(why)
		}
		wk.on(leEmergency, why)
	}
	if w.reloading && w.pool.ShutdownKill == "next_wakeup" {
		if why == whyEmergency {
			w.master.await(w, w.firstIdleExit(before-len(w.workers)))
		} else {
			w.killDraining()
		}
	}
	w.reloadEnds()
}

// firstIdleExit is when the master of an emergency restart wakes at the
// latest: the first exit of the idle children that left at the restart,
// each taking a draw of exit_time (the first of n draws), or masterWait
// when there were none or they take longer.
func (w *world) firstIdleExit(idle int) engine.Time {
	first := masterWait
	for range idle {
		first = min(first, w.exitSample.Next())
	}
	return first
}

// killDraining is the master's SIGTERM to the children still running:
// every draining worker is killed with its requests, as at
// shutdown_time_limit.
func (w *world) killDraining() {
	if w.trace != nil {
		w.tracef("master kills the draining workers")
	}
	for _, wk := range w.snapshotWorkers() {
		if wk.state.draining() {
			wk.shutdownKill()
		}
	}
}

// reloaded is a worker's exit: it wakes a master waiting to kill, and ends
// a reload once no worker is left.
func (w *world) reloaded() {
	w.master.wake()
	w.reloadEnds()
}

// reloadEnds ends a reload once no worker is left: workers may start again
// after reload_delay.
func (w *world) reloadEnds() {
	if !w.reloading || len(w.workers) > 0 {
		return
	}
	w.reloading = false
	if w.cheaper != nil {
		w.cheaper.reset() // uWSGI re-execs: cheaper-initial workers again
	}
	now := w.sim.Now()
	if w.trace != nil {
		w.tracef("reload: every worker gone")
	}
	w.startBlocked = max(w.startBlocked, now.Add(w.pool.ReloadDelay.T()))
	if !w.startArmed {
		w.startArmed = true
		w.sim.At(w.startBlocked, w, evStartAllowed)
	}
}

// poolWide reports whether the pool reloads as a whole.
func (w *world) poolWide() bool { return w.pool.Reload == "pool_wide" }
