package model

import "github.com/poolsim/poolsim/engine"

// initialThreads is how many threads a new worker has.
func (w *world) initialThreads() int {
	if w.threadPool {
		return w.pool.ThreadPool.Min
	}
	return w.pool.Threads
}

// starved arms thread injection in every serving worker whose threads are
// all busy while requests wait.
func (w *world) starved() {
	tp := w.pool.ThreadPool
	for _, wk := range w.workers {
		if wk.state.serving() && wk.busy >= wk.threads && wk.threads < tp.Max && !w.sim.Pending(wk.tInject) {
			wk.tInject = w.sim.After(tp.Injection.T(), wk, evInject)
		}
	}
}

// inject adds a thread if work still waits for one.
func (wk *worker) inject() {
	w := wk.w
	wk.tInject = engine.Timer{}
	if !wk.state.serving() || w.queue.len() == 0 || wk.busy < wk.threads || wk.threads >= w.pool.ThreadPool.Max {
		return
	}
	took := wk.takesQueued()
	wk.threads++
	wk.recountTaker(took)
	w.rec.event(evkThreadInjected)
	if w.trace != nil {
		w.tracef("worker %d thread injected: %d threads", wk.id, wk.threads)
	}
	w.pump()
	wk.armRetire()
}

// armRetire arms the retirement of an idle thread above min.
func (wk *worker) armRetire() {
	w := wk.w
	r := w.pool.ThreadPool.Retire.T()
	if r <= 0 || wk.threads <= w.pool.ThreadPool.Min || w.sim.Pending(wk.tRetire) {
		return
	}
	wk.tRetire = w.sim.After(r, wk, evRetire)
}

// retire ends one idle thread above min, if the worker has one now.
func (wk *worker) retire() {
	w := wk.w
	wk.tRetire = engine.Timer{}
	if wk.state == lsDead {
		return
	}
	if wk.busy < wk.threads && wk.threads > w.pool.ThreadPool.Min {
		took := wk.takesQueued()
		wk.threads--
		wk.recountTaker(took)
		w.rec.event(evkThreadRetired)
		if w.trace != nil {
			w.tracef("worker %d thread retired: %d threads", wk.id, wk.threads)
		}
	}
	wk.armRetire()
}
