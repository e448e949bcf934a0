package model

// A recycled worker's process exit (docs/model.md#exit-time). A worker
// that recycles itself without overlap (max_requests, a memory limit, its
// age or schedule) stops taking requests, finishes the ones it runs, and
// then its process exits: gunicorn's sync worker leaves its loop, runs its
// worker_exit hook and sys.exit(0), and the interpreter's finalisation
// runs before the arbiter's SIGCHLD handler reaps it and forks the
// replacement (gunicorn/workers/sync.py, arbiter.py); uWSGI's worker runs
// Py_Finalize in its atexit (plugins/python/python_plugin.c); a php-fpm
// child runs php_module_shutdown before the master reaps it on SIGCHLD and
// forks at once (fpm_main.c, fpm_children.c). For pool.exit_time the
// worker serves nothing and is not replaced; its replacement starts when
// the exit ends, and takes startup_time as any start. A crash or a kill
// has no exit time: the process is gone at once; except a kill by a signal
// the worker handles, gunicorn's timeout (on_execution_timeout =
// "exit_worker", exectimeout.go), which is an exit. Nor has a worker the
// master stops (an emergency restart, a pool-wide reload: lsDrainReload),
// whose exit the reload's own delay covers.
//
// shutdown_time_limit does not cut the exit short: the limit is the
// master's bound on requests still running when it stops a worker
// (php-fpm's process_control_timeout, gunicorn's graceful_timeout, WAS's
// shutdownTimeLimit), and neither php-fpm nor gunicorn times a recycled
// worker's own exit (poolsim's assumption for IIS, whose exit_time is 0 by
// default).

// enterExiting is the entry into exiting: the drain is over, the process
// exit takes a draw of exit_time; a zero draw ends it at once.
func (wk *worker) enterExiting() {
	w := wk.w
	w.sim.Cancel(wk.tShutdown)
	d := w.exitSample.Next()
	if d <= 0 {
		wk.on(leExited, whyNone)
		return
	}
	w.rec.phase(wk, PhaseExiting)
	if w.trace != nil {
		w.tracef("worker %d exiting", wk.id)
	}
	wk.tExit = w.sim.After(d, wk, evExited)
}
