package model

import (
	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/policies"
)

// The execution time limit (docs/model.md, "Execution time limit"): a
// request still on its thread pool.execution_timeout after it started is
// ended, by one of three rules:
//
//   - abort: ASP.NET's httpRuntime executionTimeout (110 s when set): the
//     request's thread is aborted, the client gets 500 and the worker lives.
//   - kill_worker: php-fpm's request_terminate_timeout (the master sends
//     SIGTERM to the child, fpm_request.c, whose default action it keeps,
//     fpm_signals.c) and uWSGI's harakiri: the worker process dies at once
//     and every request it runs is abandoned (cause exec_timeout).
//   - exit_worker: gunicorn's worker timeout. The arbiter sends SIGABRT,
//     which the worker handles (workers/base.py handle_abort: sys.exit(1)):
//     the SystemExit unwinds through the sync worker's handle(), whose
//     finally closes the client's socket, so the requests end at once
//     (abandoned, cause exec_timeout); then the interpreter's finalisation
//     runs, and the arbiter forks the replacement only once the process is
//     gone: the worker is exiting for pool.exit_time, as after a recycle
//     (exit.go).
//
// The limit is checked at the exact instant, or, when
// pool.execution_timeout_check is set, on a heartbeat of that period counted
// from time 0: php-fpm's master checks on a timer of a third of the limit
// (fpm_conf.c; measured: 333 ms for 1 s, kills 1.005–1.30 s after the
// start), ASP.NET's RequestTimeoutManager every 15 s. A request is then
// ended at the first heartbeat at or after start + limit.

// armExecTimeout arms r's execution limit as it starts on a thread; it
// inlines to one test where there is no limit.
func (w *world) armExecTimeout(r *request) {
	if w.pool.ExecutionTimeout > 0 {
		w.armExecLimit(r, w.pool.ExecutionTimeout.T())
	}
}

func (w *world) armExecLimit(r *request, lim engine.Time) {
	w.sim.Cancel(r.tExec)
	r.tExec = w.sim.At(execDeadline(w.sim.Now(), lim, w.pool.ExecutionTimeoutCheck.T()), r, evExecTimeout)
}

// execDeadline is when a request started at start is ended by a limit lim
// checked every period (0: exactly).
func execDeadline(start, lim, period engine.Time) engine.Time {
	due := start + lim
	if period <= 0 {
		return due
	}
	return (due + period - 1) / period * period
}

// execTimeout ends r, which ran past the limit.
func (wk *worker) execTimeout(r *request) {
	w := wk.w
	w.rec.event(evkExecTimeout)
	if w.trace != nil {
		w.tracef("execution timeout req=%d worker=%d %s", r.id, wk.id, w.pool.OnExecutionTimeout)
	}
	switch w.pool.OnExecutionTimeout {
	case "kill_worker":
		w.rec.event(evkExecTimeoutKill)
		wk.fail(whyExecTimeout, causeExecTimeout, policies.FailExecTimeout)
		return
	case "exit_worker":
		w.rec.event(evkExecTimeoutKill)
		wk.endCause, wk.failKind = causeExecTimeout, policies.FailExecTimeout
		wk.on(leAbort, whyExecTimeout)
		return
	}
	r.detach()
	wk.complete(r, outError)
}

// abort is the entry action of leAbort, before the worker's exit: it stops
// serving, its requests are abandoned (cause endCause) and its failure goes
// to the supervisor now; its replacement waits for the end of its exit.
func (wk *worker) abort() {
	w := wk.w
	for _, t := range [...]engine.Timer{wk.tAge, wk.tIdle, wk.tShutdown, wk.tPing, wk.tPingKill, wk.tInject, wk.tRetire} {
		w.sim.Cancel(t)
	}
	for len(wk.exec) > 0 {
		wk.exec[len(wk.exec)-1].abandonInWorker(wk, wk.endCause)
	}
	w.servingChanged()
	// Rule: a worker from before a restart of the pool does not count
	// against the restarted pool (docs/model.md#rapid-fail).
	if wk.epoch == w.epoch {
		w.failure(wk.failKind)
	}
}
