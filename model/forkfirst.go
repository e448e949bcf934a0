package model

// A reload that forks first (docs/model.md#pool-wide-reload), pool.reload =
// "fork_first": gunicorn's SIGHUP. Arbiter.reload (gunicorn 20.1,
// arbiter.py) forks cfg.workers new workers one after another, with no
// pause between them (spawn_worker, not spawn_workers), then
// manage_workers sends SIGTERM to the oldest workers beyond num_workers:
// every worker from before the HUP. A sync worker on SIGTERM leaves its
// loop (handle_exit: alive = False), finishing the request it runs; one
// still booting never serves. So an operator's recycle or configuration
// change stops every worker at once and starts as many new ones at the
// same instant; the old ones drain without counting towards
// max_processes, and nothing replaces them when they exit. A worker in
// its own exit at that moment (lsExiting, after max_requests) is still
// replaced when its exit ends (poolsim's approximation: gunicorn reaps it
// without a replacement, having forked all of them already), so the
// reload forks one fewer for each.

// forkFirst is the master's reload: replacements first, then every older
// worker stopped.
func (w *world) forkFirst(why exitReason) {
	if w.stopped || w.reloading {
		return
	}
	old := w.snapshotWorkers()
	n := w.pool.MaxProcesses
	for _, wk := range old {
		if wk.state == lsExiting {
			n--
		}
	}
	if w.trace != nil {
		w.tracef("reload: fork %d workers first (%s)", n, why)
	}
	// The loop of spawn_worker does not pause between forks; a pause the
	// arbiter is already in delays the first.
	free := max(w.forkFreeAt, w.sim.Now())
	for range n {
		w.forkFreeAt = free
		w.startWorker(nil)
	}
	w.forkFreeAt = free
	for _, wk := range old {
		wk.on(leHandOver, why)
	}
}
