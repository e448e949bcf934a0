package model

// A pool-wide reload (docs/model.md#pool-wide-reload). With
// pool.reload = "per_worker" (IIS, the default) a recycle, a configuration
// change or an emergency restart replaces each worker on its own: a
// non-overlapped worker's replacement starts as soon as it has exited. With
// "pool_wide" (php-fpm's reload, on SIGUSR2 or at an emergency restart,
// fpm_pctl.c) every worker stops taking requests and drains, in-flight
// requests being killed at shutdown_time_limit (process_control_timeout);
// no worker starts until the last has exited; then, after
// pool.reload_delay (the master's re-exec: measured 70–80 ms from exec to
// "ready to handle connections"), the pool starts its workers again.
// Requests wait in the queue meanwhile: the listening socket survives the
// reload (measured).

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
	for _, wk := range w.snapshotWorkers() {
		if why != whyEmergency && wk.state.serving() {
			w.rec.recycle(why)
		}
		wk.on(leEmergency, why)
	}
	w.reloaded()
}

// reloaded ends a reload once no worker is left: workers may start again
// after reload_delay.
func (w *world) reloaded() {
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
