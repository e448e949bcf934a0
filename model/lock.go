package model

// lock is the system-wide resource: taken by the first request of a worker
// that needs it, held until that worker exits.
func (w *world) releaseLock(wk *worker) {
	if w.lockOwner != wk {
		return
	}
	w.lockOwner = nil
	if len(w.lockWaiters) == 0 {
		return
	}
	// The first waiter's worker takes it; that worker's waiters proceed.
	owner := w.lockWaiters[0].worker
	w.lockOwner = owner
	rest := w.lockWaiters[:0]
	var granted []*request
	for _, r := range w.lockWaiters {
		if r.worker == owner {
			granted = append(granted, r)
		} else {
			rest = append(rest, r)
		}
	}
	w.lockWaiters = rest
	for _, r := range granted {
		r.state = stExec
		r.worker.proceed(r)
	}
}

func (w *world) dropLockWaiter(r *request) {
	for i, x := range w.lockWaiters {
		if x == r {
			w.lockWaiters = append(w.lockWaiters[:i], w.lockWaiters[i+1:]...)
			return
		}
	}
}
