package model

// A draining worker that refuses (docs/model.md, "Draining: requeue or
// refuse"). With pool.recycle.drain = "requeue" (IIS with ASP.NET, the
// default) a worker that is shutting down takes no new requests: they wait
// in the queue for another worker. With "refuse" (the ASP.NET Core Module
// in-process, which answers 503 ERROR_SERVER_SHUTDOWN_IN_PROGRESS once the
// application is stopping) the worker stays attached to the queue until it
// exits, takes its share of requests as dispatch chooses, and answers each
// with 503 at once (outcome rejected_shutdown). An overlapped recycle then
// produces 503s for as long as the old worker drains. poolsim's assumption:
// the shutting-down worker is offered requests like any other with a free
// thread, for the whole drain.

// refusing reports whether wk answers the requests it is given with 503.
func (wk *worker) refusing() bool {
	return wk.state.draining() && wk.w.refuseDrain
}

// takesRequests reports whether dispatch may give wk a request.
func (wk *worker) takesRequests() bool {
	return wk.state.serving() || wk.state.draining() && wk.w.refuseDrain
}

// refuse answers r with 503 from a worker shutting down.
func (wk *worker) refuse(r *request) {
	w := wk.w
	wk.remove(r)
	if w.trace != nil {
		w.tracef("refused req=%d worker=%d shutting down", r.id, wk.id)
	}
	w.finish(r, outRefused, causeNone)
	if wk.busy == 0 {
		wk.on(leEmpty, wk.why)
	}
}
